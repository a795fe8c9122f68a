"""The experiments screen speaks Spanish on a Spanish phone (issue #14, "Languages"): a
partner's proposal with its change form open, one's own waiting with its stop question, the
proposing form, the agreement suggested and in effect, a running experiment and one waiting
its turn, the look-back form, both answers side by side with the outcome form, and the
history; each with no English left (outside what people wrote), nothing serious for axe in
light or dark, and nothing wider than a 360 px phone.
Two real phones and a real relay; no sleeps.

Ideas and look-backs are written in Spanish, as a Spanish-speaking couple would write them,
so that english_left() finds only the app's own words. Proposals are written through the
device module; the screen's own buttons (in Spanish) do the rest.
"""

import pytest
from playwright.sync_api import expect

from app_helpers import agree, days_ago, go
from language_helpers import all_spanish, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 15_000   # the partner's change travels through the relay before it shows

PROPOSE = """([title, starts_on]) => import('/js/device/records.js').then((m) => m.put('experiment',
  { title, starts_on, days: 7, status: 'proposed', description: 'Sin prisa y sin hablar de nada más.' }))"""
SUGGEST_AGREEMENT = "() => import('/js/device/records.js').then((m) => m.put('agreement', { kind: 'no_pressure' }))"
LATER = "Una cena a la luz de las velas"
NOW = "Cogernos de la mano al pasear"
DECLINED = "Bailar en la cocina"




def look_back(page, felt: str) -> None:
    form = page.locator("form.exp-reassess")
    form.get_by_label("¿Cómo lo viviste?").fill(felt)
    form.get_by_label("¿Cómo de a gusto estuviste").select_option("8")
    form.get_by_role("radio", name="Seguir con ello").check()
    form.get_by_role("button", name="Guardar mi respuesta").click()


def test_the_experiments_screen_speaks_spanish_in_each_state(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    alex.evaluate(PROPOSE, [LATER, days_ago(-3)])
    alex.evaluate(PROPOSE, [DECLINED, days_ago(0)])
    alex.evaluate(SUGGEST_AGREEMENT)

    # Sam: Alex's ideas to answer, one with its change form open, and the agreement to accept.
    go(sam, "experiments")
    expect(sam.locator("h1")).to_have_text("Experimentos")
    later = sam.locator(".exp-proposal", has_text=LATER)
    expect(later).to_contain_text("Durante 7 días, desde el", timeout=SYNC_WAIT)
    sam.locator(".exp-proposal", has_text=DECLINED).get_by_role("button", name="Ahora no").click()
    later.get_by_role("button", name="¿Podríamos cambiarlo?").click()
    expect(later.get_by_label("¿Qué cambiarías? (opcional)")).to_be_focused()
    expect(sam.locator(".agreement")).to_contain_text("Tu pareja lo ha propuesto.", timeout=SYNC_WAIT)
    expect(sam.locator(".exp-past", has_text=DECLINED)).to_contain_text("Dijiste que ahora no.")
    all_spanish(sam, "a partner's proposals in Spanish")
    later.get_by_role("button", name="Cancelar").click()
    expect(later.locator("form.exp-change")).to_be_hidden()

    # Alex: the idea waiting, its stop question open, and the form for another.
    go(alex, "experiments")
    mine = alex.locator(".exp-proposal", has_text=LATER)
    expect(mine).to_contain_text("Esperando la respuesta de tu pareja.")
    expect(alex.locator(".exp-past", has_text=DECLINED)).to_contain_text("Tu pareja dijo que ahora no.", timeout=SYNC_WAIT)
    expect(alex.locator(".agreement")).to_contain_text("Lo propusiste tú.")
    mine.get_by_role("button", name="Pararlo").click()
    expect(mine.get_by_role("button", name="Sí, pararlo")).to_be_focused()
    alex.get_by_role("button", name="Proponer algo pequeño").first.click()
    expect(alex.locator(".exp-one-at-a-time")).to_contain_text(f"Ya tenéis “{LATER}” en marcha.")
    form = alex.locator(".exp-form")
    form.get_by_role("button", name="Proponerlo").click()
    expect(form.locator(".form-error")).to_have_text("Ponle primero un nombre corto, de hasta 200 caracteres.")
    all_spanish(alex, "one's own proposal and the form in Spanish")
    mine.get_by_role("button", name="Seguir", exact=True).click()
    form.get_by_role("button", name="Cancelar").click()

    # The agreement in effect; one experiment running and the later one waiting its turn.
    sam.locator(".agreement").get_by_role("button", name="Aceptarlo").click()
    alex.evaluate(PROPOSE, [NOW, days_ago(2)])
    agree(sam, NOW, on=days_ago(2))
    sam.locator(".exp-proposal", has_text=LATER).get_by_role("button", name="Sí, probémoslo").click()
    go(alex, "experiments")
    expect(alex.locator(".agreement")).to_have_attribute("data-state", "in_effect", timeout=SYNC_WAIT)
    current = alex.locator(".exp-current")
    expect(current.locator(".exp-when")).to_contain_text("Día 3 de 7, quedan 4 días", timeout=SYNC_WAIT)
    expect(alex.locator(".exp-later")).to_contain_text(LATER)
    all_spanish(alex, "a running experiment in Spanish")

    # Looking back early: the form, then each one's answer, then both side by side.
    current.get_by_role("button", name="Mirar atrás antes").click()
    all_spanish(alex, "the look-back form in Spanish")
    look_back(alex, "Fue bonito caminar despacio.")
    expect(current).to_contain_text("Tu respuesta está guardada.")
    go(sam, "experiments")
    expect(sam.locator(".exp-current")).to_contain_text("Tu pareja ya ha mirado atrás.", timeout=SYNC_WAIT)
    look_back(sam, "Me sentí en calma.")
    expect(sam.locator(".exp-agree")).to_have_text("Los dos dijisteis: seguir con ello.")
    all_spanish(sam, "both look-backs for the partner in Spanish")
    expect(current.locator(".exp-agree")).to_have_text("Los dos dijisteis: seguir con ello.", timeout=SYNC_WAIT)
    all_spanish(alex, "both look-backs and the outcome form in Spanish")

    # Finished: the history, saved into the journal in Spanish.
    current.get_by_role("button", name="Anotarlo y terminar").click()
    done = alex.locator(".exp-past", has_text=NOW)
    expect(done).to_contain_text("7 días desde el")
    expect(done).to_contain_text("Decidisteis seguir con ello.")
    done.get_by_role("button", name="Guardarlo como entrada del diario").click()
    expect(done).to_contain_text("Está en tu diario.")
    entry = alex.evaluate("() => import('/js/device/records.js').then(async (m) => (await m.list('journal'))[0].text)")
    assert entry.startswith(f"Probamos “{NOW}” durante 7 días, desde el ")
    assert "Cómo lo viví: Fue bonito caminar despacio." in entry and entry.endswith("Lo que decidimos: seguir con ello.")
    expect(alex.locator(".exp-current .exp-when")).to_contain_text("Empieza el")
    all_spanish(alex, "the history in Spanish")
    assert alex.errors == [] and sam.errors == []
