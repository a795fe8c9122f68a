"""The app lock's keys (issue #12, docs/app-lock.md): with the lock on, the keys store (this
phone's signing and agreement keys, the pairing's sending and receiving keys) is sealed
under the lock's data key like everything else, so the keys' bytes are nowhere in the
browser's profile on disk; with it off they are there as before (the control). A phone
locked and unlocked again still sends and receives; one whose keys an earlier version made
non-extractable says plainly that those keys can't be sealed, and carries on working.

Waiting is Playwright's own (expect) or app_helpers.eventually; nothing sleeps and hopes."""

import base64
from pathlib import Path

from playwright.sync_api import expect

from app_helpers import files_holding, go, open_app, pair_by_link, write_journal
from conftest import CHROMIUM, CHROMIUM_ARGS
from test_app_lock import PASSCODE, lock_now, turn_on_lock, unlock

# The bytes of this phone's keys, as the page holds them (key-material.js): the device's two
# private scalars (its JWKs' `d`) and the pairing's two AES keys. Base64url, for Python.
KEY_BYTES = """async () => {
  const [km, db, { deviceKeys }] = await Promise.all([import('/js/core/key-material.js'),
    import('/js/data/db.js'), import('/js/device/identity.js')]);
  const b64u = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const keys = await deviceKeys();
  return {
    sig: km.materialOf(keys.sig).data.d,
    dh: km.materialOf(keys.dh).data.d,
    send: b64u(km.materialOf(await db.getKey('send')).data),
    receive: b64u(km.materialOf(await db.getKey('receive')).data),
  };
}"""

NO_DEVICE_KEYS_YET = "() => import('/js/data/db.js').then((db) => db.getKey('device')).then((k) => k === undefined)"


def encodings(secret: bytes) -> list[bytes]:
    """`secret` raw, and as base64, base64url and hex text in UTF-8 and UTF-16LE."""
    texts = {base64.b64encode(secret).decode(), base64.b64encode(secret).decode().rstrip("="),
             base64.urlsafe_b64encode(secret).decode().rstrip("="), secret.hex(), secret.hex().upper()}
    return [secret] + [t.encode(enc) for t in sorted(texts) for enc in ("utf-8", "utf-16-le")]


def pair_and_close(chromium, browser_context, url: str, profile: Path, lock: bool) -> dict[str, list[str]]:
    """A new phone (its own profile on disk) pairs, with or without the lock, and sends and
    receives; its keys' bytes are read, the browser closes, and each key's files are listed."""
    context = chromium.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 360, "height": 740})
    try:
        alex = open_app(context, url)
        sam = open_app(browser_context(), url)
        # The keys are made when first needed: here, after the lock is on (keys made before it
        # may linger in the browser's old copies until it tidies them; docs/app-lock.md).
        assert alex.evaluate(NO_DEVICE_KEYS_YET)
        if lock:
            turn_on_lock(alex)
        pair_by_link(alex, sam, url)
        write_journal(alex, "From the phone on disk")
        write_journal(sam, "To the phone on disk")
        go(alex, "journal")
        expect(alex.locator(".entry-text", has_text="To the phone on disk")).to_be_visible()
        secrets = {name: base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
                   for name, value in alex.evaluate(KEY_BYTES).items()}
        assert all(len(s) == 32 for s in secrets.values())
        assert alex.errors == [] and sam.errors == []
    finally:
        context.close()
    return {name: files_holding(profile, encodings(secret)) for name, secret in secrets.items()}


def test_with_the_lock_on_no_key_of_this_phone_is_anywhere_in_the_profile_on_disk(relay, chromium, browser_context, tmp_path):
    assert pair_and_close(chromium, browser_context, relay.url, tmp_path / "profile", lock=True) == {
        "sig": [], "dh": [], "send": [], "receive": []}


def test_with_the_lock_off_the_same_search_finds_every_key(relay, chromium, browser_context, tmp_path):
    """The control: the search above finds keys where they are (as they were before the lock)."""
    found = pair_and_close(chromium, browser_context, relay.url, tmp_path / "profile", lock=False)
    assert {name: any("IndexedDB" in f for f in files) for name, files in found.items()} == {
        "sig": True, "dh": True, "send": True, "receive": True}


def both_ways(alex, sam, words: str) -> None:
    write_journal(alex, f"{words}, from alex")
    write_journal(sam, f"{words}, from sam")
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text=f"{words}, from sam")).to_be_visible()
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text=f"{words}, from alex")).to_be_visible()


def test_a_phone_locked_and_unlocked_again_still_sends_and_receives_and_after_the_lock_goes_off(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    turn_on_lock(alex)
    pair_by_link(alex, sam, relay.url)
    lock_now(alex)   # the page starts again: its keys come from the sealed store, nowhere else
    unlock(alex)
    both_ways(alex, sam, "After unlocking")
    go(alex, "pair")   # turning it off opens the keys too
    page = alex
    page.get_by_text("Turn off the app lock").first.click()
    page.get_by_label("Passcode", exact=True).fill(PASSCODE)
    page.get_by_role("button", name="Turn off the app lock").click()
    expect(page.get_by_role("button", name="Set up the app lock")).to_be_visible()
    page.reload()
    both_ways(alex, sam, "With the lock off again")
    assert alex.errors == [] and sam.errors == []


# An earlier version's device keys: generated non-extractable, stored as CryptoKeys.
EARLIER_VERSIONS_KEYS = """async () => {
  const [c, db] = await Promise.all([import('/js/core/crypto.js'), import('/js/data/db.js')]);
  const sig = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const dh = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  await db.setKey('device', { sig: sig.privateKey, dh: dh.privateKey, sigPub: await c.publicRaw(sig.publicKey),
                              dhPub: await c.publicRaw(dh.publicKey), suite: c.SUITE_P256 });
}"""


def test_keys_an_earlier_version_made_are_said_to_stay_unsealed_and_everything_still_works(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    assert alex.evaluate(NO_DEVICE_KEYS_YET)
    alex.evaluate(EARLIER_VERSIONS_KEYS)
    pair_by_link(alex, sam, relay.url)
    turn_on_lock(alex)
    note = alex.locator(".lock-old-keys")
    expect(note).to_contain_text("made by an earlier version of Hearth, in a way that can't be sealed")
    expect(note).to_contain_text("save a backup, erase Hearth from this phone, turn the app lock on again, "
                                 "then restore the backup")
    assert alex.evaluate("() => import('/js/lock/state.js').then((s) => s.keysLeftClear())") == ["device"]
    lock_now(alex)
    unlock(alex)
    both_ways(alex, sam, "With older keys")
    go(alex, "pair")
    expect(alex.locator(".lock-old-keys")).to_be_visible()
    assert alex.errors == [] and sam.errors == []


def test_a_phone_with_its_own_keys_says_nothing_of_older_ones(relay, browser_context):
    alex = open_app(browser_context(), relay.url)
    write_journal(alex, "Made with this version's keys", share=False)
    turn_on_lock(alex)
    expect(alex.locator(".lock-old-keys")).to_be_hidden()
    assert alex.evaluate("() => import('/js/lock/state.js').then((s) => s.keysLeftClear())") == []
