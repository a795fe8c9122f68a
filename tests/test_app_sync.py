"""Two phones (browser contexts) against a real relay: pairing, syncing, offline, interop.

Waiting is Playwright's own (expect, wait_for_function); nothing sleeps and hopes.
"""

import json
import sqlite3
import time

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from app_helpers import (add_boundary, all_sent, confirm_pairing, eventually, expect_status, finish_joining, go, go_offline, open_app, pair_by_link, reload_offline,
                         safety_code, show_code, they_match, write_journal)
from client_helpers import Client, modified_partner_bodies, pair_with_app, queue_raw


def test_two_phones_pair_by_link_and_the_secret_never_stays_in_the_address_bar(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    link = show_code(alex)
    secret = link.split("s=")[1].split("&")[0]
    sam.goto(link)
    expect(sam.get_by_role("heading", name="Your partner has invited you")).to_be_visible()
    assert secret not in sam.url and sam.url.endswith("#/pair")
    code = confirm_pairing(sam)
    assert safety_code(alex) == code and len(code.replace(" ", "")) == 6
    assert secret not in sam.evaluate("() => location.href")
    they_match(alex)
    finish_joining(sam)
    for page in (alex, sam):
        expect_status(page, "Synced")
    go(sam, "pair")
    expect(sam.locator(".safety-code")).to_have_text(code)   # settings keep the code for later
    assert alex.errors == [] and sam.errors == []


def test_journal_and_boundaries_flow_both_ways(relay, browser_context):
    alex, sam = open_app(browser_context(), relay.url), open_app(browser_context(), relay.url)
    pair_by_link(alex, sam, relay.url)
    write_journal(alex, "We sat in the garden and held hands for a while.")
    go(sam, "journal")
    entry = sam.locator("article.entry", has_text="We sat in the garden")
    expect(entry.locator(".entry-author")).to_have_text("Your partner")

    entry.get_by_role("button", name="Reply").click()
    entry.get_by_label("Your reply").fill("That was lovely. Again on Sunday?")
    entry.get_by_role("button", name="Send reply").click()
    go(alex, "journal")
    expect(alex.locator(".reply", has_text="Again on Sunday?")).to_be_visible()

    write_journal(sam, "Only for me, for now.", share=False)
    expect(sam.locator("article.entry", has_text="Only for me").locator(".badge")).to_have_text("Private draft")

    add_boundary(sam, "Add a kind of touch", "a long hug", "welcome")

    go(alex, "boundaries?whose=partner")
    item = alex.locator(".boundary-item", has_text="a long hug")
    expect(item.locator(".boundary-level")).to_contain_text("Welcome")

    # Sam quietly narrows it; Alex sees a gentle notice and the change, with no reason asked.
    go(sam, "boundaries")
    sam.get_by_label('How "a long hug" feels now').select_option("ask_first")
    expect_status(sam, "Synced")
    go(alex, "boundaries?whose=partner")
    expect(alex.locator(".notice")).to_contain_text("Your partner has updated their map")
    expect(item.locator(".boundary-level")).to_contain_text("Ask me first, was welcome")
    alex.get_by_role("button", name="I've seen it").click()
    expect(alex.locator(".notice")).to_have_count(0)
    go(alex, "journal")
    assert "Only for me" not in alex.locator("#view").inner_text()
    assert alex.errors == [] and sam.errors == []


def test_a_phone_that_was_offline_catches_up_and_its_own_changes_wait_then_travel(relay, browser_context):
    alex_ctx, sam_ctx = browser_context(), browser_context()
    alex, sam = open_app(alex_ctx, relay.url), open_app(sam_ctx, relay.url)
    pair_by_link(alex, sam, relay.url)

    go_offline(sam)
    expect_status(sam, "Offline")
    write_journal(alex, "Written while Sam was away.")
    write_journal(sam, "Written on the train with no signal.")
    expect_status(sam, "Offline: 1 change waiting")
    go(alex, "journal")
    assert "on the train" not in alex.locator("#view").inner_text()

    sam_ctx.set_offline(False)
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="Written while Sam was away.")).to_be_visible()
    expect(alex.locator(".entry-text", has_text="on the train")).to_be_visible()
    expect_status(sam, "Synced")
    assert alex.errors == [] and sam.errors == []


def test_the_app_reloads_offline_with_everything_it_holds(relay, browser_context):
    alex_ctx, sam_ctx = browser_context(), browser_context()
    alex, sam = open_app(alex_ctx, relay.url), open_app(sam_ctx, relay.url)
    pair_by_link(alex, sam, relay.url)
    write_journal(alex, "Kept on the phone through a reload.")
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="Kept on the phone")).to_be_visible()
    reload_offline(sam, drawn=False)
    expect(sam.locator(".entry-text", has_text="Kept on the phone")).to_be_visible()
    expect_status(sam, "Offline")


