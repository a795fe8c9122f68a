"""Reminders on phones that speak Spanish (issue #14, "Languages"): the screen turned on,
with the detailed words chosen, a look-back due and already mentioned, an appointment and
the couple's check-in day coming up; and on the partner's phone, a refused permission. No
English is left on either, axe finds nothing serious, and the words kept for the service
worker's reminders are Spanish too (they are worked out on the page).

What people wrote (titles) is in Spanish, so that any English found is the app's own."""

import pytest
from playwright.sync_api import expect

from app_helpers import go, wait_installed
from language_helpers import expect_spanish, put, spanish_couple
from test_app_reminders import DAYS_FROM_TODAY, META, PUT_EXPERIMENT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "Diez minutos abrazados antes de dormir"


def test_the_reminders_screen_turned_on_or_refused_is_all_in_spanish(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    alex.context.grant_permissions(["notifications"], origin=relay.url)   # Sam's phone is never asked
    go(alex, "reminders")
    expect(alex.locator("h1")).to_have_text("Recordatorios")
    wait_installed(alex)
    switch = alex.get_by_role("switch", name="Recordármelo en este teléfono")
    switch.click()
    expect(switch).to_be_checked()
    expect(alex.locator("#rem-status")).to_have_text(
        "Los recordatorios están activados. Cada cosa se menciona una sola vez y nunca hay nada que responder.")
    expect(alex.locator(".rem-preview")).to_contain_text("Algo que dejaste pendiente te espera cuando quieras.")
    alex.get_by_role("radio", name="Mostrar de qué se trata").check()
    expect(alex.locator(".rem-preview")).to_contain_text("Es momento de mirar atrás sobre «Un paseo tranquilo")

    put(alex, "appointment", {"title": "Revisión con oncología", "date": alex.evaluate(DAYS_FROM_TODAY, 3)})
    alex.evaluate(PUT_EXPERIMENT, [TITLE, alex.evaluate(DAYS_FROM_TODAY, -8)])
    due = alex.locator(".rem-item", has_text=TITLE)
    expect(due).to_contain_text("Recordado")
    expect(due).to_contain_text("Te espera")
    expect(alex.locator(".rem-item", has_text="Revisión con oncología")).to_contain_text(
        "Cita: «Revisión con oncología», con tus preguntas listas para mostrarlas o imprimirlas.")
    expect(alex.locator(".rem-day")).to_contain_text("Vuestra charla semanal es el ")
    expect(alex.locator(".rem-wake")).to_be_visible()
    expect_spanish(alex, "reminders on, detailed, in Spanish")
    kept = alex.evaluate(META, "reminder_schedule")
    assert any(item["body"] == f"Es momento de mirar atrás sobre «{TITLE}», cuando tengas un rato tranquilo."
               for item in kept["items"]), kept

    # Sam's phone refuses notifications: said kindly, in Spanish.
    go(sam, "reminders")
    sam.get_by_role("switch", name="Recordármelo en este teléfono").click()
    expect(sam.locator("#rem-status")).to_contain_text("Las notificaciones de Hearth están desactivadas")
    expect_spanish(sam, "reminders refused, in Spanish")
    assert alex.errors == [] and sam.errors == []
