"""The relay against a hostile client: what an attacker sends, and all they get back.

Every test drives a real relay process and asserts what is visible from outside: error
frames, closed sockets, refused upgrades and the relay's own log.
"""

import ast
import json
import os
import re
import socket
import sqlite3
import time
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from wsproto import ConnectionType, WSConnection
from wsproto.events import CloseConnection, Ping, Pong, Request, TextMessage

from hearth.protocol.encoding import b64u, unb64u
from hearth.relay import domain, guard, logging_in, ws
from wsproto_helpers import RawDevice, new_invite, paired

ROOT = Path(__file__).resolve().parent.parent
SURROGATE_ID = "\ud800" + "A" * 21   # 22 characters, but not base64url, and not even encodable


def refused(device: RawDevice, frame, code: str) -> dict:
    device.send(frame)
    err = device.expect("error")
    assert err["code"] == code, err
    return err


def still_serving(device: RawDevice) -> None:
    device.send({"type": "ping"})
    assert device.expect("pong")["type"] == "pong"


def closed(device: RawDevice, timeout: float = 10) -> ConnectionClosed:
    """The socket's close, after any frames still on the way (which must be none)."""
    with pytest.raises(ConnectionClosed) as info:
        device.recv(timeout)
    return info.value


def no_traceback(relay) -> None:
    assert "Traceback" not in relay.log(), relay.log()[-3000:]


def nested(depth: int) -> list[str]:
    return ["[" * depth + "]" * depth,
            '{"a":' * depth + "1" + "}" * depth,
            '{"type": "ping", "x": ' + "[" * depth + "]" * depth + "}"]


# --- 10: nesting ---------------------------------------------------------------------------------

def test_deeply_nested_json_is_bad_json_and_the_socket_goes_on(relay):
    a = RawDevice(relay.ws_url)
    a.register()
    for frame in nested(5000) + ["[" * 30_000 + "]" * 30_000]:
        refused(a, frame, "bad_json")
    still_serving(a)
    assert a.quiet()
    no_traceback(relay)


