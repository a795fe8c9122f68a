"""The app lock (issue #12): sealed at rest, unlocked by passcode or the phone's screen lock
(WebAuthn PRF, Chromium's virtual authenticator), growing waits after wrong passcodes,
locking after time in the background and with quick hide, and nothing lost while locked.

Waiting is Playwright's own (expect) or app_helpers.eventually; nothing sleeps and hopes."""

import random
import string
from pathlib import Path

import pytest

from playwright.sync_api import expect

from app_helpers import (all_sent, as_if_agreed, eventually, expect_status, files_holding, go, open_app, pair_by_link, reload_offline, serious_axe_violations,
                         wait_installed, wider_than_a_phone, write_journal)
from client_helpers import Client, pair_with_app
from conftest import CHROMIUM, CHROMIUM_ARGS

PASSCODE = "246813"


def canary() -> str:
    """32 distinct characters: no repeat for LevelDB's Snappy compression to fold away."""
    return "".join(random.sample(string.ascii_letters + string.digits, 32))


def turn_on_lock(page, passcode: str = PASSCODE) -> None:
    go(page, "pair")
    page.get_by_role("button", name="Set up the app lock").click()
    expect(page.get_by_text("There are exactly two ways out: restore from a backup, or erase Hearth")).to_be_visible()
    page.get_by_label("Choose a passcode").fill(passcode)
    page.get_by_label("Type it again").fill(passcode)
    page.get_by_role("button", name="Turn on the app lock").click()
    expect(page.get_by_text("The app lock is on.")).to_be_visible()


def expect_locked(page) -> None:
    expect(page.get_by_role("heading", name="Hearth is locked")).to_be_visible()


def unlock(page, passcode: str = PASSCODE) -> None:
    page.get_by_label("Passcode", exact=True).fill(passcode)
    page.get_by_role("button", name="Unlock", exact=True).click()
    expect(page.locator('#view[data-view="home"] h1')).to_be_visible()


def lock_now(page) -> None:
    go(page, "pair")
    page.get_by_role("button", name="Lock now").click()
    expect_locked(page)


def found_in_profile(profile: Path, secret: str) -> list[str]:
    """Every file of the browser's profile that holds `secret` in UTF-8 or UTF-16LE."""
    return files_holding(profile, [secret.encode("utf-8"), secret.encode("utf-16-le")])


def write_canary_and_close(chromium, url: str, profile: Path, lock: bool) -> str:
    context = chromium.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 360, "height": 740})
    try:
        page = open_app(context, url)
        if lock:
            turn_on_lock(page)
        secret = canary()
        write_journal(page, f"Something only we know: {secret}", share=False)
        go(page, "home")
        assert page.errors == []
    finally:
        context.close()
    return secret


def test_with_the_lock_on_what_a_person_wrote_is_nowhere_in_the_profile_on_disk(relay, chromium, tmp_path):
    profile = tmp_path / "profile"
    secret = write_canary_and_close(chromium, relay.url, profile, lock=True)
    assert found_in_profile(profile, secret) == []


def test_with_the_lock_off_the_same_search_does_find_it(relay, chromium, tmp_path):
    """The control: the search above can find a canary where one is."""
    profile = tmp_path / "profile"
    secret = write_canary_and_close(chromium, relay.url, profile, lock=False)
    assert any("IndexedDB" in f for f in found_in_profile(profile, secret))


