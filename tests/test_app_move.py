"""Moving to a new phone in the app (protocol §11.4), in a real browser against a real relay.

Two paired phones; one of them (alex) has private drafts, a private energy note, a sealed
check-in, reminders switched on, and things shared both ways. Alex's person opens "Move to a
new phone", reads what happens, and compares six numbers with a third phone (jo), which
gets everything, private things and settings included, and owns what alex wrote. Alex's tab
closes mid-move and the move carries on when it opens again. The partner's phone (sam)
hears it, signed, shows "moved to a new phone" with a new code that equals the new phone's,
and what each had not seen from the other arrives; then the two go on, both ways. The old
phone says kindly that it moved and offers to erase itself.
"""

import base64
import json

from playwright.sync_api import expect

from app_helpers import confirm_pairing, expect_status, go, go_offline, open_app
from test_app_replace import SHOWN, eventually, fits, new_phone_compares, shown, wait_for_partner_things
from test_checkin import answer_in_app

PER_PHONE = 160

# Things each phone shares, through the app's own record API, and some it keeps to itself.
SEED = """async ([who, n]) => {
  const [{ put }, { today }] = await Promise.all([import('/js/device/records.js'), import('/js/core/dates.js')]);
  for (let i = 0; i < n; i += 1) {
    const k = i % 4;
    if (k === 0) await put('journal', { text: `${who} journal ${i} ` + 'words '.repeat(20), shared: true });
    else if (k === 1) await put('boundary', { kind: 'touch', label: `${who} boundary ${i}`, level: 'ask_first' });
    else if (k === 2) await put('gratitude', { text: `${who} thanks ${i}`, date: today() });
    else await put('appointment', { title: `${who} visit ${i}`, questions: [{ text: 'How long will it last?' }] });
  }
  await put('journal', { text: `${who} private draft`, shared: false });
  await put('energy', { date: today(), time_of_day: 'morning', energy: 6, note: `${who} private energy note` });
}"""

REMINDERS_ON = """async () => {
  const [kept, db] = await Promise.all([import('/js/reminders/kept.js'), import('/js/data/db.js')]);
  await kept.saveSettings({ on: true, detailed: true });
  await db.setMeta('reminded', { 'checkin:2026-W10': '2026-03-08' });
  localStorage.setItem('hearth.gratitude.energy', 'more');
}"""

SETTINGS = """async () => {
  const [kept, db, { list }, { checkinWeek, }, { currentWeek }] = await Promise.all([import('/js/reminders/kept.js'),
    import('/js/data/db.js'), import('/js/device/records.js'), import('/js/device/checkins.js'), import('/js/core/checkin.js')]);
  return { reminders: await kept.settings(), reminded: await db.getMeta('reminded', null),
           energy: localStorage.getItem('hearth.gratitude.energy'),
           energyNotes: (await list('energy')).filter((r) => r.mine).map((r) => r.note),
           checkin: (await checkinWeek(currentWeek())).mine?.answers ?? null };
}"""

PUT_SHARED = "(t) => import('/js/device/records.js').then((r) => r.put('journal', { text: t, shared: true }))"
OUTBOX_EMPTY = "() => import('/js/data/db.js').then((db) => db.outboxCount()).then((n) => n === 0)"
TEXTS = f"() => ({SHOWN})().then((s) => s.texts)"


def has_text(page, text: str, timeout: float = 20) -> None:
    eventually(page, f"() => ({TEXTS})().then((t) => t.includes({json.dumps(text)}))", timeout=timeout)


