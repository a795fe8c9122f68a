"""Home (#/home) shows what matters today, in a real chromium, two phones, a real relay.

Once paired, "Today" holds today's energy note (or a gentle way to add one), the current
experiment and whether it is time to look back, this week's check-in and the check-in day
the couple chose on the check-in screen; below it, the partner's recent updates across
types. The screen passes axe in light and dark and fits a 360 px phone at 200 % text.
Waiting is Playwright's own (expect); nothing sleeps.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from app_helpers import agree, days_ago, expect_status, go, in_each_scheme, serious_axe_violations, wider_than_a_phone

WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

# The partner's updates of every kind, put through the app's own device module.
SHARE_EVERYTHING = """async () => {
  const records = await import('/js/device/records.js');
  const dates = await import('/js/core/dates.js');
  const today = dates.today();
  await records.put('journal', { text: 'A slow bath together, lights low. It felt like us again.', shared: true });
  await records.put('gratitude', { text: 'Thank you for the tea this morning.', date: today, shared: true });
  await records.put('energy', { date: today, time_of_day: 'morning', energy: 6, mood: 8, shared: true });
  await records.put('energy', { date: today, time_of_day: 'evening', energy: 2, note: 'private', shared: false });
  await records.put('appointment', { title: 'Check-up with the nurse', questions: [{ text: 'Is tiredness normal?' }] });
  await records.put('boundary', { kind: 'touch', label: 'a hand on my back', level: 'welcome' });
}"""


def js_weekday(offset: int = 0) -> int:
    """Today's weekday as JavaScript counts it (0 = Sunday), plus `offset` days."""
    return (datetime.date.today().isoweekday() + offset) % 7


@pytest.fixture
def couple(browser_couple):
    return browser_couple


def today_item(page, kind: str):
    return page.locator(f".home-today .today-{kind}")


def log_energy(page, energy: str, note: str) -> None:
    go(page, "energy")
    form = page.locator("form.energy-form")
    form.get_by_role("slider", name="Energy", exact=True).fill(energy)
    form.get_by_label("Anything else?").fill(note)
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".energy-saved")).to_contain_text("Saved")


def answer_checkin(page, text: str) -> None:
    go(page, "checkin")
    page.get_by_label("What would help you feel cared for this week?").fill(text)
    page.get_by_role("button", name="Seal and share my answers").click()
    expect(page.get_by_role("heading", name="What you wrote")).to_be_visible()


def choose_checkin_day(page, day: int) -> None:
    go(page, "checkin")
    picker = page.get_by_label("The day we check in")
    picker.select_option(WEEKDAYS[day].lower())
    expect(page.locator(".checkin-day-saved")).to_have_text(f"Saved. Your check-in day is {WEEKDAYS[day]}.")


