"""Settings, and every card on it, on a phone that speaks Spanish (issue #14, "Languages"):
in their fullest state (the confirmations open, forms half filled with their hints and
errors showing, the app lock on, a pairing that has ended) no English is left on them, and
axe finds nothing serious. Two real phones and a real relay; no sleeps.

The phones pair with English chosen for the while (the shared pairing helpers tap English
words on the pairing screens), then follow the phone's own language again."""

import pytest
from playwright.sync_api import expect

from app_helpers import go, open_app
from language_helpers import expect_spanish, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SPANISH_PHONE = {"locale": "es-ES", "viewport": {"width": 360, "height": 780}}
PASSCODE = "281946"








def ask(page, button: str, question: str):
    """Tap `button` and return the confirmation that opens in its place."""
    page.get_by_role("button", name=button, exact=True).click()
    group = page.get_by_role("group", name=question)
    expect(group).to_be_visible()
    return group


def test_settings_on_a_new_phone_speak_spanish(relay, browser_context):
    page = open_app(browser_context(**SPANISH_PHONE), relay.url)
    go(page, "pair")
    expect(page.locator("#view h1")).to_have_text("Vinculación y ajustes")
    expect(page.get_by_role("heading", name="Vincular con tu pareja")).to_be_visible()
    # Restoring a backup: the form, and what it says when nothing was chosen.
    page.get_by_role("button", name="Restaurar una copia de seguridad").click()
    page.get_by_role("button", name="Restaurar", exact=True).click()
    expect(page.get_by_text("Elige primero el archivo de la copia, por favor.")).to_be_visible()
    # A file that isn't a backup: core/backup.js says so in Spanish too.
    page.locator("#restore-file").set_input_files({"name": "notas.hearth", "mimeType": "application/octet-stream",
                                                   "buffer": b"esto no es una copia"})
    page.locator("#restore-pass").fill("gato azul tranquilo")
    page.get_by_role("button", name="Restaurar", exact=True).click()
    expect(page.get_by_text("Este archivo no es una copia de seguridad de Hearth.")).to_be_visible()
    # The app lock's form, with passcodes that don't match.
    page.get_by_role("button", name="Activar el bloqueo de la app").click()
    page.locator("#lock-new").fill(PASSCODE)
    page.locator("#lock-again").fill("999999")
    page.locator("#lock-title").locator("xpath=..").get_by_role("button", name="Activar el bloqueo de la app").click()
    expect(page.get_by_text("No coinciden. Prueba a escribirlos otra vez.")).to_be_visible()
    ask(page, "Borrar Hearth de este teléfono", "¿Borrar todo lo que hay en este teléfono?")
    expect(page.get_by_text("Funciona sin conexión")).to_be_visible()
    expect_spanish(page, "settings on a new phone")
    assert page.errors == []


def test_a_paired_phones_settings_with_every_card_open_speak_spanish(relay, browser_context):
    alex, _sam = spanish_couple(relay, browser_context)
    go(alex, "pair")
    expect(alex.get_by_role("heading", name="Vuestro código de seguridad")).to_be_visible()
    expect(alex.get_by_text("Vinculado hoy")).to_be_visible()
    # A backup under way: a short passphrase, its strength hint, and the error it gets.
    alex.get_by_role("button", name="Guardar una copia de seguridad").click()
    alex.locator("#backup-pass").fill("gato azul")
    expect(alex.locator("#backup-strength")).to_have_text(
        "Corta y fácil de adivinar. Unas cuantas palabras corrientes seguidas son más fáciles de recordar y mucho más difíciles de adivinar.")
    alex.locator("#backup-pass-again").fill("gato rojo")
    alex.get_by_role("button", name="Hacer la copia").click()
    expect(alex.get_by_text("Las dos frases secretas no son iguales. Escríbelas otra vez, por favor.")).to_be_visible()
    # Then made: the file ready to save, counted in Spanish.
    alex.locator("#backup-pass").fill("gato azul en la ventana")
    alex.locator("#backup-pass-again").fill("gato azul en la ventana")
    alex.get_by_role("button", name="Hacer la copia").click()
    expect(alex.get_by_text("Tu copia de seguridad está lista:")).to_be_visible(timeout=60_000)   # Argon2id, on a busy phone
    expect(alex.get_by_role("button", name="Guardar el archivo")).to_be_visible()
    alex.locator("#backup-remind").check()
    # The app lock on, with its ways to turn it off and change the wait.
    alex.get_by_role("button", name="Activar el bloqueo de la app").click()
    alex.locator("#lock-new").fill(PASSCODE)
    alex.locator("#lock-again").fill(PASSCODE)
    alex.locator("#lock-title").locator("xpath=..").get_by_role("button", name="Activar el bloqueo de la app").click()
    expect(alex.get_by_text("El bloqueo de la app está activado.")).to_be_visible()
    expect(alex.locator("#lock-timeout option:checked")).to_have_text("5 minutos")
    alex.locator("#lock-title").locator("xpath=..").locator("summary").click()
    alex.locator("#lock-off").fill("000000")
    alex.get_by_role("button", name="Desactivar el bloqueo de la app").click()
    expect(alex.get_by_text("Ese no es el código, así que el bloqueo sigue activado.")).to_be_visible()
    # Every question asked before something that changes for good, open at once.
    ask(alex, "Mi pareja tiene un teléfono nuevo", "¿Dar la bienvenida al teléfono nuevo de tu pareja?")
    ask(alex, "Pasarme a un teléfono nuevo", "¿Pasar todo a tu teléfono nuevo?")
    ask(alex, "Terminar la vinculación", "¿Terminar la vinculación?")
    ask(alex, "Borrar Hearth de este teléfono", "¿Borrar todo lo que hay en este teléfono?")
    expect(alex.get_by_text("Primero termina vuestra vinculación")).to_be_visible()
    expect_spanish(alex, "a paired phone's settings")
    # A pairing link opened on a phone that is already paired.
    alex.goto(alex.url.split("#")[0] + "#/pair?v=1&s=secreto&e=fin")
    expect(alex.get_by_role("heading", name="Ya está vinculado")).to_be_visible()
    expect_spanish(alex, "a pairing link on a paired phone")
    assert alex.errors == []


def test_an_ended_pairing_speaks_spanish_on_settings_and_home(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    go(sam, "pair")
    ask(sam, "Terminar la vinculación", "¿Terminar la vinculación?").get_by_role(
        "button", name="Sí, terminar la vinculación").click()
    expect(sam.get_by_role("heading", name="Terminaste la vinculación")).to_be_visible()
    ask(sam, "Borrar todo lo que hay en este teléfono", "¿Borrar todo lo que hay en este teléfono?")
    expect_spanish(sam, "settings after ending the pairing")
    go(alex, "home")
    expect(alex.get_by_role("heading", name="La vinculación ha terminado")).to_be_visible()
    expect(alex.get_by_role("link", name="Volver a vincular, o borrar este teléfono")).to_be_visible()
    expect_spanish(alex, "home after the partner ended the pairing")
    go(alex, "pair")
    expect(alex.get_by_text("Tu pareja terminó la vinculación el")).to_be_visible()
    alex.get_by_role("button", name="Volver a vincular").click()
    expect(alex.get_by_role("heading", name="Volver a vincular")).to_be_visible()
    expect_spanish(alex, "pairing again after the end")
    assert alex.errors == [] and sam.errors == []
