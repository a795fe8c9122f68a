"""Getting help and Good to know, in a real chromium against a real relay.

Help is one tap from Home, Settings and the stop-signal card; a pain note of 7 or more
offers it; the couple's contacts, written offline, survive a reload and reach the partner;
a Good-to-know question lands on an appointment's notes; and both screens pass axe and fit
a 360 px phone at 200% text, light and dark. Waiting is Playwright's own (expect) or
app_helpers.eventually; nothing sleeps.
"""

import pytest
from playwright.sync_api import expect

from app_helpers import (back_online, expect_status, go, open_app, pair_by_link, reload_offline, serious_axe_violations,
                         wider_than_a_phone)

SET_STOP_SIGNAL = """() => import('/js/device/records.js').then((r) =>
  r.put('boundary', { kind: 'stop_signal', label: 'pineapple' }))"""

CARE_TEAM = "Ward 7 nurses: 0161 000 0000, any time"


def expect_help(page) -> None:
    expect(page.locator('#view[data-view="help"] h1')).to_have_text("Getting help")
    expect(page.locator("#view")).to_contain_text("38°C")


def test_help_is_one_tap_from_home_settings_and_the_stop_signal_card(browser_context, relay):
    page = open_app(browser_context(), relay.url)
    page.locator("#view .toolkit").get_by_role("link", name="Getting help").click()
    expect_help(page)

    go(page, "pair")
    page.get_by_role("link", name="Getting help").click()
    expect_help(page)

    # Paired, the stop-signal card offers it too, before and after a signal is chosen.
    partner = open_app(browser_context(), relay.url)
    pair_by_link(page, partner, relay.url)
    go(page, "home")
    card = page.locator("#view section", has=page.locator("#home-stop-title"))
    card.get_by_role("link", name="Getting help").click()
    expect_help(page)
    page.evaluate(SET_STOP_SIGNAL)
    go(page, "home")
    card = page.locator("#view section.stop-signal")
    expect(card).to_contain_text("pineapple")
    card.get_by_role("link", name="Getting help").click()
    expect_help(page)
    assert page.errors == []


def test_a_hard_energy_note_offers_help_and_an_easy_one_does_not(browser_context, relay):
    page = open_app(browser_context(), relay.url, "energy")
    form = page.locator("form.energy-form")
    form.get_by_role("slider", name="Pain", exact=True).fill("3")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".energy-saved")).to_contain_text("Saved on this phone")
    expect(form.get_by_role("link", name="When to call, and who can help")).to_have_count(0)

    form.get_by_role("slider", name="Pain", exact=True).fill("8")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".energy-saved")).to_contain_text("That sounds like a hard day")
    form.get_by_role("link", name="When to call, and who can help").click()
    expect_help(page)

    go(page, "energy")
    form = page.locator("form.energy-form")
    form.get_by_role("slider", name="Mood", exact=True).fill("1")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_role("link", name="When to call, and who can help")).to_be_visible()


def test_contacts_written_offline_survive_a_reload_and_reach_the_partner(browser_couple):
    alex, sam = browser_couple()
    go(alex, "help")
    expect_status(alex, "Synced")
    reload_offline(alex)
    go(alex, "help")
    alex.get_by_role("button", name="Write our contacts").click()
    alex.get_by_label("Our care team", exact=True).fill(CARE_TEAM)
    alex.get_by_label("A helpline", exact=True).fill("Macmillan 0808 808 00 00")
    alex.get_by_role("button", name="Save our contacts").click()
    expect(alex.locator(".help-contact-text").first).to_have_text(CARE_TEAM)

    alex.reload()   # still offline: only the service worker and IndexedDB answer
    expect(alex.locator(".help-contact-text").first).to_have_text(CARE_TEAM)
    # The number in it is one tap to call.
    expect(alex.locator(".help-contact-text").first.get_by_role("link", name="0161 000 0000")).to_have_attribute(
        "href", "tel:01610000000")

    go(sam, "help")
    expect(sam.locator(".help-contact-text")).to_have_count(0)
    back_online(alex.context)
    expect(sam.locator(".help-contact-text").first).to_have_text(CARE_TEAM, timeout=30_000)
    expect(sam.locator(".help-contacts-list")).to_contain_text("written by your partner")

    # Sam changes another contact; Alex's care-team words are left as they were.
    sam.get_by_role("button", name="Write our contacts").click()
    sam.get_by_label("A therapist, counsellor or nurse", exact=True).fill("Dr Lee, psychosexual clinic, Tuesdays")
    sam.get_by_role("button", name="Save our contacts").click()
    expect(alex.locator(".help-contacts-list")).to_contain_text("Dr Lee", timeout=30_000)
    expect(alex.locator(".help-contacts-list")).to_contain_text(CARE_TEAM)


