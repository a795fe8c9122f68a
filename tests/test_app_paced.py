"""The paced path on two paired phones against a real relay (issue #13, protocol §8.14): a
step opens only once both have said they are ready; stepping back is one tap, moves the path
back on both phones and is never counted or attributed; a crossing ready and step back settle
on the step back, offline too; each step's look-back stays closed until both have written.
Waiting is Playwright's own (expect); nothing sleeps."""

import re

import pytest
from playwright.sync_api import expect

from app_helpers import all_sent, back_online, expect_status, go, reload_offline, screen_checks

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 15_000   # a phone back online reconnects, logs in and catches up before it shows anything
COUNTS = re.compile(r"\d+ times|stepped back \d|[Yy]our partner stepped back|streak|score", re.I)


def step(page, n: int):
    return page.locator(f'.pace-step[data-step="{n}"]')


def open_steps(page):
    return page.locator(".pace-step-open")


def both_agree(alex, sam) -> None:
    """Alex suggests the no-pressure agreement and Sam accepts it, on the experiments screen."""
    go(alex, "experiments")
    alex.locator(".agreement").get_by_role("button", name="Suggest it").click()
    go(sam, "experiments")
    sam.locator(".agreement").get_by_role("button", name="Accept it").click(timeout=SYNC_WAIT)
    for page in (alex, sam):
        expect(page.locator(".agreement")).to_have_attribute("data-state", "in_effect", timeout=SYNC_WAIT)


def ready(page, n: int) -> None:
    go(page, "paced")
    step(page, n).get_by_role("button", name="I'm ready for this step").click()
    expect(page.locator(".pace-said")).to_have_text("Saved. It opens once you're both ready.")


def at_step(page, n: int) -> None:
    """The path shows step n, and only up to n, open to both."""
    go(page, "paced")
    expect(open_steps(page)).to_have_count(n, timeout=SYNC_WAIT)
    if n:
        expect(step(page, n)).to_contain_text("Open to you both.")


def test_a_step_opens_only_when_both_are_ready_and_a_step_back_moves_the_path_back_on_both(browser_couple):
    alex, sam = browser_couple()
    # No agreement yet: the path says why it waits, and offers no step.
    go(alex, "paced")
    expect(alex.locator(".pace-needs-agreement")).to_contain_text("The path opens once you both have a no-pressure agreement")
    expect(alex.get_by_role("button", name="I'm ready for this step")).to_have_count(0)
    alex.locator(".pace-needs-agreement").get_by_role("link", name="See the agreement").click()
    expect(alex.locator(".agreement").get_by_role("link", name="A paced path")).to_be_visible()

    both_agree(alex, sam)
    alex.locator(".agreement").get_by_role("link", name="A paced path").click()
    expect(alex.locator('#view[data-view="paced"] h1')).to_have_text("A paced path")
    ready(alex, 1)
    expect(step(alex, 1)).to_contain_text("You've said you're ready. It opens when your partner is ready too")
    expect(open_steps(alex)).to_have_count(0)

    # Sam hears of it gently on Home, one tap from the step, which is not open yet.
    go(sam, "home")
    waiting = sam.locator(".paced-waiting")
    expect(waiting).to_contain_text("A step on your paced path is there for you, whenever you feel ready. No rush.",
                                    timeout=SYNC_WAIT)
    waiting.get_by_role("link", name="A paced path").click()
    expect(step(sam, 1)).to_contain_text("Your partner is ready for this one whenever you are.")
    expect(open_steps(sam)).to_have_count(0)

    ready(sam, 1)
    for page in (sam, alex):
        at_step(page, 1)
    ready(alex, 2)
    ready(sam, 2)
    for page in (alex, sam):
        at_step(page, 2)

    # Sam steps back in one tap: both phones go back to step 1, and nothing counts or says who.
    step(sam, 2).get_by_role("button", name="Step back").click()
    expect(sam.locator(".pace-said")).to_have_text("You've stepped back to step 1. That's part of the path.")
    for page in (sam, alex):
        at_step(page, 1)
        expect(page.locator("#view")).not_to_have_text(COUNTS)
    expect(step(alex, 2)).to_contain_text("You've said you're ready. It opens when your partner is ready too")
    expect(alex.locator("#view")).not_to_contain_text("ve stepped back")   # only Sam is told, on Sam's phone
    go(sam, "home")
    expect(sam.locator(".paced-waiting")).to_contain_text("A step on your paced path is there for you")
    assert alex.errors == [] and sam.errors == []


