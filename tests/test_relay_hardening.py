"""The relay against a hostile client: what an attacker sends, and all they get back.

Every test drives a real relay process and asserts what is visible from outside: error
frames, closed sockets, refused upgrades and the relay's own log.
"""

from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from wsproto_helpers import RawDevice

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
