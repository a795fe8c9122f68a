"""Gratitude and ideas on phones that speak Spanish (issue #14, "Languages"): with no stop
signal yet and with one of each partner's, today's note written (an empty try first),
kept private, then opened again to change; the partner's note new in the list, earlier
notes behind a button, and the idea of the day in both its kinds. No English is left on
it, and axe finds nothing serious.

What people wrote stays in their own words: the notes here are partly English on purpose,
and english_left spares them because they carry dir="auto"."""

import pytest
from playwright.sync_api import expect

from app_helpers import add_boundary, go
from language_helpers import expect_spanish, paired_in_english as spanish_couple, speak

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 15_000   # a change on one phone reaches the other through the relay
EARLIER = """() => Promise.all([import('/js/device/records.js'), import('/js/core/dates.js')]).then(async ([records, dates]) => {
  for (let i = 1; i <= 31; i += 1) await records.put('gratitude', { text: `nota ${i}`, date: dates.addDays(dates.today(), -i), shared: false }); })"""






def test_gratitude_and_ideas_in_every_state_are_all_in_spanish(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    speak(alex, None)
    go(alex, "gratitude")
    expect(alex.locator("h1")).to_have_text("Gratitud e ideas")
    expect(alex.get_by_role("link", name="Elegir una señal para parar")).to_be_visible()
    alex.get_by_role("button", name="Guardar la nota de hoy").click()
    expect(alex.locator(".form-error")).to_have_text("Escribe unas palabras primero; una nota no puede quedar vacía.")
    expect_spanish(alex, "gratitude, no stop signal, an empty try")

    # Each chooses a stop signal (Sam's with a note), and Sam shares a thank-you.
    add_boundary(sam, "Choose a stop signal", "red", note="any time")
    go(sam, "gratitude")
    sam.get_by_label("What are you grateful for today?").fill("Thank you for the soup.")
    sam.get_by_role("button", name="Save today's note").click()
    expect(sam.get_by_text("Shared with your partner")).to_be_visible()
    speak(sam, None)
    alex.evaluate("() => import('/js/device/records.js').then((r) => r.put('boundary', { kind: 'stop_signal', label: 'pausa' }))")
    alex.evaluate(EARLIER)
    alex.reload()
    stop = alex.locator(".gratitude-stop")
    expect(stop.locator("h2")).to_have_text("Vuestras señales para parar", timeout=SYNC_WAIT)
    expect(stop).to_contain_text("red (de tu pareja) · any time")
    expect(stop).to_contain_text("pausa (tuya)")
    expect(alex.locator(".gratitude-note", has_text="Thank you for the soup.").locator(".badge")).to_have_text("Nueva")
    expect(alex.get_by_role("button", name="Ver notas anteriores (2 más)")).to_be_visible()

    # Today's note kept private, then opened again to change; the idea in both its kinds.
    alex.get_by_label("¿Qué agradeces hoy?").fill("A quiet walk.")
    alex.get_by_label("Solo yo, por ahora").check()
    alex.get_by_role("button", name="Guardar la nota de hoy").click()
    expect(alex.locator(".gratitude-today .badge")).to_have_text("Privada, solo para ti")
    expect(alex.get_by_role("button", name="Compartir con mi pareja")).to_be_visible()
    expect_spanish(alex, "gratitude, today's note private, stop signals, notes between you")
    alex.get_by_role("button", name="Editar").click()
    expect(alex.get_by_role("button", name="Guardar los cambios")).to_be_visible()
    kinds = {alex.locator(".gratitude-idea-kind").inner_text()}
    alex.get_by_role("button", name="Otra idea").click()
    kinds.add(alex.locator(".gratitude-idea-kind").inner_text())
    assert kinds == {"Algo para escribir", "Algo para compartir"}
    alex.locator("#gr-energy-more").check()   # "Más", with its words about it
    expect_spanish(alex, "gratitude, today's note being changed, another idea")
    alex.get_by_role("button", name="Otra idea").click()
    expect_spanish(alex, "gratitude, the next idea")
    go(sam, "gratitude")
    expect(sam.locator(".gratitude-today .badge")).to_have_text("Compartida con tu pareja")
    expect_spanish(sam, "gratitude, today's note shared")
    assert alex.errors == [] and sam.errors == []
