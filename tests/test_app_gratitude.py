"""Gratitude and ideas (#/gratitude) in a real chromium, two phones, a real relay.

A shared note reaches the partner and a private one never leaves the phone; both phones
agree on the idea of the day; the stop signal is in reach; the screen is accessible in
light and dark and fits a 360 px phone at 200 % text. Waiting is Playwright's own.
"""

import pytest
from playwright.sync_api import expect

from app_helpers import expect_status, go, open_app, serious_axe_violations

SET_STOP_SIGNAL = ("() => import('/js/device/records.js')"
                   ".then(m => m.put('boundary', {kind: 'stop_signal', label: 'the word amber'}))")
PROMPT_OF_TODAY = ("(energy) => Promise.all([import('/js/core/prompts.js'), import('/js/core/dates.js')])"
                   ".then(([m, d]) => m.promptOfTheDay(d.today(), energy).text)")


def write_note(page, text: str, private: bool = False) -> None:
    go(page, "gratitude")
    today = page.locator(".gratitude-today")
    today.get_by_label("What are you grateful for today?").fill(text)
    if private:
        today.get_by_label("Just me, for now").check()
    else:
        expect(today.get_by_label("My partner and me")).to_be_checked()   # shared is the default
    today.get_by_role("button", name="Save today's note").click()
    expect(today.locator(".gratitude-note-text")).to_have_text(text)
    expect(today.locator(".gratitude-note-status")).to_have_text(
        "Private, just for you" if private else "Shared with your partner")


def test_a_shared_note_reaches_the_partner_and_a_private_one_stays_put(browser_couple):
    alex, sam = browser_couple()
    write_note(alex, "You made soup when I couldn't face cooking.")
    go(sam, "gratitude")
    note = sam.locator(".gratitude-note", has_text="You made soup")
    expect(note.locator(".gratitude-note-author")).to_have_text("Your partner")
    expect(note.locator("time")).to_have_text("Today")

    write_note(sam, "Only for me: I slept a little better.", private=True)
    expect_status(sam, "Synced")
    go(alex, "gratitude")
    expect(alex.locator(".gratitude-history")).to_be_visible()
    assert "slept a little better" not in alex.locator("#view").inner_text()

    # Sharing later is one deliberate tap, and then it travels.
    sam.locator(".gratitude-today").get_by_role("button", name="Share with my partner").click()
    expect(sam.locator(".gratitude-today .gratitude-note-status")).to_have_text("Shared with your partner")
    later = alex.locator(".gratitude-note", has_text="slept a little better")
    expect(later.locator(".gratitude-note-author")).to_have_text("Your partner")

    # An edit to one's own note keeps it one note, and the partner sees the new words.
    today = alex.locator(".gratitude-today")
    today.get_by_role("button", name="Edit").click()
    today.get_by_label("What are you grateful for today?").fill("You made soup, and sat with me while I ate.")
    today.get_by_role("button", name="Save changes").click()
    expect(today.locator(".gratitude-note-text")).to_have_text("You made soup, and sat with me while I ate.")
    expect(sam.locator(".gratitude-note", has_text="sat with me while I ate")).to_have_count(1)
    expect(sam.locator(".gratitude-note")).to_have_count(1)   # sam's own today's note is in the card above
    assert alex.errors == [] and sam.errors == []


def test_todays_note_can_be_taken_back_and_shared_again(browser_couple):
    alex, sam = browser_couple()
    write_note(alex, "You held my hand through the whole scan.")
    go(sam, "gratitude")
    expect(sam.locator(".gratitude-note", has_text="whole scan")).to_be_visible()

    today = alex.locator(".gratitude-today")
    today.get_by_role("button", name="Stop sharing").click()
    expect(today.locator(".gratitude-note-status")).to_have_text("Private, just for you")
    expect(sam.locator(".gratitude-note", has_text="whole scan")).to_have_count(0)

    today.get_by_role("button", name="Share with my partner").click()
    expect(today.locator(".gratitude-note-status")).to_have_text("Shared with your partner")
    expect(sam.locator(".gratitude-note", has_text="whole scan")).to_be_visible()
    assert alex.errors == [] and sam.errors == []


def test_an_empty_note_gets_a_kind_word_and_saves_nothing(relay, browser_context):
    page = open_app(browser_context(), relay.url, "gratitude")
    today = page.locator(".gratitude-today")
    today.get_by_label("What are you grateful for today?").fill("   ")
    today.get_by_role("button", name="Save today's note").click()
    expect(today.get_by_role("alert")).to_have_text("Write a few words first; a note can't be empty.")
    assert page.evaluate("() => import('/js/device/records.js').then(m => m.list('gratitude')).then(l => l.length)") == 0


