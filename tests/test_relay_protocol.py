"""The relay against raw protocol frames: the happy paths and every refusal.

Most run in-process (`local_relay`, `client`: everything but the socket); those about the
upgrade and the socket itself, and one whole flow through the deliveries' tasks and
`hearth stats`, against a real `hearth serve`.
"""

import os

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hearth.protocol.encoding import b64u
from hearth.relay import domain, store
from wsproto_helpers import RawDevice, new_invite, paired

HOST = "127.0.0.1:8123"   # the address the test client's requests name


def stats(relay) -> dict:
    return relay.stats()   # `hearth stats` for a relay process; the same query for a local relay


def still_serving(device: RawDevice) -> None:
    device.send({"type": "ping"})
    assert device.expect("pong")["type"] == "pong"


def refused(device: RawDevice, frame, code: str) -> dict:
    device.send(frame)
    err = device.expect("error")
    assert err["code"] == code, err
    assert err["message"] and "Traceback" not in err["message"]
    return err


# --- HTTP --------------------------------------------------------------------------------------

def test_health_ready_and_security_headers(client):
    get = lambda path: client.get(path, base_url=f"http://{HOST}")   # noqa: E731
    assert get("/healthz").get_json()["status"] == "ok"
    assert get("/readyz").get_json() == {"status": "ok", "schema": store.LATEST, "version": get("/healthz").get_json()["version"]}
    for path in ("/healthz", "/", "/sw.js"):
        h = get(path).headers   # the app may not be built into pwa/ yet: a 404 has them too
        csp = h["Content-Security-Policy"]
        for part in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                     f"connect-src 'self' ws://{HOST}", "object-src 'none'"):
            assert part in csp
        assert "unsafe-inline" not in csp
        assert h["Referrer-Policy"] == "no-referrer"
        assert "camera=(self)" in h["Permissions-Policy"]
        assert h["X-Content-Type-Options"] == "nosniff"
    assert get("/healthz").headers.get("Cache-Control") != "no-cache"
    assert get("/sw.js").headers["Cache-Control"] == "no-cache"


def http_error(response, code: str, status: int | None = None) -> dict:
    """The one JSON shape of every HTTP failure: a websocket error frame without `in`."""
    body = response.get_json()
    assert response.status_code == (status or domain.HTTP_ERRORS[code][0]), (response.status_code, body)
    assert body == {"type": "error", "code": code, "message": body["message"]} and body["message"]
    assert "Traceback" not in body["message"]
    assert "nosniff" == response.headers["X-Content-Type-Options"]   # failures get the headers too
    return body


def test_every_http_failure_answers_in_the_error_frames_shape(client, app):
    http_error(client.get("/no-such-file.js"), "not_found")
    http_error(client.get("/js/../../pyproject.toml"), "not_found")
    http_error(client.post("/healthz"), "method_not_allowed")
    assert "GET" in client.post("/readyz").headers["Allow"]
    http_error(client.get("/", headers={"Upgrade": "websocket", "Connection": "Upgrade"}), "http_error", 400)
    # The websocket upgrade's own refusals, before any socket exists.
    http_error(client.get("/ws"), "bad_request")
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade"}
    http_error(client.get("/ws", headers={**upgrade, "Origin": "https://evil.example"}), "forbidden_origin")
    slots = app.extensions["hearth.slots"]
    for _ in range(app.config["HEARTH"].max_connections_per_address):
        slots.take("127.0.0.1", app.config["HEARTH"].max_connections_per_address)
    http_error(client.get("/ws", headers=upgrade, environ_base={"REMOTE_ADDR": "127.0.0.1"}), "too_many_connections")