def test_a_crossing_ready_and_step_back_made_offline_settle_on_the_step_back_on_both(browser_couple):
    alex, sam = browser_couple()
    both_agree(alex, sam)
    for n in (1, 2):
        ready(alex, n)
        ready(sam, n)
    for page in (alex, sam):
        at_step(page, 2)
        expect_status(page, "Synced")

    # Neither phone has a signal: Alex says ready for step 3 while Sam steps back.
    for page in (alex, sam):
        reload_offline(page)
    ready(alex, 3)
    go(sam, "paced")
    step(sam, 2).get_by_role("button", name="Step back").click()
    expect(open_steps(sam)).to_have_count(1)

    for page in (alex, sam):
        back_online(page.context)
        expect_status(page, "Synced")
    for page in (alex, sam, alex):   # the last look at Alex's: after Sam's step back has surely arrived
        at_step(page, 1)
        expect(page.locator("#view")).not_to_have_text(COUNTS)
    expect(step(alex, 2)).to_contain_text("You've said you're ready")
    assert alex.errors == [] and sam.errors == []


def look_back(page, n: int, words: str) -> None:
    go(page, "paced")
    form = page.locator(f'.pace-lookback-form[data-step="{n}"]')
    form.get_by_label("What did you notice?").fill(words)
    form.get_by_role("button", name="Save my look back").click()
    expect(step(page, n).locator(".pace-lookback-words", has_text=words)).to_be_visible()


def test_a_steps_look_back_stays_closed_until_both_have_written_then_opens(browser_couple):
    alex, sam = browser_couple()
    both_agree(alex, sam)
    ready(alex, 1)
    ready(sam, 1)
    at_step(alex, 1)

    look_back(alex, 1, "Warm hands, and no hurry at all.")
    expect(step(alex, 1).locator(".pace-lookback")).to_contain_text("Yours is saved.")
    at_step(sam, 1)
    lookback = step(sam, 1).locator(".pace-lookback")
    expect(lookback).to_contain_text("Your partner has looked back on this step. Their words will show here once you've added yours.",
                                     timeout=SYNC_WAIT)
    expect(sam.locator("#view")).not_to_contain_text("Warm hands")
    go(sam, "home")
    expect(sam.locator(".paced-waiting")).to_contain_text("Your partner looked back on a step of your paced path.")

    look_back(sam, 1, "I noticed I could breathe out.")
    for page, theirs in ((sam, "Warm hands, and no hurry at all."), (alex, "I noticed I could breathe out.")):
        go(page, "paced")
        both = step(page, 1).locator(".pace-lookback-both")
        expect(both.get_by_role("region", name="Your partner")).to_contain_text(theirs, timeout=SYNC_WAIT)
    assert alex.errors == [] and sam.errors == []


def test_hearth_client_and_the_app_agree_on_the_path(relay, browser_context, tmp_path):
    from client_helpers import Client, pair_with_app

    robin = Client(tmp_path / "robin")
    page = pair_with_app(relay.url, robin, browser_context())
    agreement = robin.put("agreement", {"kind": "no_pressure"})
    robin.put("pace", {"ready": "step_2"})
    robin.sync()
    go(page, "experiments")
    page.locator(".agreement").get_by_role("button", name="Accept it").click(timeout=SYNC_WAIT)
    ready(page, 1)
    all_sent(page)
    robin.sync()
    [mine] = [r for r in robin.list("pace") if r["mine"]]
    assert (mine["open_step"], mine["offered"]) == (1, True)
    assert any(r["id"] == agreement and r["consent"] == "in_effect" for r in robin.list("agreement"))
    robin.put("pace", {"ready": "not_yet"})   # hearth-client steps back; the app's path follows
    robin.sync()
    expect(open_steps(page)).to_have_count(0, timeout=SYNC_WAIT)
    assert page.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_paced_path_has_no_serious_axe_violations_and_fits_360px(browser_couple, scheme):
    alex, sam = browser_couple(color_scheme=scheme)
    problems = []
    check = screen_checks(problems, "consent-paced", scheme)

    go(sam, "paced")
    expect(sam.locator(".pace-needs-agreement")).to_be_visible()
    check(sam, "needs-agreement")
    both_agree(alex, sam)
    ready(alex, 1)
    go(sam, "paced")
    expect(step(sam, 1)).to_contain_text("Your partner is ready for this one", timeout=SYNC_WAIT)
    check(sam, "asked")
    ready(sam, 1)
    look_back(sam, 1, "Slow, and kind. I liked the quiet.")
    look_back(alex, 1, "Warm hands, and no hurry at all.")
    go(sam, "paced")
    expect(step(sam, 1).locator(".pace-lookback-both")).to_contain_text("Warm hands", timeout=SYNC_WAIT)
    check(sam, "open-look-back")
    assert problems == []
    assert alex.errors == [] and sam.errors == []