class SlowReader:
    """A device on a bad line: it reads nothing until told to, through a tiny receive window."""

    def __init__(self, port: int):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", port))
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.sock.sendall(self.ws.send(Request(host=f"127.0.0.1:{port}", target="/ws")))
        self.frames, self.partial, self.pongs, self.closed = [], "", 0, None
        deadline = time.monotonic() + 10
        while not self.frames and time.monotonic() < deadline:
            self.read(1)
        self.challenge = unb64u(json.loads(self.frames[0])["challenge"])

    def send(self, frame: dict) -> None:
        self.sock.sendall(self.ws.send(TextMessage(data=json.dumps(frame))))

    def ping(self) -> None:
        self.sock.sendall(self.ws.send(Ping(b"are you there")))

    def read(self, timeout: float) -> None:
        """Take in whatever arrives within `timeout` seconds."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1 << 16)
        except TimeoutError:
            return
        if not data:
            self.closed = "end of stream"
            return
        self.ws.receive_data(data)
        for event in self.ws.events():
            if isinstance(event, TextMessage):
                self.partial += event.data
                if event.message_finished:
                    self.frames.append(self.partial)
                    self.partial = ""
            elif isinstance(event, Pong):
                self.pongs += 1
            elif isinstance(event, CloseConnection):
                self.closed = event.code


def test_a_slow_reader_gets_every_frame_whole_and_its_pings_answered(relay):
    """A phone that reads slowly makes the relay wait to write. Every write to the socket,
    the relay's frames and the websocket library's own pongs alike, must then go out whole
    and one at a time: once, half a frame went out and the rest was dropped."""
    a, b, _ = paired(relay.ws_url)
    b.close()
    slow = SlowReader(relay.port)
    slow.send({"type": "login", "device": b.id, "sig": b64u(b.keys.sign_login(slow.challenge))})
    count = 200
    sent = [a.send_envelope(body=os.urandom(32_000))["cursor"] for _ in range(count)]
    slow.ping()  # answered by the library's reader while the relay is stuck writing deliveries
    deadline = time.monotonic() + 60
    while slow.closed is None and time.monotonic() < deadline and not (
            slow.pongs and sum('"deliver"' in f[:20] for f in slow.frames) == count):
        slow.read(1)
    frames = [json.loads(f) for f in slow.frames[1:]]  # a torn frame fails right here
    assert slow.closed is None
    assert [f["cursor"] for f in frames if f["type"] == "deliver"] == sent
    assert slow.pongs == 1
    no_traceback(relay)


# --- 11: string fields -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", [SURROGATE_ID, "A" * 21 + "=", "A" * 21 + "\n", "A" * 21 + " ", "é" * 22,
                                   "A" * 21 + "/", "A" * 21 + "+"])
def test_ids_are_held_to_the_base64url_alphabet(value):
    with pytest.raises(domain.RelayError) as info:
        domain.text_field({"invite": value}, "invite")
    assert info.value.code == "bad_frame" and "'invite'" in info.value.message
    assert domain.text_field({"invite": "Az09_-" * 3 + "abcd"}, "invite") == "Az09_-" * 3 + "abcd"


def test_lone_surrogates_in_string_fields_are_refused_by_name(relay):
    a = RawDevice(relay.ws_url)
    a.register()
    stranger = RawDevice(relay.ws_url)
    err = refused(stranger, {"type": "login", "device": SURROGATE_ID, "sig": b64u(bytes(64))}, "bad_frame")
    assert "'device'" in err["message"]
    for frame in ({"type": "invite", "invite": SURROGATE_ID},
                  {"type": "accept", "invite": SURROGATE_ID, "box": b64u(b"box")}):
        assert "'invite'" in refused(a, frame, "bad_frame")["message"]
    joiner = RawDevice(relay.ws_url)
    assert "'invite'" in refused(joiner, joiner.join_frame(SURROGATE_ID), "bad_frame")["message"]
    for bad in ("\ud800", "\udfff" * 30):
        err = refused(a, {"type": "send", "seq": 1, "body": bad}, "bad_frame")
        assert "'body'" in err["message"]
    err = refused(a, {"type": "\ud800secret"}, "unknown_type")
    assert "secret" not in err["message"]   # refusals never echo what was sent
    still_serving(a)
    still_serving(stranger)
    no_traceback(relay)


# --- 12: sockets that never log in, and too many from one address -------------------------------

def test_a_socket_that_does_not_log_in_in_time_is_told_and_closed(relay_factory):
    relay = relay_factory(env={"HEARTH_LOGIN_TIMEOUT_SECONDS": "1"})
    started = time.monotonic()
    idle, failed, good = RawDevice(relay.ws_url), RawDevice(relay.ws_url), RawDevice(relay.ws_url)
    good.register()
    refused(failed, {"type": "login", "device": failed.id, "sig": b64u(failed.keys.sign_login(failed.challenge))},
            "login_failed")
    for device in (idle, failed):
        err = device.expect("error", timeout=10)
        assert err["code"] == "login_timeout" and err["in"] is None
        closed(device)
    assert time.monotonic() - started >= 1
    still_serving(good)  # a device that logged in is not on the clock
    no_traceback(relay)


def upgrade(relay, **headers):
    return connect(relay.ws_url, compression=None, additional_headers=headers or None, open_timeout=10)


def test_connections_per_address_are_capped_at_the_upgrade(relay_factory):
    relay = relay_factory(env={"HEARTH_MAX_CONNECTIONS_PER_ADDRESS": "3"})
    held = [RawDevice(relay.ws_url) for _ in range(3)]
    with pytest.raises(InvalidStatus) as info:
        RawDevice(relay.ws_url)
    response = info.value.response
    assert response.status_code == 429
    body = json.loads(response.body)
    assert body["type"] == "error" and body["code"] == "too_many_connections" and body["message"]
    held.pop().close()
    deadline = time.monotonic() + 10
    while True:   # the relay frees the place once it has seen the close
        try:
            RawDevice(relay.ws_url).register()
            break
        except InvalidStatus:
            assert time.monotonic() < deadline, "a closed socket's place was never given back"
            time.sleep(0.05)
    no_traceback(relay)


def test_behind_a_proxy_the_cap_counts_each_forwarded_address(relay_factory):
    relay = relay_factory(env={"HEARTH_MAX_CONNECTIONS_PER_ADDRESS": "2", "HEARTH_TRUST_PROXY": "1"})
    held = [upgrade(relay, **{"X-Forwarded-For": "10.0.0.1"}) for _ in range(2)]
    with pytest.raises(InvalidStatus) as info:
        upgrade(relay, **{"X-Forwarded-For": "10.0.0.1"})
    assert info.value.response.status_code == 429
    other = upgrade(relay, **{"X-Forwarded-For": "10.0.0.2"})
    assert json.loads(other.recv(timeout=10))["type"] == "challenge"
    for conn in held + [other]:
        conn.close()


# --- 13: devices that never paired -----------------------------------------------------------------

def age_devices(relay, ids: list[str], hours: int) -> None:
    """Pretend these devices registered `hours` earlier (the relay keeps only the hour)."""
    db = sqlite3.connect(relay.data_dir / "hearth.db")
    with db:
        db.executemany('UPDATE "device" SET "created_hour" = "created_hour" - ? WHERE "id" = ?',
                       [(hours, i) for i in ids])
    db.close()


def test_devices_that_never_paired_expire_with_their_pair(relay):
    lonely = RawDevice(relay.ws_url)
    lonely.register()
    inviting = RawDevice(relay.ws_url)
    inviting.register()
    inviting.send({"type": "invite", "invite": new_invite()})
    inviting.expect("invite_ok")
    a, b, _ = paired(relay.ws_url)
    fresh = RawDevice(relay.ws_url)
    fresh.register()
    for device in (lonely, inviting, a, b, fresh):
        device.close()
    relay.stop()
    age_devices(relay, [lonely.id, inviting.id, a.id, b.id], 25)
    relay.start()   # a new process purges at its first login
    RawDevice(relay.ws_url).register()
    late = RawDevice(relay.ws_url, lonely.keys)
    refused(late, {"type": "login", "device": lonely.id, "sig": b64u(lonely.keys.sign_login(late.challenge))},
            "login_failed")
    for kept in (inviting, a, b, fresh):
        RawDevice(relay.ws_url, kept.keys).login()
    db = sqlite3.connect(relay.data_dir / "hearth.db")
    pairs = {row[0] for row in db.execute('SELECT "id" FROM "pair"')}
    db.close()
    assert lonely.pair not in pairs and {inviting.pair, a.pair, fresh.pair} <= pairs
    no_traceback(relay)


# --- 14: origin scheme, and login timing ---------------------------------------------------------

def test_a_websocket_origin_needs_the_relays_scheme_as_well_as_its_host(relay):
    host = f"127.0.0.1:{relay.port}"
    for origin in (f"evil://{host}", f"https://{host}", f"ws://{host}", "null", f"http://{host}.evil.example"):
        with pytest.raises(InvalidStatus) as info:
            RawDevice(relay.ws_url, origin=origin)
        assert info.value.response.status_code == 403
        assert json.loads(info.value.response.body)["code"] == "forbidden_origin"
    assert "HEARTH_TRUST_PROXY=1" in relay.log()  # the operator of a TLS proxy learns what to set
    RawDevice(relay.ws_url, origin=f"http://{host}").register()


def test_behind_a_proxy_the_origin_scheme_is_the_forwarded_one(relay_factory):
    relay = relay_factory(env={"HEARTH_TRUST_PROXY": "1"})
    host = f"127.0.0.1:{relay.port}"
    upgrade(relay, Origin=f"https://{host}", **{"X-Forwarded-Proto": "https"}).close()
    with pytest.raises(InvalidStatus) as info:
        upgrade(relay, Origin=f"http://{host}", **{"X-Forwarded-Proto": "https"})
    assert info.value.response.status_code == 403


def test_allowed_origin_rules():
    assert guard.allowed_origin(None, "http", "h:1", "")
    assert guard.allowed_origin("http://h:1", "http", "h:1", "")
    assert guard.allowed_origin("https://h:1", "https", "h:1", "")
    assert not guard.allowed_origin("https://h:1", "http", "h:1", "")
    assert not guard.allowed_origin("evil://h:1", "evil", "h:1", "")
    assert not guard.allowed_origin("http://h:1/", "http", "other:1", "")
    assert guard.allowed_origin("https://app.example", "http", "h:1", "https://app.example, https://b.example/")
    assert not guard.allowed_origin("http://app.example", "http", "h:1", "https://app.example")


def test_login_checks_a_signature_whether_or_not_the_device_exists(monkeypatch):
    """An unknown device costs the relay the same work as a known one with a bad signature,
    so the time an answer takes does not tell a prober which ids exist (bench/login_timing.py
    measures it)."""
    checked = []
    monkeypatch.setattr(logging_in, "verify", lambda key, sig, message: checked.append(key) or False)
    known = b"\x04" + bytes(64)
    assert not logging_in.login_verifies(None, bytes(64), b"message")
    assert not logging_in.login_verifies(known, bytes(64), b"message")
    assert checked == [logging_in.DECOY_SIG_PUB, known] and len(logging_in.DECOY_SIG_PUB) == 65
    monkeypatch.setattr(logging_in, "verify", lambda key, sig, message: True)
    assert not logging_in.login_verifies(None, bytes(64), b"message")  # the decoy key never logs anyone in
    assert logging_in.login_verifies(known, bytes(64), b"message")


# --- the error table, and a mixed barrage -----------------------------------------------------------

def test_the_documented_error_codes_are_exactly_the_ones_the_relay_sends():
    text = (ROOT / "docs" / "protocol.md").read_text()
    section = re.search(r"^## 7\. Errors\n(.*?)^## 8\.", text, re.S | re.M).group(1)
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, re.M)
    assert len(documented) == len(set(documented))
    assert set(documented) == set(domain.MESSAGES) | set(domain.HTTP_ERRORS)
    for code, (status, _) in domain.HTTP_ERRORS.items():   # and each over HTTP with its status
        row = re.search(rf"^\| `{code}` \| (.*) \|$", section, re.M).group(1)
        assert (f"HTTP {status}" in row) if status else ("HTTP" in row and "status" in row), (code, row)


def frame_types_the_relay_builds() -> set[str]:
    """Every `"type": "..."` the relay's code writes into a frame, read from its source."""
    found = set()
    for path in (ROOT / "server" / "hearth" / "relay").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value == "type":
                        assert isinstance(value, ast.Constant) and isinstance(value.value, str), \
                            f"{path.name}:{node.lineno}: a frame type the test cannot read"
                        found.add(value.value)
    return found