def test_readyz_says_why_the_relay_is_not_ready(local_relay_factory, tmp_path):
    behind = local_relay_factory("behind", upgrade=False)
    body = http_error(behind.app.test_client().get("/readyz"), "schema_mismatch")
    assert f"schema version 0 and this relay needs {store.LATEST}" in body["message"]
    assert "hearth db upgrade" in body["message"]
    behind.close()
    (tmp_path / "unreachable" / "hearth.db").mkdir(parents=True)   # a database file that cannot be opened
    unreachable = local_relay_factory("unreachable", upgrade=False)
    http_error(unreachable.app.test_client().get("/readyz"), "database_unavailable")


def test_foreign_origin_is_refused_before_upgrade(relay):
    with pytest.raises(InvalidStatus) as info:
        RawDevice(relay.ws_url, origin="https://evil.example")
    assert info.value.response.status_code == 403
    same = RawDevice(relay.ws_url, origin=relay.url)  # the relay's own page is welcome
    same.register()


# --- login and pairing -------------------------------------------------------------------------

def test_register_then_login_on_a_new_connection(local_relay):
    a = RawDevice(local_relay.ws_url)
    reg = a.register()
    assert reg["device"] == a.id and len(reg["pair"]) == 22 and reg["epoch"] == 1
    again = RawDevice(local_relay.ws_url, a.keys)
    ready = again.login()
    assert ready == {"type": "ready", "device": a.id, "pair": reg["pair"], "epoch": 1, "last_seq": 0, "peer": None}
    assert again.expect("caught_up")


def test_pairing_flow_and_peer_keys(local_relay):
    a, b, _ = paired(local_relay.ws_url)
    ready = RawDevice(local_relay.ws_url, a.keys).login()
    assert ready["peer"]["device"] == b.id
    assert ready["peer"]["sig_pub"] == b.keys.public_frame()["sig_pub"]
    assert stats(local_relay)["devices"] == 2 and stats(local_relay)["pairs"] == 1


def test_pairing_frames_wait_for_an_offline_device(local_relay):
    a = RawDevice(local_relay.ws_url)
    a.register()
    invite = a.invite()
    a.close()
    b = RawDevice(local_relay.ws_url)
    assert b.join(invite)["pending"] is True
    b.close()
    a2 = RawDevice(local_relay.ws_url, a.keys)
    assert a2.login()["peer"] is None   # a pending joiner is not a peer
    request = a2.expect("pair_request")
    assert request["device"] == b.id and request["invite"] == invite
    a2.send({"type": "accept", "invite": invite, "box": b64u(b"box from a")})
    a2.expect("accept_ok")
    b2 = RawDevice(local_relay.ws_url, b.keys)
    assert b2.login_pending()["peer"]["device"] == a.id
    assert b2.expect("pair_accepted")["box"] == b64u(b"box from a")
    b2.close()
    a2.send({"type": "confirm", "invite": invite})
    assert a2.expect("confirm_ok")["peer"]["device"] == b.id
    # Confirmed while the joiner was away: its next login is an ordinary one.
    assert RawDevice(local_relay.ws_url, b.keys).login()["peer"]["device"] == a.id


# --- store and forward -------------------------------------------------------------------------

def test_envelopes_flow_in_order_and_ack_deletes(relay):
    a, b, _ = paired(relay.ws_url)
    cursors = [a.send_envelope()["cursor"] for _ in range(3)]
    assert cursors == sorted(cursors)
    got = [b.expect("deliver") for _ in range(3)]
    assert [g["cursor"] for g in got] == cursors
    assert stats(relay)["queued_envelopes"] == 3
    b.send({"type": "ack", "cursor": cursors[1]})
    assert b.expect("acked")["cursor"] == cursors[1]
    assert stats(relay)["queued_envelopes"] == 1
    # Unacknowledged envelopes come again on the next login, and only those.
    b2 = RawDevice(relay.ws_url, b.keys)
    b2.login()
    assert b2.expect("deliver")["cursor"] == cursors[2]
    assert b2.expect("caught_up")


