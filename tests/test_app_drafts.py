"""Drafts that survive (issue #14, "Nothing typed or tapped is lost"): half-written words in
any form come back after Back, a tab switch, a reload, the app being closed and locking,
until they are saved or discarded on purpose; and your own boundary map shows each level
at a glance, as your partner's does.

Waiting is Playwright's own (expect) or app_helpers.eventually; nothing sleeps and hopes."""

import pytest
from playwright.sync_api import expect

from app_helpers import (eventually, go, open_app, serious_axe_violations, add_boundary, wider_than_a_phone,
                         write_journal)
from conftest import CHROMIUM, CHROMIUM_ARGS
from test_app_lock import canary, expect_locked, found_in_profile, turn_on_lock, unlock

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEW_ENTRY = "What did you try, and how did it feel?"
KEPT = "We kept what you were writing."

# What this phone keeps of its drafts, as the app reads it (opened, if the lock is on).
KEPT_DRAFTS = """() => import('/js/data/db.js').then(async (db) =>
  JSON.stringify(await (await db.database()).getAll('meta', IDBKeyRange.bound('draft:', 'draft:\\uffff'))))"""
KEPT_HOLDS = f"(words) => ({KEPT_DRAFTS})().then((kept) => kept.includes(words))"
KEPT_NONE = f"() => ({KEPT_DRAFTS})().then((kept) => kept === '[]')"


def start_entry(page, text: str) -> None:
    go(page, "journal")
    page.get_by_role("button", name="Write an entry").click()
    page.get_by_label(NEW_ENTRY).fill(text)


def expect_entry_draft(page, text: str) -> None:
    expect(page.get_by_label(NEW_ENTRY)).to_have_value(text)
    expect(page.get_by_text(KEPT)).to_be_visible()