def move_out(alex, problems: list) -> str:
    """The old phone's person opens Settings, reads what moving means, and shows a code."""
    go(alex, "pair")
    alex.get_by_role("button", name="Move to a new phone").click()
    confirm = alex.get_by_role("group", name="Move everything to your new phone?")
    for words in ("Everything on this phone moves to the new one", "your private drafts and notes",
                  "end-to-end encrypted", "this phone stops using Hearth", "offers to erase it",
                  "Your partner's phone is told, and shows a new safety code"):
        expect(confirm).to_contain_text(words)
    expect(confirm.get_by_role("heading")).to_be_focused()
    problems += fits(alex, "the move's confirmation")
    confirm.get_by_role("button", name="Show a code for my new phone").click()
    expect(alex.get_by_role("heading", name="Let your new phone scan this")).to_be_visible()
    return alex.locator("#pair-link").input_value()


def hold_move_after(page, parts: int | None, lose: str | None = None) -> None:
    """This tab hands the relay only the first `parts` envelopes of a move stream (epoch 0),
    the rest staying on the phone, as if the tab closed part-way through sending; and never
    hears the relay's frames of type `lose`."""
    def route(ws):
        server = ws.connect_to_server()

        def up(message):
            frame = json.loads(message)
            if frame.get("type") == "send" and parts is not None:
                body = base64.urlsafe_b64decode(frame["body"] + "=" * (-len(frame["body"]) % 4))
                if body[2:6] == bytes(4) and frame["seq"] > parts:
                    return
            server.send(message)

        def down(message):
            if json.loads(message).get("type") != lose:
                ws.send(message)
        ws.on_message(up)
        server.on_message(down)
    page.route_web_socket("**/ws", route)


def reopen(page, url: str, route: str, hold: int | None = None):
    """The tab closes and opens again on `route`; `hold`: its connections hand the relay only
    that many parts of a move stream (hold_move_after)."""
    context = page.context
    page.close()
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))
    if hold is not None:
        hold_move_after(page, hold)
    page.goto(f"{url}/#/{route}")
    return page


