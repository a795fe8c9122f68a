"""The weekly check-in on phones that speak Spanish (issue #14, "Languages"): before
pairing, with a past week opened, my answers sealed and still open to change, the gentle
helper and an empty try, the check-in day chosen by my partner, a week sat out, and both
weeks open side by side. No English is left on it, and axe finds nothing serious.

What people wrote stays in their own words: answers here are partly English on purpose,
and english_left spares them because they carry dir="auto"."""

import pytest
from playwright.sync_api import expect

from app_helpers import go, open_app
from language_helpers import expect_spanish, paired_in_english as spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 15_000   # a change on one phone reaches the other through the relay
LAST_WEEK = """() => import('/js/core/checkin.js').then((c) => c.currentWeek(new Date(Date.now() - 7 * 86400000)))"""
ANSWER_WEEK = """([week, needs]) => import('/js/device/checkins.js').then((m) => m.answer({ week, answers: { needs } }))"""
NEEDS = "¿Qué te haría sentir que te cuidan esta semana?"




def test_an_unpaired_phone_is_told_in_spanish(relay, browser_context):
    page = open_app(browser_context(locale="es-ES"), relay.url)
    go(page, "checkin")
    expect(page.locator("h1")).to_have_text("Charla semanal")
    expect(page.get_by_role("link", name="Emparejarme con mi pareja")).to_be_visible()
    expect_spanish(page, "check-in, unpaired")
    assert page.errors == []


def test_the_check_in_in_every_state_is_all_in_spanish(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    for page in (alex, sam):
        page.evaluate("() => localStorage.removeItem('hearth-language')")
    # Last week both answered, so it opens to look back on; Alex answers this week.
    last = alex.evaluate(LAST_WEEK)
    year, number = last.split("-W")
    alex.evaluate(ANSWER_WEEK, [last, "A slow Sunday, last week."])
    sam.evaluate(ANSWER_WEEK, [last, "Tu paciencia, la semana pasada."])
    for page in (alex, sam):
        page.reload()
    go(alex, "checkin")
    expect(alex.locator("h1")).to_have_text("Charla semanal")
    expect(alex.locator(".notice")).to_have_text("Todavía no ha respondido nadie. No hay prisa.")
    alex.get_by_role("button", name="Sellar y compartir mis respuestas").click()
    expect(alex.locator(".form-error")).to_have_text("Escribe algo en al menos una pregunta primero.")
    # The gentle helper writes its words in the person's language.
    alex.get_by_text("Ayúdame a decirlo con cariño").click()
    alex.get_by_label("Cuando…", exact=True).fill("vamos con prisas")
    alex.get_by_label("Siento…", exact=True).fill("cansancio")
    alex.get_by_role("button", name="Usar estas palabras").click()
    expect(alex.locator("#ci-i_statement")).to_have_value("Cuando vamos con prisas, siento cansancio.")
    expect_spanish(alex, "check-in form, helper open, an empty try")
    alex.get_by_label(NEEDS).fill("An early night.")
    alex.get_by_role("button", name="Sellar y compartir mis respuestas").click()
    expect(alex.locator(".notice")).to_have_text(
        "Tus respuestas están selladas y compartidas. Se abrirán juntas cuando tu pareja también haya respondido.")
    expect(alex.get_by_role("button", name="Cambiar mis respuestas")).to_be_visible()

    # Sam picks the day; Alex's phone says who chose it, in Spanish words for the day.
    go(sam, "checkin")
    expect(sam.locator(".notice").first).to_have_text(
        "Tu pareja ya ha respondido. Sus respuestas se abrirán cuando compartas las tuyas.", timeout=SYNC_WAIT)
    sam.get_by_label("El día de nuestra charla").select_option("wednesday")
    expect(sam.locator(".checkin-day-saved")).to_have_text("Guardado. Vuestro día de charla es el miércoles.")
    past = sam.locator(".checkin-past-week", has_text=f"Semana {number} de {year}")
    past.locator("summary").click()
    expect(past.get_by_role("region", name=f"Tu pareja, Semana {number} de {year}")).to_contain_text("A slow Sunday")
    expect_spanish(sam, "check-in form, the partner answered, the day just chosen, last week open")
    expect(alex.locator(".checkin-day-by")).to_have_text("Tu pareja eligió el miércoles.", timeout=SYNC_WAIT)
    expect(alex.locator("#checkin-day option:checked")).to_have_text("miércoles")
    expect_spanish(alex, "my answers sealed, still open to change")

    # Sam sits the week out, then answers after all: both weeks open side by side.
    sam.get_by_role("button", name="Saltarme esta semana").click()
    expect(sam.locator(".checkin-skipped")).to_have_text("Esta semana te la saltas. No pasa nada; siempre hay otra semana.")
    expect_spanish(sam, "a week sat out")
    expect(alex.locator(".notice").first).to_have_text(
        "Tu pareja se salta esta semana, así que tus respuestas siguen selladas. No pasa nada.", timeout=SYNC_WAIT)
    expect_spanish(alex, "my partner sits the week out")
    sam.get_by_role("button", name="Responder al final").click()
    sam.get_by_label(NEEDS).fill("Reading to each other.")
    sam.get_by_role("button", name="Sellar y compartir mis respuestas").click()
    this_week = alex.locator(".checkin-body > .revealed")
    expect(this_week).to_contain_text("Reading to each other.", timeout=SYNC_WAIT)
    expect(this_week.locator("h3")).to_have_text(["Tu pareja", "Tú"])
    expect(this_week.locator("dt").first).to_have_text(NEEDS)
    expect_spanish(alex, "both weeks open")
    assert alex.errors == [] and sam.errors == []
