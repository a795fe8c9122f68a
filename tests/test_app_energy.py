"""Energy and symptoms (#/energy) in a real chromium, two phones against a real relay.

A note stays on its owner's phone until they choose to share it; shared notes reach the
partner's list and chart; the "when you tend to feel best" insight appears once there is
enough to go on; and the screen passes axe and fits a 360 px phone at 200% text.
Waiting is Playwright's own (expect); nothing sleeps.
"""

from playwright.sync_api import expect

from app_helpers import expect_status, go, in_each_scheme, open_app, pair_by_link, serious_axe_violations, wider_than_a_phone

# Puts `days` days of notes on this phone through the app's own device module:
# a morning and an evening entry each day, with the energy given for each.
SEED = """async ({ days, morning, evening, shared }) => {
  const records = await import('/js/device/records.js');
  const dates = await import('/js/core/dates.js');
  const today = dates.today();
  for (let i = 0; i < days; i += 1) {
    const date = dates.addDays(today, -i);
    await records.put('energy', { date, time_of_day: 'morning', energy: morning, pain: 2, shared });
    await records.put('energy', { date, time_of_day: 'evening', energy: evening, fatigue: 6, shared });
  }
}"""


def log_note(page, note: str, energy: str = "7", share: bool = False) -> None:
    go(page, "energy")
    form = page.locator("form.energy-form")
    form.get_by_role("slider", name="Energy", exact=True).fill(energy)
    expect(form.locator(".energy-scale", has=page.locator("#energy-energy")).locator("output")).to_have_text(energy)
    form.get_by_label("Anything else?").fill(note)
    if share:
        form.get_by_label("Share this with my partner").check()
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".energy-saved")).to_contain_text("Saved")
    item = page.locator(".energy-entry", has_text=note)
    expect(item.locator(".badge")).to_have_text("Shared" if share else "Only on this phone")
    expect(item.locator(".chip", has_text="Energy")).to_have_text(f"Energy {energy}")


def seed(page, days: int, morning: int, evening: int, shared: bool = True) -> None:
    page.evaluate(SEED, {"days": days, "morning": morning, "evening": evening, "shared": shared})


def test_a_note_stays_private_until_its_owner_shares_it(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)

    go(alex, "energy")
    form = alex.locator("form.energy-form")
    expect(form.get_by_label("Share this with my partner")).not_to_be_checked()
    expect(form.get_by_role("radio", checked=True)).to_have_count(1)          # time of day, from the clock
    assert form.locator("#energy-date").input_value() == alex.evaluate(
        "() => import('/js/core/dates.js').then((m) => m.today())")

    # Saving with nothing noted changes nothing and says what to do, kindly.
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".form-error")).to_contain_text("Move any one of the sliders")
    expect(alex.locator(".energy-entry")).to_have_count(0)

    log_note(alex, "Kept to myself today.", energy="3")
    log_note(alex, "A good morning, happy to share.", energy="8", share=True)
    expect_status(alex, "Synced")

    go(sam, "energy")
    partner_item = sam.locator(".energy-entry-partner", has_text="happy to share")
    expect(partner_item.locator(".entry-author")).to_have_text("Your partner")
    expect(sam.locator("figure.chart figcaption", has_text="Your partner")).to_have_count(2)  # their own and together
    expect(sam.locator("#chart-partner-caption")).to_contain_text("averaging 8 out of 10 over the last 14 days")
    expect(sam.locator("#chart-partner-caption")).not_to_contain_text("noted on")   # never a count of logging
    assert "Kept to myself" not in sam.locator("#view").inner_text()

    # Alex shares the earlier one with a deliberate tap; it arrives while Sam is looking.
    private = alex.locator(".energy-entry", has_text="Kept to myself")
    private.get_by_role("button", name="Share").click()
    expect(private.locator(".badge")).to_have_text("Shared")
    expect(sam.locator(".energy-entry-partner", has_text="Kept to myself")).to_be_visible()
    expect(sam.locator("#chart-partner-caption")).to_contain_text("averaging 5.5 out of 10")

    # Deleting a shared note takes it off both phones.
    shared = alex.locator(".energy-entry", has_text="happy to share")
    shared.get_by_role("button", name="Delete").click()
    alex.get_by_role("button", name="Yes, delete it").click()
    expect(alex.locator(".energy-entry", has_text="happy to share")).to_have_count(0)
    expect(sam.locator(".energy-entry", has_text="happy to share")).to_have_count(0)
    assert alex.errors == [] and sam.errors == []