def test_the_documented_frame_types_are_exactly_the_ones_the_relay_handles_and_sends():
    text = (ROOT / "docs" / "protocol.md").read_text()
    sections = re.search(r"^## 3\. .*?(?=^## 7\. )", text, re.S | re.M).group(0)
    sections += re.search(r"^## 11\. .*?(?=^## 12\. |\Z)", text, re.S | re.M).group(0)   # devices over time
    table = dict(re.findall(r"^\| (device → relay|relay → device) \| (.*) \|$", sections, re.M))
    to_relay = re.findall(r"`([a-z_]+)`", table["device → relay"])
    to_device = re.findall(r"`([a-z_]+)`", table["relay → device"])
    assert len(to_relay) == len(set(to_relay)) and len(to_device) == len(set(to_device))
    # Each frame shown in sections 3 to 6 is in the table, and each in the table is shown
    # there (the error frame is section 7's); a record's type inside a body is no frame.
    shown = set(re.findall(r'(?:^\s*|`)\{"type": "([a-z_]+)"', sections, re.M))
    assert shown | {"error"} == set(to_relay) | set(to_device)
    assert set(to_relay) == set(ws.HANDLERS)
    assert set(to_device) == frame_types_the_relay_builds()


def malformed_frames() -> list[tuple[object, str]]:
    """(frame, the error code it must get) for every kind of bad input a logged-in device can send."""
    big = "x" * 70_000
    return [
        *[(f, "bad_json") for f in nested(5000)],
        ("not json", "bad_json"), ("[1, 2]", "bad_json"), ("null", "bad_json"), ("1" * 5000, "bad_json"),
        (b"\x00\x01binary", "bad_json"),
        (json.dumps({"type": "ping", "pad": big}), "too_large"),
        ({"no": "type"}, "bad_frame"), ({"type": 5}, "bad_frame"), ({"type": None}, "bad_frame"),
        ({"type": "teleport"}, "unknown_type"), ({"type": "batch", "a": 1, "b": 2}, "unknown_type"),
        ({"type": "__init__"}, "unknown_type"), ({"type": "\ud800"}, "unknown_type"),
        ({"type": "login", "device": SURROGATE_ID, "sig": b64u(bytes(64))}, "bad_frame"),
        ({"type": "login", "device": 123, "sig": b64u(bytes(64))}, "bad_frame"),
        ({"type": "login", "device": "A" * 22, "sig": "@@@@"}, "bad_frame"),
        ({"type": "invite", "invite": SURROGATE_ID}, "bad_frame"),
        ({"type": "invite", "invite": ["A" * 22]}, "bad_frame"),
        ({"type": "invite", "invite": "A" * 21 + "!"}, "bad_frame"),
        ({"type": "accept", "invite": SURROGATE_ID, "box": "AAAA"}, "bad_frame"),
        ({"type": "accept", "invite": "A" * 22, "box": "not base64"}, "bad_frame"),
        ({"type": "send", "seq": "1", "body": "AAAA"}, "bad_frame"),
        ({"type": "send", "seq": 1, "body": "AA=="}, "bad_frame"),
        ({"type": "send", "seq": 1, "body": "\ud800"}, "bad_frame"),
        ({"type": "send", "seq": 1, "body": b64u(b"short")}, "bad_envelope"),
        ({"type": "ack", "cursor": "soon"}, "bad_frame"), ({"type": "ack", "cursor": 1e999}, "bad_frame"),
        ({"type": "ack", "cursor": 10 ** 30}, "bad_frame"), ({"type": "ack", "cursor": True}, "bad_frame"),
    ]


def test_hundreds_of_mixed_malformed_frames_get_one_error_each(relay):
    a = RawDevice(relay.ws_url)
    a.register()
    kinds = malformed_frames()
    frames = [kinds[i % len(kinds)] for i in range(300)]
    for frame, _ in frames:
        a.send(frame)
    got = [a.recv()["code"] for _ in frames]
    assert got == [code for _, code in frames]
    still_serving(a)  # the very next frame is the pong: nothing answered twice
    assert a.quiet()
    no_traceback(relay)
