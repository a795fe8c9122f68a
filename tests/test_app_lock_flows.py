"""The flows that write keys, with the app lock on (docs/app-lock.md, "The keys"): pairing,
taking a lost phone's place (§11.3) and moving to a new phone (§11.4) each write sending,
receiving or move keys inside IndexedDB transactions, which the lock now seals. Every phone
here is locked and unlocked again afterwards, so its keys come back from the sealed store in
a page that starts afresh, and the phones still send and receive both ways. And the way
round the lock's card offers a phone whose keys an earlier version made (they can't be
sealed) works: save a backup; on a phone with nothing on it, the lock first, then restore
and join the partner as their new phone; its keys are its own and sealed.

Waiting is Playwright's own (expect) or app_helpers.eventually; nothing sleeps and hopes."""

from playwright.sync_api import expect

from app_helpers import finish_joining, go, open_app, pair_by_link, write_journal
from test_app_backup import save_backup, try_restore
from test_app_lock import lock_now, turn_on_lock, unlock
from test_app_lock_keys import EARLIER_VERSIONS_KEYS, NO_DEVICE_KEYS_YET, both_ways
from test_app_move import move_out
from test_app_replace import new_phone_compares, welcome_new_phone


def locked_phone(browser_context, url: str):
    page = open_app(browser_context(), url)
    turn_on_lock(page)
    return page


def relock(*pages) -> None:
    for page in pages:
        lock_now(page)
        unlock(page)


def test_a_new_phone_takes_a_lost_ones_place_with_the_lock_on_both(relay, browser_context):
    alex, sam = locked_phone(browser_context, relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    write_journal(sam, "From the phone that will be lost")
    go(alex, "journal")
    expect(alex.locator(".entry-text", has_text="From the phone that will be lost")).to_be_visible()
    sam.close()   # lost

    link = welcome_new_phone(alex, [])
    jo = locked_phone(browser_context, relay.url)
    new_phone_compares(alex, jo, link, "You're taking your earlier phone's place.", [])
    finish_joining(jo)
    go(jo, "pair")
    expect(jo.locator(".hand-over")).to_contain_text("All of your shared history is here.", timeout=20_000)
    relock(alex, jo)
    go(jo, "journal")
    expect(jo.locator(".entry-text", has_text="From the phone that will be lost")).to_be_visible()
    both_ways(alex, jo, "After the new phone came")
    assert alex.errors == [] and jo.errors == []


def test_moving_to_a_new_phone_with_the_lock_on_all_three(relay, browser_context):
    alex, sam = locked_phone(browser_context, relay.url), locked_phone(browser_context, relay.url)
    pair_by_link(alex, sam, relay.url)
    both_ways(alex, sam, "Before the move")
    relock(alex)

    link = move_out(alex, [])
    jo = locked_phone(browser_context, relay.url)
    new_phone_compares(alex, jo, link, "Everything from your other phone is moving here", [])
    expect(alex.get_by_role("heading", name="Everything is on your new phone")).to_be_visible(timeout=20_000)
    go(jo, "pair")
    expect(jo.get_by_role("heading", name="Everything is here")).to_be_visible(timeout=20_000)
    go(sam, "pair")
    expect(sam.get_by_role("heading", name="Your partner moved to a new phone")).to_be_visible(timeout=20_000)
    relock(jo, sam)
    go(jo, "journal")
    expect(jo.locator(".entry-text", has_text="Before the move, from sam")).to_be_visible()
    both_ways(jo, sam, "After the move")
    assert alex.errors == [] and jo.errors == [] and sam.errors == []


KEYS_LEFT_CLEAR = "() => import('/js/lock/state.js').then((s) => s.keysLeftClear())"


def test_the_way_round_for_keys_an_earlier_version_made_ends_with_every_key_sealed(relay, browser_context, tmp_path):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    assert alex.evaluate(NO_DEVICE_KEYS_YET)
    alex.evaluate(EARLIER_VERSIONS_KEYS)
    pair_by_link(alex, sam, relay.url)
    write_journal(alex, "Written with older keys")
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="Written with older keys")).to_be_visible()
    turn_on_lock(alex)
    expect(alex.locator(".lock-old-keys")).to_be_visible()
    file = tmp_path / "alex.hearth"
    save_backup(alex, file)
    alex.context.close()   # erased (an erase deletes the whole database)

    phone = locked_phone(browser_context, relay.url)   # the lock first, so every key is made under it
    go(phone, "pair")
    try_restore(phone, file)
    expect(phone.get_by_role("heading", name="Everything is back")).to_be_visible(timeout=60_000)
    link = welcome_new_phone(sam, [])
    new_phone_compares(sam, phone, link, "You're taking your earlier phone's place.", [])
    finish_joining(phone)
    expect(sam.locator(".hand-over")).to_contain_text("Your partner's new phone has all of your shared history.",
                                                      timeout=30_000)
    assert phone.evaluate(KEYS_LEFT_CLEAR) == []
    go(phone, "pair")
    expect(phone.locator(".lock-old-keys")).to_be_hidden()
    relock(phone)
    go(phone, "journal")
    expect(phone.locator(".entry-text", has_text="Written with older keys")).to_be_visible()
    both_ways(phone, sam, "With keys of its own")
    assert phone.errors == [] and sam.errors == []