def test_a_device_that_asks_gets_its_backlog_in_batches(local_relay):
    a, b, _ = paired(local_relay.ws_url)
    cursors = [a.send_envelope()["cursor"] for _ in range(5)]
    b.close()
    b2 = RawDevice(local_relay.ws_url, b.keys)
    b2.login(batch=2)
    frames = [b2.expect("deliveries") for _ in range(3)]
    assert [[e["cursor"] for e in f["envelopes"]] for f in frames] == [cursors[:2], cursors[2:4], cursors[4:]]
    assert b2.expect("caught_up")
    # A live envelope comes the same way, alone; acks stay cumulative.
    live = a.send_envelope()["cursor"]
    assert [e["cursor"] for e in b2.expect("deliveries")["envelopes"]] == [live]
    b2.send({"type": "ack", "cursor": live})
    assert b2.expect("acked")["cursor"] == live
    assert stats(local_relay)["queued_envelopes"] == 0


@pytest.mark.parametrize("batch", [0, 201, "10", True, None])
def test_a_batch_size_out_of_range_is_refused_and_logs_nobody_in(local_relay, batch):
    a, b, _ = paired(local_relay.ws_url)
    b.close()
    b2 = RawDevice(local_relay.ws_url, b.keys)
    err = refused(b2, {"type": "login", "device": b2.id, "sig": b64u(b2.keys.sign_login(b2.challenge)),
                       "batch": batch}, "bad_frame")
    assert "'batch'" in err["message"]
    refused(b2, {"type": "ack", "cursor": 1}, "not_logged_in")


def test_resend_is_a_harmless_duplicate_and_gaps_are_refused(local_relay):
    a, b, _ = paired(local_relay.ws_url)
    seq, env = a.envelope()
    a.send({"type": "send", "seq": seq, "body": b64u(env)})
    first = a.expect("sent")
    a.send({"type": "send", "seq": seq, "body": b64u(env)})
    assert a.expect("sent") == {"type": "sent", "seq": seq, "cursor": None, "dup": True}
    a.seq += 1  # skip one
    seq, env = a.envelope()
    err = refused(a, {"type": "send", "seq": seq, "body": b64u(env)}, "seq_gap")
    assert err["expected"] == first["seq"] + 1
    assert RawDevice(local_relay.ws_url, a.keys).login()["last_seq"] == 1
    assert b.expect("deliver")["cursor"] == first["cursor"]
    assert b.quiet()


def test_a_resend_asked_for_by_the_partner_is_stored_again_and_moves_nothing(local_relay):
    a, b, _ = paired(local_relay.ws_url)
    seq, env = a.envelope()
    a.send({"type": "send", "seq": seq, "body": b64u(env)})
    stored = a.expect("sent")
    assert b.expect("deliver")["cursor"] == stored["cursor"]
    a.send({"type": "send", "seq": seq, "body": b64u(env), "resend": True})
    again = a.expect("sent")
    assert again["seq"] == seq and again["cursor"] > stored["cursor"] and "dup" not in again
    assert b.expect("deliver") == {"type": "deliver", "cursor": again["cursor"], "body": b64u(env)}
    refused(a, {"type": "send", "seq": seq, "body": b64u(env), "resend": "yes"}, "bad_frame")
    assert RawDevice(local_relay.ws_url, a.keys).login()["last_seq"] == seq
    assert b.quiet()


