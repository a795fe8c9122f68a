"""Consent built into shared plans, on two paired phones against a real relay (issue #13,
protocol §8.3): an experiment is a proposal until the partner says yes; nothing counts down
before then; either can stop it, and a stop wins over a crossing yes, offline too. Waiting is
Playwright's own (expect); nothing sleeps."""

import re

import pytest
from playwright.sync_api import expect

from app_helpers import add_boundary, agree, all_sent, back_online, days_ago, expect_status, go, propose, reload_offline, screen_checks

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "A slow hand massage, hands only"
SYNC_WAIT = 15_000   # a phone back online reconnects, logs in and catches up before it shows anything
DAY_NUMBERS = re.compile(r"[Dd]ay \d+ of|days? to go")


def today_item(page, kind: str):
    return page.locator(f".home-today .today-{kind}")


def no_day_numbers(page) -> None:
    for route in ("experiments", "home"):
        go(page, route)
        expect(page.locator("#view")).not_to_have_text(DAY_NUMBERS)
        expect(page.locator(".exp-due")).to_have_count(0)


def test_an_experiment_the_partner_declines_never_counts_down_on_either_phone(browser_couple):
    alex, sam = browser_couple()
    propose(alex, TITLE, days_ago(8))   # long enough ago that, had it started, its look-back would be due
    expect(alex.locator(".exp-proposal .exp-waiting")).to_contain_text("Waiting for your partner's answer")

    go(sam, "home")
    item = today_item(sam, "experiment")
    expect(item).to_contain_text(f"Your partner has an idea to try: “{TITLE}”. Nothing starts unless you say yes too.")
    expect(item).to_have_attribute("data-state", "asked")
    item.get_by_role("link", name="Answer it").click()
    card = sam.locator(".exp-proposal", has_text=TITLE)
    expect(card.locator(".exp-kicker")).to_have_text("Your partner's idea")
    for page in (alex, sam):
        no_day_numbers(page)
    go(alex, "home")
    expect(today_item(alex, "experiment")).to_contain_text(f"“{TITLE}” is waiting for your partner's answer.")

    go(sam, "experiments")
    sam.locator(".exp-proposal", has_text=TITLE).get_by_role("button", name="Not now").click()
    expect(sam.locator(".exp-past", has_text=TITLE)).to_contain_text("You said not now.")
    go(alex, "experiments")
    expect(alex.locator(".exp-past", has_text=TITLE)).to_contain_text(
        "Your partner said not now. That's about right now, not about you.")
    for page in (alex, sam):
        expect(page.locator(".exp-proposal")).to_have_count(0)
        no_day_numbers(page)
        expect(today_item(page, "experiment")).to_have_count(0)
    assert alex.errors == [] and sam.errors == []


def test_could_we_change_it_carries_a_note_and_the_changed_idea_is_asked_again(browser_couple):
    alex, sam = browser_couple()
    propose(alex, TITLE, days_ago(0))
    go(sam, "experiments")
    card = sam.locator(".exp-proposal", has_text=TITLE)
    card.get_by_role("button", name="Could we change it?").click()
    card.get_by_label("What would you change?").fill("Could it be feet too, with the lotion?")
    card.get_by_role("button", name="Send to your partner").click()
    expect(card.locator(".exp-waiting")).to_contain_text("You asked to change it")

    asked = alex.locator(".exp-asked-change")
    expect(asked).to_contain_text("Your partner asked: could we change it?")
    expect(asked).to_contain_text("“Could it be feet too, with the lotion?”")
    asked.get_by_role("button", name="Change it and ask again").click()
    expect(alex.get_by_label("What would you like to try?")).to_have_value(TITLE)
    alex.get_by_label("What would you like to try?").fill("A slow massage of hands and feet, with lotion")
    alex.get_by_role("button", name="Ask again", exact=True).click()
    expect(alex.locator(".exp-proposal .exp-title")).to_have_text("A slow massage of hands and feet, with lotion")

    go(sam, "experiments")
    expect(sam.locator(".exp-proposal .exp-title")).to_have_text("A slow massage of hands and feet, with lotion")
    agree(sam, "A slow massage of hands and feet, with lotion")
    for page in (sam, alex):
        go(page, "experiments")
        expect(page.locator(".exp-current .exp-when")).to_contain_text("Day 1 of 7")
        go(page, "home")
        expect(today_item(page, "experiment")).to_contain_text("day 1 of 7, 6 days to go")
    assert alex.errors == [] and sam.errors == []


