"""Driving the app the way a person does: two phones are two browser contexts."""

from playwright.sync_api import expect

SYNCED = "Synced"


def open_app(context, url: str, route: str = "home"):
    """A page on the app with console and page errors collected in page.errors."""
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"pageerror: {e}"))
    page.goto(f"{url}/#/{route}")
    expect(page.locator(f'#view[data-view="{route}"] h1')).to_be_visible()
    return page


def show_code(page) -> str:
    """On the pair screen, show a code; returns the pairing link the QR code holds."""
    page.goto(page.url.split("#")[0] + "#/pair")
    page.get_by_role("button", name="Show a code on this phone").click()
    expect(page.locator("svg.qr")).to_be_visible()
    return page.locator("#pair-link").input_value()


def confirm_pairing(page) -> str:
    """After opening a pairing link: tap to confirm; returns the safety code shown."""
    page.get_by_role("button", name="Pair with my partner's phone").click()
    return safety_code(page)


def safety_code(page) -> str:
    code = page.locator(".safety-code")
    expect(code).to_be_visible()
    return code.text_content()


def pair_by_link(inviter, joiner, url: str) -> str:
    link = show_code(inviter)
    joiner.goto(link)
    code = confirm_pairing(joiner)
    assert safety_code(inviter) == code
    for page in (inviter, joiner):
        page.get_by_role("button", name="They match").click()
        expect(page.locator('#view[data-view="home"] h1')).to_have_text("Good to see you.")
    return code


def go(page, route: str) -> None:
    page.goto(page.url.split("#")[0] + f"#/{route}")
    expect(page.locator(f'#view[data-view="{route.split("?")[0]}"] h1')).to_be_visible()


def write_journal(page, text: str, share: bool = True) -> None:
    go(page, "journal")
    page.get_by_role("button", name="Write an entry").click()
    page.get_by_label("What did you try, and how did it feel?").fill(text)
    page.get_by_role("button", name="Share with my partner" if share else "Keep it private for now").click()
    expect(page.locator(".entry-text", has_text=text)).to_be_visible()


def expect_status(page, text: str) -> None:
    expect(page.locator("#sync-status .sync-text")).to_contain_text(text)