def test_today_shows_energy_experiment_and_checkin(couple):
    alex, sam = couple()
    go(alex, "home")
    today = alex.locator(".home-today")
    expect(today.get_by_role("heading", name="Today")).to_be_visible()

    # Energy: an invitation until something is noted, then what was noted.
    energy = today_item(alex, "energy")
    expect(energy.get_by_role("link", name="How are you today?")).to_have_attribute("href", "#/energy")
    log_energy(alex, "7", "Slept well for once")
    go(alex, "home")
    expect(energy).to_have_attribute("data-state", "logged")
    expect(energy).to_contain_text("You noted energy 7.")
    expect(energy).to_contain_text("“Slept well for once”")
    expect(energy.get_by_role("link", name="How are you today?")).to_have_count(0)

    # Experiment: none means no line at all; a running one counts down; a due one invites a look back.
    expect(today_item(alex, "experiment")).to_have_count(0)
    alex.evaluate("(d) => import('/js/device/records.js').then((m) => m.put('experiment', "
                  "{ title: 'Holding hands on the evening walk', starts_on: d, days: 7, status: 'active' }))", days_ago(2))
    exp = today_item(alex, "experiment")
    # A proposal shows no day numbers until the partner says yes (protocol §8.3); Sam's yes
    # is dated a week back, so the days count from the start Alex chose.
    expect(exp).to_have_attribute("data-state", "proposed")
    expect(exp).to_contain_text("“Holding hands on the evening walk” is waiting for your partner's answer.")
    agree(sam, "Holding hands on the evening walk", on=days_ago(8))
    go(alex, "home")
    expect(exp).to_contain_text("day 3 of 7, 4 days to go")
    expect(exp).to_have_attribute("data-state", "running")
    exp_id = alex.evaluate("() => import('/js/device/records.js').then((m) => m.list('experiment')).then((l) => l[0].id)")
    alex.evaluate("([id, d]) => import('/js/device/records.js').then((m) => m.put('experiment', { starts_on: d }, id))",
                  [exp_id, days_ago(8)])
    expect(exp).to_have_attribute("data-state", "due")
    expect(exp).to_contain_text("Time to look back on “Holding hands on the evening walk”")
    expect(exp.get_by_role("link", name="Look back")).to_have_attribute("href", "#/experiments")

    # The partner's phone sees the same experiment, due there too.
    go(sam, "home")
    expect(today_item(sam, "experiment")).to_have_attribute("data-state", "due")

    # Check-in: not answered, then waiting for the partner, then ready to read together.
    checkin = today_item(alex, "checkin")
    expect(checkin).to_have_attribute("data-state", "open")
    expect(checkin).to_contain_text("hasn't been answered yet")
    answer_checkin(alex, "Quiet evenings, and your patience.")
    go(alex, "home")
    expect(checkin).to_have_attribute("data-state", "waiting")
    expect(checkin).to_contain_text("Your answers are sealed")
    expect(today_item(sam, "checkin")).to_have_attribute("data-state", "partner-answered")
    answer_checkin(sam, "To hear what feels okay first.")
    go(alex, "home")
    expect(checkin).to_have_attribute("data-state", "ready")
    expect(checkin.get_by_role("link", name="Read them together")).to_have_attribute("href", "#/checkin")
    assert alex.errors == [] and sam.errors == []


def test_the_chosen_checkin_day_shows_on_home_on_both_phones(couple):
    alex, sam = couple()
    go(alex, "home")
    day_line = today_item(alex, "checkin").locator(".today-day")
    expect(day_line).to_contain_text("check-in day")          # Sunday until they choose

    other = js_weekday(2)
    choose_checkin_day(alex, other)
    go(alex, "home")
    expect(day_line).to_have_text(f"Your check-in day is {WEEKDAYS[other]}.")

    # It is the couple's day, not one phone's: Sam's Home shows Alex's choice too.
    go(sam, "home")
    expect(today_item(sam, "checkin").locator(".today-day")).to_have_text(f"Your check-in day is {WEEKDAYS[other]}.")

    # The picker remembers, and on the day itself Home says so.
    go(alex, "checkin")
    expect(alex.get_by_label("The day we check in")).to_have_value(WEEKDAYS[other].lower())
    choose_checkin_day(alex, js_weekday())
    go(alex, "home")
    expect(day_line).to_have_text("Today is your check-in day.")
    assert alex.errors == [] and sam.errors == []


def test_the_partners_recent_updates_come_from_every_kind(couple):
    alex, sam = couple()
    go(alex, "home")
    recent = alex.locator(".recent")
    expect(alex.locator("#home-recent-title")).to_have_text("From your partner")
    sam.evaluate(SHARE_EVERYTHING)
    expect(recent.locator(".recent-item")).to_have_count(4)          # kept short: the four newest
    expect(alex.locator("#home-recent-title")).to_have_text("From your partner (5 new)")
    expect(recent.locator(".recent-boundary")).to_contain_text("a hand on my back: welcome")
    expect(recent.locator(".recent-appointment")).to_contain_text("Check-up with the nurse, 1 question")
    expect(recent.locator(".recent-appointment a")).to_have_attribute("href", re.compile(r"^#/appointments\?id=[\w-]{22}$"))
    expect(recent.locator(".recent-energy")).to_contain_text("Shared a note: energy 6, mood 8 · Today, morning")
    expect(recent.locator(".recent-gratitude")).to_contain_text("Thank you for the tea")
    assert "private" not in recent.inner_text()                      # a private note never left Sam's phone
    # Alex's own notes are not "from your partner".
    log_energy(alex, "4", "A slow day")
    go(alex, "home")
    expect(recent.locator(".recent-item")).to_have_count(4)
    assert "A slow day" not in recent.inner_text()
    assert alex.errors == [] and sam.errors == []


