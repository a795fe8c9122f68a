"""Moving to a new phone (protocol §11.4) between the app and hearth-client, on a real relay:
the app moves while hearth-client is the partner; hearth-client moves while the app is the
partner (offline through the move, so it hears the notice after it logs in); and each moves
to a new phone of the other kind. Each side's stream, receipts, notice and new keys are read
by the other: everything arrives, the new phone owns the old one's records, the partner's
phone shows the same new code, and the two go on both ways."""

import subprocess

from playwright.sync_api import expect

from app_helpers import confirm_pairing, go, open_app, safety_code
from client_helpers import Client, move_phone, pair_with_app, read_code
from test_app_move import OUTBOX_EMPTY, PUT_SHARED, has_text, move_out
from test_app_replace import SHOWN, eventually

SEED = """async (who) => {
  const { put } = await import('/js/device/records.js');
  for (let i = 0; i < 20; i += 1) await put('boundary', { kind: 'touch', label: `${who} boundary ${i}`, level: 'ask_first' });
  await put('journal', { text: `${who} journal`, shared: true });
  await put('journal', { text: `${who} private draft`, shared: false });
}"""


def app_moves(alex, jo) -> str:
    """The app's person on `alex` moves to the app page `jo`; returns the code they compared."""
    link = move_out(alex, [])
    jo.goto(link)
    code = confirm_pairing(jo)
    assert safety_code(alex) == code
    alex.get_by_role("button", name="They match").click()
    expect(alex.get_by_role("heading", name="Everything is on your new phone")).to_be_visible(timeout=30_000)
    return code


def moved_code(page) -> str:
    go(page, "pair")
    return page.locator(".moved .safety-code").text_content()


def test_the_app_moves_and_the_client_is_the_partner(relay, browser_context, tmp_path):
    sam = Client(tmp_path / "sam")
    alex = pair_with_app(relay.url, sam, browser_context())
    alex.evaluate(SEED, "alex")
    sam.put("journal", {"text": "sam, shared", "shared": True})
    eventually(alex, OUTBOX_EMPTY)
    sam.sync()
    assert len([r for r in sam.list("boundary") if not r["mine"]]) == 20

    jo = open_app(browser_context(), relay.url)
    code = app_moves(alex, jo)
    expect(jo.get_by_role("heading", name="Everything is here")).to_be_visible(timeout=20_000)
    new_code = moved_code(jo)
    assert new_code != code
    now = jo.evaluate(SHOWN)
    assert (now["mine"], now["theirs"]) == (22, 1) and "alex private draft" in now["texts"], now

    told = sam.sync().stderr
    assert "your partner moved to a new phone" in told and new_code in told, told
    assert sam.device().state.get("peer")["device"] == jo.evaluate(
        "() => import('/js/device/identity.js').then((m) => m.identity()).then((me) => me.device)")
    target = next(b for b in sam.list("boundary") if b["label"] == "alex boundary 3")
    sam.put("journal", {"text": "sam, after the move", "shared": True})
    sam.sync()
    has_text(jo, "sam, after the move")
    go(jo, "boundaries")
    jo.get_by_label('How "alex boundary 3" feels now').select_option("welcome")
    eventually(jo, OUTBOX_EMPTY)
    sam.sync()
    assert [(b["level"], b["mine"]) for b in sam.list("boundary") if b["id"] == target["id"]] == [("welcome", False)]
    assert "your partner moved" not in sam.sync().stderr   # told once
    assert jo.errors == [] and alex.errors == []


def test_the_client_moves_and_the_app_is_the_partner(relay, browser_context, tmp_path):
    alex = Client(tmp_path / "alex")
    sam = pair_with_app(relay.url, alex, browser_context())
    for i in range(20):
        alex.put("boundary", {"kind": "touch", "label": f"alex boundary {i}", "level": "ask_first"})
    alex.put("journal", {"text": "alex's private draft"})
    alex.sync()
    eventually(sam, f"() => ({SHOWN})().then((s) => s.theirs === 20)")
    sam.context.set_offline(True)   # away through the whole move: the notice waits for its next login
    sam.evaluate(PUT_SHARED, "sam, written offline")
    alex.put("journal", {"text": "alex, just before the move", "shared": True})
    alex.sync()

    jo = Client(tmp_path / "jo")
    code = move_phone(alex, jo)
    sam.context.set_offline(False)
    expect(sam.locator("#sync-status .sync-notice")).to_contain_text("Your partner moved to a new phone.",
                                                                    timeout=20_000)
    assert moved_code(sam) == code == jo.device().state.get("safety_code")
    jo.sync()   # sends again what the old phone wrote that sam had not confirmed
    has_text(sam, "alex, just before the move")
    eventually(sam, OUTBOX_EMPTY)
    jo.sync()
    assert "sam, written offline" in {r["text"] for r in jo.list("journal")}
    target = next(b for b in jo.list("boundary") if b["label"] == "alex boundary 4")
    assert target["mine"]
    jo.run("put", "boundary", '{"id": "%s", "label": "changed on the new phone"}' % target["id"])
    jo.sync()
    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-label", has_text="changed on the new phone")).to_be_visible(timeout=20_000)
    assert sam.errors == []


