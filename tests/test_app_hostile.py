"""The app behind a hostile relay: it reorders, drops, withholds, lies about what it holds
and sends nonsense. Nothing a partner shared may be lost, and what is missing is said
plainly (protocol §5.5-5.7). Two real browser phones, one real relay, a proxy between."""

import pytest
from playwright.sync_api import expect

from app_helpers import eventually, go, go_offline, open_app, pair_by_link, write_journal

WAIT_MS = 30_000   # a live receipt's head is judged 10 s after it arrives (§5.6)


@pytest.fixture
def phones(hostile, browser_context):
    """(alex, sam, sam_id): two phones paired through the hostile relay while it is honest."""
    alex = open_app(browser_context(), hostile.url)
    sam = open_app(browser_context(), hostile.url)
    pair_by_link(alex, sam, hostile.url)
    return alex, sam, device_id(sam)


def device_id(page) -> str:
    return page.evaluate("() => import('/js/device/identity.js').then((d) => d.identity()).then((i) => i.device)")


def meta(page, key: str, fallback=None):
    return page.evaluate(f"() => import('/js/data/db.js').then((db) => db.getMeta({key!r}, {fallback!r}))")


def kept(page) -> int:
    return page.evaluate("() => import('/js/data/db.js').then(async (db) => (await db.database()).count('kept'))")


def expect_entries(page, texts: list[str]) -> None:
    go(page, "journal")
    for text in texts:
        expect(page.locator("article.entry", has_text=text)).to_have_count(1, timeout=WAIT_MS)


def notice(page):
    return page.locator("#sync-status .sync-notice")


def test_an_envelope_that_arrives_late_is_applied_not_taken_for_a_repeat(phones, hostile):
    alex, sam, sam_id = phones
    late = hostile.hold_envelopes(seq=2, device=sam_id)
    texts = ["First: a slow walk.", "Second: a long hug.", "Third: tea in bed."]
    for text in texts:
        write_journal(alex, text)
    late.wait()
    hostile.until(lambda: 3 in hostile.delivered_seqs(sam_id), what="seq 3 reaching sam before seq 2")
    expect(sam.locator("#sync-status .sync-text")).to_be_visible()
    late.release()
    expect_entries(sam, texts)
    assert hostile.delivered_seqs(sam_id)[-2:] == [3, 2]
    assert meta(sam, "gaps", []) == [] and sam.errors == []


def test_a_lie_about_what_the_relay_holds_deletes_nothing(phones, hostile, browser_context):
    alex, sam, sam_id = phones
    alex_id = device_id(alex)
    go_offline(alex)
    write_journal(alex, "Written on the train, offline.")
    hostile.rewrite("ready", device=alex_id, count=1, fn=lambda f: {**f, "last_seq": 1000})
    alex.context.set_offline(False)
    # The relay claimed to hold it, so alex keeps it until sam's phone confirms it; alex's
    # receipt names it, sam's phone asks for it, and it is sent again.
    expect_entries(sam, ["Written on the train, offline."])
    eventually(alex, "() => import('/js/data/db.js').then(async (db) => (await (await db.database()).count('kept')) === 0)")
    write_journal(alex, "And one more, after.")
    expect_entries(sam, ["And one more, after."])
    assert alex.errors == [] and sam.errors == []


def test_a_dropped_envelope_is_asked_for_and_sent_again(phones, hostile):
    alex, sam, sam_id = phones
    hostile.drop_envelopes(seq=1, device=sam_id, count=1)
    write_journal(alex, "The one the relay lost.")
    write_journal(alex, "The one after it.")
    expect_entries(sam, ["The one the relay lost.", "The one after it."])
    eventually(sam, "() => import('/js/data/db.js').then((db) => db.getMeta('gaps', [])).then((g) => g.length === 0)")
    assert sam.errors == []


def skip_ahead_until(page, check) -> None:
    """Move the page's clock (Playwright's) on 11 s at a time, so the app's 10 s timers fire
    (a receipt's head judged, a gap asked for again, §5.6), until `check(timeout_ms)` holds.
    Each step waits up to 2 s for what the timers set going."""
    for step in range(8):
        page.clock.fast_forward("00:11")
        try:
            return check(2_000)
        except AssertionError:
            if step == 7:
                raise


def test_withholding_is_noticed_in_plain_words_and_repaired_when_the_relay_behaves(phones, hostile):
    alex, sam, sam_id = phones
    sam.clock.install()   # sam's timers from here on wait for skip_ahead_until, not the wall clock
    write_journal(alex, "Delivered as usual.")
    expect_entries(sam, ["Delivered as usual."])
    # From now on the relay keeps alex's envelopes from sam, resends included, but passes
    # alex's receipt, whose head says what alex has handed over.
    withheld = hostile.drop_envelopes(which=lambda e: e.seq >= 2, device=sam_id)
    write_journal(alex, "Withheld by the relay.")
    skip_ahead_until(sam, lambda ms: expect(notice(sam)).to_contain_text("haven't reached this phone yet", timeout=ms))
    assert sam.locator("article.entry", has_text="Withheld by the relay.").count() == 0
    withheld.remove()
    go(sam, "journal")
    skip_ahead_until(sam, lambda ms: expect(sam.locator("article.entry", has_text="Withheld by the relay.")).to_have_count(1, timeout=ms))
    skip_ahead_until(sam, lambda ms: expect(notice(sam)).not_to_contain_text("haven't reached", timeout=ms))
    assert sam.errors == []


def test_an_empty_or_malformed_delivery_does_not_stop_syncing(phones, hostile):
    alex, sam, sam_id = phones
    for frame in ({"type": "deliveries", "envelopes": []}, {"type": "deliveries"},
                  {"type": "deliveries", "envelopes": [1, "x"]}, {"type": "deliver", "body": 5}):
        hostile.inject(sam_id, "to_device", frame)
    write_journal(alex, "Still arrives after the nonsense.")
    expect_entries(sam, ["Still arrives after the nonsense."])
    assert sam.errors == []


def test_a_refused_send_is_said_plainly_and_kept(phones, hostile):
    alex, sam, _ = phones
    alex_id = device_id(alex)
    lost = hostile.drop("send", device=alex_id, count=1)
    write_journal(alex, "Kept while the relay says no.")
    lost.wait()
    hostile.inject(alex_id, "to_device", {"type": "error", "code": "quota_exceeded", "in": "send",
                                          "message": "Too much is waiting for your partner's device."})
    expect(alex.locator("#sync-status .sync-text")).to_contain_text("didn't take", timeout=WAIT_MS)
    assert alex.evaluate("() => import('/js/data/db.js').then((db) => db.outboxCount())") == 1
    write_journal(alex, "Then the relay takes both.")
    expect_entries(sam, ["Kept while the relay says no.", "Then the relay takes both."])
