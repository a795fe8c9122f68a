"""First open (issue #14): a one-time, dismissible hint on adding Hearth to the home screen
where the browser offers it, and "How your privacy works", reachable from the welcome and
from Settings. In a real browser against a real relay.

Headless Chromium never offers to install on its own, so the test hands the page the same
`beforeinstallprompt` event a phone's browser sends, with a prompt() that records its call.
"""

import pytest
from playwright.sync_api import expect

from app_helpers import go, open_app, serious_axe_violations, wider_than_a_phone

OFFER_TO_INSTALL = """() => {
  const offer = new Event('beforeinstallprompt', { cancelable: true });
  offer.prompt = () => { window.__prompted = (window.__prompted || 0) + 1; return Promise.resolve(); };
  offer.userChoice = Promise.resolve({ outcome: 'accepted' });
  dispatchEvent(offer);
  return offer.defaultPrevented;
}"""


def test_the_install_hint_asks_once_and_says_why(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    expect(page.locator('#view[data-view="home"] h1')).to_have_text("Welcome. Take your time.")
    expect(page.locator(".install-hint")).to_be_hidden()   # nothing offered, nothing said
    assert page.evaluate(OFFER_TO_INSTALL) is True   # the browser's own banner is held back
    hint = page.locator(".install-hint")
    expect(hint).to_contain_text("opens like any app, even with no connection, and reminders can reach you")
    hint.get_by_role("button", name="Add to home screen").click()
    expect(hint).to_have_count(0)
    assert page.evaluate("() => window.__prompted") == 1
    page.reload()
    page.evaluate(OFFER_TO_INSTALL)
    expect(page.locator('#view[data-view="home"] h1')).to_be_visible()
    expect(page.locator(".install-hint")).to_have_count(0)   # once only


def test_not_now_puts_the_hint_away_for_good(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    page.evaluate(OFFER_TO_INSTALL)
    page.locator(".install-hint").get_by_role("button", name="Not now").click()
    expect(page.locator(".install-hint")).to_have_count(0)
    page.reload()
    page.evaluate(OFFER_TO_INSTALL)
    expect(page.locator('#view[data-view="home"] h1')).to_be_visible()
    expect(page.locator(".install-hint")).to_have_count(0)
    assert page.evaluate("() => window.__prompted") is None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_how_your_privacy_works_from_the_welcome_and_from_settings(relay, browser_context, scheme):
    page = open_app(browser_context(color_scheme=scheme), relay.url)
    page.get_by_role("link", name="How your privacy works").click()
    view = page.locator('#view[data-view="privacy"]')
    expect(view.locator("h1")).to_have_text("How your privacy works")
    expect(view).to_contain_text("It can't read them")
    expect(view).to_contain_text("Whoever runs that server also serves this app")
    assert serious_axe_violations(page, "privacy") == []
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    assert wider_than_a_phone(page, "privacy at 200%") == []
    go(page, "pair")
    page.get_by_role("link", name="How your privacy works").click()
    expect(view.locator("h1")).to_be_visible()
    assert page.errors == []