def test_a_good_to_know_question_lands_on_an_appointment(browser_context, relay):
    page = open_app(browser_context(), relay.url, "good-to-know")
    note = page.locator("details.gtk-note", has_text="Early menopause and dryness")
    note.locator("summary").click()
    expect(note).to_contain_text("moisturisers")
    # With no appointment yet, the questions start new notes.
    note.get_by_label("Would a local hormone treatment be an option for me?").uncheck()
    note.get_by_role("button", name="Add to appointment notes").click()
    expect(note.get_by_role("status")).to_contain_text("Added to “Questions to bring”")
    note.get_by_role("link", name="Open those notes").click()
    expect(page.locator("#view h1")).to_have_text("Questions to bring")
    expect(page.locator(".appt-question-text")).to_have_text([
        "Could my treatment bring on menopause, and would it be temporary?",
        "Which moisturisers and lubricants are safe with my treatment?"])

    # The next time, the same notes are offered first, and nothing is added twice.
    go(page, "good-to-know")
    note = page.locator("details.gtk-note", has_text="Tiredness and pacing")
    note.locator("summary").click()
    expect(note.get_by_label("Add them to").locator("option:checked")).to_contain_text("Questions to bring")
    note.get_by_role("button", name="Add to appointment notes").click()
    expect(note.get_by_role("status")).to_contain_text("Added to “Questions to bring”")
    note.get_by_role("button", name="Add to appointment notes").click()
    expect(note.get_by_role("status")).to_contain_text("already on")
    note.get_by_role("link", name="Open those notes").click()
    expect(page.locator(".appt-question")).to_have_count(5)
    assert page.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_help_screens_pass_axe_and_fit_a_phone(browser_context, relay, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = open_app(browser_context(color_scheme=scheme), relay.url, "help")
    problems = []
    page.get_by_role("button", name="Write our contacts").click()
    problems += serious_axe_violations(page, f"help, writing contacts ({scheme})", axe)
    problems += wider_than_a_phone(page, f"help ({scheme})")
    page.get_by_label("Our care team", exact=True).fill(CARE_TEAM + "\nOut of hours: +44 161 000 0001, the 24-hour line")
    page.get_by_role("button", name="Save our contacts").click()
    expect(page.locator(".help-contact-text a")).to_have_count(2)
    problems += serious_axe_violations(page, f"help, contacts kept ({scheme})", axe)
    problems += wider_than_a_phone(page, f"help with contacts ({scheme})")
    go(page, "good-to-know")
    # The notes are drawn once the phone's own appointments are read, all at once.
    expect(page.locator("details.gtk-note").first).to_be_visible()
    for summary in page.locator("details.gtk-note summary").all():
        summary.click()
    problems += serious_axe_violations(page, f"good to know, all open ({scheme})", axe)
    problems += wider_than_a_phone(page, f"good to know ({scheme})")
    assert problems == []
    assert page.errors == []


# Every sentence the care modules hold, as the app loads them.
CARE_WORDS = """() => Promise.all([import('/js/help/facts.js'), import('/js/help/getting-help.js'), import('/js/help/notes.js')])
  .then(([f, h, n]) => ({ help: f.sentences([h.INTRO, h.CALL, h.WHO, h.REFERRAL, h.GROUPS]).map((s) => s.text),
                          notes: f.sentences(n.NOTES).map((s) => s.text) }))"""


def test_the_screens_show_every_sourced_sentence_word_for_word(browser_context, relay):
    page = open_app(browser_context(), relay.url, "help")
    words = page.evaluate(CARE_WORDS)
    shown = page.locator("#view").inner_text()
    assert [s for s in words["help"] if s not in shown] == []
    go(page, "good-to-know")
    # The notes are drawn once the phone's own appointments are read, all at once.
    expect(page.locator("details.gtk-note").first).to_be_visible()
    for summary in page.locator("details.gtk-note summary").all():
        summary.click()
    shown = page.locator("#view").inner_text()
    assert [s for s in words["notes"] if s not in shown] == []


def test_contacts_written_before_pairing_reach_the_partner_once_paired(browser_context, relay):
    alex = open_app(browser_context(), relay.url, "help")
    alex.get_by_role("button", name="Write our contacts").click()
    alex.get_by_label("Our care team", exact=True).fill(CARE_TEAM)
    alex.get_by_role("button", name="Save our contacts").click()
    expect(alex.locator(".help-contact-text")).to_have_text(CARE_TEAM)
    sam = open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    go(sam, "help")
    expect(sam.locator(".help-contact-text")).to_have_text(CARE_TEAM, timeout=30_000)


def test_every_screen_is_one_tap_from_home_or_the_tab_bar(browser_couple):
    alex, _ = browser_couple()
    go(alex, "home")
    expect(alex.locator("#view .toolkit")).to_be_visible()
    routes = set(alex.evaluate("""() => import('/js/views/index.js').then((m) => Object.keys(m.views))"""))
    links = set(alex.evaluate("""() => [...document.querySelectorAll('#view a[href^="#/"], .tabbar a[href^="#/"]')]
      .map((a) => a.getAttribute('href').slice(2).split('?')[0])"""))
    assert routes - links == set()


def test_the_words_say_truthfully_what_is_shared_and_what_taking_back_means(browser_couple):
    from app_helpers import write_journal

    alex, _ = browser_couple()
    home = alex.locator("#view").inner_text()
    # Home once said everything stays on this phone until shared: boundaries and check-ins never did.
    assert "stays on this phone until you decide to share it" not in home

    go(alex, "gratitude")
    today = alex.locator(".gratitude-today")
    today.get_by_label("What are you grateful for today?").fill("The soup you made.")
    today.get_by_role("button", name="Save today's note").click()
    expect(today).to_contain_text("they may already have read it")

    write_journal(alex, "A slow evening, side by side.")
    entry = alex.locator(".entry", has_text="A slow evening, side by side.")
    entry.get_by_role("button", name="Delete").click()
    expect(entry.get_by_role("group")).to_contain_text("Your partner may already have read it.")

    go(alex, "appointments")
    expect(alex.locator(".view-header .lede")).to_contain_text("shared with your partner unless you untick that")
    alex.get_by_role("button", name="New appointment").click()
    alex.get_by_label("What is the appointment?").fill("Nurse check-up")
    alex.get_by_role("button", name="Start the notes").click()
    expect(alex.locator("#view")).to_contain_text("they may have read them by then")
    alex.get_by_role("button", name="Delete these notes").click()
    expect(alex.get_by_role("group", name="Delete these notes?")).to_contain_text("your partner may already have read them")


def test_home_says_what_is_always_shared(browser_context, relay):
    page = open_app(browser_context(), relay.url)
    expect(page.locator("#view")).to_contain_text(
        "Boundaries, periods, check-ins, experiments, the agreement, where each of you is on the paced path, "
        "and look-backs are always shared with your partner.")
