"""Every screen the router knows, opened on a Spanish couple's phone, with no English left
on it nor in the tab's title (issue #14, "Languages"). The screens' own tests
(test_app_language_<area>.py) open each in its fullest states; this one guards the list
itself: a screen added later is opened here without anyone having to remember it."""

import re
from pathlib import Path

from app_helpers import english_left, go
from language_helpers import put, spanish_couple

VIEWS = Path(__file__).resolve().parent.parent / "pwa" / "js" / "views" / "index.js"


def routes() -> list[str]:
    block = VIEWS.read_text().split("export const views = {", 1)[1].split("};", 1)[0]
    return re.findall(r'^\s+"?([\w-]+)"?:', block, re.M)


def test_every_screen_the_router_knows_speaks_spanish(relay, browser_context):
    ana, leo = spanish_couple(relay, browser_context)
    put(leo, "journal", {"text": "Un paseo corto después de cenar.", "shared": True})
    found = {}
    assert len(routes()) >= 15
    for route in routes():
        go(ana, route)
        left = english_left(ana) + [f"title: {ana.title()}"] * bool(re.search(r"\b(the|your|and|my)\b", ana.title(), re.I))
        if left:
            found[route] = left
    assert found == {}
    assert ana.errors == []
