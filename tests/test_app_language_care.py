"""Getting help and Good to know on phones that speak Spanish (issue #14, "Languages").

A Spanish couple, paired through a real relay: Help with the contacts one partner wrote
(shown as the partner's), then with the contacts form open; Good to know with every note
open, its questions' form refusing an empty choice, then adding to an appointment and to
new notes. In each state no English is left (outside what people wrote), axe finds nothing
serious in light or dark, and nothing is wider than a 360 px phone. The sourced sentences
are the Spanish catalogue's, word for word, with the emergency line's number as it is.

What people wrote (contacts, an appointment's title) is in Spanish, so that any English
found is the app's own. Waiting is Playwright's own (expect); nothing sleeps.
"""

import pytest
from playwright.sync_api import expect

from app_helpers import go
from language_helpers import all_spanish, put, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 30_000   # the partner's contacts travel through the relay before they show
CARE_TEAM = "Planta de oncología: 912 345 678, a cualquier hora"
VISIT = "Revisión con oncología"

# Every sourced sentence as this phone's modules make it, and the Spanish catalogue's words.
CARE_WORDS = """() => Promise.all([import('/js/help/facts.js'), import('/js/help/getting-help.js'),
  import('/js/help/notes.js'), import('/js/i18n/es/care.js')])
  .then(([f, h, n, es]) => ({ help: f.sentences([h.INTRO, h.CALL, h.WHO, h.REFERRAL, h.GROUPS]),
                              notes: f.sentences(n.NOTES), count: n.NOTES.length, es: es.default }))"""


def test_getting_help_and_good_to_know_speak_spanish_in_every_state(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    words = alex.evaluate(CARE_WORDS)
    for s in words["help"] + words["notes"]:
        assert s["text"] == words["es"][s["id"]], s["id"]

    # Sam writes the care team's number; Alex sees it as written by the partner.
    go(sam, "help")
    sam.get_by_role("button", name="Escribir nuestros contactos").click()
    sam.get_by_label("Nuestro equipo médico", exact=True).fill(CARE_TEAM)
    sam.get_by_role("button", name="Guardar nuestros contactos").click()
    expect(sam.locator(".help-contact-text")).to_have_text(CARE_TEAM)
    expect(sam.locator("#view [role=status]").filter(has_text="Guardado.")).to_have_count(1)
    go(alex, "help")
    expect(alex.locator("h1")).to_have_text("Pedir ayuda")
    expect(alex.locator(".help-contact-text")).to_have_text(CARE_TEAM, timeout=SYNC_WAIT)
    expect(alex.locator(".help-contacts-list dt")).to_have_text("Nuestro equipo médico (lo escribió tu pareja)")
    shown = alex.locator("#view").inner_text()
    assert [s["text"] for s in words["help"] if s["text"] not in shown] == []
    expect(alex.locator("#view")).to_contain_text("0808 808 00 00")
    all_spanish(alex, "Getting help with the partner's contacts, in Spanish")

    alex.get_by_role("button", name="Escribir nuestros contactos").click()
    expect(alex.get_by_label("Nuestro equipo médico", exact=True)).to_have_value(CARE_TEAM)
    all_spanish(alex, "Getting help with the contacts form open, in Spanish")
    alex.get_by_role("button", name="Cancelar").click()

    # Good to know: one appointment of Alex's own to add to, every note open.
    put(alex, "appointment", {"title": VISIT, "date": "2031-03-14", "questions": []})
    go(alex, "good-to-know")
    expect(alex.locator("h1")).to_have_text("Bueno saberlo")
    notes = alex.locator("details.gtk-note")
    expect(notes).to_have_count(words["count"])
    for summary in alex.locator("details.gtk-note summary").all():
        summary.click()
    shown = alex.locator("#view").inner_text()
    assert [s["text"] for s in words["notes"] if s["text"] not in shown] == []
    fatigue = alex.locator("#gtk-fatigue")
    expect(fatigue.get_by_role("form", name="Preguntas sobre cansancio y ritmo")).to_be_visible()
    expect(fatigue.locator("select option")).to_have_count(2)
    expect(fatigue.locator("select option").last).to_have_text("Notas nuevas: «Preguntas para llevar»")
    all_spanish(alex, "Good to know with every note open, in Spanish")

    # The form refuses an empty choice, then adds to the appointment, then to new notes.
    for box in fatigue.get_by_role("checkbox").all():
        box.uncheck()
    fatigue.get_by_role("button", name="Añadir a las notas de la cita").click()
    expect(fatigue.get_by_role("status")).to_have_text("Marca al menos una pregunta para añadirla.")
    all_spanish(alex, "Good to know with a question form's error, in Spanish")
    fatigue.get_by_role("checkbox").first.check()
    fatigue.get_by_role("button", name="Añadir a las notas de la cita").click()
    expect(fatigue.get_by_role("status")).to_have_text(f"Se han añadido a «{VISIT}». Abrir esas notas")
    fatigue.get_by_role("button", name="Añadir a las notas de la cita").click()
    expect(fatigue.get_by_role("status")).to_have_text(f"Ya están en «{VISIT}». Abrir esas notas")
    pain = alex.locator("#gtk-pain")
    pain.get_by_label("Añadirlas a").select_option(label="Notas nuevas: «Preguntas para llevar»")
    pain.get_by_role("button", name="Añadir a las notas de la cita").click()
    expect(pain.get_by_role("status")).to_have_text("Se han añadido a «Preguntas para llevar». Abrir esas notas")
    all_spanish(alex, "Good to know after adding questions, in Spanish")
    assert alex.errors == [] and sam.errors == []
