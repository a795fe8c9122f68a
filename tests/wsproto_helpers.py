"""A raw-frame device for protocol tests: it speaks docs/protocol.md one frame at a time."""

import json
import os

from websockets.sync.client import connect

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import ZERO_HASH, envelope_hash, seal_envelope
from hearth.protocol.identity import DeviceKeys


class RawDevice:
    def __init__(self, ws_url, keys: DeviceKeys | None = None, origin: str | None = None):
        """`ws_url`: a relay's ws:// URL, or the `ws_url` of a LocalRelay (tests/local_relay.py),
        which is the relay in this process, reached without a socket."""
        if isinstance(ws_url, str):
            headers = {"Origin": origin} if origin else None
            self.ws = connect(ws_url, compression=None, max_size=None, additional_headers=headers, open_timeout=10)
        else:
            self.ws = ws_url.connect(origin)
        self.keys = keys or DeviceKeys.generate()
        first = self.recv()
        assert first["type"] == "challenge"
        self.challenge = unb64u(first["challenge"])
        self.seq, self.prev = 0, ZERO_HASH
        self.pair = self.epoch = None

    @property
    def id(self) -> str:
        return self.keys.device_id

    def send(self, frame) -> None:
        self.ws.send(frame if isinstance(frame, (str, bytes)) else json.dumps(frame))

    def send_together(self, frames: list) -> None:
        """Frames in one write to the socket, so they reach the relay as one burst whatever
        the machine's load (one send each could trickle in one by one on a busy machine)."""
        with self.ws.protocol_mutex:   # as websockets' own send() holds it
            for frame in frames:
                self.ws.protocol.send_text(json.dumps(frame).encode())
            self.ws.socket.sendall(b"".join(self.ws.protocol.data_to_send()))

    def recv(self, timeout: float = 10) -> dict:
        return json.loads(self.ws.recv(timeout=timeout))

    def expect(self, kind: str, timeout: float = 10) -> dict:
        """The next frame that is not routine traffic; it must be of `kind`."""
        while True:
            frame = self.recv(timeout)
            if frame["type"] in ("caught_up", "pong") and kind not in ("caught_up", "pong"):
                continue
            assert frame["type"] == kind, f"expected {kind}, got {frame}"
            return frame

    def quiet(self, timeout: float = 0.3) -> bool:
        """True if nothing arrives within `timeout` seconds."""
        while True:
            try:
                frame = self.recv(timeout)
            except TimeoutError:
                return True
            if frame["type"] != "caught_up":
                raise AssertionError(f"unexpected frame {frame}")

    def register(self) -> dict:
        self.send({"type": "register", **self.keys.public_frame(),
                   "sig": b64u(self.keys.sign_register(self.challenge))})
        reg = self.expect("registered")
        self.pair, self.epoch = reg["pair"], reg["epoch"]
        return reg

    def login(self, **extra) -> dict:
        self.send({"type": "login", "device": self.id, "sig": b64u(self.keys.sign_login(self.challenge)), **extra})
        ready = self.expect("ready")
        self.pair, self.epoch = ready["pair"], ready["epoch"]
        return ready

    def join_frame(self, invite: str) -> dict:
        return {"type": "join", "invite": invite, **self.keys.public_frame(),
                "sig": b64u(self.keys.sign_register(self.challenge)),
                "eph": b64u(DeviceKeys.generate().dh_pub), "box": b64u(os.urandom(100))}

    def join(self, invite: str) -> dict:
        """Join through an invite: the relay keeps this device pending (§4.2)."""
        self.send(self.join_frame(invite))
        joined = self.expect("joined")
        self.pair, self.epoch = joined["pair"], joined["epoch"]
        return joined

    def login_pending(self) -> dict:
        """Log in as a joiner the inviter has not confirmed: `joined` comes back, not `ready`."""
        self.send({"type": "login", "device": self.id, "sig": b64u(self.keys.sign_login(self.challenge))})
        return self.expect("joined")

    def invite(self) -> str:
        invite = new_invite()
        self.send({"type": "invite", "invite": invite})
        self.expect("invite_ok")
        return invite

    def envelope(self, key: bytes = bytes(32), body: bytes = b'{"ops":[]}') -> tuple[int, bytes]:
        self.seq += 1
        env = seal_envelope(key, self.pair, self.id, self.epoch, self.seq, self.prev, body)
        self.prev = envelope_hash(env)
        return self.seq, env

    def send_envelope(self, **kw) -> dict:
        seq, env = self.envelope(**kw)
        self.send({"type": "send", "seq": seq, "body": b64u(env)})
        return self.expect("sent")

    def close(self) -> None:
        self.ws.close()


def new_invite() -> str:
    return b64u(os.urandom(16))


def joined_pending(ws_url: str) -> tuple[RawDevice, RawDevice, str]:
    """A registered inviter and a joiner the relay keeps pending, the request delivered."""
    a = RawDevice(ws_url)
    a.register()
    invite = a.invite()
    b = RawDevice(ws_url)
    b.join(invite)
    assert a.expect("pair_request")["device"] == b.id
    return a, b, invite


def accepted(ws_url: str) -> tuple[RawDevice, RawDevice, str]:
    """As joined_pending, then the inviter's box delivered to the joiner: codes on screen."""
    a, b, invite = joined_pending(ws_url)
    a.send({"type": "accept", "invite": invite, "box": b64u(os.urandom(100))})
    a.expect("accept_ok")
    b.expect("pair_accepted")
    return a, b, invite


def paired(ws_url: str) -> tuple[RawDevice, RawDevice, str]:
    """Two devices in one pair, both logged in, through a real invite, join, accept and confirm."""
    a, b, invite = accepted(ws_url)
    a.send({"type": "confirm", "invite": invite})
    assert a.expect("confirm_ok")["peer"]["device"] == b.id
    b.expect("pair_confirmed")
    return a, b, invite