def test_a_journal_draft_survives_back_a_tab_switch_and_a_reload(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    words = "We lay close for ten minutes before sleep, and it felt"
    start_entry(page, words)

    page.go_back()   # the phone's Back button
    expect(page.locator('#view[data-view="home"] h1')).to_be_visible()
    page.go_forward()
    expect_entry_draft(page, words)

    page.locator('.tab[data-route="boundaries"]').click()
    expect(page.locator('#view[data-view="boundaries"] h1')).to_be_visible()
    page.locator('.tab[data-route="journal"]').click()
    expect_entry_draft(page, words)

    page.get_by_label(NEW_ENTRY).fill(words + " good.")
    page.reload()   # no "leave page?" question: nothing is lost by leaving
    expect_entry_draft(page, words + " good.")
    assert page.errors == []


def test_two_open_tabs_keep_each_others_drafts(relay, browser_context):
    context = browser_context()
    first, second = open_app(context, relay.url), open_app(context, relay.url)
    go(second, "boundaries")   # its form reads the kept drafts now: none yet
    second.get_by_text("Add a kind of touch").click()
    form = second.locator("details.boundary-add-fold[open]")
    expect(form.get_by_label("In a few words")).to_be_visible()
    start_entry(first, "Written in the first tab")
    assert eventually(first, KEPT_HOLDS, "Written in the first tab")
    form.get_by_label("In a few words").fill("Written in the second tab")
    assert eventually(second, KEPT_HOLDS, "Written in the second tab")
    kept = first.evaluate(KEPT_DRAFTS)
    assert "Written in the first tab" in kept and "Written in the second tab" in kept

    first.close()
    second.close()
    page = open_app(context, relay.url, "journal")
    expect_entry_draft(page, "Written in the first tab")
    assert page.errors == []


def test_a_draft_kept_by_the_version_before_comes_back(relay, browser_context):
    # That version kept every draft in one value, "drafts"; this one reads it and moves it.
    page = open_app(browser_context(), relay.url)
    page.evaluate("""() => import('/js/data/db.js').then((db) => db.setMeta('drafts',
      { 'journal:new': { fields: { text: 'Kept before the update' }, state: null, at: Date.now() } }))""")
    page.reload()
    go(page, "journal")
    expect_entry_draft(page, "Kept before the update")
    page.get_by_label(NEW_ENTRY).fill("Kept before the update, and after")
    assert eventually(page, KEPT_HOLDS, "and after")
    assert page.evaluate("() => import('/js/data/db.js').then((db) => db.getMeta('drafts', null))") is None
    assert page.errors == []


def test_saving_clears_the_draft_and_makes_exactly_one_entry(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    words = "A short walk, holding hands"
    start_entry(page, words)
    go(page, "home")
    go(page, "journal")
    expect_entry_draft(page, words)
    page.get_by_role("button", name="Keep it private for now").click()
    expect(page.locator(".entry-text", has_text=words)).to_have_count(1)

    page.reload()
    expect(page.locator(".entry-text", has_text=words)).to_have_count(1)
    expect(page.get_by_role("button", name="Write an entry")).to_be_visible()
    expect(page.get_by_label(NEW_ENTRY)).to_have_count(0)
    page.get_by_role("button", name="Write an entry").click()
    expect(page.get_by_label(NEW_ENTRY)).to_have_value("")
    expect(page.get_by_text(KEPT)).to_have_count(0)
    assert eventually(page, KEPT_NONE)
    assert page.errors == []


def test_discard_and_cancel_let_the_words_go_on_purpose(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    start_entry(page, "Not sure I want to say this")
    go(page, "home")
    go(page, "journal")
    expect_entry_draft(page, "Not sure I want to say this")
    page.get_by_role("button", name="Discard it").click()
    expect(page.get_by_label(NEW_ENTRY)).to_have_value("")
    expect(page.get_by_text(KEPT)).to_have_count(0)
    page.reload()
    expect(page.get_by_role("button", name="Write an entry")).to_be_visible()
    expect(page.get_by_label(NEW_ENTRY)).to_have_count(0)

    start_entry(page, "Another thought")
    page.get_by_role("button", name="Cancel").click()
    page.reload()
    expect(page.get_by_role("button", name="Write an entry")).to_be_visible()
    expect(page.get_by_label(NEW_ENTRY)).to_have_count(0)
    assert eventually(page, KEPT_NONE)
    assert page.errors == []


def test_a_reply_a_new_entry_and_check_in_answers_are_kept_apart(browser_couple):
    alex, sam = browser_couple()
    write_journal(alex, "We tried the slow massage.")
    go(sam, "journal")
    entry = sam.locator("article.entry", has_text="We tried the slow massage.")
    entry.get_by_role("button", name="Reply", exact=True).click()
    entry.get_by_label("Your reply").fill("It was lovely for me too")
    sam.get_by_role("button", name="Write an entry").click()
    sam.get_by_label(NEW_ENTRY).fill("My own side of the week")
    go(sam, "checkin")
    sam.get_by_label("What felt good lately, even something small?").fill("Your hand on my back")

    go(sam, "home")
    go(sam, "journal")
    expect(entry.get_by_label("Your reply")).to_have_value("It was lovely for me too")
    expect(sam.get_by_label(NEW_ENTRY)).to_have_value("My own side of the week")
    go(sam, "checkin")
    expect(sam.get_by_label("What felt good lately, even something small?")).to_have_value("Your hand on my back")

    # Sending the reply lets only its own draft go.
    go(sam, "journal")
    entry.get_by_role("button", name="Send reply").click()
    go(alex, "journal")
    expect(alex.locator(".reply", has_text="It was lovely for me too")).to_have_count(1)
    sam.reload()
    expect(sam.get_by_label(NEW_ENTRY)).to_have_value("My own side of the week")
    expect(sam.locator("article.entry", has_text="We tried the slow massage.").get_by_label("Your reply")).to_have_count(0)
    assert alex.errors == [] and sam.errors == []


# Each form that takes words: where it is, how it opens, and a field in it.
FORMS = [
    ("gratitude", None, "What are you grateful for today?"),
    ("energy", None, "Anything else?"),
    ("experiments", "Propose something small", "What would you like to try?"),
    ("boundaries", "Add a kind of touch", "In a few words"),
    ("appointments", "New appointment", "What is the appointment?"),
    ("help", "Write our contacts", "Our care team"),
]


@pytest.mark.parametrize("route, opener, label", FORMS, ids=[f[0] for f in FORMS])
def test_every_form_that_takes_words_keeps_them(relay, browser_context, route, opener, label):
    page = open_app(browser_context(), relay.url)
    go(page, route)
    if opener:
        page.get_by_text(opener, exact=True).click()
    words = f"Half-written on the {route} screen"
    page.get_by_role("textbox", name=label).first.fill(words)
    go(page, "home")
    go(page, route)
    expect(page.get_by_role("textbox", name=label).first).to_have_value(words)
    expect(page.get_by_text(KEPT)).to_be_visible()
    assert page.errors == []


def open_profile(chromium, profile):
    return chromium.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 360, "height": 740})


def test_a_draft_survives_the_app_being_closed(relay, chromium, tmp_path):
    profile = tmp_path / "profile"
    context = open_profile(chromium, profile)
    try:
        page = open_app(context, relay.url)
        start_entry(page, "Written just before closing")
        assert eventually(page, KEPT_HOLDS, "Written just before closing")   # kept as it was typed: closing may be abrupt
    finally:
        context.close()
    context = open_profile(chromium, profile)
    try:
        page = open_app(context, relay.url, "journal")
        expect_entry_draft(page, "Written just before closing")
        assert page.errors == []
    finally:
        context.close()


def test_words_being_written_are_not_kept_by_the_browser_itself(relay, chromium, tmp_path):
    """The browser saves each page's form fields into its own session files when the page
    moves on (to restore a closed tab), out of the lock's reach: the app's fields say
    autocomplete off, which it honours. Before, a half-written entry was in the profile's
    Sessions files after going home, every time."""
    profile = tmp_path / "profile"
    secret = canary()
    context = open_profile(chromium, profile)
    try:
        page = open_app(context, relay.url)
        turn_on_lock(page)
        start_entry(page, f"Not finished yet: {secret}")
        go(page, "home")   # the journal's page state, its fields included, is saved now
        assert page.errors == []
    finally:
        context.close()
    assert found_in_profile(profile, secret) == []


def test_with_the_lock_on_a_draft_is_sealed_on_disk_and_back_after_unlocking(relay, chromium, tmp_path):
    profile = tmp_path / "profile"
    secret = canary()
    words = f"Something half-said: {secret}"
    context = open_profile(chromium, profile)
    try:
        page = open_app(context, relay.url)
        turn_on_lock(page)
        start_entry(page, words)
        page.get_by_role("button", name="Hide screen").click()   # quick hide locks at once
        expect(page.locator("html[data-ready=locked]")).to_have_count(1)
        page.locator("#cover").click()
        expect_locked(page)
    finally:
        context.close()
    assert found_in_profile(profile, secret) == []

    context = open_profile(chromium, profile)
    try:
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))
        page.goto(f"{relay.url}/#/home")
        expect_locked(page)
        unlock(page)
        go(page, "journal")
        expect_entry_draft(page, words)
        assert page.errors == []
    finally:
        context.close()


