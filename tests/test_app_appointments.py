"""Appointment notes, in a real chromium against a real relay: questions written on one
phone reach the partner read-only, answers follow, and the notes print and show in large text.

Waiting is Playwright's own (expect, wait_for_function); nothing sleeps and hopes.
"""

import re

import pytest
from playwright.sync_api import expect

from app_helpers import expect_status, go, in_each_scheme, open_app, pair_by_link, serious_axe_violations, wider_than_a_phone

# Runs before the page's own scripts: window.print() only counts, so no dialog is needed.
COUNT_PRINTS = "window.__printed = 0; window.print = () => { window.__printed += 1; };"

TITLE = "Follow-up with the nurse"
QUESTIONS = ["Is it safe for us to kiss and cuddle during this round?", "How long will the tiredness last?"]
IDEA = "Do we need contraception during treatment, and for how long afterwards?"


@pytest.fixture
def couple(relay, browser_context):
    def make(**options):
        contexts = [browser_context(**options), browser_context(**options)]
        for context in contexts:
            context.add_init_script(COUNT_PRINTS)
        alex, sam = (open_app(c, relay.url) for c in contexts)
        pair_by_link(alex, sam, relay.url)
        return alex, sam
    return make


def start_notes(page, title: str = TITLE, date: str = "2031-03-14", questions=QUESTIONS) -> str:
    """Make an appointment and type its questions one after another; returns its id."""
    go(page, "appointments")
    page.get_by_role("button", name="New appointment").click()
    page.get_by_label("What is the appointment?").fill(title)
    page.get_by_label("When is it? (if you know)").fill(date)
    page.get_by_role("button", name="Start the notes").click()
    expect(page.locator("#view h1")).to_have_text(title)
    box = page.locator("#appt-add-question")
    expect(box).to_be_focused()   # ready for the first question straight away
    for i, question in enumerate(questions, 1):
        box.fill(question)
        box.press("Enter")
        expect(page.locator(".appt-question")).to_have_count(i)
        expect(box).to_have_value("")
        expect(box).to_be_focused()   # and for the next one
    return re.search(r"id=([^&]+)", page.url).group(1)


def test_notes_reach_the_partner_read_only_and_answers_follow(couple):
    alex, sam = couple()
    appt_id = start_notes(alex)
    alex.get_by_text("Not sure what to ask? Some ideas").click()
    alex.get_by_role("button", name=f"Add: {IDEA}").click()
    expect(alex.locator(".appt-question-text")).to_have_text([*QUESTIONS, IDEA])
    expect(alex.get_by_role("button", name=f"Add: {IDEA}")).to_have_count(0)   # an idea is offered once
    expect_status(alex, "Synced")

    go(sam, "appointments")
    card = sam.locator(".appt-card", has_text=TITLE)
    expect(card).to_contain_text("Your partner's")
    expect(card).to_contain_text("3 questions")
    card.get_by_role("link", name=TITLE).click()
    expect(sam.locator("#view h1")).to_have_text(TITLE)
    expect(sam.locator(".appt-question-text")).to_have_text([*QUESTIONS, IDEA])
    expect(sam.locator("#view")).to_contain_text("Only your partner can change these")
    for name in ("Write the answer", "Remove", "Delete these notes", "Save the date"):
        expect(sam.get_by_role("button", name=name)).to_have_count(0)
    expect(sam.locator("#appt-add-question")).to_have_count(0)
    # Not just hidden buttons: the partner's phone refuses to change someone else's notes.
    refused = sam.evaluate("""(id) => import('/js/device/records.js').then((d) =>
        d.put('appointment', { title: 'changed' }, id).then(() => 'saved', (e) => e.message))""", appt_id)
    assert "only they can change it" in refused

    # The answer written on Alex's phone appears on Sam's open screen.
    question = alex.locator(".appt-question", has_text=QUESTIONS[1])
    question.get_by_role("button", name="Write the answer").click()
    question.get_by_label("The answer you were given").fill("A few weeks after the last dose, usually.")
    question.get_by_role("button", name="Save").click()
    expect(question.locator(".appt-answer-text")).to_have_text("A few weeks after the last dose, usually.")
    alex.get_by_label("If they gave you a date for the next visit").fill("2031-04-11")
    alex.get_by_role("button", name="Save the date").click()
    expect(alex.get_by_role("button", name="Start notes for that visit")).to_be_visible()
    expect_status(alex, "Synced")
    expect(sam.locator(".appt-question", has_text=QUESTIONS[1]).locator(".appt-answer-text")).to_have_text(
        "A few weeks after the last dose, usually.")
    expect(sam.locator(".appt-next")).to_contain_text("April")

    # Taking a question away is quick; one with an answer asks first.
    question.get_by_role("button", name="Remove").click()
    question.get_by_role("button", name="Keep it").click()
    expect(question.locator(".appt-answer-text")).to_be_visible()

    # Fresh notes for the next visit bring along the questions still waiting for an answer.
    alex.get_by_role("button", name="Start notes for that visit").click()
    expect(alex.locator(".appt-question-text")).to_have_text([QUESTIONS[0], IDEA])
    expect(alex.locator("#view .lede")).to_contain_text("April")
    go(alex, "appointments")
    expect(alex.locator(".appt-card")).to_have_count(2)
    expect(alex.locator(".appt-group").first.locator(".appt-card").first).to_contain_text("March")   # soonest first

    # Deleting asks gently first, and the notes leave both phones.
    go(alex, f"appointments?id={appt_id}")
    alex.get_by_role("button", name="Delete these notes").click()
    expect(alex.get_by_role("group", name="Delete these notes?")).to_contain_text("from both phones")
    alex.get_by_role("button", name="Keep them").click()
    alex.get_by_role("button", name="Delete these notes").click()
    alex.get_by_role("button", name="Yes, delete them").click()
    expect(alex.locator('#view[data-view="appointments"] .appt-card')).to_have_count(1)
    go(sam, "appointments")
    expect(sam.locator(".appt-card")).to_have_count(1)
    assert alex.errors == [] and sam.errors == []


