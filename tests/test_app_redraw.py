"""A partner's news never draws away what the person is in the middle of (issue #14, "dead
ends"): an open question ("Stop it for both of you?") or a request being made stays as it
is, the screen says news is waiting, and it is drawn once the person has answered. Two CI
runs caught the opposite: a click on "Yes, stop it" landing on a button the redraw had just
removed, and a fold opened while a redraw was reading the database closed under the finger.
Waiting is Playwright's own (expect) or polled; nothing sleeps."""

import pytest
from playwright.sync_api import expect

from app_helpers import agree, days_ago, eventually, go, open_app, propose, write_journal

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "Ten minutes of holding hands"
STOP = "Stop it for both of you? You don't need to give a reason."


def test_an_open_question_stays_while_news_from_the_partner_waits(browser_couple):
    alex, sam = browser_couple()
    propose(alex, TITLE, days_ago(1))
    agree(sam, TITLE)
    go(sam, "experiments")
    sam.get_by_role("button", name="Stop this").click()
    question = sam.get_by_role("group", name=STOP)
    expect(question).to_be_visible()

    write_journal(alex, "Something Alex wrote while Sam was deciding")
    waiting = sam.locator("#view .waiting-update")
    expect(waiting).to_be_visible()          # the news has come, and waits
    expect(question).to_be_visible()
    expect(question.get_by_role("button", name="Yes, stop it")).to_be_focused()

    question.get_by_role("button", name="Yes, stop it").click()
    expect(sam.locator(".exp-past", has_text=TITLE)).to_contain_text("You stopped this one.")
    expect(waiting).to_be_hidden()
    assert alex.errors == [] and sam.errors == []


def test_a_question_drawn_away_by_the_persons_own_act_no_longer_holds_news_back(browser_couple):
    alex, sam = browser_couple()
    propose(alex, TITLE, days_ago(1))
    agree(sam, TITLE)
    go(sam, "experiments")
    sam.get_by_role("button", name="Propose something small").click()
    sam.get_by_role("button", name="Stop this").click()
    expect(sam.get_by_role("group", name=STOP)).to_be_visible()
    sam.locator("form").get_by_role("button", name="Cancel").click()   # Sam's own redraw takes the question away
    expect(sam.get_by_role("group", name=STOP)).to_have_count(0)

    go(alex, "experiments")
    alex.get_by_role("button", name="Stop this").click()
    alex.get_by_role("group", name=STOP).get_by_role("button", name="Yes, stop it").click()
    expect(sam.locator(".exp-past", has_text=TITLE)).to_contain_text("Your partner stopped this one.")
    expect(sam.locator("#view .waiting-update")).to_be_hidden()
    assert alex.errors == [] and sam.errors == []


def test_a_form_opened_but_not_yet_touched_stays_while_news_waits(browser_couple):
    alex, sam = browser_couple()
    write_journal(alex, "We walked to the river and back.")
    go(alex, "journal")
    entry = alex.locator("article.entry", has_text="We walked to the river")
    entry.get_by_role("button", name="Edit").click()
    form = entry.locator("form")
    expect(form.get_by_role("textbox").first).to_have_value("We walked to the river and back.")

    write_journal(sam, "Sam's own news, arriving meanwhile")
    expect(alex.locator("#view .waiting-update")).to_be_visible()
    expect(form).to_be_visible()
    form.get_by_role("button", name="Cancel").click()
    expect(alex.locator("article.entry", has_text="arriving meanwhile")).to_be_visible()
    expect(alex.locator("#view .waiting-update")).to_be_hidden()
    assert alex.errors == [] and sam.errors == []


# The app's own modules, in the app's page: a draw that is still reading when the person
# opens something must leave the screen alone, and draw once they are done.
RACE = """async () => {
  const { politeRedraw } = await import('/js/views/common.js');
  const drafts = await import('/js/shell/drafts.js');
  let open;
  const reading = new Promise((resolve) => { open = resolve; });
  const race = window.__race = { started: 0, drawn: 0, drafts, open };
  const polite = politeRedraw(async (ready = () => true) => {
    race.started += 1;
    if (race.started === 1) await reading;
    if (ready()) race.drawn += 1;
  }, 'race:');
  polite.note.id = 'race-note';
  document.body.append(polite.note);
  polite.redraw();
}"""


def test_a_redraw_still_reading_leaves_alone_what_was_opened_meanwhile(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    page.evaluate(RACE)
    eventually(page, "() => window.__race.started === 1")
    page.evaluate("() => { window.__race.drafts.setDraft('race:fold'); window.__race.open(); }")
    expect(page.locator("#race-note")).to_be_visible()
    assert page.evaluate("() => window.__race.drawn") == 0

    page.evaluate("() => window.__race.drafts.setDraft('race:fold', false)")
    expect(page.locator("#race-note")).to_be_hidden()
    assert eventually(page, "() => window.__race.drawn") == 1
    assert page.errors == []