def test_moving_to_a_new_phone_takes_everything_and_the_partner_goes_on(browser_couple, browser_context, relay):
    alex, sam = browser_couple()
    alex.evaluate(SEED, ["alex", PER_PHONE])
    sam.evaluate(SEED, ["sam", PER_PHONE])
    alex.evaluate(REMINDERS_ON)
    wait_for_partner_things(alex, PER_PHONE)
    wait_for_partner_things(sam, PER_PHONE)
    answer_in_app(alex, "Words from the old phone.")
    # What the partner's phone has not confirmed when the move starts: the new phone sends it again.
    go_offline(sam)
    alex.evaluate(PUT_SHARED, "alex, just before the move")
    eventually(alex, OUTBOX_EMPTY)

    problems = []
    hold_move_after(alex, None, lose="confirm_ok")
    link = move_out(alex, problems)
    jo = open_app(browser_context(), relay.url)
    code = new_phone_compares(alex, jo, link, "Everything from your other phone is moving here", problems)
    expect(jo.get_by_role("heading", name="Moving everything here")).to_be_visible()
    # The relay's answer to "They match" is lost and the tab closes: opened again, the relay's
    # `ready` names the new phone as this one's mover, and the move begins.
    alex = reopen(alex, relay.url, "pair", hold=2)
    expect(alex.get_by_role("heading", name="Moving to your new phone")).to_be_visible()
    parts = eventually(alex, "() => import('/js/device/move-state.js').then((m) => m.progress()).then((p) => p?.parts)")
    assert parts >= 3, parts   # several envelopes' worth, so the tab can close part-way
    expect(jo.locator(".move-progress")).to_have_text(f"Moving everything here: 2 of {parts}")
    expect(alex.locator(".move-progress")).to_have_text(f"Moving to your new phone: 2 of {parts}")
    expect_status(alex, f"Moving to your new phone: 2 of {parts}")
    problems += fits(alex, "the old phone, moving") + fits(jo, "the new phone, moving")
    # Meanwhile the partner writes: it waits for the old phone, which never confirms it.
    sam.context.set_offline(False)
    sam.evaluate(PUT_SHARED, "sam, while alex was moving")
    eventually(sam, OUTBOX_EMPTY)
    # Both tabs close mid-move. The old phone's opens again and sends the rest, but only the
    # new phone's word counts: the move finishes once the new phone's tab is back and has it all.
    jo_context = jo.context
    jo.close()
    alex = reopen(alex, relay.url, "pair")
    expect(alex.locator(".move-progress")).to_have_text(f"Moving to your new phone: 2 of {parts}")
    jo = open_app(jo_context, relay.url, "home")
    expect(alex.get_by_role("heading", name="Everything is on your new phone")).to_be_visible(timeout=20_000)
    expect(alex.locator(".card-ended")).to_contain_text("This phone no longer syncs")
    expect(alex.get_by_role("button", name="Erase everything on this phone")).to_be_visible()
    expect(alex.get_by_role("button", name="Pair again")).to_have_count(0)
    expect_status(alex, "This phone has moved to your new one.")
    problems += fits(alex, "the old phone's Settings, moved")
    assert shown(alex)["mine"] == PER_PHONE + 2   # still readable

    # The new phone has everything, private things and settings included, and it is all its own.
    go(jo, "pair")
    expect(jo.get_by_role("heading", name="Everything is here")).to_be_visible()
    expect(jo.locator("#sync-status .sync-notice")).to_contain_text("Everything from your other phone is here.")
    has_text(jo, "sam, while alex was moving")   # the partner's phone sends it again, to the new phone
    now = shown(jo)
    assert (now["mine"], now["theirs"]) == (PER_PHONE + 2, PER_PHONE + 1), {k: now[k] for k in ("mine", "theirs")}
    assert "alex private draft" in now["texts"] and "sam private draft" not in now["texts"]
    kept = jo.evaluate(SETTINGS)
    assert kept == {"reminders": {"on": True, "detailed": True}, "reminded": {"checkin:2026-W10": "2026-03-08"},
                    "energy": "more", "energyNotes": ["alex private energy note"],
                    "checkin": {"needs": "Words from the old phone."}}, kept
    moved_code = jo.locator(".moved .safety-code").text_content()
    problems += fits(jo, "the new phone's Settings, moved in")

    # The partner's phone heard it, signed: the same new code, in plain words.
    go(sam, "pair")
    expect(sam.get_by_role("heading", name="Your partner moved to a new phone")).to_be_visible(timeout=20_000)
    assert sam.locator(".moved .safety-code").text_content() == moved_code != code
    problems += fits(sam, "the partner's Settings after the move")
    expect(sam.locator("#sync-status .sync-notice")).to_contain_text("Your partner moved to a new phone.")
    # What each had not confirmed of the other's reaches the other once, under the new keys.
    has_text(sam, "alex, just before the move")
    assert shown(sam)["texts"].count("alex, just before the move") == 1

    # And they go on, both ways; the new phone changes what the old one wrote, as its owner.
    go(jo, "boundaries")
    jo.get_by_label('How "alex boundary 1" feels now').select_option("welcome")
    jo.evaluate(PUT_SHARED, "jo, on the new phone")
    sam.evaluate(PUT_SHARED, "sam, after the move")
    has_text(sam, "jo, on the new phone")
    has_text(jo, "sam, after the move")
    go(sam, "boundaries?whose=partner")
    item = sam.locator(".boundary-item", has=sam.locator(".boundary-label", has_text="alex boundary 1"))
    expect(item.first.locator(".boundary-level")).to_contain_text("Welcome")
    go(jo, "checkin")
    expect(jo.locator("#view")).to_contain_text("Words from the old phone.")
    # Compared together: the notice folds away, and the code stays as the pairing's own.
    go(sam, "pair")
    sam.get_by_role("button", name="We've compared them").click()
    expect(sam.get_by_role("heading", name="Your safety code")).to_be_visible()
    assert sam.locator(".safety-code").text_content() == moved_code
    expect(sam.locator("#sync-status .sync-notice")).to_be_empty()
    assert problems == []
    for page in (alex, jo, sam):
        assert page.errors == [], (page.url, page.errors)