def test_home_is_accessible_and_fits_a_narrow_phone(couple):
    alex, sam = couple()
    sam.evaluate(SHARE_EVERYTHING)
    sam.evaluate("() => import('/js/device/records.js').then((m) => m.put('journal', { shared: true, text: "
                 "'Averyveryveryverylongwordwithoutanyspacesthatmightpushthepagesidewaysifnotwrapped' }))")
    alex.evaluate("(d) => import('/js/device/records.js').then((m) => m.put('experiment', "
                  "{ title: 'A shower together, no expectations, just warmth and time', starts_on: d, days: 7 }))",
                  days_ago(8))
    agree(sam, "A shower together, no expectations, just warmth and time", on=days_ago(8))
    log_energy(alex, "6", "Tired after the walk, but content")
    answer_checkin(alex, "Time together without plans.")
    go(alex, "home")
    expect(alex.locator(".recent-item")).to_have_count(4)
    expect(today_item(alex, "experiment")).to_have_attribute("data-state", "due")
    expect(today_item(alex, "checkin")).to_have_attribute("data-state", "waiting")
    expect_status(alex, "Synced")

    problems = []
    for scheme in in_each_scheme(alex):
        problems += wider_than_a_phone(alex, f"home ({scheme})") + serious_axe_violations(alex, f"home ({scheme})")
    assert problems == []
    assert alex.errors == [] and sam.errors == []


def test_every_home_notice_opens_the_place_it_talks_about_and_counts_only_the_partners(couple):
    from app_helpers import add_boundary

    alex, sam = couple()
    add_boundary(alex, "Add a kind of touch", "a hand on my hip", "welcome")
    go(sam, "boundaries?whose=partner")
    item = sam.locator(".boundary-item", has_text="a hand on my hip")
    item.get_by_text("I'd like us to be more careful here").click()
    item.get_by_label('A more careful level for "a hand on my hip"').select_option("ask_first")
    item.get_by_role("button", name="Ask for this").click()

    # The request is about Alex's own map: Home says so and opens it, and it is not counted
    # as something the partner shared.
    go(alex, "home")
    notice = alex.locator(".notice", has_text="asked for more care")
    expect(notice).to_contain_text("Your partner asked for more care with something on your map.")
    expect(alex.locator("#home-recent-title")).to_have_text("From your partner")
    notice.get_by_role("link").click()
    expect(alex.locator(".boundary-item", has_text="a hand on my hip")).to_contain_text("Your partner asked for more care here")
    assert "whose=partner" not in alex.url

    # Something the partner shared is new until its screen has been opened, on every kind.
    sam.evaluate(SHARE_EVERYTHING)
    go(alex, "home")
    expect(alex.locator("#home-recent-title")).to_have_text("From your partner (5 new)")
    for route in ("journal", "gratitude", "energy", "appointments"):
        go(alex, route)
    go(alex, "home")
    expect(alex.locator("#home-recent-title")).to_have_text("From your partner (1 new)")   # their map, until "Got it"
    notice = alex.locator(".notice", has_text="updated their map")
    notice.get_by_role("link").click()
    expect(alex.locator(".segment[aria-current=page]")).to_have_text("My partner's map")
    assert alex.errors == [] and sam.errors == []