def test_a_receipt_is_kept_forwarded_and_sent_after_every_ready(local_relay):
    a, b, _ = paired(local_relay.ws_url)
    receipt = bytes([1, 1, 0, 0, 0, a.epoch]) + os.urandom(60)
    a.send({"type": "receipt", "body": b64u(receipt)})
    assert a.expect("receipt_ok") == {"type": "receipt_ok"}
    assert b.expect("receipt") == {"type": "receipt", "body": b64u(receipt)}
    newer = bytes([1, 1, 0, 0, 0, a.epoch]) + os.urandom(80)
    a.send({"type": "receipt", "body": b64u(newer)})
    a.expect("receipt_ok")
    b.expect("receipt")
    b2 = RawDevice(local_relay.ws_url, b.keys)
    b2.send({"type": "login", "device": b2.id, "sig": b64u(b2.keys.sign_login(b2.challenge))})
    assert b2.recv()["type"] == "ready"
    assert b2.recv() == {"type": "receipt", "body": b64u(newer)}   # before any envelope
    for bad, code in ((bytes([1, 1, 0, 0, 0, 9]) + os.urandom(60), "bad_envelope"),
                      (bytes([2, 1, 0, 0, 0, a.epoch]) + os.urandom(60), "bad_envelope"),
                      (b"short", "bad_envelope"), (os.urandom(4000), "bad_frame")):
        refused(a, {"type": "receipt", "body": b64u(bad)}, code)
    refused(RawDevice(local_relay.ws_url), {"type": "receipt", "body": b64u(receipt)}, "not_logged_in")


def test_sends_before_a_partner_joins_or_before_login_are_refused(local_relay):
    a = RawDevice(local_relay.ws_url)
    refused(a, {"type": "send", "seq": 1, "body": "AAAA"}, "not_logged_in")
    a2 = RawDevice(local_relay.ws_url)
    a2.register()
    seq, env = a2.envelope()
    refused(a2, {"type": "send", "seq": seq, "body": b64u(env)}, "no_peer")
    still_serving(a2)


# --- bad input ---------------------------------------------------------------------------------

def test_malformed_frames_get_one_clear_error_each_and_change_nothing(local_relay):
    a, b, _ = paired(local_relay.ws_url)
    before = stats(local_relay)
    refused(a, "this is not json", "bad_json")
    refused(a, "[1, 2, 3]", "bad_json")
    refused(a, {"no": "type"}, "bad_frame")
    refused(a, {"type": "teleport"}, "unknown_type")
    refused(a, {"type": "ack", "cursor": "soon"}, "bad_frame")
    refused(a, {"type": "send", "seq": 1, "body": "not base64!"}, "bad_frame")
    refused(a, {"type": "send", "seq": 1, "body": b64u(b"short")}, "bad_envelope")
    seq, env = a.envelope()
    a.seq -= 1
    refused(a, {"type": "send", "seq": seq + 5, "body": b64u(env)}, "bad_envelope")  # frame and header disagree
    err = refused(a, {"type": "ping", "pad": "x" * 70_000}, "too_large")
    assert "65536" in err["message"]
    still_serving(a)
    assert stats(local_relay) == before
    assert b.quiet()


def test_a_frame_far_over_the_limit_closes_the_socket_and_the_relay_goes_on(relay):
    a = RawDevice(relay.ws_url)
    a.send("x" * 300_000)
    with pytest.raises(ConnectionClosed) as info:
        a.recv()
    assert info.value.rcvd.code == 1009
    RawDevice(relay.ws_url).register()


def test_bad_signatures_unknown_devices_and_replayed_challenges(local_relay):
    a = RawDevice(local_relay.ws_url)
    bad = {"type": "register", **a.keys.public_frame(), "sig": b64u(bytes(64))}
    refused(a, bad, "bad_signature")
    assert stats(local_relay)["devices"] == 0
    a = RawDevice(local_relay.ws_url)
    a.register()
    # A stranger's device id and a bad signature for a real one are indistinguishable.
    stranger = RawDevice(local_relay.ws_url)
    unknown = refused(stranger, {"type": "login", "device": stranger.id,
                                 "sig": b64u(stranger.keys.sign_login(stranger.challenge))}, "login_failed")
    impostor = RawDevice(local_relay.ws_url)
    forged = refused(impostor, {"type": "login", "device": a.id,
                                "sig": b64u(impostor.keys.sign_login(impostor.challenge))}, "login_failed")
    assert unknown["message"] == forged["message"]
    # A login signed for one connection's challenge is worthless on another.
    first, second = RawDevice(local_relay.ws_url, a.keys), RawDevice(local_relay.ws_url, a.keys)
    replay = {"type": "login", "device": a.id, "sig": b64u(a.keys.sign_login(first.challenge))}
    refused(second, replay, "login_failed")
    first.send(replay)
    first.expect("ready")
    refused(first, replay, "challenge_used")
    still_serving(first)