def test_a_move_the_partners_phone_did_not_sign_stops_syncing_in_plain_words(hostile, browser_context, tmp_path):
    from client_helpers import Client, pair_with_app
    from hearth.protocol.encoding import b64u
    from hearth.protocol.identity import MOVED, DeviceKeys, succession_message
    from hearth.protocol.primitives import sign
    from hostile_relay import TO_DEVICE

    alex = Client(tmp_path / "alex")
    sam = pair_with_app(hostile.url, alex, browser_context())
    alex.put("journal", {"text": "hello", "shared": True})
    alex.sync()
    has_text(sam, "hello")
    me = sam.evaluate("() => import('/js/device/identity.js').then((m) => m.identity())")
    impostor = DeviceKeys.generate()   # a phone the relay would put in alex's place, signing for itself
    message = succession_message(me["pair"], me["epoch"] + 1, MOVED, alex.device_id, impostor.device_id,
                                 impostor.sig_pub, impostor.dh_pub)
    forged = {"type": "succession", "reason": MOVED, "old": alex.device_id, "device": impostor.device_id,
              **impostor.public_frame(), "epoch": me["epoch"] + 1, "sig": b64u(sign(impostor.sig, message))}
    hostile.rule(lambda conn, d, f: [f, forged], "ready", direction=TO_DEVICE, device=me["device"], count=1)
    sam.reload()
    expect(sam.locator("#sync-status")).to_have_attribute("data-state", "ended", timeout=20_000)
    expect_status(sam, "Syncing has stopped: the server changed your partner's phone without their word.")
    go(sam, "pair")
    expect(sam.get_by_role("heading", name="Syncing has stopped")).to_be_visible()
    expect(sam.locator(".card-ended")).to_contain_text("your partner moved to a new phone, but their phone didn't sign that")
    after = sam.evaluate("() => import('/js/device/identity.js').then((m) => m.identity())")
    assert (after["epoch"], after["peer"]["device"]) == (me["epoch"], alex.device_id)   # not taken in
    assert "hello" in shown(sam)["texts"]
    assert sam.errors == []


def test_a_move_stopped_before_it_finishes_changes_nothing(browser_couple, browser_context, relay):
    alex, sam = browser_couple()
    hold_move_after(alex, 0)   # nothing of the stream reaches the relay: the move cannot finish
    link = move_out(alex, [])
    jo = open_app(browser_context(), relay.url)
    jo.goto(link)
    confirm_pairing(jo)
    alex.get_by_role("button", name="They match").click()
    expect(jo.get_by_role("heading", name="Moving everything here")).to_be_visible()
    expect(alex.get_by_role("heading", name="Moving to your new phone")).to_be_visible()
    alex.get_by_role("button", name="Stop the move").click()
    expect(alex.get_by_role("heading", name="The move stopped")).to_be_visible()
    expect(alex.get_by_role("status").filter(has_text="nothing has changed")).to_be_visible()
    expect(jo.get_by_role("heading", name="The move stopped")).to_be_visible(timeout=20_000)
    expect(jo.locator("#view")).to_contain_text("Your other phone still has everything")
    problems = fits(alex, "the old phone after a stopped move") + fits(jo, "the new phone after a stopped move")
    # The old phone syncs with its partner as before; the partner never heard of any of it.
    alex.evaluate(PUT_SHARED, "alex, after the move stopped")
    has_text(sam, "alex, after the move stopped")
    sam.evaluate(PUT_SHARED, "sam, still with the old phone")
    has_text(alex, "sam, still with the old phone")
    assert sam.evaluate("() => import('/js/device/identity.js').then((m) => m.identity())").get("partnerMoved") is None
    alex.get_by_role("button", name="OK").click()
    expect(alex.get_by_role("heading", name="The move stopped")).to_have_count(0)
    expect(alex.get_by_role("button", name="Move to a new phone")).to_be_visible()
    assert problems == []
    for page in (alex, jo, sam):
        assert page.errors == [], (page.url, page.errors)