def test_the_passcode_unlocks_and_the_entries_are_there(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    write_journal(page, "Written before the lock", share=False)
    turn_on_lock(page)
    write_journal(page, "Written with the lock on", share=False)
    lock_now(page)
    assert page.title() == "Hearth" and page.url.endswith("#/")
    unlock(page)
    go(page, "journal")
    for text in ("Written before the lock", "Written with the lock on"):
        expect(page.locator(".entry-text", has_text=text)).to_be_visible()
    # Turning it off needs the passcode, and everything stays.
    go(page, "pair")
    page.get_by_text("Turn off the app lock").first.click()
    page.get_by_label("Passcode", exact=True).fill("999999")
    page.get_by_role("button", name="Turn off the app lock").click()
    expect(page.get_by_text("That isn't the passcode, so the lock stays on.")).to_be_visible()
    page.get_by_label("Passcode", exact=True).fill(PASSCODE)
    page.get_by_role("button", name="Turn off the app lock").click()
    expect(page.get_by_role("button", name="Set up the app lock")).to_be_visible()
    page.reload()
    go(page, "journal")
    expect(page.locator(".entry-text", has_text="Written with the lock on")).to_be_visible()
    assert page.errors == []


def test_wrong_passcodes_wait_longer_each_time_even_after_a_reload_and_never_erase(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    write_journal(page, "Still here after wrong tries", share=False)
    turn_on_lock(page)
    lock_now(page)
    for wrong in ("111111", "222222", "333333"):
        page.get_by_label("Passcode", exact=True).fill(wrong)
        page.get_by_role("button", name="Unlock", exact=True).click()
        expect(page.locator("#lock-message")).not_to_have_text("Unlocking…")
    expect(page.locator("#lock-message")).to_contain_text("Please wait")
    expect(page.get_by_role("button", name="Unlock", exact=True)).to_be_disabled()
    page.reload()   # the wait is kept on the phone: a reload does not start it over
    expect_locked(page)
    expect(page.locator("#lock-message")).to_contain_text("Please wait")
    expect(page.get_by_role("button", name="Unlock", exact=True)).to_be_disabled()
    # Once the wait is over (the stored moment moved into the past), the right passcode opens
    # everything: nothing was erased.
    page.evaluate("""() => import('/js/data/db.js').then(async (db) => {
      const lock = await db.getMeta('lock'); await db.setMeta('lock', { ...lock, waitUntil: Date.now() - 1 }); })""")
    page.reload()
    expect_locked(page)
    unlock(page)
    go(page, "journal")
    expect(page.locator(".entry-text", has_text="Still here after wrong tries")).to_be_visible()
    assert eventually(page, "() => import('/js/data/db.js').then(async (db) => (await db.getMeta('lock')).failures === 0)")


def test_this_phones_screen_lock_unlocks_through_webauthn_prf(relay, browser_context):
    """Chromium's virtual authenticator with PRF stands in for the phone's screen lock. WebAuthn
    refuses an IP address as the relying party, so this phone opens the app at localhost."""
    context = browser_context()
    page = open_app(context, relay.url.replace("127.0.0.1", "localhost"))
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "ctap2Version": "ctap2_1", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True, "hasPrf": True}})
    write_journal(page, "Opened by the screen lock", share=False)
    turn_on_lock(page)
    page.get_by_role("button", name="Also unlock with this phone's screen lock").click()
    expect(page.get_by_text("Done: you can unlock Hearth with this phone's screen lock")).to_be_visible()
    lock_now(page)
    page.get_by_role("button", name="Use this phone's screen lock").click()
    expect(page.locator('#view[data-view="home"] h1')).to_be_visible()
    go(page, "journal")
    expect(page.locator(".entry-text", has_text="Opened by the screen lock")).to_be_visible()
    # The passcode still opens it too.
    lock_now(page)
    unlock(page)
    assert page.errors == []


VAULT_OPEN = "() => import('/js/data/vault.js').then((v) => v.isOpen())"


def into_background(page, hidden: bool) -> None:
    page.evaluate("""(hidden) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }""", hidden)


