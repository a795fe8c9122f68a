"""Small wins on two phones against a real relay: what the couple already does in Hearth
(an experiment kept, a check-in both answered, a stop signal, a boundary updated, a journal
entry that worked, gratitude, answers from the care team) gathers on the progress screen of
both phones, as plain words and never a score. Records are seeded through the app's own
device module to keep the test quick; waiting is Playwright's own (expect), nothing sleeps.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from app_helpers import expect_status, go, open_app, screen_checks

SCORING = re.compile(r"\b(streaks?|points?|scores?|levels?|badges?|rank)\b|%", re.I)
SYNC_WAIT = 15_000


@pytest.fixture
def couple(browser_couple, request):
    """Two paired phones in the colour scheme a test asks for (light unless parametrised)."""
    return browser_couple(color_scheme=getattr(request, "param", "light"))


def put(page, record_type: str, fields: dict, record_id: str | None = None) -> str:
    return page.evaluate(
        "([type, fields, id]) => import('/js/device/records.js').then((m) => m.put(type, fields, id))",
        [record_type, fields, record_id])


def check_in(page, answer: str) -> None:
    page.evaluate("""(answer) => Promise.all([import('/js/device/checkins.js'), import('/js/core/checkin.js')])
        .then(([checkins, checkin]) => checkins.answer({ week: checkin.currentWeek(), answers: { felt_good: answer } }))""",
                  answer)


def seed(alex, sam) -> None:
    today = datetime.date.today()
    put(alex, "experiment", {"title": "Ten minutes lying close before sleep",
                             "starts_on": (today - datetime.timedelta(days=8)).isoformat(), "days": 7,
                             "status": "finished", "outcome": "keep"})
    put(alex, "journal", {"text": "Holding hands on the sofa felt like us again.", "tags": ["tried", "worked"],
                          "shared": True})
    put(sam, "gratitude", {"text": "You waited with me at the clinic.", "date": today.isoformat()})
    put(sam, "boundary", {"kind": "stop_signal", "label": "Pineapple"})
    hugs = put(sam, "boundary", {"kind": "touch", "label": "Hugs from behind", "level": "welcome"})
    put(sam, "boundary", {"level": "ask_first"}, hugs)
    put(alex, "appointment", {"title": "Oncology follow-up", "questions": [
        {"text": "When can we be close again?", "answer": "Whenever you both feel ready."}]})


def wins(page):
    return page.locator(".progress-win")


def test_small_wins_gather_on_both_phones_in_plain_words(couple):
    alex, sam = couple
    seed(alex, sam)
    check_in(alex, "Our walk on Sunday.")
    check_in(sam, "Tea in bed.")
    for page in (alex, sam):
        go(page, "progress")
        expect(wins(page)).to_have_count(7, timeout=SYNC_WAIT)
        view = page.locator("#view")
        expect(view.locator(".progress-heading").first).to_have_text("This week")
        expect(view.locator(".progress-noticing")).to_have_text(
            "You've looked after each other in lots of small ways lately.")
        expect(wins(page).filter(has_text="“Ten minutes lying close before sleep”")).to_contain_text("Both of you")
        expect(wins(page).filter(has_text="check-in")).to_contain_text("heard each other's answers")
        expect(wins(page).filter(has_text="“Pineapple”")).to_contain_text("Knowing either of you can pause")
        expect(wins(page).filter(has_text="“Hugs from behind”")).to_have_count(1)
        expect(wins(page).filter(has_text="thankful")).to_contain_text("You waited with me at the clinic.")
        expect(wins(page).filter(has_text="“Oncology follow-up”")).to_contain_text("came away with answers")
        text = view.inner_text()
        assert not SCORING.search(text), SCORING.search(text)

    # Whose it was reads from each phone's own side.
    expect(wins(alex).filter(has_text="something that worked")).to_contain_text("You wrote down something that worked.")
    expect(wins(sam).filter(has_text="something that worked")).to_contain_text(
        "Your partner wrote down something that worked.")
    expect(wins(sam).filter(has_text="“Hugs from behind”")).to_contain_text("You let your partner know")
    expect(wins(alex).filter(has_text="“Hugs from behind”")).to_contain_text("Your partner let you know")
    expect(wins(alex).filter(has_text="“Pineapple”")).to_contain_text("Your partner set a stop signal")

    # A new win arrives while the screen is open, without reloading.
    put(sam, "journal", {"text": "A slow bath together, no plans.", "tags": ["worked"], "shared": True})
    expect(wins(alex).filter(has_text="A slow bath together")).to_contain_text("Your partner")
    expect(wins(sam).filter(has_text="A slow bath together")).to_contain_text("You")
    assert alex.errors == [] and sam.errors == []


def test_an_empty_start_is_kind(relay, browser_context):
    page = open_app(browser_context(), relay.url, "progress")
    empty = page.locator(".progress-empty")
    expect(empty).to_contain_text("Small things count here. As you try things together, they'll gather on this page.")
    expect(page.locator(".progress-win")).to_have_count(0)
    expect(page.locator(".progress-noticing")).to_have_count(0)
    # Something private and unremarkable is not a win; a private note that worked is.
    put(page, "journal", {"text": "Too tired tonight.", "tags": ["feelings"]})
    go(page, "progress")
    expect(empty).to_be_visible()
    put(page, "journal", {"text": "Lying close helped.", "tags": ["worked"]})
    expect(page.locator(".progress-win")).to_have_count(1)
    expect(empty).to_have_count(0)
    assert page.errors == []


@pytest.mark.parametrize("couple", ["light", "dark"], indirect=True)
def test_progress_has_no_serious_axe_violations_and_fits_360px(couple, request):
    alex, sam = couple
    scheme = request.node.callspec.params["couple"]
    problems = []
    check = screen_checks(problems, "progress", scheme)

    go(alex, "progress")
    expect(alex.locator(".progress-empty")).to_be_visible()
    check(alex, "empty")
    seed(alex, sam)
    put(alex, "journal", {"text": "A long one: " + "we lay close and said nothing at all, " * 6, "tags": ["worked"],
                          "shared": True})
    go(sam, "progress")
    expect(wins(sam)).to_have_count(7, timeout=SYNC_WAIT)
    check(sam, "wins")
    expect_status(alex, "Synced")
    assert problems == []
    assert alex.errors == [] and sam.errors == []
