"""The paired app treats people kindly: clear words when pairing goes wrong, honest sync
status, editing and deleting one's own words, and every screen accessible and narrow-safe."""

import sqlite3
import time

import pytest
from playwright.sync_api import expect

from app_helpers import (add_boundary, confirm_pairing, eventually, expect_status, go, in_each_scheme, open_app,
                         pair_by_link, serious_axe_violations, show_code, wait_installed, wider_than_a_phone, write_journal)

PAIRED_SCREENS = ["home", "journal", "boundaries", "boundaries?whose=partner", "pair"]


@pytest.fixture
def couple(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    return alex, sam


def open_forms(page, screen: str) -> None:
    """Put each screen in its busiest state: entries, a form open, a boundary or two."""
    if screen == "journal":
        page.get_by_role("button", name="Write an entry").click()
    if screen == "boundaries":
        page.get_by_text("Add a kind of touch").click()


def test_a_used_invite_and_an_unreachable_relay_get_kind_clear_words(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    link = show_code(alex)
    sam.goto(link)
    confirm_pairing(sam)
    third = open_app(browser_context(), relay.url)
    third.goto(link)
    third.get_by_role("button", name="Pair with my partner's phone").click()
    expect(third.get_by_role("alert")).to_contain_text("This code has already been used")

    fourth = open_app(browser_context(), relay.url, "pair")
    wait_installed(fourth)
    relay.stop()
    fourth.get_by_role("button", name="Show a code on this phone").click()
    expect(fourth.get_by_role("alert")).to_contain_text("can't reach its server")


def test_an_expired_invite_says_so(relay_factory, browser_context):
    relay = relay_factory(env={"HEARTH_INVITE_TTL_SECONDS": "1"})
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    link = show_code(alex)
    time.sleep(2.1)  # the relay counts whole seconds; this outlasts a one-second invite
    sam.goto(link)
    sam.get_by_role("button", name="Pair with my partner's phone").click()
    expect(sam.get_by_role("alert")).to_contain_text("This code has expired")


def test_a_denied_camera_gets_a_kind_way_forward(relay, browser_context):
    page = open_app(browser_context(), relay.url, "pair")   # no camera permission granted
    page.get_by_role("button", name="Scan my partner's code").click()
    expect(page.get_by_role("alert")).to_contain_text("share the link instead")
    expect(page.get_by_label("Paste the link your partner sent")).to_be_visible()
    # And a way back to the other ways of pairing, not only "Try again".
    page.get_by_role("button", name="Back to the ways to pair").click()
    expect(page.get_by_role("button", name="Show a code on this phone")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)


def test_an_update_the_relay_lost_comes_again_from_the_partners_phone(relay, couple):
    alex, sam = couple
    phone = sam.context
    sam.close()
    write_journal(alex, "the one the relay drops")
    write_journal(alex, "the one after it")
    expect_status(alex, "Synced")
    with sqlite3.connect(relay.data_dir / "hearth.db") as db:
        db.execute("DELETE FROM envelope WHERE cursor = (SELECT MIN(cursor) FROM envelope)")
    # Alex's phone kept both until sam's phone confirms them; sam's receipt asks for the
    # lost one, and it comes again, in its place (protocol §5.6).
    sam = open_app(phone, relay.url, "journal")
    expect(sam.locator(".entry-text", has_text="the one the relay drops")).to_be_visible(timeout=30_000)
    expect(sam.locator(".entry-text", has_text="the one after it")).to_be_visible()
    expect(sam.locator("#sync-status .sync-notice")).not_to_contain_text("haven't reached", timeout=30_000)
    eventually(alex, "() => import('/js/data/db.js').then(async (db) => (await (await db.database()).count('kept')) === 0)")


def test_editing_and_deleting_my_own_entry_reaches_my_partner(couple):
    alex, sam = couple
    write_journal(alex, "first words")
    entry = alex.locator("article.entry", has_text="first words")
    entry.get_by_role("button", name="Edit").click()
    entry.get_by_label("Your entry").fill("better words")
    entry.get_by_role("button", name="Save changes").click()
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="better words")).to_be_visible()
    expect(sam.get_by_role("button", name="Edit")).to_have_count(0)   # a partner's entry is theirs

    entry = alex.locator("article.entry", has_text="better words")
    entry.get_by_role("button", name="Delete").click()
    entry.get_by_role("button", name="Yes, delete it").click()
    expect(alex.locator(".entry-text", has_text="better words")).to_have_count(0)
    expect(sam.locator(".entry-text", has_text="better words")).to_have_count(0)


