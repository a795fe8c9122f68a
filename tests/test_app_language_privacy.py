""""How your privacy works" speaks Spanish on a Spanish phone (issue #14, "Languages"), its
words loaded with the screen (i18n/<code>/privacy.js): no English left, nothing serious for
axe, light and dark."""

import pytest
from playwright.sync_api import expect

from app_helpers import english_left, in_each_scheme, open_app, screen_checks

pytestmark = [pytest.mark.browser]


def test_the_privacy_screen_speaks_spanish(relay, browser_context):
    page = open_app(browser_context(locale="es-ES"), relay.url)
    page.get_by_role("link", name="Cómo funciona tu privacidad").click()
    expect(page.locator('#view[data-view="privacy"] h1')).to_have_text("Cómo funciona tu privacidad")
    expect(page.locator("#view")).to_contain_text("Entre vuestros dos teléfonos")
    assert page.title() == "Cómo funciona tu privacidad · Hearth"
    problems = []
    for scheme in in_each_scheme(page):
        screen_checks(problems, "privacy-es", scheme)(page, "read")
    assert problems == []
    assert english_left(page) == []
    assert page.errors == []
