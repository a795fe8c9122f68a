"""Driving the app the way a person does, on an engine page (drivers.EnginePage): the same
steps and words as tests/app_helpers.py, which does this for Playwright's Chromium."""


from client_helpers import Client, client_invites

HOME_PAIRED = "Good to see you."
STATUS = "#sync-status .sync-text"


def base(page) -> str:
    return page.url().split("#")[0].rstrip("/")


def open_app(page, url: str, route: str = "home") -> None:
    page.goto(f"{url}/#/{route}")
    page.find(f'#view[data-view="{route}"] h1')


def go(page, route: str) -> None:
    page.goto(f"{base(page)}/#/{route}")
    page.find(f'#view[data-view="{route.split("?")[0]}"] h1')


def show_code(page) -> str:
    """On the pair screen, show a code; returns the pairing link the QR code holds."""
    go(page, "pair")
    page.click("button", "Show a code on this phone")
    page.find("svg.qr")
    return page.js("return document.querySelector('#pair-link').value;")


def safety_code(page) -> str:
    page.find(".safety-code")
    return page.text(".safety-code").strip()


def confirm_pairing(page) -> str:
    """After opening a pairing link: tap to pair; returns the six numbers the joining
    phone shows while it waits for the partner's "They match"."""
    page.find("h2", "Your partner has invited you")
    page.click("button", "Pair with my partner's phone")
    return safety_code(page)


def they_match(inviter) -> None:
    inviter.click("button", "They match", exact=True)
    inviter.wait_text('#view[data-view="home"] h1', HOME_PAIRED, exact=True)


def finish_joining(joiner) -> None:
    """The joining phone hears its partner confirmed, says so, and goes home paired."""
    joiner.find("h2", "You're paired")
    joiner.click("a", "Continue", exact=True)
    joiner.wait_text('#view[data-view="home"] h1', HOME_PAIRED, exact=True)


def pair_by_link(inviter, joiner) -> str:
    link = show_code(inviter)
    joiner.goto(link)
    code = confirm_pairing(joiner)
    assert safety_code(inviter) == code
    they_match(inviter)
    finish_joining(joiner)
    return code


def pair_with_client(relay_url: str, client: Client, page, join=None) -> str:
    """`client` (hearth-client) invites; the page joins by its link (or by `join(link)`,
    say through the scanner); the client's person types the six numbers the page shows.
    Returns them."""
    def by_link(link):
        open_app(page, relay_url)
        page.goto(link)
        return confirm_pairing(page)

    code = client_invites(relay_url, client, join or by_link)
    finish_joining(page)
    return code


def write_journal(page, text: str, share: bool = True) -> None:
    go(page, "journal")
    page.click("button", "Write an entry", exact=True)
    page.fill("What did you try, and how did it feel?", text)
    page.click("button", "Share with my partner" if share else "Keep it private for now", exact=True)
    page.find(".entry-text", text)


def expect_status(page, text: str, timeout: float = 15) -> str:
    return page.wait_text(STATUS, text, timeout=timeout)


def outbox_count(page) -> int:
    return page.js("return (await import('/js/data/db.js')).outboxCount();")


def service_worker_controls(page, timeout: float = 15) -> None:
    """Wait until the service worker controls the page, as an installed app's would."""
    page.wait("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
              timeout=timeout, what="the service worker to control the page")
