"""Ending a pairing in the app (protocol §11.2), in a real browser against a real relay.

Either phone ends it from Settings after a plain confirmation; both phones then say so
kindly, with the date, and keep everything to read; nothing is sent again; the end
survives a reload; a phone can erase itself, or pair again as a new device with anyone,
its old entries still its own. The app and hearth-client agree on all of it.
"""

import json
import re

from playwright.sync_api import expect

from app_helpers import (add_boundary, agree, confirm_pairing, days_ago, eventually, expect_status, finish_joining, go, go_offline, open_app,
                         propose, safety_code, serious_axe_violations, they_match, wider_than_a_phone, write_journal)
from client_helpers import Client, pair_with_app

ENDED_LINE = "The pairing has ended. Everything stays on this phone."
STORED_END = "() => import('/js/data/db.js').then((db) => db.getMeta('ended', null))"
OUTBOX = "() => import('/js/data/db.js').then((db) => db.outboxCount())"
DEVICE = "() => import('/js/device/identity.js').then(async (d) => (await d.identity()).device)"


def day_of(page, at: int) -> str:
    """How this browser writes the day of unix time `at` ("30 November")."""
    return page.evaluate("(at) => new Intl.DateTimeFormat([], { day: 'numeric', month: 'long' }).format(new Date(at * 1000))", at)


def end_from_settings(page) -> None:
    """The person opens Settings, taps "End the pairing", reads what happens, and says yes."""
    go(page, "pair")
    page.get_by_role("button", name="End the pairing").click()
    confirm = page.get_by_role("group", name="End the pairing?")
    expect(confirm).to_be_visible()
    for words in ("Both phones keep their own copy of everything you've shared, and can still read it.",
                  "Nothing more travels between your phones",
                  "Either of you can pair again later, with each other or with someone new."):
        expect(confirm).to_contain_text(words)
    confirm.get_by_role("button", name="Yes, end the pairing").click()
    expect(page.get_by_role("heading", name="You ended the pairing")).to_be_visible()


def expect_partner_ended(page, by: str) -> dict:
    """This phone kept a signed end by `by`, and Home says who ended it and when."""
    expect(page.locator("#sync-status")).to_have_attribute("data-state", "ended")
    end = page.evaluate(STORED_END)
    assert end["signed"] is True and end["by"] == by, end
    go(page, "home")
    expect(page.locator(".card-ended")).to_contain_text(
        f"Your partner ended the pairing on {day_of(page, end['at'])}. Everything you shared is still here to read.")
    return end


def expect_entries(page, *texts: str) -> None:
    go(page, "journal")
    for text in texts:
        expect(page.locator(".entry-text", has_text=text)).to_be_visible()


def test_either_phone_ends_it_and_both_keep_everything_to_read(browser_couple):
    alex, sam = browser_couple()
    write_journal(alex, "Slow mornings help.")
    write_journal(sam, "Holding hands on the walk felt easy.")
    expect_entries(alex, "Holding hands on the walk felt easy.")
    expect_entries(sam, "Slow mornings help.")
    go(sam, "home")   # where the partner happens to be; the news must reach them there, live
    alex_id = alex.evaluate(DEVICE)

    end_from_settings(alex)
    expect(alex.locator(".card-ended")).to_contain_text("You ended the pairing on")
    expect_status(alex, ENDED_LINE)
    expect(sam.locator(".card-ended")).to_contain_text("Your partner ended the pairing on")   # no reload
    expect_status(sam, ENDED_LINE)
    expect_partner_ended(sam, alex_id)

    for page in (alex, sam):
        expect_entries(page, "Slow mornings help.", "Holding hands on the walk felt easy.")
    write_journal(sam, "Written after the end.")
    assert sam.evaluate(OUTBOX) == 0, "a change was queued for a pairing that has ended"
    expect_status(sam, ENDED_LINE)

    opened = []
    sam.on("websocket", lambda ws: opened.append(ws.url))
    go(sam, "home")
    sam.reload()
    expect(sam.locator(".card-ended")).to_contain_text("Your partner ended the pairing on")
    expect(sam.locator(".today-energy")).to_be_visible()   # what is one's own is still offered...
    expect(sam.locator(".today-checkin")).to_have_count(0)   # ...not what needs both phones
    expect_status(sam, ENDED_LINE)
    expect_entries(sam, "Slow mornings help.", "Written after the end.")
    assert opened == [], f"an ended pairing connected again: {opened}"

    go(sam, "pair")
    sam.get_by_role("button", name="Erase everything on this phone").click()
    confirm = sam.get_by_role("group", name="Erase everything on this phone?")
    expect(confirm).to_contain_text("It can't be undone.")
    confirm.get_by_role("button", name="Yes, erase everything").click()
    expect(sam.locator('#view[data-view="home"] h1')).to_have_text("Welcome. Take your time.")
    expect_status(sam, "Not paired yet")
    go(sam, "journal")
    expect(sam.locator(".empty")).to_be_visible()
    expect(sam.locator(".entry")).to_have_count(0)
    assert sam.evaluate(STORED_END) is None
    # Alex's phone is untouched by Sam's erasing.
    expect_entries(alex, "Slow mornings help.", "Holding hands on the walk felt easy.")
    assert alex.errors == [] and sam.errors == []


