"""The paced path speaks Spanish on a Spanish phone (issue #14, "Languages"): waiting for the
agreement with its explanation open, a step one of you is ready for, a step open to both
with each look-back (the form, the wait, both side by side), and a step back; each with no
English left (outside what people wrote), nothing serious for axe in light or dark, and
nothing wider than a 360 px phone. Two real phones and a real relay; no sleeps. Look-backs
are written in Spanish, as a Spanish-speaking couple would write them, so that
english_left() finds only the app's own words.
"""

import pytest
from playwright.sync_api import expect

from app_helpers import go
from language_helpers import all_spanish, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 15_000   # the partner's change travels through the relay before it shows
SUGGEST_AGREEMENT = "() => import('/js/device/records.js').then((m) => m.put('agreement', { kind: 'no_pressure' }))"


def step(page, n: int):
    return page.locator(f'.pace-step[data-step="{n}"]')




def ready(page, n: int) -> None:
    go(page, "paced")
    step(page, n).get_by_role("button", name="Me siento con ganas de este paso").click(timeout=SYNC_WAIT)
    expect(page.locator(".pace-said")).to_have_text("Guardado. Se abre cuando los dos os sintáis con ganas.")


def look_back(page, n: int, words: str) -> None:
    go(page, "paced")
    form = page.locator(f'.pace-lookback-form[data-step="{n}"]')
    form.get_by_label("¿Qué notaste?").fill(words)
    form.get_by_role("button", name="Guardar mi mirada atrás").click()
    expect(step(page, n).locator(".pace-lookback-words", has_text=words)).to_be_visible()


def test_the_paced_path_speaks_spanish_in_each_state(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    go(alex, "paced")
    expect(alex.locator("h1")).to_have_text("Un camino pausado")
    expect(alex.locator(".pace-needs-agreement")).to_contain_text("El camino se abre cuando los dos tengáis un acuerdo sin presión")
    expect(alex.locator("details.pace-about")).to_have_attribute("open", "")
    expect(step(alex, 1).get_by_role("heading")).to_have_text("Paso 1: Cerca, sin tocarse")
    all_spanish(alex, "the paced path before the agreement, in Spanish")

    # The agreement in effect (accepted on the experiments screen, in Spanish); Alex is ready first.
    alex.evaluate(SUGGEST_AGREEMENT)
    go(sam, "experiments")
    sam.locator(".agreement").get_by_role("button", name="Aceptarlo").click(timeout=SYNC_WAIT)
    ready(alex, 1)
    expect(step(alex, 1)).to_contain_text("Has dicho que te sientes con ganas.")
    expect(step(alex, 1).get_by_role("button", name="Mejor todavía no")).to_be_visible()
    all_spanish(alex, "a step one is ready for, in Spanish")
    go(sam, "paced")
    expect(step(sam, 1)).to_contain_text("Tu pareja se siente con ganas de este paso", timeout=SYNC_WAIT)
    all_spanish(sam, "a step the partner is ready for, in Spanish")

    # Both ready: step 1 open, each one's look-back, then both side by side.
    ready(sam, 1)
    expect(step(sam, 1)).to_contain_text("Abierto para los dos.")
    look_back(sam, 1, "Noté que podía respirar hondo.")
    expect(step(sam, 1).locator(".pace-lookback")).to_contain_text("Lo tuyo está guardado.")
    all_spanish(sam, "an open step with one's look-back saved, in Spanish")
    go(alex, "paced")
    expect(step(alex, 1).locator(".pace-lookback")).to_contain_text("Tu pareja ya ha mirado atrás sobre este paso.",
                                                                   timeout=SYNC_WAIT)
    all_spanish(alex, "an open step with the partner's look-back waiting, in Spanish")
    look_back(alex, 1, "Manos calientes, y ninguna prisa.")
    both = step(alex, 1).locator(".pace-lookback-both")
    expect(both.get_by_role("region", name="Tu pareja")).to_contain_text("Noté que podía respirar hondo.", timeout=SYNC_WAIT)
    ready(alex, 2)
    all_spanish(alex, "both look-backs side by side, in Spanish")

    # A step back: said kindly, in Spanish.
    step(alex, 1).get_by_role("button", name="Volver un paso atrás").click()
    expect(alex.locator(".pace-said")).to_have_text("Has vuelto atrás. También forma parte del camino.")
    all_spanish(alex, "after a step back, in Spanish")
    assert alex.errors == [] and sam.errors == []
