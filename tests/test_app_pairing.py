"""Pairing in the app, in a real browser, against a real relay and a hostile one (§4).

The inviting phone's person compares the six numbers and taps "They match" before
anything is shared; "They're different" on either phone stops the pairing on both; every
key from the link or the relay is checked; nothing secret outlives the pairing.
"""

import json
import sqlite3
import subprocess

from playwright.sync_api import expect

from app_helpers import (all_sent, confirm_pairing, eventually, expect_status, finish_joining, go, open_app, safety_code, show_code,
                         they_match, write_journal)
from client_helpers import Client, read_code
from hearth.protocol.encoding import b64u

OFF_CURVE = b"\x04" + (1).to_bytes(32, "big") + (1).to_bytes(32, "big")

PENDING = """() => import('/js/data/db.js').then(async (db) =>
    [Boolean(await db.getKey('pending_invite')), Boolean(await db.getKey('pending_join'))])"""
PAIRED = "() => import('/js/device/identity.js').then((d) => d.isPaired())"


def relay_counts(relay) -> tuple[int, int]:
    """(devices, envelopes) in the relay's own database."""
    with sqlite3.connect(relay.data_dir / "hearth.db") as db:
        return (db.execute("SELECT COUNT(*) FROM device").fetchone()[0],
                db.execute("SELECT COUNT(*) FROM envelope").fetchone()[0])


def tamper(context, change):
    """Put a man in the middle of this phone's websocket: `change(frame)` sees every frame
    from the relay and returns it (changed or not), None to drop it, or "close"."""
    def route(ws):
        server = ws.connect_to_server()

        def from_relay(message):
            frame = change(json.loads(message))
            if frame == "close":
                ws.close()
                server.close()
            elif frame is not None:
                ws.send(json.dumps(frame))
        server.on_message(from_relay)
        ws.on_message(lambda message: server.send(message))
    context.route_web_socket("**/ws", route)


def two_phones(relay, browser_context):
    return open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)


def test_nothing_is_shared_until_the_inviter_says_the_numbers_match(relay, browser_context):
    alex, sam = two_phones(relay, browser_context)
    link = show_code(alex)
    sam.goto(link)
    code = confirm_pairing(sam)
    assert safety_code(alex) == code
    expect(alex.get_by_role("button", name="They match")).to_be_visible()
    expect(sam.locator(".safety .working")).to_contain_text("your partner taps “They match”")
    # Both screens show the numbers, and neither phone is paired: nothing can travel yet.
    assert alex.evaluate(PAIRED) is False and sam.evaluate(PAIRED) is False
    assert relay_counts(relay) == (1, 0)
    they_match(alex)
    finish_joining(sam)
    assert relay_counts(relay)[0] == 2
    assert alex.evaluate(PENDING) == [False, False] and sam.evaluate(PENDING) == [False, False]
    write_journal(sam, "Our first shared note.")
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text="Our first shared note.")).to_be_visible()
    assert alex.errors == [] and sam.errors == []


def test_different_numbers_stop_the_pairing_on_both_phones_and_a_new_code_works(relay, browser_context):
    alex, sam = two_phones(relay, browser_context)
    sam.goto(show_code(alex))
    confirm_pairing(sam)
    alex.get_by_role("button", name="They're different").click()
    notice = alex.get_by_role("alert")
    expect(notice).to_contain_text("someone else may have used this code")
    expect(notice).to_contain_text("Nothing has been shared")
    expect(sam.get_by_role("alert")).to_contain_text("stopped on your partner's phone")
    assert relay_counts(relay) == (1, 0)
    assert alex.evaluate(PENDING) == [False, False] and sam.evaluate(PENDING) == [False, False]
    assert alex.evaluate(PAIRED) is False and sam.evaluate(PAIRED) is False

    alex.get_by_role("button", name="Show a new code").click()
    expect(alex.locator("svg.qr")).to_be_visible()
    sam.goto(alex.locator("#pair-link").input_value())
    assert confirm_pairing(sam) == safety_code(alex)
    they_match(alex)
    finish_joining(sam)
    expect_status(sam, "Synced")
    assert alex.errors == [] and sam.errors == []


def test_the_joining_phone_can_say_the_numbers_differ(relay, browser_context):
    alex, sam = two_phones(relay, browser_context)
    sam.goto(show_code(alex))
    confirm_pairing(sam)
    sam.get_by_role("button", name="They're different").click()
    expect(sam.get_by_role("alert")).to_contain_text("someone else may have used this code")
    expect(alex.get_by_role("alert")).to_contain_text("stopped on your partner's phone")
    expect(alex.get_by_role("button", name="Show a new code")).to_be_visible()
    assert relay_counts(relay) == (1, 0)
    assert alex.evaluate(PENDING) == [False, False] and sam.evaluate(PENDING) == [False, False]


def test_a_stranger_with_the_link_is_not_paired_without_the_comparison(relay, browser_context, tmp_path):
    alex, sam = two_phones(relay, browser_context)
    link = show_code(alex)
    stranger = Client(tmp_path / "stranger").popen("join", link, "--timeout", "30")
    try:
        stranger_code = read_code(stranger)
        assert safety_code(alex) == stranger_code   # the stranger has the link, so the numbers agree...
        assert alex.evaluate(PAIRED) is False       # ...but nothing is accepted on that alone
        sam.goto(link)
        sam.get_by_role("button", name="Pair with my partner's phone").click()
        expect(sam.get_by_role("alert")).to_contain_text("already been used")
        # Alex's partner's phone shows no numbers at all: Alex taps "They're different".
        alex.get_by_role("button", name="They're different").click()
        expect(alex.get_by_role("alert")).to_contain_text("Nothing has been shared")
        out, err = stranger.communicate(timeout=30)
    finally:
        if stranger.poll() is None:
            stranger.kill()
    assert stranger.returncode == 1 and "Nothing has been shared" in err
    assert relay_counts(relay) == (1, 0)