def test_a_crossing_yes_and_stop_made_offline_settle_on_stop_on_both_phones(browser_couple):
    alex, sam = browser_couple()
    propose(alex, TITLE, days_ago(0))
    go(sam, "experiments")
    expect(sam.locator(".exp-proposal .exp-title")).to_have_text(TITLE)
    expect_status(alex, "Synced")

    # Neither phone has a signal: Sam says yes while Alex stops it.
    for page in (alex, sam):
        reload_offline(page)
    go(sam, "experiments")
    sam.locator(".exp-proposal", has_text=TITLE).get_by_role("button", name="Yes, let's try").click()
    expect(sam.locator(".exp-current .exp-when")).to_contain_text("Day 1 of 7")
    go(alex, "experiments")
    alex.locator(".exp-proposal", has_text=TITLE).get_by_role("button", name="Stop this").click()
    alex.get_by_role("button", name="Yes, stop it").click()
    expect(alex.locator(".exp-past", has_text=TITLE)).to_contain_text("You stopped this one.")

    for page in (alex, sam):
        back_online(page.context)
        expect_status(page, "Synced")
    for page in (alex, sam, alex):   # the last look at Alex's: after Sam's yes has surely arrived
        go(page, "experiments")
        expect(page.locator(".exp-current"), ).to_have_count(0, timeout=SYNC_WAIT)
        expect(page.locator(".exp-proposal")).to_have_count(0)
    expect(sam.locator(".exp-past", has_text=TITLE)).to_contain_text(
        "Your partner stopped this one. No reason needed, and it's all right.", timeout=SYNC_WAIT)
    expect(alex.locator(".exp-past", has_text=TITLE)).to_contain_text("You stopped this one.")
    for page in (alex, sam):
        no_day_numbers(page)
    assert alex.errors == [] and sam.errors == []


def test_either_can_stop_a_running_one_and_the_other_sees_it_gently(browser_couple):
    alex, sam = browser_couple()
    propose(alex, TITLE, days_ago(1))
    agree(sam, TITLE)
    go(sam, "experiments")
    sam.get_by_role("button", name="Stop this").click()
    expect(sam.get_by_role("group", name="Stop it for both of you? You don't need to give a reason.")).to_be_visible()
    sam.get_by_role("button", name="Yes, stop it").click()
    expect(sam.locator(".exp-past", has_text=TITLE)).to_contain_text("You stopped this one.")
    go(alex, "experiments")
    expect(alex.locator(".exp-past", has_text=TITLE)).to_contain_text("Your partner stopped this one.")
    expect(alex.locator(".exp-current")).to_have_count(0)
    assert alex.errors == [] and sam.errors == []


