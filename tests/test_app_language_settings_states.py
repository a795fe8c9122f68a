"""Settings on a Spanish phone in the states the other Settings tests don't reach (issue
#14, "Languages"): the backup reminder due, a hand-over of the shared history to a new
phone (under way and done), a move to a new phone under way on either phone, a stop that
can't reach the relay, the move stopped, the new safety code after a move, and a restore
just done. Each state is put in place through the app's own
modules (data/db.js keeps what the move, hand-over and backup modules keep, in their
shape), or, for the restore, by a real backup file; then no English is left and axe
finds nothing serious."""

import base64

import pytest
from playwright.sync_api import expect

from app_helpers import go, go_offline, open_app
from language_helpers import expect_spanish, put, spanish_couple

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SPANISH_PHONE = {"locale": "es-ES", "viewport": {"width": 360, "height": 780}}
KEEP = """([key, value]) => import('/js/data/db.js').then((db) => db.setMeta(key, value))"""
DAYS_AGO = """(n) => Date.now() - n * 86400000"""
PASSPHRASE = "gato azul en la ventana"
# A backup file's bytes, made by device/backup.js with the lightest key stretching it
# accepts (the file is the same shape; Argon2id at full strength only takes longer).
BACKUP = """(passphrase) => Promise.all([import('/js/device/backup.js'), import('/js/core/backup.js')])
  .then(async ([m, b]) => {
    const { data } = await m.makeBackup(passphrase, { kdf: b.FLOOR });
    let text = '';
    for (const byte of data) text += String.fromCharCode(byte);
    return btoa(text);
  })"""

SAVE_IDENTITY = """(fields) => import('/js/device/identity.js').then((m) => m.saveIdentity(fields))"""
PARTNER_MOVED = {"partnerMoved": {"old": "AAAAAAAAAAAAAAAAAAAAAA", "device": "BBBBBBBBBBBBBBBBBBBBBB", "at": 1},
                 "movedIn": None}
MOVED_IN = {"partnerMoved": None, "movedIn": {"from": "AAAAAAAAAAAAAAAAAAAAAA", "at": 1}}


def keep(page, key: str, value) -> None:
    page.evaluate(KEEP, [key, value])


def settings_again(page) -> None:
    """Settings drawn afresh, from what this phone keeps now."""
    page.reload()
    go(page, "pair")


def stopped_said_once(page, here: bool, where: str) -> None:
    """A move that stopped (on this phone, `here`, or the other): said in Spanish, until "OK"."""
    keep(page, "move_stopped", {"at": page.evaluate(DAYS_AGO, 0), "here": here})
    settings_again(page)
    expect(page.get_by_role("heading", name="El traspaso se ha detenido")).to_be_visible()
    expect_spanish(page, where)
    page.get_by_role("button", name="De acuerdo").click()
    expect(page.get_by_role("heading", name="El traspaso se ha detenido")).to_have_count(0)


