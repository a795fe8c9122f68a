"""Pairing, on two phones that speak Spanish (issue #14, "Languages"): the ways to pair, a
code and its QR on screen, a partner's link opened or pasted, the six numbers compared, a
pairing that stops, a code that has expired or was already used, a broken link, a camera
that may not be used, and the paired result. At each, no English is left on the screen and
axe finds nothing serious. Two real phones and a real relay; no sleeps.

The phones pair in Spanish here, by the Spanish words a person taps (only "show a code" is
found by its id, through show_code)."""

import re

import pytest
from playwright.sync_api import expect

from app_helpers import eventually, go, open_app, safety_code, show_code
from language_helpers import all_spanish, expect_spanish, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SPANISH_PHONE = {"locale": "es-ES", "viewport": {"width": 360, "height": 780}}
INVITE_EXPIRES = "() => import('/js/data/db.js').then((db) => db.getKey('pending_invite')).then((p) => p?.expiresAt)"


def spanish_phones(browser_context, url: str, count: int = 2):
    return [open_app(browser_context(**SPANISH_PHONE), url) for _ in range(count)]


def join_by_link(page, link: str) -> str:
    """Open a partner's link, see the invitation, tap to pair; the six numbers it shows."""
    page.goto(link)
    expect(page.get_by_role("heading", name="Tu pareja te ha invitado")).to_be_visible()
    page.get_by_role("button", name="Vincular con el teléfono de mi pareja").click()
    return safety_code(page)


def test_pairing_two_spanish_phones_speaks_spanish_at_every_step(relay, browser_context):
    alex, sam = spanish_phones(browser_context, relay.url)
    # The ways to pair, and a pasted link that isn't one.
    go(alex, "pair")
    expect(alex.get_by_role("heading", name="Vincular con tu pareja")).to_be_visible()
    alex.get_by_text("Tengo un enlace").click()
    alex.get_by_label("Pega el enlace que te envió tu pareja").fill("hearth.example.org/pareja")
    alex.get_by_role("button", name="Vincular", exact=True).click()
    expect(alex.get_by_role("alert")).to_have_text(
        "Este enlace no se puede usar: un enlace de vinculación empieza por http:// o https:// y la dirección del servidor.")
    all_spanish(alex, "the ways to pair, with a pasted link refused")
    # A code on screen, with the link opened below it.
    link = show_code(alex)
    expect(alex.get_by_role("heading", name="Deja que tu pareja escanee esto")).to_be_visible()
    expect(alex.get_by_role("img", name="Código de vinculación para que lo escanee tu pareja")).to_be_visible()
    expect(alex.locator(".countdown")).to_have_text("Este código sirve durante 10 minutos más.")
    alex.get_by_text("Vincular con un enlace").click()
    expect(alex.get_by_label("Enlace de vinculación")).to_have_value(link)
    expect(alex.get_by_role("button", name="Copiar el enlace")).to_be_visible()
    all_spanish(alex, "a code on screen")
    # The partner's phone opens the link: asked first, then the six numbers.
    sam.goto(link)
    expect(sam.get_by_role("heading", name="Tu pareja te ha invitado")).to_be_visible()
    expect_spanish(sam, "invited by a link")
    sam.get_by_role("button", name="Vincular con el teléfono de mi pareja").click()
    code = safety_code(sam)
    expect(sam.get_by_role("heading", name="Comparad los números")).to_be_visible()
    expect(sam.get_by_text("Si coinciden, tu pareja toca «Coinciden» en su teléfono para terminar.")).to_be_visible()
    expect_spanish(sam, "comparing, on the joining phone")
    assert safety_code(alex) == code
    expect(alex.get_by_role("button", name="Coinciden")).to_be_visible()
    all_spanish(alex, "comparing, on the phone that showed the code")
    # They match: both paired, each told so in Spanish.
    alex.get_by_role("button", name="Coinciden").click()
    expect(alex.locator('#view[data-view="home"] h1')).to_be_visible()
    expect(sam.get_by_role("heading", name="Vuestros teléfonos ya están vinculados")).to_be_visible()
    all_spanish(sam, "paired")
    sam.get_by_role("link", name="Continuar").click()
    expect(sam.locator('#view[data-view="home"] h1')).to_be_visible()
    expect_spanish(sam, "home, paired")
    expect_spanish(alex, "home, paired")
    assert alex.errors == [] and sam.errors == []


