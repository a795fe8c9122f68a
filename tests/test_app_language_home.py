"""Home, the sync status line and the install hint speak Spanish on a Spanish phone (issue
#14, "Languages"): opened in their fullest state, with no English left on them (outside what
people wrote) and nothing serious for axe. Two real phones and a real relay; no sleeps.

The partner's things are written in Spanish, as a Spanish-speaking couple would, so that
english_left() finds only the app's own words. Other screens are reached through the
device modules rather than their forms, so these tests do not depend on those screens'
words (moved into the catalogue by another change).
"""

import re

import pytest
from playwright.sync_api import expect

from app_helpers import (as_if_agreed, confirm_pairing, days_ago, english_left, eventually, expect_status, go,
                         open_app, safety_code, serious_axe_violations, show_code)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SPANISH = {"locale": "es-ES"}
HOME_TITLE = '#view[data-view="home"] h1'

OFFER_TO_INSTALL = """() => {
  const offer = new Event('beforeinstallprompt', { cancelable: true });
  offer.prompt = () => Promise.resolve();
  dispatchEvent(offer);
}"""

# The partner's updates of every kind Home lists, in Spanish, through the app's own module.
SHARE_EVERYTHING = """async () => {
  const records = await import('/js/device/records.js');
  const today = (await import('/js/core/dates.js')).today();
  await records.put('journal', { text: 'Un baño tranquilo, con poca luz. Nos sentimos cerca.', shared: true });
  await records.put('gratitude', { text: 'Gracias por el té de esta mañana.', date: today, shared: true });
  await records.put('energy', { date: today, time_of_day: 'morning', energy: 6, mood: 8, shared: true });
  await records.put('appointment', { title: 'Revisión con enfermería', questions: [{ text: '¿Es normal el cansancio?' }] });
  await records.put('boundary', { kind: 'touch', label: 'una mano en la espalda', level: 'welcome' });
  await records.put('boundary', { kind: 'stop_signal', label: 'naranja', note: 'y paramos' });
}"""

# The partner's request for more care on a boundary of mine (as the boundaries screen asks it).
ASK_FOR_CARE = """async (label) => {
  const records = await import('/js/device/records.js');
  const mine = (await records.list('boundary')).find((b) => b.label === label);
  if (!mine) return false;
  await records.put('boundary', { level: 'ask_first' }, mine.id);
  return true;
}"""


def spanish_couple(relay, browser_context):
    """Two phones speaking Spanish, paired by link. The pairing screen is driven as
    app_helpers.pair_by_link does, by the ids its buttons carry in any language; only Home's
    greeting is awaited in Spanish (test_app_language_pairing.py reads the pairing words)."""
    alex = open_app(browser_context(**SPANISH), relay.url)
    sam = open_app(browser_context(**SPANISH), relay.url)
    link = show_code(alex)
    sam.goto(link)
    code = confirm_pairing(sam)
    assert safety_code(alex) == code
    alex.locator("#pair-match").click()
    expect(sam.locator("#paired-title")).to_be_visible()
    sam.locator("#pair-continue").click()
    for page in (alex, sam):
        expect(page.locator(HOME_TITLE)).to_have_text("Qué bien verte.")
    return alex, sam


def test_the_welcome_and_the_install_hint_speak_spanish(relay, browser_context):
    page = open_app(browser_context(**SPANISH), relay.url)
    expect(page.locator(HOME_TITLE)).to_have_text("Te damos la bienvenida. Tómate tu tiempo.")
    page.evaluate(OFFER_TO_INSTALL)
    hint = page.locator(".install-hint")
    expect(hint.get_by_role("button", name="Añadir a la pantalla de inicio")).to_be_visible()
    expect(hint.get_by_role("button", name="Ahora no")).to_be_visible()
    expect_status(page, "Aún sin vincular. Lo que escribas se queda en este teléfono.")
    expect(page.get_by_role("link", name="Vincular con mi pareja")).to_have_attribute("href", "#/pair")
    assert english_left(page) == []
    assert serious_axe_violations(page, "welcome in Spanish") == []
    assert page.errors == []


