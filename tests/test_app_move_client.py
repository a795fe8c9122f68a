"""Moving to a new phone (protocol §11.4) between the app and hearth-client, on a real relay:
the app moves while hearth-client is the partner; hearth-client moves, to the app, while the
app is the partner (offline through the move, so it hears the notice after it logs in); and
the app moves to hearth-client as its new phone. Each side's stream, receipts, notice and
new keys are read by the other: everything arrives, the new phone owns the old one's
records, the partner's phone shows the same new code, and the two go on both ways.

(hearth-client moving to hearth-client is tests/test_client_move.py's.)"""

import subprocess

from playwright.sync_api import expect

from app_helpers import confirm_pairing, go, go_offline, open_app, safety_code
from client_helpers import Client, client_joins_the_app, pair_with_app, read_code
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
    # Kept in the same transaction as its outbox entry, which leaves once the relay has it.
    eventually(jo, """() => Promise.all([import('/js/device/records.js'), import('/js/data/db.js')])
        .then(async ([r, db]) => (await r.list('boundary')).some((b) => b.label === 'alex boundary 3' && b.level === 'welcome')
          && (await db.outboxCount()) === 0)""")
    sam.sync()
    assert [(b["level"], b["mine"]) for b in sam.list("boundary") if b["id"] == target["id"]] == [("welcome", False)]
    assert "your partner moved" not in sam.sync().stderr   # told once
    assert jo.errors == [] and alex.errors == []


def client_moves(alex, jo, relay_url: str) -> str:
    """hearth-client `move` on `alex`, to the app page `jo` by its link; returns the moved
    safety code the client printed, once it has retired."""
    moving = alex.popen("move", "--timeout", "60", stdin=subprocess.PIPE)
    try:
        link = moving.stdout.readline().strip()
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
    new_code = moved_code(jo)
    assert new_code in err
    return new_code


def test_the_client_moves_to_the_app_and_the_app_is_the_partner(relay, browser_context, tmp_path):
    alex = Client(tmp_path / "alex")
    sam = pair_with_app(relay.url, alex, browser_context())
    for i in range(20):
        alex.put("boundary", {"kind": "touch", "label": f"alex boundary {i}", "level": "ask_first"})
    alex.put("journal", {"text": "alex's private draft"})
    alex.put("checkin", {"week": "2026-W10", "answers": {"needs": "alex: an early night"}})
    alex.sync()
    eventually(sam, f"() => ({SHOWN})().then((s) => s.theirs === 20)")
    go_offline(sam)   # away through the whole move: the notice waits for its next login
    sam.evaluate(PUT_SHARED, "sam, written offline")
    alex.put("journal", {"text": "alex, just before the move", "shared": True})
    alex.sync()

    jo = open_app(browser_context(), relay.url)
    code = client_moves(alex, jo, relay.url)
    now = jo.evaluate(SHOWN)
    assert (now["mine"], now["theirs"]) == (22, 0) and "alex's private draft" in now["texts"], now
    sam.context.set_offline(False)
    expect(sam.locator("#sync-status .sync-notice")).to_contain_text("Your partner moved to a new phone.",
                                                                    timeout=20_000)
    assert moved_code(sam) == code
    # What each had not confirmed of the other's: sent again by the new phone, and resealed for it.
    has_text(sam, "alex, just before the move")
    has_text(jo, "sam, written offline")
    go(jo, "boundaries")
    jo.get_by_label('How "alex boundary 4" feels now').select_option("welcome")
    go(sam, "boundaries?whose=partner")
    item = sam.locator(".boundary-item", has=sam.locator(".boundary-label", has_text="alex boundary 4"))
    expect(item.locator(".boundary-level")).to_contain_text("Welcome", timeout=20_000)
    # The week alex's old phone answered opens for both once sam answers it: the new phone
    # holds that phone's key, and releases it.
    sam.evaluate("""() => import('/js/device/checkins.js')
        .then((m) => m.answer({ week: '2026-W10', answers: { needs: 'sam: a walk' } }))""")
    eventually(sam, """() => import('/js/device/checkins.js').then((m) => m.checkinWeek('2026-W10'))
        .then((w) => w.partner?.answers?.needs === 'alex: an early night')""")
    assert sam.errors == [] and jo.errors == []


def test_the_app_moves_to_a_client_as_its_new_phone(relay, browser_context, tmp_path):
    sam = Client(tmp_path / "sam")
    alex = pair_with_app(relay.url, sam, browser_context())
    alex.evaluate(SEED, "alex")
    alex.evaluate("() => import('/js/reminders/kept.js').then((k) => k.saveSettings({ on: true }))")
    eventually(alex, OUTBOX_EMPTY)

    link = move_out(alex, [])
    jo = Client(tmp_path / "jo")
    client_joins_the_app(alex, jo, link)
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