def test_a_pairing_stopped_or_refused_says_so_in_spanish(relay, browser_context):
    alex, sam, third = spanish_phones(browser_context, relay.url, 3)
    link = show_code(alex)
    join_by_link(sam, link)
    # The numbers differ: the phone that showed the code stops, and both say nothing was shared.
    alex.get_by_role("button", name="Son diferentes").click()
    expect(alex.get_by_role("heading", name="No se ha compartido nada")).to_be_visible()
    expect(alex.get_by_role("button", name="Mostrar un código nuevo")).to_be_visible()
    expect_spanish(alex, "stopped by this phone")
    expect(sam.get_by_role("heading", name="No se ha compartido nada")).to_be_visible()
    expect(sam.get_by_text("La vinculación se detuvo en el teléfono de tu pareja")).to_be_visible()
    expect_spanish(sam, "stopped by the partner's phone")
    # The same code again, on a third phone: the relay refuses it.
    third.goto(link)
    third.get_by_role("button", name="Vincular con el teléfono de mi pareja").click()
    expect(third.locator(".notice-problem")).to_be_visible()
    expect_spanish(third, "a code already stopped")
    # A link cut short: said what is wrong with it, and nothing joined.
    third.goto(f"{relay.url}/#/pair?v=1&s=c2VjcmV0&e=ZXBoZW1lcmFs")
    expect(third.get_by_role("alert")).to_have_text("Este enlace de vinculación no se puede usar: está incompleto o dañado. "
                                                    "Pide a tu pareja que muestre un código nuevo.")
    expect_spanish(third, "a broken link")
    # Joining: the phone that joined says the numbers differ, and stops from its side too.
    go(alex, "home")
    link = show_code(alex)
    join_by_link(sam, link)
    sam.get_by_role("button", name="Son diferentes").click()
    expect(sam.get_by_text("Cuando quieras, pide a tu pareja que muestre un código nuevo.")).to_be_visible()
    expect(sam.get_by_role("link", name="Volver a la vinculación")).to_be_visible()
    expect_spanish(sam, "stopped by the joining phone")
    expect(alex.get_by_role("heading", name="No se ha compartido nada")).to_be_visible()
    expect_spanish(alex, "stopped by the joining phone, on the other")
    assert alex.errors == [] and sam.errors == [] and third.errors == []


def test_an_expired_code_says_so_in_spanish_on_both_phones(relay_factory, browser_context):
    relay = relay_factory(env={"HEARTH_INVITE_TTL_SECONDS": "1"})
    alex, sam = spanish_phones(browser_context, relay.url)
    link = show_code(alex)
    expires_at = eventually(alex, INVITE_EXPIRES)
    # The relay counts whole seconds: its invite is over once a second past its deadline.
    eventually(sam, "(at) => Date.now() / 1000 > at + 1.05", expires_at)
    sam.goto(link)
    sam.get_by_role("button", name="Vincular con el teléfono de mi pareja").click()
    expect(sam.locator(".notice-problem")).to_contain_text("Este código ha caducado.")
    expect_spanish(sam, "joining with an expired code")
    # The code's own countdown says so too, at its next tick (every 15 seconds).
    expect(alex.locator(".countdown")).to_have_text("Este código ha caducado.", timeout=20_000)
    expect_spanish(alex, "a code on screen that has expired")
    assert alex.errors == [] and sam.errors == []


def test_a_camera_that_may_not_be_used_gets_spanish_words_and_a_way_back(relay, browser_context):
    page = open_app(browser_context(**SPANISH_PHONE), relay.url, "pair")   # no camera permission granted
    page.get_by_role("button", name="Escanear el código de mi pareja").click()
    # Denied, or no camera at all (as on a test machine): either way, the link instead.
    expect(page.get_by_role("alert")).to_contain_text(re.compile("te comparta el enlace|compartirte el enlace"))
    expect(page.get_by_label("Pega el enlace que te envió tu pareja")).to_be_visible()
    expect(page.get_by_role("button", name="Intentarlo de nuevo")).to_be_visible()
    all_spanish(page, "a camera that may not be used")
    page.get_by_role("button", name="Volver a las formas de vincular").click()
    expect(page.get_by_role("button", name="Mostrar un código en este teléfono")).to_be_visible()
    expect_spanish(page, "back to the ways to pair")
    assert page.errors == []


def test_a_new_phone_taking_a_place_or_everything_speaks_spanish(relay, browser_context):
    """The codes a paired phone shows for the partner's new phone (§11.3) and for its own
    (§11.4), and the numbers each new phone compares; each stopped there, from the new phone."""
    alex, _sam = spanish_couple(relay, browser_context)
    for open_with, show_with, title, compare, joiner_words in (
            ("Mi pareja tiene un teléfono nuevo", "Mostrar un código para el teléfono nuevo",
             "Deja que el teléfono nuevo de tu pareja escanee esto",
             "El teléfono nuevo de tu pareja también muestra ahora seis números.",
             "Este teléfono va a ocupar el lugar del anterior."),
            ("Pasarme a un teléfono nuevo", "Mostrar un código para mi teléfono nuevo",
             "Deja que tu teléfono nuevo escanee esto", "Tu teléfono nuevo también muestra ahora seis números.",
             "Todo lo de tu otro teléfono se está pasando aquí")):
        go(alex, "home")   # then Settings afresh, past the last round's stopped pairing
        go(alex, "pair")
        alex.get_by_role("button", name=open_with, exact=True).click()
        alex.get_by_role("button", name=show_with).click()
        expect(alex.get_by_role("heading", name=title)).to_be_visible()
        expect(alex.locator("svg.qr")).to_be_visible()
        expect_spanish(alex, title)
        new_phone = open_app(browser_context(**SPANISH_PHONE), relay.url)
        join_by_link(new_phone, alex.locator("#pair-link").input_value())
        expect(new_phone.get_by_text(joiner_words)).to_be_visible()
        expect_spanish(new_phone, f"the new phone comparing: {joiner_words}")
        expect(alex.get_by_text(compare)).to_be_visible()
        expect_spanish(alex, f"comparing: {compare}")
        new_phone.get_by_role("button", name="Son diferentes").click()
        expect(new_phone.get_by_role("heading", name="No se ha compartido nada")).to_be_visible()
        expect(alex.get_by_role("heading", name="No se ha compartido nada")).to_be_visible()
        expect_spanish(alex, f"stopped by the new phone: {title}")
        assert new_phone.errors == []
    assert alex.errors == []