def test_the_paired_home_and_the_status_line_speak_spanish(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    # Alex's own map, a boundary Sam asks more care for, and Alex's note of the day.
    alex.evaluate("() => import('/js/device/records.js').then((m) => m.put('boundary', "
                  "{ kind: 'touch', label: 'un beso en el cuello', level: 'welcome' }))")
    alex.evaluate("() => import('/js/device/records.js').then(async (m) => m.put('energy', { date: "
                  "(await import('/js/core/dates.js')).today(), time_of_day: 'morning', energy: 7, mood: 6, "
                  "sleep_hours: 7.5, note: 'Dormí bien por fin' }))")
    # An experiment running on its third day, and everything Sam shares.
    alex.evaluate("(d) => import('/js/device/records.js').then((m) => m.put('experiment', "
                  "{ title: 'Cogernos de la mano al pasear', starts_on: d, days: 7 }))", days_ago(2))
    as_if_agreed(alex, "Cogernos de la mano al pasear", days_ago(8))
    sam.evaluate(SHARE_EVERYTHING)
    eventually(sam, ASK_FOR_CARE, "un beso en el cuello")   # once Alex's boundary has reached Sam's phone

    go(alex, "home")
    expect(alex.locator(".notice", has_text="Tu pareja te pide más cuidado")).to_be_visible()
    expect(alex.locator(".notice", has_text="Tu pareja ha actualizado su mapa.")).to_be_visible()
    expect(alex.locator("#home-recent-title")).to_have_text("De tu pareja (6 novedades)")
    recent = alex.locator(".recent")
    expect(recent.locator(".recent-item")).to_have_count(4)
    expect(alex.locator(".home-today .today-energy")).to_contain_text("Anotaste: energía 7, ánimo 6, 7,5 h de sueño.")
    expect(alex.locator(".home-today .today-experiment")).to_contain_text(
        "“Cogernos de la mano al pasear”: día 3 de 7, quedan 4 días.")
    expect(alex.locator(".home-today .today-checkin")).to_contain_text("La charla de esta semana aún no tiene respuesta.")
    expect(alex.locator(".home-today .today-checkin .today-day")).to_have_text(
        re.compile(r"^(Hoy es vuestro día de charla\.|Vuestro día de charla es el domingo\.)$"))
    expect(alex.locator(".stop-signal")).to_contain_text("naranja (la de tu pareja) — y paramos")
    expect_status(alex, "Sincronizado")
    assert english_left(alex) == []
    assert serious_axe_violations(alex, "home in Spanish") == []

    # Sam's Home: Alex's things and the energy of the day, said with its time of day.
    alex.evaluate("() => import('/js/device/records.js').then(async (m) => m.put('energy', { date: "
                  "(await import('/js/core/dates.js')).today(), time_of_day: 'evening', energy: 5, shared: true }))")
    go(sam, "home")
    expect(sam.locator(".recent-energy")).to_contain_text("Compartió una nota: energía 5 · Hoy, al anochecer")
    expect(sam.locator(".recent-boundary").first).to_contain_text("un beso en el cuello: pregunta antes")
    assert english_left(sam) == []
    assert alex.errors == [] and sam.errors == []


def test_the_lock_screen_speaks_spanish_with_its_ways_out_and_its_waits(relay, browser_context):
    page = open_app(browser_context(**SPANISH), relay.url)
    # The lock turned on through its own module (the Settings card's words are another change's).
    page.evaluate("() => import('/js/lock/state.js').then((s) => s.turnOn('246813'))")
    page.reload()
    expect(page.get_by_role("heading", name="Hearth está bloqueado")).to_be_visible()
    page.get_by_label("Código", exact=True).fill("111111")
    page.get_by_role("button", name="Desbloquear", exact=True).click()
    expect(page.locator("#lock-message")).to_have_text("Ese no es el código. Tómate tu tiempo y vuelve a intentarlo.")
    page.get_by_text("¿Has olvidado el código?").click()
    page.get_by_role("button", name="Borrar este teléfono y empezar de nuevo").click()
    expect(page.get_by_role("button", name="Sí, borrar todo lo que hay aquí")).to_be_focused()
    assert english_left(page) == []
    assert serious_axe_violations(page, "lock screen in Spanish") == []

    # A wait after too many wrong tries, counted in Spanish.
    page.evaluate("""() => import('/js/data/db.js').then(async (db) => {
      const lock = await db.getMeta('lock'); await db.setMeta('lock', { ...lock, waitUntil: Date.now() + 600000 }); })""")
    page.reload()
    expect(page.locator("#lock-message")).to_have_text(re.compile(r"^Espera 10 minutos antes de volver a intentarlo\.$"))
    assert english_left(page) == []
    assert page.errors == []
