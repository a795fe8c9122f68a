"""Helpers for the tests that open screens on a phone speaking another language (issue #14)."""

from playwright.sync_api import expect

from app_helpers import english_left, in_each_scheme, open_app, pair_by_link, serious_axe_violations, wider_than_a_phone


def expect_spanish(page, where: str) -> None:
    """No English left on the screen outside what people wrote, and nothing serious for axe."""
    assert english_left(page) == [], where
    assert serious_axe_violations(page, where) == []


def all_spanish(page, where: str) -> None:
    """expect_spanish, in light and dark, and nothing wider than the phone (Spanish runs
    longer than English)."""
    assert english_left(page) == [], where
    assert wider_than_a_phone(page, where) == []
    for scheme in in_each_scheme(page):
        assert serious_axe_violations(page, f"{where} ({scheme})") == []


def speak(page, code: str | None) -> None:
    """This phone's language from its next start: `code`, or (None) the phone's own."""
    page.evaluate("(code) => code ? localStorage.setItem('hearth-language', code) : localStorage.removeItem('hearth-language')", code)
    page.reload()
    expect(page.locator("#view h1")).to_be_visible()


def paired_in_english(relay, browser_context):
    """Two Spanish phones paired with English chosen for the while (the pairing helpers tap
    English words), so a test can fill them in through English helpers too; speak(page,
    None) then lets each follow the phone again."""
    phones = []
    for _ in range(2):
        page = open_app(browser_context(locale="es-ES", viewport={"width": 360, "height": 780}), relay.url)
        speak(page, "en")
        phones.append(page)
    pair_by_link(*phones, relay.url)
    return phones


def spanish_couple(relay, browser_context):
    """Two phones set to Spanish, paired, speaking Spanish."""
    phones = paired_in_english(relay, browser_context)
    for page in phones:
        speak(page, None)
    return phones


def put(page, record_type: str, fields: dict, record_id: str | None = None) -> str:
    """A record made through the app's own device module (quicker than its forms)."""
    return page.evaluate(
        "([type, fields, id]) => import('/js/device/records.js').then((m) => m.put(type, fields, id))",
        [record_type, fields, record_id])