def test_the_browser_and_hearth_client_interoperate_both_ways(relay, browser_context, tmp_path):
    client = Client(tmp_path / "client")
    page = pair_with_app(relay.url, client, browser_context())

    entry = json.loads(client.run("example", "journal").stdout)
    client.put("journal", entry)
    client.put("boundary", {"kind": "stop_signal", "label": "the word 'amber'"})
    client.sync()
    go(page, "journal")
    expect(page.locator(".entry-text", has_text=entry["text"])).to_be_visible()
    go(page, "home")
    expect(page.locator(".stop-signal")).to_contain_text("the word 'amber'")

    write_journal(page, "Hello from the browser.")
    expect_status(page, "Synced")
    all_sent(page)   # "Synced" may be from before the save
    client.sync()
    texts = {r["text"]: r["mine"] for r in client.list("journal")}
    assert texts == {entry["text"]: True, "Hello from the browser.": False}
    assert page.errors == []


def test_a_tampered_envelope_is_refused_and_flagged_never_shown(relay, browser_context, tmp_path):
    client = Client(tmp_path / "client")
    context = browser_context()
    page = pair_with_app(relay.url, client, context)
    page.close()   # the phone is away while the relay misbehaves

    client.put("journal", {"text": "the real words", "shared": True})
    client.put("journal", {"text": "words someone altered", "shared": True})
    client.sync()
    db = sqlite3.connect(relay.data_dir / "hearth.db")
    with db:
        cursor, body = db.execute("SELECT cursor, body FROM envelope ORDER BY cursor DESC LIMIT 1").fetchone()
        body = bytearray(body)
        body[-3] ^= 0x40
        db.execute("UPDATE envelope SET body = ? WHERE cursor = ?", (bytes(body), cursor))
    db.close()

    page = open_app(context, relay.url, "journal")
    expect(page.locator(".entry-text", has_text="the real words")).to_be_visible()
    expect(page.locator("#sync-status .sync-notice")).to_contain_text("arrived damaged")
    assert "words someone altered" not in page.locator("#view").inner_text()
    assert page.evaluate("() => import('/js/data/db.js').then((m) => m.getMeta('rejected'))") == 1


def meta_soon(page, key: str, expected, timeout: float = 15):
    """The app's meta value `key` once it is `expected`, or what it is when time runs out
    (IndexedDB answers asynchronously, which wait_for_function does not wait for)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(f"() => import('/js/data/db.js').then((m) => m.getMeta({key!r}))")
        if value == expected or time.monotonic() > deadline:
            return value
        page.wait_for_timeout(100)


def test_the_app_skips_and_counts_updates_that_do_not_fit_and_applies_the_rest(relay, browser_context, tmp_path):
    """A buggy or modified partner (here hearth-client writing its outbox by hand) seals ops
    that do not fit around one that does: the app shows that one, counts the rest, lets the
    envelopes go from the relay, and takes what comes next."""
    client = Client(tmp_path / "client")
    page = pair_with_app(relay.url, client, browser_context())
    me = client.device().state.get("device")
    bodies, misfits = modified_partner_bodies(me, "fitsWell00000000000000", "the words that fit")
    queue_raw(client, bodies)
    client.sync()
    go(page, "journal")
    expect(page.locator(".entry-text", has_text="the words that fit")).to_be_visible()
    assert meta_soon(page, "skipped_ops", misfits) == misfits
    assert page.evaluate("() => import('/js/data/db.js').then((m) => m.getMeta('rejected'))") in (None, 0)

    client.put("journal", {"text": "and the next one", "shared": True})
    client.sync()
    expect(page.locator(".entry-text", has_text="and the next one")).to_be_visible()
    expect_status(page, "Synced")
    db = sqlite3.connect(relay.data_dir / "hearth.db")
    try:
        deadline = time.monotonic() + 15   # every envelope acknowledged, so the relay lets them go
        while db.execute("SELECT COUNT(*) FROM envelope").fetchone()[0] and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert db.execute("SELECT COUNT(*) FROM envelope").fetchone()[0] == 0
    finally:
        db.close()
    assert page.errors == []


def test_a_real_decoder_reads_the_apps_qr_code_as_the_exact_link(relay, browser_context, tmp_path):
    page = open_app(browser_context(device_scale_factor=2), relay.url)
    link = show_code(page)
    shot = tmp_path / "qr.png"
    page.locator(".qr-frame").screenshot(path=str(shot))
    found = zxingcpp.read_barcodes(Image.open(shot))
    assert [r.text for r in found] == [link]
    assert [r.format for r in found] == [zxingcpp.BarcodeFormat.QRCode]


def y4m_of(png, path, size=480, frames=2):
    """A still picture as a Y4M video, which chromium's fake camera plays in a loop."""
    image = Image.open(png).convert("L")
    image.thumbnail((size - 80, size - 80))
    canvas = Image.new("L", (size, size), 255)
    canvas.paste(image, ((size - image.width) // 2, (size - image.height) // 2))
    chroma = bytes([128]) * (size * size // 4)
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + canvas.tobytes() + chroma + chroma)


def test_pairing_through_the_in_app_scanner_with_a_camera_showing_the_code(relay, chromium, browser_context, tmp_path):
    from conftest import CHROMIUM, CHROMIUM_ARGS

    alex = open_app(browser_context(device_scale_factor=2), relay.url)
    show_code(alex)
    shot = tmp_path / "qr.png"
    alex.locator(".qr-frame").screenshot(path=str(shot))
    video = tmp_path / "camera.y4m"
    y4m_of(shot, video)

    # The scanning phone is a second browser whose camera sees the first phone's screen.
    camera_browser = chromium.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera_browser.new_context(viewport={"width": 360, "height": 740}, permissions=["camera"])
        context.set_default_timeout(20_000)
        sam = open_app(context, relay.url, "pair")
        sam.get_by_role("button", name="Scan my partner's code").click()
        code = safety_code(sam)
        assert safety_code(alex) == code
        assert sam.errors == [] and alex.errors == []
    finally:
        camera_browser.close()


def test_a_fresh_phones_first_writes_at_once_all_stay_its_own(relay, browser_context):
    page = open_app(browser_context(), relay.url)
    authors = page.evaluate("""async () => {
      const records = await import('/js/device/records.js');
      const { identity } = await import('/js/device/identity.js');
      await Promise.all([1, 2, 3].map((n) => records.put('journal', { text: `note ${n}` })));
      const me = (await identity()).device;
      return (await records.list('journal')).map((r) => [r.author === me, r.mine]);
    }""")
    assert authors == [[True, True]] * 3


def test_a_burst_of_writes_sends_each_envelope_once(browser_couple):
    """A write seals the outbox and sends what this connection has not sent yet: a burst of n
    writes is n frames to the relay, not every waiting envelope again on every write (n²/2)."""
    alex, sam = browser_couple()
    frames = []
    alex.on("websocket", lambda ws: ws.on("framesent", lambda payload: frames.append(payload)))
    alex.reload()   # a connection opened with the listener in place
    expect_status(alex, "Synced")
    burst = 20
    alex.evaluate("""async (n) => {
      const records = await import('/js/device/records.js');
      for (let i = 0; i < n; i += 1) await records.put('journal', { text: `burst ${i}`, shared: true });
    }""", burst)
    expect_status(alex, "Synced")
    sends = [json.loads(f) for f in frames if isinstance(f, str) and '"type":"send"' in f.replace(" ", "")]
    assert sorted(f["seq"] for f in sends) == sorted({f["seq"] for f in sends}), "an envelope went out twice"
    assert len(sends) == burst
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="burst ")).to_have_count(burst)