def test_both_phones_see_the_same_idea_of_the_day_and_another_stays_in_the_energy_level(relay, browser_context):
    alex = open_app(browser_context(), relay.url, "gratitude")
    sam = open_app(browser_context(), relay.url, "gratitude")
    idea = ".gratitude-prompt-text"
    expect(alex.get_by_label("Low")).to_be_checked()   # the gentlest level until someone says otherwise
    expect(alex.locator(idea)).to_have_text(alex.evaluate(PROMPT_OF_TODAY, "low"))
    expect(sam.locator(idea)).to_have_text(alex.locator(idea).text_content())

    for page in (alex, sam):
        page.locator("#gr-energy-more").check()
    expect(alex.locator(idea)).to_have_text(alex.evaluate(PROMPT_OF_TODAY, "more"))
    expect(sam.locator(idea)).to_have_text(alex.locator(idea).text_content())

    body = alex.locator(".gratitude-idea-body")
    first = body.get_attribute("data-id")
    seen = {first}
    for _ in range(3):
        before = alex.locator(idea).text_content()
        alex.get_by_role("button", name="Another idea").click()
        expect(alex.locator(idea)).not_to_have_text(before)
        seen.add(body.get_attribute("data-id"))
    assert len(seen) == 4 and all(i.startswith("more-") for i in seen), seen

    # The choice is remembered on this phone only, and today's idea comes back with it.
    alex.reload()
    expect(alex.get_by_label("More")).to_be_checked()
    expect(alex.locator(idea)).to_have_text(alex.evaluate(PROMPT_OF_TODAY, "more"))

    # A writing prompt leads to the journal.
    if body.get_attribute("data-kind") != "write":
        alex.get_by_role("button", name="Another idea").click()
    expect(body).to_have_attribute("data-kind", "write")
    alex.get_by_role("link", name="Write about it in the journal").click()
    expect(alex.locator('#view[data-view="journal"] h1')).to_be_visible()
    assert alex.errors == [] and sam.errors == []


def test_the_stop_signal_is_in_reach_once_one_is_chosen(browser_couple):
    alex, sam = browser_couple()
    for page in (alex, sam):
        go(page, "gratitude")
        stop = page.locator(".gratitude-stop")
        expect(stop.get_by_role("link", name="Choose a stop signal")).to_have_attribute("href", "#/boundaries")

    alex.evaluate(SET_STOP_SIGNAL)
    expect(alex.locator(".gratitude-stop")).to_contain_text("the word amber (yours)")
    expect(sam.locator(".gratitude-stop")).to_contain_text("the word amber (your partner's)")
    expect(sam.locator(".gratitude-stop").get_by_role("link")).to_have_count(0)
    assert alex.errors == [] and sam.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violations_and_nothing_scrolls_sideways(browser_couple, scheme):
    from axe_playwright_python.sync_playwright import Axe

    alex, sam = browser_couple(color_scheme=scheme)
    alex.evaluate(SET_STOP_SIGNAL)
    write_note(alex, "Thank you for the long, quiet hug this morning.")
    write_note(sam, "A private line, just for me.", private=True)
    go(sam, "gratitude")
    expect(sam.locator(".gratitude-note", has_text="quiet hug")).to_be_visible()
    expect(sam.locator(".gratitude-stop")).to_contain_text("the word amber")
    # Alex in the busiest state: editing today's note, which shows the form again.
    alex.locator(".gratitude-today").get_by_role("button", name="Edit").click()
    expect(alex.locator(".gratitude-today form")).to_be_visible()

    axe, problems = Axe(), []
    for name, page in (("alex", alex), ("sam", sam)):
        for text_size in ("100%", "200%"):
            page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", text_size)
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            if width > 360:
                problems.append(f"{name} at {text_size} is {width}px wide")
            small = page.evaluate("""() => [...document.querySelectorAll('#view button, #view .button, .gratitude-energy-option')]
                .map((e) => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
                .filter(([, r]) => r.width < 44 || r.height < 44).map(([t, r]) => `${t} ${r.width}x${r.height}`)""")
            problems += [f"{name} at {text_size}: small tap target {s}" for s in small]
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
        problems += serious_axe_violations(page, name, axe)
    assert problems == []
    assert alex.errors == [] and sam.errors == []