def test_invites_used_reused_third_devices(local_relay):
    a, b, invite = paired(local_relay.ws_url)
    third = RawDevice(local_relay.ws_url)
    refused(third, third.join_frame(invite), "invite_used")
    refused(a, {"type": "invite", "invite": new_invite()}, "pair_full")
    fourth = RawDevice(local_relay.ws_url)
    refused(fourth, fourth.join_frame(new_invite()), "invite_unknown")
    assert stats(local_relay)["devices"] == 2
    still_serving(a)


def test_expired_invite(local_relay_factory):
    local_relay = local_relay_factory(env={"HEARTH_INVITE_TTL_SECONDS": "1"})
    a = RawDevice(local_relay.ws_url)
    a.register()
    invite = new_invite()
    a.send({"type": "invite", "invite": invite})
    expires_at = a.expect("invite_ok")["expires_at"]
    local_relay.sleep(max(0.0, expires_at + 1.05 - local_relay.time()))  # the invite's own deadline, not a guess
    late = RawDevice(local_relay.ws_url)
    refused(late, late.join_frame(invite), "invite_expired")
    assert stats(local_relay)["devices"] == 1
    still_serving(a)


def test_one_pair_cannot_read_or_delete_anothers_envelopes(local_relay):
    xa, xb, _ = paired(local_relay.ws_url)
    ya, yb, _ = paired(local_relay.ws_url)
    sent = xa.send_envelope()
    yb.send({"type": "ack", "cursor": sent["cursor"] + 1000})
    yb.expect("acked")
    assert ya.quiet() and yb.quiet()
    assert xb.expect("deliver")["cursor"] == sent["cursor"]
    again = RawDevice(local_relay.ws_url, xb.keys)
    again.login()
    assert again.expect("deliver")["cursor"] == sent["cursor"]  # still queued for its owner


def test_quota_is_per_pair_and_frees_up_on_ack(local_relay_factory):
    local_relay = local_relay_factory(env={"HEARTH_QUOTA_ENVELOPES": "3"})
    a, b, _ = paired(local_relay.ws_url)
    for _ in range(3):
        a.send_envelope()
    seq, env = a.envelope()
    refused(a, {"type": "send", "seq": seq, "body": b64u(env)}, "quota_exceeded")
    last = [b.expect("deliver") for _ in range(3)][-1]
    b.send({"type": "ack", "cursor": last["cursor"]})
    b.expect("acked")
    a.send({"type": "send", "seq": seq, "body": b64u(env)})
    assert a.expect("sent")["cursor"]


def test_logins_and_invites_are_rate_limited(local_relay_factory):
    local_relay = local_relay_factory(env={"HEARTH_LOGIN_RATE_PER_MINUTE": "2", "HEARTH_INVITE_RATE_PER_HOUR": "1"})
    a = RawDevice(local_relay.ws_url)
    a.register()
    a.send({"type": "invite", "invite": new_invite()})
    a.expect("invite_ok")
    err = refused(a, {"type": "invite", "invite": new_invite()}, "rate_limited")
    assert err["retry_after"] > 0
    RawDevice(local_relay.ws_url, a.keys).login()
    limited = RawDevice(local_relay.ws_url, a.keys)
    err = refused(limited, {"type": "login", "device": a.id, "sig": b64u(a.keys.sign_login(limited.challenge))},
                  "rate_limited")
    assert err["retry_after"] >= 1
    still_serving(limited)
