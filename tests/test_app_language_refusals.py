"""What the records layer refuses, said on a Spanish phone (issue #14, "Languages"): a
treatment period that ends before it starts, and a change to my check-in answers after my
partner has answered too. Both reached the screen in the English hearth-client speaks;
they are said in Spanish now, and nothing is saved."""

import pytest
from playwright.sync_api import expect

from app_helpers import eventually, go, open_app
from language_helpers import expect_spanish, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWER = """(needs) => import('/js/device/checkins.js').then((m) => m.answer({ answers: { needs } }))"""
PARTNER_ANSWERED = """() => import('/js/device/checkins.js').then(async (m) => {
  const c = await import('/js/core/checkin.js');
  return Boolean((await m.checkinWeek(c.currentWeek())).partner);   // sealed, or opened already
})"""
PERIODS = """() => import('/js/device/records.js').then((m) => m.list('period')).then((l) => l.length)"""


def period_ending_before_it_starts(page, mark: str, name: str, start: str, end: str, add: str, refused: str) -> None:
    """A treatment period whose end is before its start, through the form in the phone's
    language (its labels given), refused in `refused` words, and nothing saved."""
    go(page, "boundaries")
    page.get_by_text(mark).click()
    page.get_by_label(name).fill("Semana de quimio")
    page.get_by_label(start, exact=True).fill("2026-11-20")
    page.get_by_label(end).fill("2026-11-10")
    page.locator(".periods").get_by_role("button", name=add).click()
    expect(page.locator(".periods .form-error")).to_have_text(refused)
    assert page.evaluate(PERIODS) == 0


def test_refusals_on_screens_are_said_in_spanish(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)

    period_ending_before_it_starts(alex, "Marcar un periodo de tratamiento", "¿Cómo se llama?", "Desde",
                                   "Hasta (déjalo vacío si aún no lo sabes)", "Añadir",
                                   "El final no puede ser antes del comienzo.")
    expect_spanish(alex, "a period that ends before it starts")

    # Alex answers and opens the answers to change them; Sam answers meanwhile, and the
    # change Alex then sends is refused (the form being typed in stays on the screen).
    alex.evaluate(ANSWER, "An early night.")
    go(alex, "checkin")
    alex.get_by_role("button", name="Cambiar mis respuestas").click()
    sam.evaluate(ANSWER, "Tu paciencia.")
    eventually(alex, PARTNER_ANSWERED)
    alex.get_by_role("button", name="Sellar y compartir mis respuestas").click()
    expect(alex.locator("form.checkin-form .form-error")).to_have_text(
        "Tu pareja también ha respondido esta semana, así que tus respuestas ya no pueden cambiar.")
    expect_spanish(alex, "a change after my partner answered")
    assert alex.errors == [] and sam.errors == []


def test_on_an_english_phone_a_refusal_speaks_plainly_not_in_the_schemas_terms(relay, browser_context):
    """The same refusal in English: plain words, not records.json's "'ends_on' must not be
    before 'starts_on'", which hearth-client prints."""
    page = open_app(browser_context(), relay.url)
    period_ending_before_it_starts(page, "Mark a treatment period", "What is it called?", "From",
                                   "Until (leave empty if you don't know yet)", "Add",
                                   "The end can't come before the start.")