def test_the_client_ends_it_and_the_app_hears_it_live(relay, browser_context, tmp_path):
    robin = Client(tmp_path / "robin")
    page = pair_with_app(relay.url, robin, browser_context())
    robin.put("journal", {"text": "A quiet evening, just talking.", "shared": True})
    robin.sync()
    expect_entries(page, "A quiet evening, just talking.")
    go(page, "home")

    done = robin.run("unpair")
    assert "unpaired" in done.stderr
    expect(page.locator(".card-ended")).to_contain_text("Your partner ended the pairing on")
    expect_partner_ended(page, robin.device_id)
    expect_entries(page, "A quiet evening, just talking.")
    assert page.errors == []


def test_the_app_ends_it_and_the_client_says_its_partner_did(relay, browser_context, tmp_path):
    robin = Client(tmp_path / "robin")
    page = pair_with_app(relay.url, robin, browser_context())
    write_journal(page, "Shared before the end.")
    robin.sync()
    end_from_settings(page)
    failed = robin.run("sync", check=False)
    assert failed.returncode == 1, failed.stderr
    assert "unpaired" in failed.stderr and "your partner ended it" in failed.stderr, failed.stderr
    assert [r["text"] for r in robin.list("journal")] == ["Shared before the end."]
    assert page.errors == []


def test_a_phone_that_was_away_hears_of_the_end_when_it_next_connects(browser_couple):
    alex, sam = browser_couple()
    go_offline(sam)
    expect_status(sam, "Offline")
    alex_id = alex.evaluate(DEVICE)
    end_from_settings(alex)
    sam.context.set_offline(False)
    sam.evaluate("() => dispatchEvent(new Event('online'))")
    expect_partner_ended(sam, alex_id)   # from the relay's `unpaired` answer to its login
    assert sam.errors == []


def test_a_relay_that_claims_the_end_without_the_partners_signature_is_not_taken_for_them(browser_couple):
    alex, sam = browser_couple()
    alex_id = alex.evaluate(DEVICE)
    forged = {"type": "error", "code": "unpaired", "message": "This pairing has ended.", "in": "login",
              "by": alex_id, "at": 1764500000, "sig": "A" * 86}

    def route(ws):
        server = ws.connect_to_server()
        server.on_message(lambda m: ws.send(json.dumps(forged) if json.loads(m)["type"] == "ready" else m))
        ws.on_message(server.send)
    sam.context.route_web_socket("**/ws", route)
    sam.reload()
    expect(sam.locator("#sync-status")).to_have_attribute("data-state", "ended")
    end = sam.evaluate(STORED_END)
    assert end["signed"] is False and end["by"] is None, end
    go(sam, "home")
    notice = sam.locator(".card-ended")
    expect(notice).to_contain_text("without your partner's phone's word")
    expect(notice).not_to_contain_text("Your partner ended")
    expect_status(sam, "The connection to your partner has ended.")
    assert sam.errors == []


