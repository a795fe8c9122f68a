"""The appointment notes on a phone that speaks Spanish (issue #14, "Languages"): the list,
one set of notes with every form open, a partner's notes read-only, the large text shown at
the visit and the page to print. In their fullest state no English is left on them, and axe
finds nothing serious.

What people wrote here (titles, questions, answers) is in Spanish, so that any English found
is the app's own."""

import re

import pytest
from playwright.sync_api import expect

from app_helpers import go
from language_helpers import expect_spanish, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "Revisión con oncología"
QUESTIONS = ["¿Cuánto durará el cansancio?", "¿Podemos viajar en verano?"]
ANSWER = "Unas semanas; descansar a menudo."


def new_notes(page, title: str, shared: bool = True) -> None:
    page.get_by_role("button", name="Nueva cita").click()
    page.get_by_label("¿Qué cita es?").fill(title)
    page.get_by_label("¿Cuándo es? (si lo sabes)").fill("2031-03-14")
    if not shared:
        page.get_by_label("Mi pareja puede ver estas notas").uncheck()
    page.get_by_role("button", name="Empezar las notas").click()
    expect(page.locator("#view h1")).to_have_text(title)


def test_every_appointment_screen_with_its_forms_open_is_all_in_spanish(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    go(alex, "appointments")
    expect(alex.locator("h1")).to_have_text("Notas para las citas")
    expect(alex.locator(".empty")).to_contain_text("Aún no hay notas.")
    alex.get_by_role("button", name="Nueva cita").click()
    alex.get_by_role("button", name="Empezar las notas").click()   # no name yet: said plainly
    expect(alex.locator(".appt-new .form-error")).to_have_text(
        "Primero ponle a la cita un nombre corto, de hasta 200 caracteres.")
    expect_spanish(alex, "empty list, new appointment form with its error")
    alex.get_by_role("button", name="Cancelar").click()

    # Notes kept to this phone, then shared ones with questions, an answer and a next date.
    new_notes(alex, "Análisis de sangre", shared=False)
    expect(alex.locator(".notice")).to_have_text(re.compile("Por ahora, estas notas están solo en este teléfono."))
    go(alex, "appointments")
    new_notes(alex, TITLE)
    box = alex.locator("#appt-add-question")
    box.press("Enter")
    expect(alex.locator(".appt-add .form-error")).to_have_text("Escribe unas palabras primero.")
    for i, question in enumerate(QUESTIONS, 1):
        box.fill(question)
        box.press("Enter")
        expect(alex.locator(".appt-question")).to_have_count(i)
    expect(alex.locator("[role=status].visually-hidden")).to_have_text("Añadida. Llevas 2 preguntas.")
    alex.get_by_text("¿No sabes qué preguntar? Algunas ideas").click()
    idea = "¿Hay algo por escrito sobre esto que podamos llevarnos a casa?"
    alex.get_by_role("button", name=f"Añadir: {idea}").click()
    expect(alex.locator(".appt-question-text")).to_have_text([*QUESTIONS, idea])
    first = alex.locator(".appt-question").nth(0)
    first.get_by_role("button", name="Escribir la respuesta").click()
    first.get_by_label("La respuesta que te dieron").fill(ANSWER)
    first.get_by_role("button", name="Guardar").click()
    expect(first.locator(".appt-answer-text")).to_have_text(ANSWER)
    alex.get_by_label("Si te dieron fecha para la próxima cita").fill("2031-04-02")
    alex.get_by_role("button", name="Guardar la fecha").click()
    expect(alex.get_by_role("button", name="Empezar notas para esa cita")).to_be_visible()
    # Every form open at once: an answer being written (its wording too), a removal asked
    # about, the name and date, and the deletion asked about.
    second = alex.locator(".appt-question").nth(1)
    second.get_by_role("button", name="Escribir la respuesta").click()
    second.get_by_text("Cambiar cómo está escrita la pregunta").click()
    first.get_by_role("button", name="Quitar").click()
    expect(first.get_by_role("group", name="¿Quitar esta pregunta?")).to_contain_text("¿Quitar esta pregunta y su respuesta?")
    alex.get_by_text("Cambiar el nombre o la fecha").click()
    alex.get_by_role("button", name="Borrar estas notas").click()
    expect(alex.get_by_role("group", name="¿Borrar estas notas?")).to_contain_text(
        "¿Borrar estas notas de los dos teléfonos?")
    expect_spanish(alex, "my notes in Spanish, every form open")
    go(alex, "appointments")
    expect(alex.locator(".appt-card", has_text=TITLE).locator(".appt-meta").first).to_have_text(
        "Tuyas · 3 preguntas, 1 con respuesta")
    expect(alex.locator(".appt-card", has_text="Análisis de sangre")).to_contain_text("Solo en este teléfono")
    expect_spanish(alex, "my list in Spanish")

    # Sam: the shared notes, read-only, shown large and ready to print.
    go(sam, "appointments")
    card = sam.locator(".appt-card", has_text=TITLE)
    expect(card.locator(".appt-meta").first).to_have_text("De tu pareja · 3 preguntas, 1 con respuesta")
    expect(card.locator(".appt-meta").nth(1)).to_contain_text("Próxima cita: ")
    expect_spanish(sam, "a partner's notes in the list, in Spanish")
    card.get_by_role("link", name=TITLE).click()
    expect(sam.locator("#view h1")).to_have_text(TITLE)
    expect(sam.locator(".lede")).to_contain_text("Notas de tu pareja")
    expect(sam.get_by_text("Solo tu pareja puede cambiarlas.")).to_be_visible()
    expect_spanish(sam, "a partner's notes, read-only, in Spanish")
    appt_id = re.search(r"id=([^&]+)", sam.url).group(1)
    go(sam, f"appointments?id={appt_id}&mode=show")
    expect(sam.locator(".show-answer-label")).to_have_text("Respuesta: ")
    expect_spanish(sam, "shown at the appointment, in Spanish")
    go(sam, f"appointments?id={appt_id}&mode=print")
    expect(sam.locator(".sheet-next")).to_contain_text("Próxima cita: ")
    expect_spanish(sam, "the page to print, in Spanish")
    go(sam, "appointments?id=gone&mode=print")
    expect(sam.locator("h1")).to_have_text("Estas notas ya no están aquí.")
    expect_spanish(sam, "notes no longer here, in Spanish")
    assert alex.errors == [] and sam.errors == []