def test_a_relay_of_another_version_is_refused_with_clear_words(relay, browser_context):
    context = browser_context()
    tamper(context, lambda frame: {**frame, "v": 2} if frame["type"] == "challenge" else frame)
    alex = open_app(context, relay.url, "pair")
    alex.get_by_role("button", name="Show a code on this phone").click()
    expect(alex.get_by_role("alert")).to_contain_text("speaks a different version of Hearth")
    assert relay_counts(relay) == (0, 0)


def test_keys_that_are_not_points_are_refused_in_plain_words(relay, browser_context):
    alex_context = browser_context()
    tamper(alex_context, lambda frame: {**frame, "eph": b64u(OFF_CURVE)} if frame["type"] == "pair_request" else frame)
    alex = open_app(alex_context, relay.url)
    sam = open_app(browser_context(), relay.url)
    link = show_code(alex)
    # A link whose key is not on the curve is refused before the relay is asked anything.
    broken = link.split("&e=")[0] + "&e=" + b64u(OFF_CURVE)
    sam.goto(broken)
    sam.get_by_role("button", name="Pair with my partner's phone").click()
    expect(sam.get_by_role("alert")).to_contain_text("This pairing link is damaged")
    # A relay that swaps the joiner's key for a bad one gets a refusal, not a crash.
    sam.goto(link)
    sam.get_by_role("button", name="Pair with my partner's phone").click()
    expect(alex.get_by_role("alert")).to_contain_text("couldn't prove it scanned this code")
    expect(sam.get_by_role("alert")).to_contain_text("Nothing has been shared")
    assert relay_counts(relay) == (1, 0)
    assert alex.evaluate(PENDING) == [False, False] and sam.evaluate(PENDING) == [False, False]


def test_a_lost_confirmation_still_pairs_both_phones(relay, browser_context):
    sam_context = browser_context()
    dropped = []

    def drop_once(frame):
        if frame["type"] == "pair_confirmed" and not dropped:
            dropped.append(frame)
            return "close"
        return frame
    tamper(sam_context, drop_once)
    alex, sam = open_app(browser_context(), relay.url), open_app(sam_context, relay.url)
    sam.goto(show_code(alex))
    confirm_pairing(sam)
    they_match(alex)
    finish_joining(sam)   # it logged in again and heard from `ready` that it was confirmed
    assert dropped
    write_journal(alex, "Arrived after all.")
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="Arrived after all.")).to_be_visible()


def test_the_inviter_can_reload_while_comparing_and_still_confirm(relay, browser_context):
    alex, sam = two_phones(relay, browser_context)
    sam.goto(show_code(alex))
    code = confirm_pairing(sam)
    alex.reload()
    assert safety_code(alex) == code
    they_match(alex)
    finish_joining(sam)


def test_leaving_a_code_on_screen_withdraws_it_and_forgets_its_secret(relay, browser_context):
    alex, sam = two_phones(relay, browser_context)
    link = show_code(alex)
    assert alex.evaluate(PENDING) == [True, False]
    go(alex, "home")
    eventually(alex, f"() => ({PENDING})().then((p) => !p[0])")
    sam.goto(link)
    sam.get_by_role("button", name="Pair with my partner's phone").click()
    expect(sam.get_by_role("alert")).to_contain_text("already been used")
    assert sam.evaluate(PENDING) == [False, False]


def test_a_phone_the_relay_forgot_registers_afresh_when_pairing_again(relay, browser_context):
    alex, sam = two_phones(relay, browser_context)
    show_code(alex)
    go(alex, "home")
    first = alex.evaluate("() => import('/js/device/identity.js').then((d) => d.identity()).then((me) => me.pair)")
    with sqlite3.connect(relay.data_dir / "hearth.db") as db:   # the relay purges devices that never paired
        db.execute("DELETE FROM device")
        db.execute("DELETE FROM pair")
    sam.goto(show_code(alex))
    assert confirm_pairing(sam) == safety_code(alex)
    they_match(alex)
    finish_joining(sam)
    again = alex.evaluate("() => import('/js/device/identity.js').then((d) => d.identity()).then((me) => me.pair)")
    assert again and again != first
    assert relay_counts(relay)[0] == 2


def test_a_hearth_client_joiner_is_confirmed_by_the_app(relay, browser_context, tmp_path):
    alex = open_app(browser_context(), relay.url)
    client = Client(tmp_path / "client")
    joining = client.popen("join", show_code(alex), "--timeout", "30", stdin=subprocess.DEVNULL)
    try:
        assert read_code(joining) == safety_code(alex)
        they_match(alex)
        out, err = joining.communicate(timeout=30)
    finally:
        if joining.poll() is None:
            joining.kill()
    assert joining.returncode == 0, err
    write_journal(alex, "Hello, command line.")
    all_sent(alex)   # with the relay before the client asks it
    client.sync()
    assert [r["text"] for r in client.list("journal")] == ["Hello, command line."]


def test_settings_says_when_we_paired_as_every_other_screen_writes_a_time(browser_couple):
    alex, _ = browser_couple()
    go(alex, "pair")
    time = alex.evaluate("() => import('/js/device/identity.js').then(async (d) => import('/js/core/dates.js')"
                         ".then(async (dates) => dates.format((await d.identity()).pairedAt, 'time')))")
    # "today" in lower case mid-sentence, the time exactly as elsewhere ("05:34 PM", not "05:34 pm").
    expect(alex.locator(".pair-slot .hint", has_text="Paired")).to_have_text(f"Paired today, {time}.")