def test_hearth_client_and_the_app_agree_on_answers_and_stops(relay, browser_context, tmp_path):
    from client_helpers import Client, pair_with_app

    robin = Client(tmp_path / "robin")
    page = pair_with_app(relay.url, robin, browser_context())

    # The app proposes; hearth-client sees a proposal, says yes, and the app's days begin.
    propose(page, TITLE, days_ago(0))
    all_sent(page)
    robin.sync()
    [rec] = robin.list("experiment")
    assert (rec["consent"], rec["answers"]) == ("asked", {"author": "yes", "partner": None})
    robin.put("experiment", {"id": rec["id"], "answer": "yes"})
    robin.sync()
    expect(page.locator(".exp-current .exp-when")).to_contain_text("Day 1 of 7", timeout=SYNC_WAIT)

    # hearth-client proposes; the app says "not now", and the client reads it as the app's answer.
    theirs = robin.put("experiment", {"title": "Breakfast in bed on Sunday", "starts_on": days_ago(0), "days": 3})
    robin.sync()
    card = page.locator(".exp-proposal", has_text="Breakfast in bed on Sunday")
    card.get_by_role("button", name="Not now").click()
    expect(page.locator(".exp-past", has_text="Breakfast in bed on Sunday")).to_contain_text("You said not now.")
    # The app stops its own; the client hears both.
    page.locator(".exp-current").get_by_role("button", name="Stop this").click()
    page.get_by_role("button", name="Yes, stop it").click()
    expect(page.locator(".exp-past", has_text=TITLE)).to_contain_text("You stopped this one.")
    all_sent(page)
    robin.sync()
    held = {r["id"]: r for r in robin.list("experiment")}
    assert (held[theirs]["consent"], held[theirs]["answers"]) == ("not_now", {"author": "yes", "partner": "not_now"})
    assert (held[rec["id"]]["consent"], held[rec["id"]]["answers"]) == ("stopped", {"author": "stop", "partner": "yes"})
    assert page.errors == []


# ---------- boundaries ----------

def test_a_removed_boundary_asks_first_shows_as_ask_first_on_the_partners_map_and_undo_restores_it(browser_couple):
    alex, sam = browser_couple()
    add_boundary(alex, "Add a kind of touch", "a hand on my hip", "welcome")
    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-item", has_text="a hand on my hip")).to_contain_text("Welcome")
    ask_first = sam.locator(".boundary-ask-first")
    expect(ask_first).to_contain_text("Anything that isn't on this map: ask first.")
    expect(ask_first).to_contain_text("“Not right now” is about how their body feels today. It isn't about you.")

    # Removing asks first; keeping it changes nothing.
    go(alex, "boundaries")
    item = alex.locator(".boundary-item", has_text="a hand on my hip")
    item.get_by_role("button", name="Remove").click()
    expect(alex.get_by_role("group", name="Remove “a hand on my hip”?")).to_contain_text(
        "Your partner's map will show it as no longer on the map: ask first.")
    alex.get_by_role("button", name="Keep it").click()
    expect(item).to_be_visible()
    item.get_by_role("button", name="Remove").click()
    alex.get_by_role("button", name="Yes, remove it").click()
    expect(alex.locator(".boundary-item", has_text="a hand on my hip")).to_have_count(0)
    expect(alex.locator(".boundary-undo")).to_contain_text("“a hand on my hip” is off your map.")

    # Sam's map says so, never silence.
    removed = sam.locator(".boundary-removed", has_text="a hand on my hip")
    expect(removed).to_contain_text("No longer on the map: ask first", timeout=SYNC_WAIT)
    expect(sam.locator(".boundary-item:not(.boundary-removed)", has_text="a hand on my hip")).to_have_count(0)

    alex.locator(".boundary-undo").get_by_role("button", name="Undo").click()
    expect(alex.locator(".boundary-item", has_text="a hand on my hip")).to_be_visible()
    expect(alex.locator(".boundary-undo")).to_have_count(0)
    expect(sam.locator(".boundary-removed")).to_have_count(0, timeout=SYNC_WAIT)
    expect(sam.locator(".boundary-item", has_text="a hand on my hip")).to_contain_text("Welcome")
    assert alex.errors == [] and sam.errors == []