def test_receipts_travel_both_ways_between_the_app_and_the_reference_client(relay, browser_context, tmp_path):
    """Each side keeps what it sent until the other's own receipt confirms it, and a gap the
    relay opens is filled from the sender's kept copy, whichever implementation sent it."""
    client = Client(tmp_path / "client")
    context = browser_context()
    page = pair_with_app(relay.url, client, context)
    page.close()   # away while the relay loses something
    kept = "() => import('/js/data/db.js').then(async (db) => (await db.database()).count('kept'))"

    # hearth-client -> app: the first envelope is lost at the relay; the app asks for it.
    client.put("journal", {"text": "lost on the way", "shared": True})
    client.put("journal", {"text": "arrived first", "shared": True})
    client.sync()
    with sqlite3.connect(relay.data_dir / "hearth.db") as db:
        db.execute("DELETE FROM envelope WHERE cursor = (SELECT MIN(cursor) FROM envelope)")
    page = open_app(context, relay.url, "journal")
    expect(page.locator(".entry-text", has_text="arrived first")).to_have_count(0)   # held until its turn
    expect(page.locator("#sync-status .sync-notice")).to_contain_text("haven't reached this phone yet", timeout=20_000)
    assert client.device().state.outbox_size() == 2
    client.sync()   # reads the app's receipt and sends the lost one again
    asked = page.evaluate("() => import('/js/data/db.js').then((db) => db.getMeta('receipt_n', 0))")
    expect(page.locator(".entry-text", has_text="lost on the way")).to_be_visible()
    expect(page.locator(".entry-text", has_text="arrived first")).to_be_visible()
    eventually(page, "() => import('/js/data/db.js').then((db) => db.getMeta('gaps', [])).then((g) => !g.length)")
    # The app's next receipt (at most one every few seconds) confirms both.
    eventually(page, f"() => import('/js/data/db.js').then((db) => db.getMeta('receipt_n', 0)).then((n) => n > {asked})")
    deadline = time.monotonic() + 20
    while client.device().state.outbox_size() and time.monotonic() < deadline:
        client.sync()
        page.wait_for_timeout(500)   # the receipt is sealed a moment after its number is taken
    assert client.device().state.outbox_size() == 0

    # app -> hearth-client: kept on the phone until the client's receipt says it arrived.
    from app_helpers import write_journal
    write_journal(page, "from the phone")
    # Kept once the relay has taken it ("Synced" may still be on screen from before it).
    eventually(page, f"{kept}.then((n) => n === 1)")
    expect_status(page, "Synced")
    client.sync()
    assert [r["text"] for r in client.list("journal") if not r["mine"]] == ["from the phone"]
    eventually(page, f"{kept}.then((n) => n === 0)")