def test_it_locks_after_the_chosen_time_in_the_background(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    page.clock.install()
    turn_on_lock(page)
    # The default: five minutes. Four in the background and back: still open.
    into_background(page, True)
    page.clock.fast_forward("04:00")
    into_background(page, False)
    assert page.evaluate(VAULT_OPEN) is True
    expect(page.get_by_role("heading", name="Hearth is locked")).to_have_count(0)
    # A minute, chosen in Settings: a minute and a second in the background locks it.
    page.get_by_label("Lock after this long in the background").select_option(label="1 minute")
    eventually(page, "() => import('/js/data/db.js').then(async (db) => (await db.getMeta('lock')).timeoutMs === 60000)")
    into_background(page, True)
    page.clock.fast_forward("01:01")
    expect_locked(page)
    unlock(page)


def test_quick_hide_with_the_lock_on_locks_at_once_and_says_nothing_of_hearth(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    turn_on_lock(page)
    go(page, "boundaries")
    expect(page).to_have_title("Boundaries · Hearth")
    page.get_by_role("button", name="Hide screen").click()
    cover = page.locator("#cover")
    expect(cover).to_be_visible()
    expect(page).to_have_title("New page")
    assert "boundaries" not in page.url and page.url.endswith("#/")
    # The cover stays up while Hearth starts again locked underneath; a tap shows the lock screen.
    expect(page.locator("html[data-ready=locked]")).to_have_count(1)
    expect(cover).to_be_visible()
    expect(page).to_have_title("New page")
    cover.click()
    expect_locked(page)
    expect(page).to_have_title("Hearth")
    unlock(page)


def test_quick_hide_with_the_lock_off_hides_the_title_and_address_and_a_tap_brings_them_back(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    go(page, "boundaries")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.locator("#cover")).to_be_visible()
    expect(page).to_have_title("New page")
    assert page.url.endswith("#/")
    page.locator("#cover").click()
    expect(page).to_have_title("Boundaries · Hearth")
    assert page.url.endswith("#/boundaries")
    expect(page.locator('#view[data-view="boundaries"] h1')).to_be_visible()


def test_a_partners_entry_sent_while_locked_appears_after_unlocking(relay, browser_context, tmp_path):
    client = Client(tmp_path / "client")
    page = pair_with_app(relay.url, client, browser_context())
    turn_on_lock(page)
    write_journal(page, "Sent before locking")
    lock_now(page)
    client.put("journal", {"text": "Written while the other phone was locked", "shared": True})
    client.sync()
    expect_locked(page)
    unlock(page)
    go(page, "journal")
    expect(page.locator(".entry-text", has_text="Written while the other phone was locked")).to_be_visible()
    all_sent(page)   # what was written before locking may have waited for the unlock
    client.sync()
    assert {r["text"] for r in client.list("journal")} == {"Sent before locking", "Written while the other phone was locked"}
    assert page.errors == []


SCHEDULE_SAYS = """(words) => import('/js/data/db.js').then((db) => db.getMeta('reminder_schedule'))
  .then((s) => JSON.stringify(s || null).includes(words))"""
PUT_EXPERIMENT = """([title, days]) => import('/js/core/dates.js').then((d) => import('/js/device/records.js')
  .then((m) => m.put('experiment', { title, starts_on: d.addDays(d.today(), days), days: 7, status: 'active' })))"""


def test_with_the_lock_on_reminders_keep_only_discreet_words_for_the_service_worker(relay, browser_context):
    context = browser_context()
    context.grant_permissions(["notifications"], origin=relay.url)
    page = open_app(context, relay.url, "reminders")
    wait_installed(page)
    switch = page.get_by_role("switch", name="Remind me on this phone")
    switch.click()
    expect(switch).to_be_checked()
    page.get_by_role("radio", name="Show what it's about").check()
    title = f"A walk by the river {canary()}"
    page.evaluate(PUT_EXPERIMENT, [title, -8])   # its look-back is due today, once agreed
    as_if_agreed(page, title, page.evaluate("() => import('/js/core/dates.js').then((d) => d.addDays(d.today(), -8))"))
    eventually(page, SCHEDULE_SAYS, title)        # chosen: the words are kept, in the clear
    turn_on_lock(page)
    # The schedule stays clear, so the service worker can fire it while Hearth is locked,
    # and from now on it holds the discreet words only.
    eventually(page, SCHEDULE_SAYS, "Something you set aside is ready when you are.")
    assert not page.evaluate(SCHEDULE_SAYS, title)
    lock_now(page)
    unlock(page)
    page.evaluate("() => import('/js/reminders/remind.js').then((m) => m.check())")
    assert not page.evaluate(SCHEDULE_SAYS, title)
    # The reminders screen says why its choice of words is set aside.
    go(page, "reminders")
    expect(page.locator(".rem-locked")).to_have_text(
        "While the app lock is on, reminders keep to the private words, so nothing shows before Hearth is unlocked.")
    assert page.errors == []


def test_a_phone_with_the_lock_on_pairs_and_syncs_both_ways(relay, browser_context):
    """Pairing, the outbox, kept and held envelopes and receipts all go through sealed stores."""
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    turn_on_lock(alex)
    pair_by_link(alex, sam, relay.url)
    write_journal(alex, "From the locked phone")
    write_journal(sam, "To the locked phone")
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text="To the locked phone")).to_be_visible()
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="From the locked phone")).to_be_visible()
    for page in (alex, sam):
        expect_status(page, "Synced")
    lock_now(alex)
    unlock(alex)
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text="To the locked phone")).to_be_visible()
    assert alex.errors == [] and sam.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_lock_screens_are_accessible_and_fit_a_phone(relay, browser_context, scheme):
    page = open_app(browser_context(color_scheme=scheme), relay.url)
    go(page, "pair")
    page.get_by_role("button", name="Set up the app lock").click()
    problems = serious_axe_violations(page, "turning the lock on") + wider_than_a_phone(page, "turning the lock on")
    page.get_by_label("Choose a passcode").fill(PASSCODE)
    page.get_by_label("Type it again").fill(PASSCODE)
    page.get_by_role("button", name="Turn on the app lock").click()
    expect(page.get_by_text("The app lock is on.")).to_be_visible()
    problems += serious_axe_violations(page, "the lock's settings") + wider_than_a_phone(page, "the lock's settings")
    lock_now(page)
    problems += serious_axe_violations(page, "the lock screen") + wider_than_a_phone(page, "the lock screen")
    assert problems == []


def test_it_unlocks_offline_from_the_service_worker_alone(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    write_journal(page, "Read on a train with no signal", share=False)
    turn_on_lock(page)
    go(page, "home")   # a reload opens where it was, once unlocked
    reload_offline(page, drawn=False)
    expect_locked(page)
    unlock(page)   # the lock screen, Argon2id's wasm and the sealing code all come from the cache
    go(page, "journal")
    expect(page.locator(".entry-text", has_text="Read on a train with no signal")).to_be_visible()


def test_a_forgotten_passcode_leads_to_erasing_then_restoring_or_pairing_again(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    write_journal(page, "Sealed, and then forgotten", share=False)
    turn_on_lock(page)
    lock_now(page)
    page.get_by_text("Forgotten the passcode?").click()
    fold = page.locator(".lock-forgotten")
    expect(fold).to_contain_text("There are two ways out: restore from a backup, or erase Hearth from this phone and pair again.")
    fold.get_by_role("button", name="Erase this phone and start again").click()
    fold.get_by_role("button", name="Yes, erase everything here").click()
    # A phone with nothing on it: Settings offers both ways on.
    expect(page.locator('#view[data-view="pair"]')).to_be_visible()
    expect(page.get_by_role("button", name="Restore from a backup")).to_be_visible()
    expect(page.get_by_role("button", name="Show a code on this phone")).to_be_visible()
    go(page, "journal")
    expect(page.locator(".entry")).to_have_count(0)
    assert page.errors == []