def test_pairing_again_with_someone_new_keeps_the_old_entries_and_whose_they_are(browser_couple, browser_context, relay):
    alex, sam = browser_couple()
    write_journal(alex, "Mine, from before.")
    write_journal(sam, "Theirs, from before.")
    add_boundary(alex, "Add a kind of touch", "my old boundary", "welcome")
    add_boundary(sam, "Add a kind of touch", "their old boundary", "ask_first")
    propose(alex, "A slow walk after dinner", days_ago(1))
    agree(sam, "A slow walk after dinner")   # on the go once both said yes (§8.3)
    sam.evaluate("""async () => {
        const [{ put }, { today }] = await Promise.all([import('/js/device/records.js'), import('/js/core/dates.js')]);
        await put('energy', { date: today(), time_of_day: 'evening', energy: 6, note: 'their old energy note', shared: true });
    }""")
    expect_entries(alex, "Theirs, from before.")
    go(alex, "boundaries?whose=partner")
    expect(alex.locator(".boundary-item", has_text="their old boundary")).to_be_visible()
    old_id = alex.evaluate(DEVICE)
    end_from_settings(alex)

    alex.get_by_role("button", name="Pair again").click()
    expect(alex.get_by_role("heading", name="Pair again")).to_be_visible()
    alex.get_by_role("button", name="Show a code on this phone").click()
    expect(alex.locator("svg.qr")).to_be_visible()
    link = alex.locator("#pair-link").input_value()
    jo = open_app(browser_context(), relay.url)
    jo.goto(link)
    code = confirm_pairing(jo)
    assert safety_code(alex) == code
    they_match(alex)
    finish_joining(jo)
    new_id = alex.evaluate(DEVICE)
    assert new_id != old_id, "the relay refuses the old keys: pairing again needs a new device"

    write_journal(jo, "Hello from a new phone.")
    write_journal(alex, "Mine, after pairing again.")
    expect_entries(alex, "Hello from a new phone.")
    expect_entries(jo, "Mine, after pairing again.")
    go(jo, "journal")
    expect(jo.locator(".entry-text", has_text="from before")).to_have_count(0)   # nothing old travels

    go(alex, "journal")
    mine_before = alex.locator(".entry", has=alex.locator(".entry-text", has_text="Mine, from before."))
    expect(mine_before.locator(".entry-author")).to_have_text("You")
    expect(mine_before).to_contain_text("Earlier pairing")
    expect(mine_before.get_by_role("button", name="Edit")).to_be_visible()
    theirs_before = alex.locator(".entry", has=alex.locator(".entry-text", has_text="Theirs, from before."))
    expect(theirs_before.locator(".entry-author")).to_have_text("Your partner")
    expect(theirs_before.get_by_role("button", name="Reply")).to_have_count(0)

    # Editing an old entry of mine stays on this phone: it was the ended pairing's. A change
    # after it does travel, in order, so once that has arrived the edit would have too.
    mine_before.get_by_role("button", name="Edit").click()
    mine_before.get_by_label("Your entry").fill("Mine, from before, edited.")
    mine_before.get_by_role("button", name="Save changes").click()
    expect(alex.locator(".entry-text", has_text="Mine, from before, edited.")).to_be_visible()
    write_journal(alex, "Mine, after the edit.")
    expect_entries(jo, "Mine, after the edit.")
    expect(jo.locator(".entry-text", has_text="from before")).to_have_count(0)

    # My map keeps my old boundary, marked; my new partner's map is theirs alone.
    go(alex, "boundaries")
    expect(alex.locator(".boundary-item", has_text="my old boundary")).to_contain_text("Earlier pairing")
    add_boundary(jo, "Add a kind of touch", "a new boundary", "welcome")
    go(alex, "boundaries?whose=partner")
    expect(alex.locator(".boundary-item", has_text="a new boundary")).to_be_visible()
    expect(alex.locator(".boundary-item", has_text="their old boundary")).to_have_count(0)

    # An experiment still on the go when the pairing ended is not the new pair's.
    go(alex, "experiments")
    expect(alex.get_by_role("button", name="Propose something small").first).to_be_visible()
    expect(alex.locator(".exp-current")).to_have_count(0)
    expect(alex.locator(".exp-proposal")).to_have_count(0)
    go(alex, "home")
    expect(alex.locator(".today-experiment")).to_have_count(0)

    # My new partner's energy picture is theirs: the old partner's notes stay in the list only.
    go(alex, "energy")
    expect(alex.locator(".energy-entry-partner", has_text="their old energy note")).to_be_visible()
    expect(alex.locator(".energy-partner-empty")).to_be_visible()
    expect(alex.locator("#chart-partner")).to_have_count(0)
    assert alex.errors == [] and jo.errors == []


