"""Energy and symptoms on phones that speak Spanish (issue #14, "Languages"): the note's
form with an empty try and then a hard day met with its offer, both people's insights and
the shared one, the three charts and their tables, a question open on a note, and earlier
notes waiting behind a button. No English is left on it, and axe finds nothing serious.

What people wrote stays in their own words: the notes here are partly English on purpose,
and english_left spares them because they carry dir="auto"."""

import pytest
from playwright.sync_api import expect

from app_helpers import go
from test_app_energy import seed
from language_helpers import expect_spanish, paired_in_english as spanish_couple, speak

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 15_000   # a change on one phone reaches the other through the relay




def test_the_energy_screen_in_its_fullest_state_is_all_in_spanish(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    seed(alex, 6, 8, 5)
    seed(sam, 6, 4, 8)
    for page in (alex, sam):
        speak(page, None)
    go(sam, "energy")
    sam.get_by_label("Dejar que mi pareja vea cuándo suelo sentirme mejor").check()
    expect(sam.locator(".energy-insight-text").first).to_have_text(
        "Tu energía ha solido estar más alta por las noches.")
    expect_spanish(sam, "energy, my pattern shared")

    go(alex, "energy")
    expect(alex.locator("h1")).to_have_text("Energía y síntomas")
    form = alex.locator("form.energy-form")
    form.get_by_role("button", name="Guardar").click()
    expect(form.locator(".form-error")).to_have_text(
        "Mueve cualquiera de los controles, o añade el sueño o una nota, y luego guarda.")
    form.get_by_role("slider", name="Dolor", exact=True).fill("8")
    expect(form.get_by_role("button", name="Borrar dolor")).to_be_visible()
    form.get_by_label("Horas de sueño anoche").fill("6.5")
    form.get_by_label("¿Algo más?").fill("A long day at the clinic.")
    form.get_by_label("Compartir esto con mi pareja").check()
    form.get_by_role("button", name="Guardar").click()
    expect(form.locator(".energy-saved")).to_contain_text("Guardada y compartida.")
    expect(form.get_by_role("link", name="Cuándo llamar y quién puede ayudar")).to_be_visible()
    insight = alex.locator(".energy-insight")
    expect(insight.locator(".energy-insight-partner")).to_have_text(
        "La energía de tu pareja ha solido estar más alta por las noches.", timeout=SYNC_WAIT)
    expect(insight.locator(".energy-insight-together")).to_be_visible()
    mine = alex.locator(".energy-entry", has_text="A long day at the clinic.")
    expect(mine.locator(".chip")).to_have_text(["Dolor 8", "Sueño: 6,5 h"])
    expect(alex.locator("#chart-you-caption")).to_contain_text("Energía: una media de")
    mine.get_by_role("button", name="Dejar de compartir").click()
    expect(mine.get_by_role("group", name="¿Dejar de compartir esta nota?")).to_be_visible()
    expect(alex.get_by_role("button", name="Ver notas anteriores (19 más)")).to_be_visible()
    expect_spanish(alex, "energy, every part drawn, a question open")
    alex.get_by_role("radio", name="30 días").check()
    alex.get_by_role("radio", name="Cansancio").check()
    expect(alex.locator("#chart-partner-caption")).to_contain_text("Cansancio: una media de 6 sobre 10 en los últimos 30 días.")
    expect_spanish(alex, "energy, tiredness over 30 days")
    assert alex.errors == [] and sam.errors == []