def test_erasing_everything_takes_the_drafts_too(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    start_entry(page, "Words that should go with everything else")
    go(page, "pair")
    page.get_by_role("button", name="Erase Hearth from this phone").click()
    page.get_by_role("group", name="Erase everything on this phone?").get_by_role(
        "button", name="Yes, erase everything").click()
    expect(page.locator('#view[data-view="home"] h1')).to_have_text("Welcome. Take your time.")
    go(page, "journal")
    expect(page.get_by_role("button", name="Write an entry")).to_be_visible()
    expect(page.get_by_label(NEW_ENTRY)).to_have_count(0)
    assert eventually(page, KEPT_NONE)
    assert page.errors == []


LEVEL_COLOURS = """() => [...document.querySelectorAll('.boundary-item p.boundary-level')]
  .map((p) => [p.dataset.level, p.textContent, getComputedStyle(p, '::before').backgroundColor])"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_my_own_map_shows_each_level_at_a_glance_with_its_words(relay, browser_context, scheme):
    page = open_app(browser_context(color_scheme=scheme), relay.url)
    add_boundary(page, "Add a kind of touch", "a hand on my shoulder", "welcome")
    add_boundary(page, "Add a kind of touch", "a long hug", "not_now")
    add_boundary(page, "Add a body area", "around the scar", "off_limits")
    markers = page.evaluate(LEVEL_COLOURS)
    assert [(level, words) for level, words, _ in markers] == [
        ("welcome", "Welcome"), ("not_now", "Not right now"), ("off_limits", "Off-limits")]
    assert len({colour for _, _, colour in markers}) == 3   # each level its own colour, beside its words
    item = page.locator(".boundary-item", has_text="a long hug")
    expect(item.locator("p.boundary-level")).to_be_visible()
    expect(item.get_by_label('How "a long hug" feels now')).to_be_visible()   # still changed in one tap

    item.get_by_label('How "a long hug" feels now').select_option("welcome")
    expect(item.locator("p.boundary-level")).to_have_attribute("data-level", "welcome")
    assert serious_axe_violations(page, f"my map ({scheme})") == []
    assert wider_than_a_phone(page, "my map") == []
    assert page.errors == []
