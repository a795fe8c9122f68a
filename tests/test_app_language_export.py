"""The readable copy made on a Spanish phone (issue #14, "Languages"): Settings → "Descargar
todo lo mío" and "Descargar nuestro diario" give a page whose sections, labels, values,
dates and lines are Spanish; what people wrote stays in their own words."""

import json
import re
from pathlib import Path

import pytest

from app_helpers import go
from language_helpers import put, spanish_couple
from test_app_export_erase import download

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EN_EXPORT = Path(__file__).parent.parent / "pwa" / "js" / "i18n" / "en" / "export.js"
ENGLISH = {json.loads(m[1]).lower() for m in re.finditer(r'^\s*"export\.[\w.]+": ("(?:[^"\\]|\\.)*"),$', EN_EXPORT.read_text(), re.M)}
ANSWER = """(needs) => import('/js/device/checkins.js').then((m) => m.answer({ answers: { needs } }))"""


def english_in(html: str) -> list[str]:
    """The page's bits of text that are the English copy's own words."""
    texts = [t.strip() for t in re.findall(r">([^<>]+)<", html)]
    return [t for t in texts if t and (t.lower() in ENGLISH or any(p.lower() in ENGLISH for p in t.split(", ")))]


def test_a_spanish_phone_makes_a_spanish_copy(relay, browser_context):
    alex, sam = spanish_couple(relay, browser_context)
    put(alex, "journal", {"text": "Un paseo hasta el banco.", "tags": ["tried", "worked"], "shared": True})
    period = put(alex, "period", {"label": "Semana de quimio", "starts_on": "2026-11-20"})
    put(alex, "boundary", {"kind": "touch", "label": "Una mano en la espalda", "level": "ask_first", "during": period})
    put(alex, "energy", {"date": "2026-11-30", "time_of_day": "evening", "energy": 4, "sleep_hours": 7.5})
    alex.evaluate(ANSWER, "Acostarnos pronto.")
    go(alex, "pair")
    mine = download(alex, "Descargar todo lo mío")
    assert english_in(mine) == []
    for words in ("Todo lo mío en Hearth", "Este archivo no está cifrado", "<dt>Nivel</dt><dd dir=\"auto\">pregunta antes</dd>",
                  "<dt>Durante</dt><dd dir=\"auto\">Semana de quimio</dd>",
                  "probamos algo, nos funcionó", "30 de noviembre de 2026", "<dd dir=\"auto\">7,5</dd>", "Charlas semanales",
                  "Acostarnos pronto.", "Tú · ", "Aquí no hay nada."):
        assert words in mine, words
    assert 'lang="es"' in mine
    ours = download(alex, "Descargar nuestro diario")
    assert english_in(ours) == []
    assert "Nuestro diario" in ours and "Un paseo hasta el banco." in ours
    assert alex.errors == [] and sam.errors == []
