"""The hostile relay (tests/hostile_relay.py) itself: honest when left alone, and each way
it misbehaves demonstrably acts. These tests check the tool, not the devices: where a device
is involved they assert what crossed, and only what any correct device must do besides.

Nothing sleeps and hopes: waits have deadlines (Rule.wait, HostileRelay.wait_for)."""

import threading
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hearth.protocol.encoding import b64u

from app_helpers import go, open_app, pair_by_link, write_journal
from hostile_relay import HostileRelay
from wsproto_helpers import RawDevice, paired


def fetch(url: str, method: str = "GET"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def finish(proc, timeout: float = 30):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


# ---------- honest pass-through ----------

def test_plain_http_comes_back_with_the_relays_status_headers_and_body(relay, hostile):
    for path in ("/", "/index.html", "/sw.js", "/manifest.webmanifest", "/js/main.js", "/readyz", "/no-such-file"):
        direct, proxied = fetch(relay.url + path), fetch(hostile.url + path)
        assert proxied[0] == direct[0], path
        assert proxied[2] == direct[2], path
        for header in ("Content-Type", "Cache-Control", "X-Content-Type-Options", "Referrer-Policy"):
            assert proxied[1].get(header) == direct[1].get(header), (path, header)
        # The relay answered the proxy's own host, so the app may open its websocket there.
        assert f"ws://127.0.0.1:{hostile.port}" in proxied[1]["Content-Security-Policy"]
    status, headers, body = fetch(hostile.url + "/sw.js", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    assert [(m, p, s) for m, p, s, _ in hostile.requests][-2:] == [("GET", "/no-such-file", 404), ("HEAD", "/sw.js", 200)]


def test_a_browsers_origin_stays_with_the_proxy(relay, hostile):
    # The relay refuses a page from another origin; the proxy's origin is the app's own here.
    with pytest.raises(InvalidStatus):
        RawDevice(relay.ws_url, origin=hostile.url)
    device = RawDevice(hostile.ws_url, origin=hostile.url)
    assert device.register()["device"] == device.id
    device.close()


def test_two_clients_pair_and_sync_both_ways_through_an_honest_proxy(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id, s_id = alex.device_id, sam.device_id
    alex.put("journal", {"text": "A walk by the river.", "shared": True})
    alex.put("boundary", {"kind": "stop_signal", "label": "the word 'pause'"})
    alex.sync()
    sam.put("gratitude", {"text": "You made tea.", "date": "2026-01-05"})
    sam.sync()
    alex.sync()
    assert [r["text"] for r in sam.list("journal")] == ["A walk by the river."]
    assert [r["label"] for r in sam.list("boundary")] == ["the word 'pause'"]
    assert [r["text"] for r in alex.list("gratitude")] == ["You made tea."]

    # A joiner hangs up once paired, and a syncing client once its last ack is sent, so a last
    # `pair_confirmed`, `caught_up` or `acked` (which waits for the ack's group commit) from
    # the relay may find its socket closed; everything else crosses untouched.
    lost = [(e.direction, e.type) for e in hostile.log if e.via != "pass"]
    assert len(hostile.seen) == len(hostile.log)
    assert set(lost) <= {("to_device", "caught_up"), ("to_device", "pair_confirmed"), ("to_device", "acked")}, lost
    assert [e.frame for e in hostile.seen] == [e.frame for e in hostile.log]
    assert {c.device for c in hostile.conns} == {a_id, s_id}
    assert all(c.pair == hostile.conns[0].pair for c in hostile.conns)
    for kind in ("login", "send", "ack"):
        assert hostile.frames(kind, direction="to_relay", device=a_id), kind
    for kind in ("ready", "sent", "deliveries", "acked", "caught_up"):
        assert hostile.frames(kind, direction="to_device", device=s_id), kind
    assert hostile.delivered_seqs(s_id) == [1, 2]
    hostile.until(lambda: not any(c.open for c in hostile.conns), what="every connection closed")


def test_the_app_opens_and_two_phones_pair_and_sync_through_the_proxy(hostile, browser_context):
    alex, sam = open_app(browser_context(), hostile.url), open_app(browser_context(), hostile.url)
    assert alex.errors == [] and sam.errors == []
    pair_by_link(alex, sam, hostile.url)
    write_journal(alex, "Through a relay that could misbehave.")
    go(sam, "journal")
    expect(sam.locator(".entry-text", has_text="Through a relay that could misbehave.")).to_be_visible()
    assert alex.errors == [] and sam.errors == []
    paths = {p for _, p, _, _ in hostile.requests}
    assert {"/sw.js", "/manifest.webmanifest"} <= paths
    assert len({c.device for c in hostile.conns if c.device}) == 2
    assert hostile.frames("deliveries", direction="to_device")


def test_many_connections_at_once_close_with_either_side_and_the_proxy_stops_cleanly(relay):
    threads_before = threading.active_count()
    proxy = HostileRelay(relay.url).start()
    registered, failures = [], []

    def one():
        try:
            device = RawDevice(proxy.ws_url)
            registered.append(device.register()["device"])
            device.close()
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            failures.append(repr(exc))

    workers = [threading.Thread(target=one) for _ in range(12)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    for _ in range(4):
        one()
    assert failures == [] and len(set(registered)) == 16
    proxy.until(lambda: len(proxy.conns) == 16 and not any(c.open for c in proxy.conns), what="16 connections, all closed")

    # The relay going away closes the device's side too.
    device = RawDevice(proxy.ws_url)
    device.register()
    relay.kill()
    with pytest.raises(ConnectionClosed):
        device.recv(timeout=10)
    device.close()

    started = time.monotonic()
    proxy.stop()
    assert time.monotonic() - started < 10
    deadline = time.monotonic() + 10
    while threading.active_count() > threads_before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= threads_before
    with pytest.raises(OSError):
        urllib.request.urlopen(proxy.url + "/readyz", timeout=2)


# ---------- each attack acts ----------

def test_a_dropped_sent_receipt_never_reaches_the_client(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id = alex.device_id
    alex.put("journal", {"text": "The receipt for this one goes missing.", "shared": True})
    dropped = hostile.drop("sent", device=a_id, count=1)
    syncing = alex.popen("sync")
    dropped.wait()
    hostile.cut(a_id)   # rather than leave the client waiting for its receipt until it times out
    code, _, err = finish(syncing)
    assert code == 1 and "closed the connection" in err
    assert hostile.frames("sent", seen=True, device=a_id) and not hostile.frames("sent", device=a_id)
    assert not dropped.active   # count=1: retired after one
    assert alex.device().state.outbox_size() == 1   # no receipt, so it is still waiting

    alex.sync()   # honest now; the relay's word is still no reason to forget it (§5.6)
    assert alex.device().state.outbox_size() == 1
    sam.sync()
    assert [r["text"] for r in sam.list("journal")] == ["The receipt for this one goes missing."]
    alex.sync()   # sam's receipt confirms it
    assert alex.device().state.outbox_size() == 0


def test_a_duplicated_deliver_arrives_twice(hostile):
    a, b, _ = paired(hostile.ws_url)
    dup = hostile.duplicate("deliver", device=b.id)
    a.send_envelope()
    first, second = b.expect("deliver"), b.expect("deliver")
    assert first == second and dup.hits == 1
    assert len(hostile.frames("deliver", device=b.id)) == 2 and len(hostile.frames("deliver", seen=True)) == 1


def test_duplicated_deliveries_reach_hearth_client_which_applies_the_record_once(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    alex.put("journal", {"text": "Said once, heard twice.", "shared": True})
    alex.sync()
    hostile.duplicate("deliveries", device=s_id)
    sam.sync()
    assert hostile.delivered_seqs(s_id) == [1, 1]
    assert [r["text"] for r in sam.list("journal")] == ["Said once, heard twice."]


def test_a_rewritten_ready_tells_the_device_a_different_last_seq(hostile):
    a, b, _ = paired(hostile.ws_url)
    a.send_envelope()
    a.send_envelope()
    a.close()
    hostile.rewrite("ready", fn=lambda f: {**f, "last_seq": 0}, device=a.id)
    again = RawDevice(hostile.ws_url, keys=a.keys)
    assert again.login()["last_seq"] == 0
    (real,) = hostile.frames("ready", seen=True, device=a.id)
    assert real.frame["last_seq"] == 2


def test_a_forged_error_frame_is_what_the_client_reports(hostile_couple, hostile):
    _, sam = hostile_couple
    s_id = sam.device_id
    waiting = hostile.hold("caught_up", device=s_id)   # keeps the client listening
    syncing = sam.popen("sync")
    waiting.wait()
    hostile.inject(s_id, "to_device", {"type": "error", "code": "internal", "in": None,
                                       "message": "Forged by the hostile relay."})
    code, _, err = finish(syncing)
    assert code == 1 and "Forged by the hostile relay." in err
    (forged,) = hostile.frames("error", device=s_id)
    assert forged.via == "inject" and not hostile.frames("error", seen=True)


def test_a_frame_forged_to_the_relay_is_answered_to_the_device(hostile):
    device = RawDevice(hostile.ws_url)
    device.register()
    hostile.inject(device.id, "to_relay", {"type": "ping"})
    assert device.expect("pong")
    hostile.inject(device.id, "to_relay", "this is not JSON")
    assert device.expect("error")["code"] == "bad_json"


@pytest.mark.usefixtures("relay")   # counts the relay's cursors, which start at 1 on a relay of its own
def test_a_held_deliver_released_arrives_after_a_later_one(hostile):
    a, b, _ = paired(hostile.ws_url)
    late = hostile.hold_envelopes(seq=1, device=b.id)
    a.send_envelope()
    a.send_envelope()
    late.wait()
    first = b.expect("deliver")
    assert late.release() == 1
    second = b.expect("deliver")
    assert [first["cursor"], second["cursor"]] == [2, 1]
    assert hostile.delivered_seqs(b.id) == [2, 1]
    assert [e.via for e in hostile.frames("deliver", device=b.id)] == ["pass", "release"]


@pytest.mark.usefixtures("relay")   # counts the relay's cursors, which start at 1 on a relay of its own
def test_an_envelope_held_out_of_a_deliveries_frame_reaches_hearth_client_after_the_rest(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    alex.put("journal", {"text": "first", "shared": True})
    alex.put("journal", {"text": "second", "shared": True})
    alex.sync()
    late = hostile.hold_envelopes(seq=1, device=s_id)
    waiting = hostile.hold("caught_up", device=s_id)   # so the client is still there for the late one
    syncing = sam.popen("sync")
    late.wait()
    hostile.wait_for("acked", device=s_id)   # the client has taken and acknowledged seq 2
    assert late.release() == 1
    hostile.wait_for("acked", device=s_id, count=2)
    waiting.release()
    assert finish(syncing)[0] == 0
    assert hostile.delivered_seqs(s_id) == [2, 1]
    (whole,) = hostile.frames("deliveries", seen=True, device=s_id)
    assert [e["cursor"] for e in whole.frame["envelopes"]] == [1, 2]


def test_a_delayed_frame_arrives_late_and_does_not_hold_up_the_next(hostile):
    a, b, _ = paired(hostile.ws_url)
    slow = hostile.delay(0.4, "sent", device=a.id)
    seq, env = a.envelope()
    a.send({"type": "send", "seq": seq, "body": b64u(env)})
    a.send({"type": "ping"})
    assert a.recv()["type"] == "pong"   # sent after the envelope, answered first
    assert a.recv()["type"] == "sent"
    assert slow.hits == 1
    (arrived,) = hostile.frames("sent", seen=True, device=a.id)
    (crossed,) = hostile.frames("sent", device=a.id)
    assert crossed.via == "delay" and crossed.time - arrived.time >= 0.4


@pytest.mark.usefixtures("relay")   # counts the relay's cursors, which start at 1 on a relay of its own
def test_envelopes_inside_a_deliveries_frame_can_be_reordered_split_and_dropped(hostile):
    a, b, _ = paired(hostile.ws_url)
    for _ in range(4):
        a.send_envelope()
    hostile.wait_for("deliver", device=b.id, count=4)   # live, to the connection b closes unacknowledged
    b.close()
    hostile.until(lambda: not hostile.conn(1).open, what="b's first connection closed")
    reverse = hostile.envelopes(lambda envs: envs[::-1], device=b.id, count=1)
    b2 = RawDevice(hostile.ws_url, keys=b.keys)
    b2.login(batch=10)
    assert [e["cursor"] for e in b2.expect("deliveries")["envelopes"]] == [4, 3, 2, 1]
    assert reverse.hits == 1 and not reverse.active
    b2.close()

    hostile.split_deliveries(device=b.id)
    hostile.drop_envelopes(seq=2, device=b.id)
    b3 = RawDevice(hostile.ws_url, keys=b.keys)
    b3.login(batch=10)
    frames = [b3.expect("deliveries") for _ in range(3)]
    assert [[e["cursor"] for e in f["envelopes"]] for f in frames] == [[1], [3], [4]]
    assert b3.expect("caught_up")
    assert hostile.delivered_seqs(conn=hostile.conns[-1].index) == [1, 3, 4]


def test_clear_makes_it_honest_again(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    alex.put("journal", {"text": "Withheld, then let through.", "shared": True})
    alex.sync()
    dropped = hostile.drop(("deliver", "deliveries"), device=s_id)
    sam.sync()   # nothing arrives (and nothing is acknowledged)
    assert dropped.hits == 1 and sam.list("journal") == []
    hostile.clear()
    assert hostile.rules == []
    sam.sync()
    assert [r["text"] for r in sam.list("journal")] == ["Withheld, then let through."]


def test_a_rule_that_raises_is_reported_and_leaves_the_frame_alone(relay):
    with HostileRelay(relay.url) as proxy:
        proxy.rewrite("registered", fn=lambda f: f.pop("pair"))   # returns the pair id, not a frame
        device = RawDevice(proxy.ws_url)
        assert device.register()["pair"]
        device.close()
    (error,) = proxy.errors
    assert "TypeError" in error and "a rewrite returns the new frame" in error
