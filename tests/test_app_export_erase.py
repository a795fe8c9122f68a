"""A readable copy and erasing Hearth from a phone (issue #12), in a real browser, paired
through a real relay.

The copy is one HTML page that runs nothing and fetches nothing: "our journal" holds every
shared entry of both partners with the replies beneath, "everything of mine" every record
of one's own, private ones too, and none of the partner's. Erasing asks once, says what
goes and what stays, ends the pairing first so the partner's phone hears it, and leaves a
phone that opens as new.
"""

import re

from playwright.sync_api import expect

from app_helpers import (add_boundary, eventually, expect_status, go, go_offline, reply, serious_axe_violations,
                         wider_than_a_phone, write_journal)

NO_HEARTH_DATA = """() => indexedDB.databases().then(async (all) => {
  if (!all.some((d) => d.name === 'hearth')) return true;
  const db = await import('/js/data/db.js');
  return (await (await db.database()).count('records')) === 0 && !(await db.getMeta('identity', null));
})"""


def download(page, button: str) -> str:
    with page.expect_download() as done:
        page.get_by_role("button", name=button).click()
    name = done.value.suggested_filename
    assert re.fullmatch(r"hearth-(journal|mine)-\d{4}-\d{2}-\d{2}\.html", name), name
    return open(done.value.path(), encoding="utf-8").read()


def runs_or_fetches_nothing(html: str) -> None:
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import|\bon\w+=", html, re.I), html[:500]


def test_a_readable_copy_of_our_journal_and_of_everything_of_mine(browser_couple):
    alex, sam = browser_couple()
    write_journal(alex, "We walked to the bench and back.")
    write_journal(alex, "Only for me: I was scared today.", share=False)
    add_boundary(alex, "Add a kind of touch", "Hand on my back", "welcome")
    write_journal(sam, "שלום, a quiet evening together.")
    reply(sam, "We walked to the bench", "Let's do it again on Sunday.")
    go(alex, "checkin")
    alex.get_by_label("What would help you feel cared for this week?").fill("An early night, just us.")
    alex.get_by_role("button", name="Seal and share my answers").click()
    expect(alex.get_by_role("heading", name="What you wrote")).to_be_visible()
    go(alex, "journal")
    expect(alex.locator(".reply", has_text="again on Sunday")).to_be_visible()
    expect(alex.locator(".entry-text", has_text="a quiet evening together")).to_be_visible()

    go(alex, "pair")
    card = alex.locator("section", has=alex.get_by_role("heading", name="A copy you can read"))
    expect(card).to_contain_text("This copy is not encrypted")
    ours = download(alex, "Download our journal")
    runs_or_fetches_nothing(ours)
    assert "This file is not encrypted" in ours
    for words in ("We walked to the bench and back.", "Let&#39;s do it again on Sunday.", "שלום, a quiet evening together."):
        assert words in ours, words
    assert "I was scared today" not in ours   # private stays out of "ours"
    # The reply sits beneath the entry it answers, in the partner's name.
    assert re.search(r"We walked to the bench and back\.</p>.*?class=\"replies\"><article><p class=\"meta\">Your partner",
                     ours, re.S)
    assert '<p class="text" dir="auto">שלום' in ours

    mine = download(alex, "Download everything of mine")
    runs_or_fetches_nothing(mine)
    for words in ("We walked to the bench and back.", "Only for me: I was scared today.", "Hand on my back",
                  "Weekly check-ins", "An early night, just us."):
        assert words in mine, words
    assert "quiet evening" not in mine and "again on Sunday" not in mine   # the partner's are theirs
    expect(card.get_by_role("status")).to_contain_text("Saved as hearth-mine-")
    assert serious_axe_violations(alex, "Settings with the copy card") == []
    assert wider_than_a_phone(alex, "Settings with the copy card") == []
    assert alex.errors == [] and sam.errors == []


def ask_to_erase(page):
    go(page, "pair")
    page.get_by_role("button", name="Erase Hearth from this phone").click()
    confirm = page.get_by_role("group", name="Erase everything on this phone?")
    expect(confirm).to_contain_text("and the keys that let it sync, are deleted. It can't be undone.")
    return confirm


def expect_new_phone(page) -> None:
    expect(page.locator('#view[data-view="home"] h1')).to_have_text("Welcome. Take your time.")
    expect_status(page, "Not paired yet")
    assert eventually(page, NO_HEARTH_DATA)
    # Only what a phone opening Hearth for the first time writes (it asked to keep storage).
    assert page.evaluate("() => Object.keys(localStorage).concat(Object.keys(sessionStorage))") in (
        [], ["hearth.storage.persistAsked"])


def test_erasing_a_paired_phone_ends_the_pairing_first_and_opens_as_new(browser_couple):
    alex, sam = browser_couple()
    write_journal(alex, "Something we both read.")
    write_journal(alex, "Something only I read.", share=False)
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="Something we both read.")).to_be_visible()
    go(sam, "home")

    confirm = ask_to_erase(alex)
    expect(confirm).to_contain_text("Your partner's phone keeps its own copy of what you shared with them.")
    expect(confirm).to_contain_text("Your pairing ends first, so your partner's phone hears that it ended")
    assert serious_axe_violations(alex, "the erase confirmation") == []
    confirm.get_by_role("button", name="Yes, erase everything").click()
    expect_new_phone(alex)
    go(alex, "journal")
    expect(alex.locator(".entry")).to_have_count(0)

    # The partner's phone heard the end, signed, and keeps what was shared.
    expect(sam.locator(".card-ended")).to_contain_text("Your partner ended the pairing on")
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="Something we both read.")).to_be_visible()
    assert alex.errors == [] and sam.errors == []


def test_an_offline_phone_says_its_partner_would_not_hear_and_can_erase_anyway(browser_couple):
    alex, sam = browser_couple()
    write_journal(alex, "Written before going offline.")
    go_offline(alex)
    confirm = ask_to_erase(alex)
    confirm.get_by_role("button", name="Yes, erase everything").click()
    expect(confirm.get_by_role("alert")).to_contain_text("your partner's phone wouldn't hear that the pairing ended")
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text="Written before going offline.")).to_be_visible()   # nothing changed
    confirm = ask_to_erase(alex)
    confirm.get_by_role("button", name="Yes, erase everything").click()
    confirm.get_by_role("button", name="Erase this phone anyway").click()
    expect_new_phone(alex)


def test_a_phone_never_paired_erases_too(browser_context, relay):
    from app_helpers import open_app

    page = open_app(browser_context(), relay.url)
    write_journal(page, "Just for me.", share=False)
    page.evaluate("() => { localStorage.setItem('hearth.gratitude.energy', 'low'); sessionStorage.setItem('x', '1'); }")
    confirm = ask_to_erase(page)
    expect(confirm).to_contain_text("It can't be undone.")
    expect(confirm).not_to_contain_text("partner")
    confirm.get_by_role("button", name="Yes, erase everything").click()
    expect_new_phone(page)