def test_the_app_moves_to_a_client_as_its_new_phone(relay, browser_context, tmp_path):
    sam = Client(tmp_path / "sam")
    alex = pair_with_app(relay.url, sam, browser_context())
    alex.evaluate(SEED, "alex")
    alex.evaluate("() => import('/js/reminders/kept.js').then((k) => k.saveSettings({ on: true }))")
    eventually(alex, OUTBOX_EMPTY)

    link = move_out(alex, [])
    jo = Client(tmp_path / "jo")
    joining = jo.popen("join", link, "--timeout", "60")
    try:
        code = read_code(joining)
        assert safety_code(alex) == code
        alex.get_by_role("button", name="They match").click()
        _, err = joining.communicate(timeout=60)
    finally:
        if joining.poll() is None:
            joining.kill()
    assert joining.returncode == 0, err
    expect(alex.get_by_role("heading", name="Everything is on your new phone")).to_be_visible(timeout=20_000)
    boundaries = jo.list("boundary")
    assert len(boundaries) == 20 and all(b["mine"] for b in boundaries)
    assert {"alex journal", "alex private draft"} <= {r["text"] for r in jo.list("journal")}
    told = sam.sync().stderr
    assert "your partner moved to a new phone" in told and jo.device().state.get("safety_code") in told
    jo.put("journal", {"text": "jo, from the client", "shared": True})
    jo.sync()
    sam.sync()
    assert "jo, from the client" in {r["text"] for r in sam.list("journal")}
    assert alex.errors == []


def test_the_client_moves_to_the_app_as_its_new_phone(relay, browser_context, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    from client_helpers import pair
    pair(relay.url, alex, sam)
    for i in range(20):
        alex.put("boundary", {"kind": "touch", "label": f"alex boundary {i}", "level": "ask_first"})
    alex.put("journal", {"text": "alex's private draft"})
    alex.put("checkin", {"week": "2026-W10", "answers": {"needs": "alex: an early night"}})
    sam.put("journal", {"text": "sam, shared", "shared": True})
    for client in (alex, sam, alex):
        client.sync()

    moving = alex.popen("move", "--timeout", "60", stdin=subprocess.PIPE)
    try:
        link = moving.stdout.readline().strip()
        jo = open_app(browser_context(), relay.url)
        jo.goto(link)
        code = confirm_pairing(jo)
        expect(jo.locator(".taking-place")).to_contain_text("Everything from your other phone is moving here")
        assert read_code(moving) == code
        _, err = moving.communicate(code + "\n", timeout=60)
    finally:
        if moving.poll() is None:
            moving.kill()
    assert moving.returncode == 0, err
    expect(jo.get_by_role("heading", name="Everything is here")).to_be_visible(timeout=20_000)
    now = jo.evaluate(SHOWN)
    assert (now["mine"], now["theirs"]) == (21, 1) and "alex's private draft" in now["texts"], now
    new_code = moved_code(jo)
    assert new_code in err
    told = sam.sync().stderr
    assert "your partner moved to a new phone" in told and new_code in told
    jo.evaluate(PUT_SHARED, "jo, from the app")
    eventually(jo, OUTBOX_EMPTY)
    sam.sync()
    assert "jo, from the app" in {r["text"] for r in sam.list("journal")}
    sam.put("checkin", {"week": "2026-W10", "answers": {"needs": "sam: a walk"}})
    sam.sync()
    eventually(jo, """() => import('/js/device/checkins.js').then((m) => m.checkinWeek('2026-W10'))
        .then((w) => w.mine?.answers?.needs === 'alex: an early night' && w.partner !== null)""")
    # The week alex's old phone answered opens for both once sam answers it: the new phone releases its key.
    eventually(jo, OUTBOX_EMPTY)
    sam.sync()
    assert [r["answers"] for r in sam.list("checkin") if not r["mine"]] == [{"needs": "alex: an early night"}]
    assert jo.errors == []
