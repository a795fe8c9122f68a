"""Nothing typed or tapped is doubled (issue #14), in two real browsers paired through a
real relay: a form fixes its record's id when it opens, so three quick taps on its save
button make one record, on both phones."""

from playwright.sync_api import expect

from app_helpers import eventually, expect_status, go

# Three taps before the first save has finished: the button is still there for each.
TAP_THRICE = """(name) => {
  const button = [...document.querySelectorAll('#view button')].find((b) => b.textContent.trim() === name);
  button.click(); button.click(); button.click();
}"""


def count(page, rtype: str, text_field: str, text: str) -> int:
    return page.evaluate("""([type, field, text]) => import('/js/device/records.js')
      .then((r) => r.list(type)).then((all) => all.filter((x) => x[field] === text).length)""", [rtype, text_field, text])


def test_three_quick_taps_make_one_record_of_every_kind_on_both_phones(browser_couple):
    alex, sam = browser_couple()

    go(alex, "journal")
    alex.get_by_role("button", name="Write an entry").click()
    alex.get_by_label("What did you try, and how did it feel?").fill("Breakfast in bed, slowly.")
    alex.evaluate(TAP_THRICE, "Share with my partner")
    expect(alex.locator(".entry-text", has_text="Breakfast in bed")).to_have_count(1)

    go(alex, "gratitude")
    alex.get_by_label("What are you grateful for today?").fill("You made soup.")
    alex.evaluate(TAP_THRICE, "Save today's note")

    go(alex, "energy")
    form = alex.locator("form.energy-form")
    form.get_by_role("slider", name="Energy", exact=True).fill("6")
    form.get_by_label("Anything else?").fill("A gentle walk.")
    form.get_by_label("Share this with my partner").check()
    alex.evaluate(TAP_THRICE, "Save")
    expect(form.locator(".energy-saved")).to_contain_text("Saved")

    go(alex, "appointments")
    alex.get_by_role("button", name="New appointment").click()
    alex.get_by_label("What is the appointment?").fill("Physio review")
    alex.evaluate(TAP_THRICE, "Start the notes")
    expect(alex.locator("#view h1")).to_have_text("Physio review")

    expect_status(alex, "Synced")
    for page in (alex, sam):
        assert eventually(page, """() => import('/js/device/records.js').then(async (r) =>
          (await r.list('journal')).some((e) => e.text === 'Breakfast in bed, slowly.'))""")
        assert count(page, "journal", "text", "Breakfast in bed, slowly.") == 1
        assert count(page, "gratitude", "text", "You made soup.") == 1
        assert count(page, "energy", "note", "A gentle walk.") == 1
        assert count(page, "appointment", "title", "Physio review") == 1
    assert alex.errors == [] and sam.errors == []


def test_three_quick_taps_propose_one_experiment_and_add_one_boundary_and_one_period(browser_couple):
    alex, sam = browser_couple()
    go(alex, "experiments")
    alex.get_by_role("button", name="Propose something small").first.click()
    alex.get_by_label("What would you like to try?").fill("Holding hands on the sofa")
    alex.evaluate(TAP_THRICE, "Propose it")
    expect(alex.locator(".exp-proposal .exp-title", has_text="Holding hands")).to_be_visible()

    go(alex, "boundaries")
    alex.get_by_text("Add a kind of touch").click()
    form = alex.locator("details.boundary-add-fold[open]")
    form.get_by_label("In a few words").fill("a hand on my shoulder")
    form.evaluate("(f) => { const b = f.querySelector('button[type=submit]'); b.click(); b.click(); b.click(); }")
    expect(alex.locator(".boundary-item", has_text="a hand on my shoulder")).to_have_count(1)

    alex.get_by_text("Mark a treatment period").click()
    alex.get_by_label("What is it called?").fill("chemo week")
    alex.locator("form.boundary-add", has=alex.get_by_label("What is it called?")).evaluate(
        "(f) => { const b = f.querySelector('button[type=submit]'); b.click(); b.click(); b.click(); }")

    expect_status(alex, "Synced")
    for page in (alex, sam):
        assert eventually(page, """() => import('/js/device/records.js').then(async (r) =>
          (await r.list('period')).some((p) => p.label === 'chemo week'))""")
        assert count(page, "experiment", "title", "Holding hands on the sofa") == 1
        assert count(page, "boundary", "label", "a hand on my shoulder") == 1
        assert count(page, "period", "label", "chemo week") == 1
    assert alex.errors == [] and sam.errors == []