def test_who_sees_how_a_map_has_changed_is_its_owners_choice(browser_couple):
    alex, sam = browser_couple()
    add_boundary(alex, "Add a kind of touch", "a hand on my hip", "welcome")
    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-item", has_text="a hand on my hip")).to_contain_text("Welcome")
    go(alex, "boundaries")
    alex.get_by_label('How "a hand on my hip" feels now').select_option("ask_first")
    theirs = sam.locator(".boundary-item", has_text="a hand on my hip")
    expect(theirs).to_contain_text("Ask me first", timeout=SYNC_WAIT)
    expect(theirs.get_by_text("How this has changed")).to_be_visible()   # shared, as before, until Alex chooses

    choice = alex.get_by_role("group", name="Who sees how your map has changed?")
    expect(choice.get_by_role("radio", name="Both of us")).to_be_checked()
    choice.get_by_role("radio", name="Only me").check()
    expect(theirs.get_by_text("How this has changed")).to_have_count(0, timeout=SYNC_WAIT)
    expect(theirs).to_contain_text("Ask me first")
    go(alex, "boundaries")
    expect(alex.get_by_role("radio", name="Only me")).to_be_checked()
    expect(alex.locator(".boundary-item", has_text="a hand on my hip").get_by_text("How this has changed")).to_be_visible()
    assert alex.errors == [] and sam.errors == []


# ---------- check-ins ----------

LAST_WEEK = """() => import('/js/core/dates.js').then((d) => import('/js/core/checkin.js')
  .then((c) => c.currentWeek(new Date(Date.now() - 7 * 86400000))))"""
ANSWER_WEEK = """([week, needs]) => import('/js/device/checkins.js').then((m) => m.answer({ week, answers: { needs } }))"""


def test_either_can_skip_a_week_answers_change_until_the_partner_answers_and_past_weeks_stay(browser_couple):
    alex, sam = browser_couple()
    # Last week, both answered (through the same call the form makes): it is kept to look back on.
    last = alex.evaluate(LAST_WEEK)
    alex.evaluate(ANSWER_WEEK, [last, "A slow Sunday, last week."])
    go(sam, "checkin")
    expect(sam.locator(".checkin-past")).to_contain_text(last.replace("-W", ", week "), timeout=SYNC_WAIT)
    sam.evaluate(ANSWER_WEEK, [last, "Your patience, last week."])

    # This week Alex answers, then changes the answers while Sam hasn't answered.
    go(alex, "checkin")
    alex.get_by_label("What would help you feel cared for this week?").fill("An early night.")
    alex.get_by_role("button", name="Seal and share my answers").click()
    expect(alex.locator(".checkin-open")).to_contain_text("They're still sealed, so your partner hasn't read them.")
    alex.get_by_role("button", name="Change my answers").click()
    expect(alex.get_by_label("What would help you feel cared for this week?")).to_have_value("An early night.")
    alex.get_by_label("What would help you feel cared for this week?").fill("An early night, together.")
    alex.get_by_role("button", name="Seal and share my answers").click()
    expect(alex.get_by_role("heading", name="What you wrote")).to_be_visible()
    expect(alex.locator("#view")).to_contain_text("An early night, together.")

    # Sam sits this week out: nothing opens on either phone, gently said.
    go(sam, "checkin")
    expect(sam.locator("#view .notice").first).to_contain_text("Your partner has answered", timeout=SYNC_WAIT)
    sam.get_by_role("button", name="Skip this week").click()
    expect(sam.locator(".checkin-skipped")).to_contain_text("You're sitting this week out. That's fine")
    expect(alex.locator("#view .notice").first).to_contain_text("Your partner is sitting this week out", timeout=SYNC_WAIT)
    assert "An early night" not in sam.locator("#view").inner_text()
    # Home says the same, on both phones (it once said "Your answers are sealed").
    go(sam, "home")
    expect(sam.locator(".today-checkin .today-text")).to_have_text("You're sitting this week out. That's fine; there's always next week.")
    go(alex, "home")
    expect(alex.locator(".today-checkin .today-text")).to_contain_text("Your partner is sitting this week out.")

    # Last week opened for both, and stays visible on both phones.
    for page, theirs in ((alex, "Your patience, last week."), (sam, "A slow Sunday, last week.")):
        go(page, "checkin")
        past = page.locator(".checkin-past-week", has_text=last.replace("-W", ", week "))
        past.locator("summary").click()
        expect(past).to_contain_text(theirs, timeout=SYNC_WAIT)

    # Sam can answer after all; then both open, and nothing can change any more.
    go(sam, "checkin")
    sam.get_by_role("button", name="Answer after all").click()
    sam.get_by_label("What would help you feel cared for this week?").fill("A walk by the river.")
    sam.get_by_role("button", name="Seal and share my answers").click()
    for page, theirs in ((sam, "An early night, together."), (alex, "A walk by the river.")):
        go(page, "checkin")
        expect(page.locator(".revealed").first).to_contain_text(theirs, timeout=SYNC_WAIT)
        expect(page.get_by_role("button", name="Change my answers")).to_have_count(0)
    assert alex.errors == [] and sam.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_consent_screens_have_no_serious_axe_violations_and_fit_360px(browser_couple, scheme):

    alex, sam = browser_couple(color_scheme=scheme)
    problems = []
    check = screen_checks(problems, "consent", scheme)

    propose(alex, TITLE, days_ago(0))
    go(sam, "experiments")
    card = sam.locator(".exp-proposal", has_text=TITLE)
    card.get_by_role("button", name="Could we change it?").click()
    check(sam, "experiment-answer")
    card.get_by_label("What would you change?").fill("Could it be feet too, with the lotion?")
    card.get_by_role("button", name="Send to your partner").click()
    expect(alex.locator(".exp-asked-change")).to_be_visible()
    check(alex, "experiment-change-asked")

    add_boundary(alex, "Add a kind of touch", "a hand on my hip", "welcome")
    item = alex.locator(".boundary-item", has_text="a hand on my hip")
    item.get_by_role("button", name="Remove").click()
    check(alex, "boundary-remove-confirm")
    alex.get_by_role("button", name="Yes, remove it").click()
    expect(alex.locator(".boundary-undo")).to_be_visible()
    check(alex, "boundary-undo")
    go(sam, "boundaries?whose=partner")
    expect(sam.locator(".boundary-removed")).to_be_visible(timeout=SYNC_WAIT)
    check(sam, "boundary-partner-removed")

    go(sam, "checkin")
    sam.get_by_role("button", name="Skip this week").click()
    expect(sam.locator(".checkin-skipped")).to_be_visible()
    check(sam, "checkin-skipped")
    assert problems == []
    assert alex.errors == [] and sam.errors == []