def test_the_insight_waits_for_enough_days_then_names_the_better_times(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)

    go(alex, "energy")
    expect(alex.locator(".energy-insight")).to_contain_text(
        "After a few days of logging, Hearth will notice when you tend to feel best")
    seed(alex, 2, morning=8, evening=6)
    go(alex, "home")
    go(alex, "energy")
    expect(alex.locator(".energy-entry").first).to_be_visible()
    expect(alex.locator(".energy-insight")).to_contain_text("After a few days of logging")

    seed(alex, 10, morning=8, evening=6)       # Alex: mornings are best
    seed(sam, 10, morning=3, evening=8)        # Sam: evenings are best
    go(alex, "home")
    go(alex, "energy")
    insight = alex.locator(".energy-insight")
    expect(insight.locator(".energy-insight-text").first).to_have_text(
        "Your energy has tended to be highest in the mornings.")
    expect(insight.locator(".energy-slot", has_text="Morning")).to_contain_text("8")
    expect(insight).to_contain_text("a morning might feel easiest")
    # Sam's shared notes arrive, but Sam's pattern stays Sam's until Sam chooses to let Alex see it.
    expect(alex.locator("#chart-together .chart-partner .chart-dot")).to_have_count(10)
    expect(insight.locator(".energy-insight-partner")).to_have_count(0)
    expect(insight.locator(".energy-insight-together")).to_have_count(0)
    go(sam, "energy")
    switch = sam.get_by_label("Let my partner see when I tend to feel best")
    expect(switch).not_to_be_checked()
    switch.check()
    # The view redraws by itself with their pattern, its gentle suggestion and a shared one.
    expect(insight.locator(".energy-insight-partner")).to_have_text(
        "Your partner's energy has tended to be highest in the evenings.")
    expect(insight.locator(".energy-insight-partner-hint")).to_contain_text("an evening might suit them best")
    expect(insight.locator(".energy-insight-together")).to_contain_text(
        "You've both tended to have more energy in the evenings")
    expect(alex.locator("#chart-together .chart-partner .chart-dot")).to_have_count(10)
    expect(alex.locator("#chart-together .chart-you .chart-dot")).to_have_count(10)

    # The chart follows the chosen measure and period.
    alex.get_by_role("radio", name="30 days").check()
    expect(alex.locator("#chart-you-caption")).to_contain_text("over the last 30 days")
    alex.get_by_role("radio", name="Pain").check()
    expect(alex.locator("#chart-you-caption")).to_contain_text("Pain averaging 2 out of 10 over the last 30 days")
    assert alex.errors == [] and sam.errors == []


def test_the_screen_is_accessible_and_fits_a_narrow_phone(relay, browser_context):
    alex = open_app(browser_context(), relay.url)
    sam = open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    seed(sam, 8, morning=7, evening=4)
    seed(alex, 8, morning=5, evening=7, shared=False)
    go(alex, "home")
    go(alex, "energy")
    expect(alex.locator("#chart-together")).to_be_visible()          # Sam's shared notes have arrived
    expect(alex.locator(".energy-insight-text").first).to_contain_text("evenings")
    alex.locator("#energy-energy").fill("6")                          # a slider in its "noted" state too
    alex.get_by_label("Share this with my partner").check()

    problems = []
    for scheme in in_each_scheme(alex):
        problems += wider_than_a_phone(alex, f"energy ({scheme})") + serious_axe_violations(alex, f"energy ({scheme})")
    assert problems == []
    assert alex.errors == [] and sam.errors == []


# What Sam's phone stores for a record of Alex's, straight from IndexedDB.
STORED = """(id) => import('/js/data/db.js').then((db) => db.record('energy', id)).then((r) => r && r.fields)"""


def test_a_shared_note_can_be_taken_back_and_leaves_the_partners_phone(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    log_note(alex, "A rough night, but the morning was kind.", energy="4", share=True)
    rid = alex.locator(".energy-entry", has_text="rough night").get_attribute("id").removeprefix("energy-")
    go(sam, "energy")
    expect(sam.locator(".energy-entry-partner", has_text="rough night")).to_be_visible()

    # Alex changes their mind: no reason asked, a truthful word that it may have been read,
    # and it leaves Sam's phone.
    mine = alex.locator(".energy-entry", has_text="rough night")
    mine.get_by_role("button", name="Stop sharing").click()
    expect(mine.get_by_role("group", name="Stop sharing this note?")).to_contain_text("they may already have read it")
    mine.get_by_role("button", name="Yes, stop sharing").click()
    expect(mine.locator(".badge")).to_have_text("Only on this phone")
    expect(sam.locator(".energy-entry", has_text="rough night")).to_have_count(0)
    expect(sam.locator("#view")).to_contain_text("If your partner chooses to share their notes")
    assert sam.evaluate(STORED, rid) == {"shared": False}     # nothing of the note is kept there

    # It stays whole on Alex's phone, and sharing again brings all of it back.
    expect(mine.locator(".chip", has_text="Energy")).to_have_text("Energy 4")
    mine.get_by_role("button", name="Share").click()
    back = sam.locator(".energy-entry-partner", has_text="rough night")
    expect(back.locator(".chip", has_text="Energy")).to_have_text("Energy 4")
    assert alex.errors == [] and sam.errors == []