def test_paired_screens_have_no_serious_axe_violations_and_fit_360px(relay, browser_context):
    from axe_playwright_python.sync_playwright import Axe

    alex = open_app(browser_context(), relay.url)
    sam = open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    write_journal(sam, "A quiet evening, and it felt good.")
    add_boundary(sam, "Add a kind of touch", "holding hands", "welcome")
    expect_status(sam, "Synced")

    axe, problems = Axe(), []
    for scheme in in_each_scheme(alex, sam):
        for page in (alex, sam):
            for screen in PAIRED_SCREENS:
                go(page, screen)
                open_forms(page, screen)
                problems += wider_than_a_phone(page, f"{screen} ({scheme})")
                problems += serious_axe_violations(page, f"{screen} ({scheme})", axe)
    assert problems == []


def test_an_envelope_that_arrives_before_this_phone_finishes_pairing_waits_instead_of_being_lost(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    outcome = page.evaluate("""() => import('/js/sync/inbox.js').then((d) =>
        d.receiveBatch(['AQEAAAABAAAAAAAAAAE' + 'A'.repeat(120)]).then(() => 'applied', (e) => 'waits: ' + e.message))""")
    assert outcome == "waits: not paired yet"
    assert page.evaluate("() => import('/js/data/db.js').then((m) => m.getMeta('rejected', 0))") == 0


def test_words_being_written_survive_a_partner_update_arriving(couple):
    alex, sam = couple
    write_journal(alex, "first entry")
    go(sam, "journal")
    entry = sam.locator("article.entry", has_text="first entry")
    entry.get_by_role("button", name="Reply").click()
    entry.get_by_label("Your reply").fill("I was thinking about this all day")
    write_journal(alex, "second entry, arriving while Sam types")
    expect(sam.locator(".waiting-update")).to_be_visible()   # it arrived, and waits for Sam
    expect(entry.get_by_label("Your reply")).to_have_value("I was thinking about this all day")
    entry.get_by_role("button", name="Send reply").click()
    expect(sam.locator(".waiting-update")).to_be_hidden()
    expect(sam.locator(".entry-text", has_text="second entry")).to_be_visible()
    expect(sam.locator(".reply", has_text="I was thinking about this all day")).to_be_visible()

    go(sam, "boundaries")
    sam.get_by_text("Add a kind of touch").click()
    sam.locator("#add-touch-label").fill("half-typed")
    alex.evaluate("""() => import('/js/device/records.js').then((m) => m.put('boundary',
        {kind: 'topic', label: 'work worries', level: 'ask_first'}))""")
    expect(sam.locator(".waiting-update")).to_be_visible()
    expect(sam.locator("#add-touch-label")).to_have_value("half-typed")


def test_a_form_just_opened_stays_open_when_something_of_another_kind_arrives(couple):
    """Sam opens a boundary form and has not typed yet; Alex's journal entry arrives. The
    boundaries screen has nothing new to show, so nothing is redrawn under Sam's finger."""
    alex, sam = couple
    go(sam, "boundaries")
    sam.get_by_text("Add a kind of touch").click()
    expect(sam.locator("details.boundary-add-fold[open]")).to_have_count(1)
    write_journal(alex, "arriving while the boundary form is open")
    eventually(sam, """() => import('/js/device/records.js').then((m) => m.list('journal'))
        .then((entries) => entries.some((e) => e.text === 'arriving while the boundary form is open'))""")
    sam.evaluate("() => new Promise((done) => setTimeout(done, 300))")   # a redraw is coalesced for 200 ms
    expect(sam.locator("details.boundary-add-fold[open]")).to_have_count(1)
    sam.locator("#add-touch-label").fill("a hand on my shoulder")