def visible_texts(page, selector: str) -> list[str]:
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter((e) => e.getClientRects().length > 0).map((e) => e.textContent)""", selector)


def test_the_print_page_prints_only_the_questions_with_room_for_answers(couple, tmp_path):
    alex, _ = couple()
    appt_id = start_notes(alex)
    go(alex, "appointments")
    alex.locator(".appt-card", has_text=TITLE).get_by_role("link", name="Print").click()
    expect(alex.locator("#view h1")).to_have_text(TITLE)
    alex.wait_for_function("() => window.__printed === 1")   # one tap from the list opens the print dialog
    assert f"id={appt_id}&mode=print" in alex.url
    alex.get_by_role("button", name="Print").click()
    alex.wait_for_function("() => window.__printed === 2")

    alex.emulate_media(media="print")
    expect(alex.locator(".appt-sheet .sheet-question-text")).to_have_text(QUESTIONS)
    for hidden in (".app-header", ".dock", "#sync-status", ".appt-print-controls", "#view .button"):
        for node in alex.locator(hidden).all():
            expect(node).to_be_hidden()
    assert visible_texts(alex, "h1") == [TITLE]
    expect(alex.locator(".sheet-date")).to_contain_text("2031")
    expect(alex.locator(".sheet-question").first.locator(".sheet-lines span")).to_have_count(3)   # room to write
    pdf = alex.pdf(format="A4")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    (tmp_path / "notes.pdf").write_bytes(pdf)

    # Printing straight from the notes gives the same clean page, and nothing else.
    alex.emulate_media(media="screen")
    go(alex, f"appointments?id={appt_id}")
    expect(alex.locator(".appt-question")).to_have_count(2)
    expect(alex.locator(".appt-print-only")).to_be_hidden()
    alex.locator(".appt-use").get_by_role("button", name="Print").click()
    alex.wait_for_function("() => window.__printed === 3")
    alex.emulate_media(media="print")
    expect(alex.locator(".appt-print-only .sheet-question-text")).to_have_text(QUESTIONS)
    expect(alex.locator(".appt-notes")).to_be_hidden()
    expect(alex.locator(".appt-use")).to_be_hidden()
    assert visible_texts(alex, "h1, h2") == [TITLE]
    assert alex.errors == []


def test_show_at_the_appointment_is_large_and_finds_its_way_back(couple):
    alex, sam = couple()
    appt_id = start_notes(alex)
    alex.locator(".appt-use").get_by_role("link", name="Show at the appointment").click()
    expect(alex.locator("#view h1")).to_have_text(TITLE)
    expect(alex.locator(".show-question-text")).to_have_text(QUESTIONS)
    for size in (alex.locator(".show-question-text").first.evaluate("(e) => getComputedStyle(e).fontSize"),):
        assert float(size.rstrip("px")) >= 24
    expect(alex.locator(".tabbar")).to_be_hidden()   # nothing but the questions and the way back
    expect(alex.locator(".app-header")).to_be_hidden()
    expect(alex.locator("#quick-hide")).to_be_visible()   # quick hide is always there
    back = alex.locator(".show-bar").get_by_role("link", name="Back to the notes")
    box = back.bounding_box()
    assert box["height"] >= 44 and box["y"] + box["height"] <= 740   # in thumb reach, on screen
    back.click()
    expect(alex.locator("#appt-add-question")).to_be_visible()
    expect(alex.locator(".tabbar")).to_be_visible()

    expect_status(alex, "Synced")
    go(sam, f"appointments?id={appt_id}&mode=show")   # the partner can hold it up too
    expect(sam.locator(".show-question-text")).to_have_text(QUESTIONS)
    assert float(sam.locator(".show-question-text").first.evaluate("(e) => getComputedStyle(e).fontSize")
                 .rstrip("px")) >= 24
    assert alex.errors == [] and sam.errors == []


def test_every_appointment_screen_is_accessible_and_fits_360px_at_200_percent(couple, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    alex, sam = couple()
    appt_id = start_notes(alex)
    question = alex.locator(".appt-question", has_text=QUESTIONS[0])
    question.get_by_role("button", name="Write the answer").click()
    question.get_by_label("The answer you were given").fill("Yes, gently, as long as you both feel like it.")
    question.get_by_role("button", name="Save").click()
    expect(question.locator(".appt-answer-text")).to_be_visible()
    expect_status(alex, "Synced")

    def busiest(page, screen):
        """Each screen in its fullest state: forms and folds open."""
        if screen == "appointments" and page is alex:
            page.get_by_role("button", name="New appointment").click()
        if screen == f"appointments?id={appt_id}" and page is alex:
            page.get_by_text("Not sure what to ask? Some ideas").click()
            page.get_by_text("Change the name or date").click()
            page.locator(".appt-question").nth(1).get_by_role("button", name="Write the answer").click()
            page.get_by_role("button", name="Delete these notes").click()

    screens = ["appointments", f"appointments?id={appt_id}", f"appointments?id={appt_id}&mode=show",
               f"appointments?id={appt_id}&mode=print"]
    axe, problems = Axe(), []
    for scheme in in_each_scheme(alex, sam):
        for who, page in (("alex", alex), ("sam", sam)):
            for screen in screens:
                go(page, screen)
                expect(page.locator("#view h1")).to_have_text(TITLE if "id=" in screen else "Appointment notes")
                if screen == "appointments":
                    expect(page.locator(".appt-card")).to_have_count(1)
                else:
                    expect(page.locator("#view").get_by_text(QUESTIONS[1]).first).to_be_attached()
                busiest(page, screen)
                problems += wider_than_a_phone(page, f"{scheme} {who} {screen}")
                problems += serious_axe_violations(page, f"{scheme} {who} {screen}", axe)
    assert problems == []
    assert alex.errors == [] and sam.errors == []


def test_shared_notes_can_be_taken_back_and_leave_the_partners_phone(couple):
    alex, sam = couple()
    appt_id = start_notes(alex, title="Scan results")
    expect_status(alex, "Synced")
    go(sam, "appointments")
    expect(sam.locator(".appt-card", has_text="Scan results")).to_be_visible()

    alex.get_by_role("button", name="Stop sharing").click()
    expect(alex.locator("#view")).to_contain_text("These notes are only on this phone now.")
    expect(sam.locator(".appt-card", has_text="Scan results")).to_have_count(0)
    go(sam, f"appointments?id={appt_id}")
    expect(sam.locator("#view")).not_to_contain_text(QUESTIONS[0])

    # Still whole on Alex's phone; sharing again brings the questions back to Sam's.
    go(alex, f"appointments?id={appt_id}")
    expect(alex.locator(".appt-question-text")).to_have_text(QUESTIONS)
    alex.get_by_role("button", name="Share with my partner").click()
    expect(alex.locator("#view")).to_contain_text("Shared with your partner.")
    go(sam, f"appointments?id={appt_id}")
    expect(sam.locator(".appt-question-text")).to_have_text(QUESTIONS)
    assert alex.errors == [] and sam.errors == []