def test_the_app_pairs_again_with_a_new_hearth_client_after_its_partner_ended_it(relay, browser_context, tmp_path):
    robin = Client(tmp_path / "robin")
    context = browser_context()
    page = pair_with_app(relay.url, robin, context)
    write_journal(page, "Written with Robin.")
    robin.sync()
    robin.run("unpair")
    expect_status(page, ENDED_LINE)
    page.close()

    kit = Client(tmp_path / "kit")
    again = pair_with_app(relay.url, kit, context)   # the link opens on the ended phone: it pairs as new
    write_journal(again, "Written with Kit.")
    eventually(again, f"{OUTBOX}.then((n) => n === 0)")   # on its way: the relay has it
    kit.sync()
    assert [r["text"] for r in kit.list("journal")] == ["Written with Kit."]
    go(again, "journal")
    old = again.locator(".entry", has=again.locator(".entry-text", has_text="Written with Robin."))
    expect(old.locator(".entry-author")).to_have_text("You")
    expect(old).to_contain_text("Earlier pairing")
    assert again.errors == []


def test_the_ending_screens_are_accessible_and_fit_a_phone(browser_couple):
    alex, sam = browser_couple()
    go(alex, "pair")
    alex.get_by_role("button", name="End the pairing").click()
    expect(alex.get_by_role("group", name="End the pairing?")).to_be_visible()
    problems = serious_axe_violations(alex, "the confirmation") + wider_than_a_phone(alex, "the confirmation")
    alex.get_by_role("button", name="Keep our pairing").click()
    expect(alex.get_by_role("button", name="End the pairing")).to_be_focused()
    end_from_settings(alex)
    expect(sam.locator("#sync-status")).to_have_attribute("data-state", "ended")
    go(sam, "pair")
    expect(sam.get_by_role("heading", name="The pairing has ended")).to_be_visible()
    for page, where in ((alex, "my ended Settings"), (sam, "the partner's ended Settings")):
        problems += serious_axe_violations(page, where) + wider_than_a_phone(page, where)
    sam.get_by_role("button", name="Erase everything on this phone").click()
    expect(sam.get_by_role("group", name="Erase everything on this phone?")).to_be_visible()
    problems += serious_axe_violations(sam, "the erase confirmation") + wider_than_a_phone(sam, "the erase confirmation")
    go(sam, "home")
    problems += serious_axe_violations(sam, "Home after the end") + wider_than_a_phone(sam, "Home after the end")
    assert problems == []
    assert re.search(r"\d", sam.locator(".card-ended").text_content())   # the date is there


def test_settings_opened_as_the_end_arrives_shows_the_end_not_the_pairing(browser_couple, relay):
    """Settings draws its pairing section when it opens and again when news of an end comes;
    the first drawing, slower (its screens still loading), must not land over the second."""
    alex, sam = browser_couple(service_workers="block")   # so the route below sees the app's fetches
    sam_context = sam.context
    sam.close()
    end_from_settings(alex)
    held = []

    def slowly(route):   # Settings' pairing screens load after the relay has told of the end
        held.append(route)
        sam_again.wait_for_timeout(1500)
        route.continue_()
    sam_context.route("**/js/views/pairing.js", slowly)
    sam_again = sam_context.new_page()
    sam_again.goto(f"{relay.url}/#/pair")
    expect(sam_again.get_by_role("heading", name="The pairing has ended")).to_be_visible(timeout=20_000)
    assert held, "the pairing screens were not held back, so this test shows nothing"
    # The slow first drawing has finished by the time a read queued after its own returns.
    sam_again.evaluate("() => import('/js/pairing/index.js').then((m) => m.pendingPairing())")
    expect(sam_again.get_by_role("heading", name="The pairing has ended")).to_be_visible()
    expect(sam_again.get_by_role("heading", name="Your safety code")).to_have_count(0)
    expect(sam_again.get_by_role("heading", name="A new phone for your partner")).to_have_count(0)