# ---------- the no-pressure agreement ----------

def test_a_no_pressure_agreement_takes_effect_only_when_both_accept_and_either_can_end_it(browser_couple):
    alex, sam = browser_couple()
    go(alex, "experiments")
    card = alex.locator(".agreement")
    expect(card).to_contain_text("For now, affection doesn't lead to sex unless we both say so.")
    card.get_by_role("button", name="Suggest it").click()
    expect(card).to_have_attribute("data-state", "asked")
    expect(card).to_contain_text("It takes effect once your partner accepts too.")

    go(sam, "experiments")
    theirs = sam.locator(".agreement")
    expect(theirs).to_contain_text("Your partner suggested this. It takes effect only if you accept too.", timeout=SYNC_WAIT)
    theirs.get_by_role("button", name="Accept it").click()
    for page in (sam, alex):
        expect(page.locator(".agreement")).to_have_attribute("data-state", "in_effect", timeout=SYNC_WAIT)
        expect(page.locator(".agreement")).to_contain_text("You've both agreed.")

    # Either can end it, no reason asked; the other sees it ended.
    theirs.get_by_role("button", name="End the agreement").click()
    sam.get_by_role("button", name="Yes, end it").click()
    for page in (sam, alex):
        expect(page.locator(".agreement")).to_have_attribute("data-state", "ended", timeout=SYNC_WAIT)
        expect(page.locator(".agreement")).to_contain_text("Either of you can suggest it again")
    assert alex.errors == [] and sam.errors == []
