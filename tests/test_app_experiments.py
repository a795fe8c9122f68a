"""Experiments on two phones against a real relay: propose one small thing, each look back
privately, see both answers only once both have answered, record the outcome, keep it in
the journal. Waiting is Playwright's own (expect); nothing sleeps.

To make a look-back due without waiting a week, an experiment is proposed as having started
eight days ago, and the partner's yes is dated then (`agree(..., on=...)`): the days count
from the later of the two (protocol §8.3).
"""

import pytest
from playwright.sync_api import expect

from app_helpers import agree, days_ago, expect_status, go, propose, screen_checks

TITLE = "Ten minutes lying close before sleep"


@pytest.fixture
def couple(browser_couple, request):
    """Two paired phones in the colour scheme a test asks for (light unless parametrised)."""
    return browser_couple(color_scheme=getattr(request, "param", "light"))


def look_back(page, felt: str, comfort: str, decision: str) -> None:
    form = page.locator("form.exp-reassess")
    form.get_by_label("How did it feel for you?").fill(felt)
    form.get_by_label("How comfortable were you").select_option(comfort)
    form.get_by_role("radio", name=decision).check()
    form.get_by_role("button", name="Save my answer").click()


def test_each_looks_back_privately_then_both_answers_show_and_the_outcome_reaches_the_journal(couple):
    alex, sam = couple
    propose(alex, TITLE, days_ago(8))
    agree(sam, TITLE, on=days_ago(8))
    current = alex.locator(".exp-current")
    expect(current.locator(".exp-title")).to_have_text(TITLE)
    expect(current.locator(".exp-due")).to_contain_text(f"Time to look back on “{TITLE}”")

    go(sam, "experiments")
    expect(sam.locator(".exp-current .exp-title")).to_have_text(TITLE)
    expect(sam.locator(".exp-kicker")).to_have_text("Your partner's idea")

    look_back(alex, "Calm and warm. I slept better.", "8", "Keep it")
    expect(alex.locator(".exp-waiting")).to_contain_text("Your answer is saved")
    expect(alex.locator(".exp-answer")).to_have_count(1)

    # Sam learns that Alex has answered, but not what Alex said.
    expect(sam.locator(".exp-waiting")).to_contain_text("Your partner has looked back")
    assert "Calm and warm" not in sam.locator("#view").inner_text()
    expect(sam.locator(".exp-answer")).to_have_count(0)

    look_back(sam, "Awkward the first night, then lovely.", "6", "Adjust it")
    for page, theirs in ((sam, "Calm and warm"), (alex, "Awkward the first night")):
        expect(page.locator(".exp-answer")).to_have_count(2)
        expect(page.locator(".exp-answer", has_text="Your partner")).to_contain_text(theirs)
        expect(page.locator(".exp-agree")).to_contain_text("a little differently")
    expect(sam.get_by_role("button", name="Record it and finish")).to_have_count(0)   # Alex's experiment

    outcome = alex.locator("form.exp-outcome")
    outcome.get_by_role("radio", name="Adjust it").check()
    outcome.get_by_role("button", name="Record it and finish").click()
    past = alex.locator(".exp-past", has_text=TITLE)
    expect(past).to_contain_text("You chose to adjust it.")
    expect(alex.locator(".exp-current")).to_have_count(0)
    past.get_by_role("button", name="Save this as a journal entry").click()
    expect(past.locator(".exp-saved")).to_contain_text("In your journal")

    expect(sam.locator(".exp-past", has_text=TITLE)).to_contain_text("In your journal")
    for page in (alex, sam):
        go(page, "journal")
        entry = page.locator("article.entry", has_text=f"We tried “{TITLE}”")
        expect(entry).to_contain_text("What we decided: adjust it.")
        expect(entry.locator(".chip")).to_have_text(["We tried something"])
    assert alex.errors == [] and sam.errors == []


def test_a_second_experiment_is_gently_discouraged_not_forbidden(couple):
    alex, sam = couple
    propose(alex, "Holding hands on the evening walk", days_ago(2))
    agree(sam, "Holding hands on the evening walk", on=days_ago(2))
    expect(alex.locator(".exp-when")).to_contain_text("Day 3 of 7")
    expect(alex.locator(".exp-when")).to_contain_text("4 days to go")
    expect(alex.locator(".exp-due")).to_have_count(0)

    go(sam, "experiments")
    expect(sam.locator(".exp-current .exp-title")).to_have_text("Holding hands on the evening walk")
    sam.get_by_role("button", name="Propose something small").click()
    expect(sam.locator(".exp-one-at-a-time")).to_contain_text("You already have “Holding hands")
    sam.get_by_label("What would you like to try?").fill("A slow hand massage, hands only")
    sam.get_by_label("Starting on").fill(days_ago(-3))
    sam.get_by_role("button", name="Propose it").click()
    agree(alex, "A slow hand massage, hands only")
    for page in (alex, sam):
        expect(page.locator(".exp-later")).to_contain_text("A slow hand massage, hands only")
        expect(page.locator(".exp-current .exp-title")).to_have_text("Holding hands on the evening walk")

    # Looking back early is there for whoever wants it, before the day.
    alex.get_by_role("button", name="Look back early").click()
    expect(alex.locator("form.exp-reassess")).to_be_visible()
    assert alex.errors == [] and sam.errors == []


@pytest.mark.parametrize("couple", ["light", "dark"], indirect=True)
def test_experiments_have_no_serious_axe_violations_and_fit_360px(couple, request):
    alex, sam = couple
    scheme = request.node.callspec.params["couple"]
    problems = []
    check = screen_checks(problems, "experiments", scheme)

    go(alex, "experiments")
    check(alex, "empty")
    propose(alex, TITLE, days_ago(8))
    go(sam, "experiments")
    expect(sam.locator(".exp-proposal .exp-title")).to_have_text(TITLE)
    check(sam, "proposal")
    agree(sam, TITLE, on=days_ago(8))
    check(sam, "due")
    look_back(alex, "Calm and warm. I slept better, and I felt looked after.", "8", "Keep it")
    expect(alex.locator(".exp-waiting")).to_contain_text("Your answer is saved")
    look_back(sam, "Awkward the first night, then lovely.", "7", "Keep it")
    expect(alex.locator(".exp-answer")).to_have_count(2)
    check(alex, "both")
    alex.locator("form.exp-outcome").get_by_role("button", name="Record it and finish").click()
    expect(alex.locator(".exp-past", has_text=TITLE)).to_contain_text("You chose to keep it.")
    propose(alex, "A shower together, no expectations", days_ago(1))
    alex.get_by_role("button", name="Propose something small").click()
    expect(alex.locator(".exp-one-at-a-time")).to_be_visible()
    check(alex, "propose")
    expect_status(alex, "Synced")
    assert problems == []
    assert alex.errors == [] and sam.errors == []
