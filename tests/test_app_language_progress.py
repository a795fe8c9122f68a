"""Small wins on phones that speak Spanish (issue #14, "Languages"): the quiet empty page,
then every kind of win (an experiment kept, a check-in both answered, a stop signal, a
boundary changed, a journal entry that worked, gratitude, answers from the care team) on
both phones, with no English left and nothing serious for axe.

What people wrote (titles, labels, quotes) is in Spanish, so that any English found is the
app's own. Records are made through the app's device module to keep the test quick."""

import datetime

import pytest
from playwright.sync_api import expect

from app_helpers import go
from language_helpers import expect_spanish, put, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SYNC_WAIT = 15_000


def check_in(page, answer: str) -> None:
    page.evaluate("""(answer) => Promise.all([import('/js/device/checkins.js'), import('/js/core/checkin.js')])
        .then(([checkins, checkin]) => checkins.answer({ week: checkin.currentWeek(), answers: { felt_good: answer } }))""",
                  answer)


def test_small_wins_empty_and_full_are_all_in_spanish(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    go(alex, "progress")
    expect(alex.locator("h1")).to_have_text("Pequeños logros")
    expect(alex.locator(".progress-empty h2")).to_have_text("Aún no hay nada, y está bien")
    expect_spanish(alex, "small wins, empty, in Spanish")

    today = datetime.date.today()
    put(alex, "experiment", {"title": "Diez minutos abrazados antes de dormir",
                             "starts_on": (today - datetime.timedelta(days=8)).isoformat(), "days": 7,
                             "status": "finished", "outcome": "keep"})
    put(alex, "journal", {"text": "Cogernos de la mano en el sofá fue como volver a ser nosotros.",
                          "tags": ["tried", "worked"], "shared": True})
    put(sam, "gratitude", {"text": "Me esperaste en la consulta.", "date": today.isoformat()})
    put(sam, "boundary", {"kind": "stop_signal", "label": "Piña"})
    hugs = put(sam, "boundary", {"kind": "touch", "label": "Abrazos por detrás", "level": "welcome"})
    put(sam, "boundary", {"level": "ask_first"}, hugs)
    put(alex, "appointment", {"title": "Revisión con oncología", "questions": [
        {"text": "¿Cuándo podremos volver a estar cerca?", "answer": "Cuando os sintáis con ganas."}]})
    check_in(alex, "Nuestro paseo del domingo.")
    check_in(sam, "Un té en la cama.")
    for page in (alex, sam):
        go(page, "progress")
        wins = page.locator(".progress-win")
        expect(wins).to_have_count(7, timeout=SYNC_WAIT)
        expect(page.locator(".progress-heading").first).to_have_text("Esta semana")
        expect(page.locator(".progress-noticing")).to_have_text("Últimamente os habéis cuidado de muchas pequeñas maneras.")
        expect(wins.filter(has_text="«Diez minutos abrazados antes de dormir»")).to_contain_text("En pareja")
        expect(wins.filter(has_text="«Piña»")).to_contain_text("señal para parar")
        expect(wins.filter(has_text="«Revisión con oncología»")).to_contain_text("volvió con respuestas"
                                                                                if page is sam else "volviste con respuestas")
        expect_spanish(page, "small wins, full, in Spanish")
    assert alex.errors == [] and sam.errors == []
