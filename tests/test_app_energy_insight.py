"""The energy insight speaks only of what the notes show (issue #14), in a real browser:
ten evenings of notes are not "fairly even across the day"."""

from playwright.sync_api import expect

from app_helpers import go, open_app

EVENINGS = """async () => {
  const records = await import('/js/device/records.js');
  const dates = await import('/js/core/dates.js');
  for (let i = 0; i < 10; i += 1) {
    await records.put('energy', { date: dates.addDays(dates.today(), -i), time_of_day: 'evening', energy: 4 + (i % 3) });
  }
}"""


def test_notes_from_one_time_of_day_make_no_claim_about_the_others(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    page.evaluate(EVENINGS)
    go(page, "energy")
    text = page.locator(".energy-insight .energy-insight-text").first
    expect(text).to_have_text("Your notes so far are all from the evenings. "
                              "A few from other times of day will show whether one suits you better.")
    expect(page.locator(".energy-insight")).not_to_contain_text("fairly even")
    assert page.errors == []