def test_a_paired_phone_with_its_reminder_due_and_a_hand_over_speaks_spanish(relay, browser_context):
    alex, _sam = spanish_couple(relay, browser_context)
    # The backup reminder on, and the last backup six weeks ago: the gentle nudge.
    alex.evaluate("() => import('/js/device/backup.js').then((m) => m.setReminder(true))")
    keep(alex, "backup_last", alex.evaluate(DAYS_AGO, 42))
    settings_again(alex)
    expect(alex.locator(".backup-nudge")).to_have_text(
        "Ha pasado un tiempo. Cuando tengas un momento tranquilo, quizá te apetezca guardar una copia nueva.")
    expect(alex.locator("#backup-remind")).to_be_checked()
    expect_spanish(alex, "settings with the backup reminder due")
    # The shared history arriving on this (new) phone, part of the way, then all of it.
    keep(alex, "history_in", {"part": 2, "parts": 5})
    settings_again(alex)
    card = alex.locator(".hand-over")
    expect(card.get_by_role("heading")).to_have_text("Vuestra historia compartida")
    expect(card.get_by_role("status")).not_to_be_empty()
    expect_spanish(alex, "a hand-over under way")
    keep(alex, "history_in", {"part": 5, "parts": 5})
    settings_again(alex)
    expect(alex.locator(".hand-over.hand-over-done")).to_be_visible()
    expect_spanish(alex, "a hand-over done")
    # A move from this phone that stopped before it finished, said once.
    stopped_said_once(alex, here=False, where="a move that stopped, on a paired phone")
    # After a move: my partner's new phone, then mine, each with the new safety code.
    for fields, title in ((PARTNER_MOVED, "Tu pareja se ha pasado a un teléfono nuevo"), (MOVED_IN, "Todo está aquí")):
        alex.evaluate(SAVE_IDENTITY, fields)
        settings_again(alex)
        expect(alex.get_by_role("heading", name=title)).to_be_visible()
        expect(alex.get_by_role("button", name="Ya los hemos comparado")).to_be_visible()
        expect_spanish(alex, f"after a move: {title}")
    assert alex.errors == []


def test_a_move_under_way_and_stopped_speaks_spanish(relay, browser_context):
    page = open_app(browser_context(**SPANISH_PHONE), relay.url)
    # The move coming here: how far it has come.
    keep(page, "moving_in", {"from": "old", "epoch": 1, "next": 4, "last": 3, "part": 3, "parts": 10})
    settings_again(page)
    expect(page.locator(".moving .move-progress")).not_to_be_empty()
    expect_spanish(page, "a move arriving on this phone")
    keep(page, "moving_in", None)
    # The move going out from here, getting ready and then part of the way, with its stop.
    keep(page, "moving_out", {"parts": None, "received": 0})
    settings_again(page)
    expect(page.locator(".moving .move-progress")).not_to_be_empty()
    expect_spanish(page, "a move getting ready on this phone")
    keep(page, "moving_out", {"parts": 12, "received": 5})
    settings_again(page)
    stop = page.get_by_role("button", name="Detener el traspaso")
    expect(stop).to_be_visible()
    expect_spanish(page, "a move going out from this phone")
    # Stopping it with the relay out of reach: the move goes on, and the card says why.
    go_offline(page)
    stop.click()
    expect(page.locator(".moving [role=alert]")).to_have_text(
        "Hearth no puede conectar con su servidor ahora mismo, así que el traspaso no se ha detenido. "
        "Vuelve a intentarlo cuando tengas conexión, por favor.")
    expect_spanish(page, "a move that couldn't be stopped")
    page.context.set_offline(False)
    keep(page, "moving_out", None)
    # Stopped on this phone (the new one): said once, until "OK".
    stopped_said_once(page, here=True, where="a move that stopped, on the new phone")
    assert page.errors == []


def test_a_restore_just_done_speaks_spanish(relay, browser_context):
    old = open_app(browser_context(**SPANISH_PHONE), relay.url)
    put(old, "journal", {"text": "Un paseo hasta el banco."})
    put(old, "gratitude", {"text": "El té de la tarde.", "date": "2026-11-30"})
    data = base64.b64decode(old.evaluate(BACKUP, PASSPHRASE))
    page = open_app(browser_context(**SPANISH_PHONE), relay.url)
    go(page, "pair")
    page.get_by_role("button", name="Restaurar una copia de seguridad").click()
    page.locator("#restore-file").set_input_files({"name": "hearth-backup-2026-11-30.hearth",
                                                   "mimeType": "application/octet-stream", "buffer": data})
    page.locator("#restore-pass").fill(PASSPHRASE)
    page.get_by_role("button", name="Restaurar", exact=True).click()
    expect(page.get_by_role("heading", name="Todo ha vuelto")).to_be_visible(timeout=60_000)
    expect_spanish(page, "a restore just done")
    assert old.errors == [] and page.errors == []
