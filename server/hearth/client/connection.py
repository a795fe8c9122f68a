"""One websocket session with the relay: challenge, login, and frames in and out."""

import json
from urllib.parse import urlsplit

try:
    from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
    from websockets.sync.client import connect
except ModuleNotFoundError as missing:   # the relay alone does not install it
    raise SystemExit("hearth-client needs the websockets package: pip install 'hearth-relay[client]'") from missing

from hearth.protocol import VERSION
from hearth.protocol.encoding import b64u, unb64u

SPOKEN_VERSIONS = (VERSION,)   # protocol versions this client speaks
from .frames import MalformedFrame, checked


class ClientError(RuntimeError):
    """A failure to explain to the user in one line."""


class RelayTimeout(ClientError):
    """Nothing arrived in the time allowed; the connection may still be fine."""


class RelayRefused(ClientError):
    def __init__(self, frame: dict):
        code, message = _one_line(frame.get("code"), 40), _one_line(frame.get("message"), 300)
        self.code = code or None
        self.frame = frame
        wait = frame.get("retry_after")
        if code == "rate_limited" and type(wait) is int and 0 < wait <= 86400:
            # A script (cron, a test) that reads only "try again" retries at once, and is
            # refused again: the relay said how long, so say it in the one line printed.
            message = (f"the relay is busy or has had too many attempts from this address; "
                       f"try again in {wait} second{'s' if wait != 1 else ''}")
        super().__init__(message or f"the relay reported an error without saying why ({code or 'no code'})")


def _one_line(text, most: int) -> str:
    """The relay's words, if any, as one printable line of at most `most` characters."""
    if not isinstance(text, str):
        return ""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:most]


def check_version(v) -> None:
    """Refuse a relay that speaks a protocol version this client does not (§3)."""
    if type(v) is not int or v not in SPOKEN_VERSIONS:
        spoken = ", ".join(str(s) for s in SPOKEN_VERSIONS)
        raise ClientError(f"the relay speaks protocol version {str(v)[:20]!r}, but this client speaks only "
                          f"version {spoken}; update the client or use a relay of the same version")


def ws_url(origin: str) -> str:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ClientError(f"the relay address must look like https://relay.example.org, not {origin!r}")
    return f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}/ws"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    ws_url(url)
    return f"{parts.scheme}://{parts.netloc}"


class Session:
    def __init__(self, origin: str, timeout: float = 30):
        self.timeout = timeout
        try:
            self.ws = connect(ws_url(origin), compression=None, max_size=2 ** 22, open_timeout=timeout)
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            raise ClientError(f"cannot reach the relay at {origin} ({exc.__class__.__name__})") from None
        try:
            first = self.recv()
            if first.get("type") != "challenge":
                raise ClientError("the relay did not start with a login challenge")
            check_version(first.get("v"))
            try:
                self.challenge = unb64u(first.get("challenge"))
            except ValueError:
                raise ClientError("the relay's login challenge is damaged") from None
        except ClientError:
            self.close()
            raise

    def send(self, frame: dict) -> None:
        try:
            self.ws.send(json.dumps(frame, separators=(",", ":")))
        except ConnectionClosed:
            raise ClientError("the relay closed the connection") from None

    def recv(self, timeout: float | None = None) -> dict:
        try:
            return checked(self.ws.recv(timeout=timeout or self.timeout))
        except TimeoutError:
            raise RelayTimeout("the relay did not answer in time") from None
        except ConnectionClosed:
            raise ClientError("the relay closed the connection") from None
        except MalformedFrame as exc:   # the relay misbehaving: one plain line, nothing acted on
            raise ClientError(str(exc)) from None

    def expect(self, *kinds: str, timeout: float | None = None) -> dict:
        """The next frame of one of `kinds`; a relay error frame becomes RelayRefused."""
        while True:
            frame = self.recv(timeout)
            if frame.get("type") in kinds:
                return frame
            if frame.get("type") == "error":
                raise RelayRefused(frame)

    def register(self, keys) -> dict:
        self.send({"type": "register", **keys.public_frame(), "sig": b64u(keys.sign_register(self.challenge))})
        return self.expect("registered")

    def login(self, keys, batch: int = 1) -> dict:
        frame = {"type": "login", "device": keys.device_id, "sig": b64u(keys.sign_login(self.challenge))}
        if batch > 1:
            frame["batch"] = batch
        self.send(frame)
        return self.expect("ready")

    def login_any(self, keys) -> dict:
        """Log in as a device or as a pending joiner: `ready`, or `joined` while the
        inviter has not confirmed (§4.2)."""
        self.send({"type": "login", "device": keys.device_id, "sig": b64u(keys.sign_login(self.challenge))})
        return self.expect("ready", "joined")

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing a dead socket is not worth reporting
            pass
