"""The websocket transport: frames between sockets and the use cases in service.py.

Each text frame is parsed, checked for a string `type`, and dispatched through HANDLERS to
its use case; a refusal becomes one error frame. upgrade.py decides who may open a socket,
and guard.py keeps every write to it whole.
"""

import contextlib
import json
import logging
import threading
import time

import gevent
from flask import Blueprint, current_app, request
from gevent import monkey
from flask_sock import Sock
from simple_websocket import ConnectionClosed
from wsproto.utilities import LocalProtocolError

from . import guard, store, upgrade
from .committer import CommitFailed
from .domain import RelayError
from .service import Relay

log = logging.getLogger("hearth.relay")
bp = Blueprint("ws", __name__)
sock = Sock()
MAX_BATCH_FRAMES = 256


def ping(relay: Relay, session, frame: dict) -> None:
    session.link.send({"type": "pong"})


# Every frame type a device may send (protocol §3-6), and the use case that answers it.
HANDLERS = {
    "register": Relay.register,
    "login": Relay.login,
    "join": Relay.join,
    "invite": Relay.invite,
    "accept": Relay.accept,
    "confirm": Relay.confirm,
    "cancel": Relay.cancel,
    "send": Relay.send,
    "receipt": Relay.receipt,
    "ack": Relay.ack,
    "unpair": Relay.unpair,
    "retire": Relay.retire,
    "ping": ping,
}


def spawn(fn) -> None:
    """A task for the use cases (deliveries, acks): under gunicorn's gevent worker a greenlet,
    made directly (a patched threading.Thread is one too, at several times the cost: two a
    round trip, it was a twentieth of the relay's time); elsewhere a thread."""
    if monkey.is_module_patched("threading"):
        gevent.spawn(fn)
    else:
        threading.Thread(target=fn, daemon=True).start()


# --- the upgrade -------------------------------------------------------------------------------

bp.before_app_request(upgrade.guard_upgrade)
bp.teardown_app_request(upgrade.give_back_slot)


@sock.route("/ws", bp=bp)
def websocket(ws):
    Connection(ws, current_app.extensions["hearth.relay"], request.remote_addr or "?").run()


# --- frames --------------------------------------------------------------------------------------

class Endpoint:
    """One device's frames, with no socket: text frames in through take(), text frames out
    through `write`. It is the session's link: the use cases answer through send and refuse."""

    __slots__ = ("relay", "write", "write_many", "end", "is_open", "max_frame_bytes", "session")   # one per socket

    def __init__(self, relay: Relay, address: str, write, end=None, write_many=None, is_open=None):
        self.relay, self.write = relay, write
        self.is_open = is_open or (lambda: True)   # is the transport still there? (see alive)
        self.write_many = write_many or (lambda texts: [write(text) for text in texts])
        self.end = end or (lambda: None)   # close the connection, once its last frame is sent
        self.max_frame_bytes = relay.settings.max_frame_bytes
        self.session = relay.open_session(self, address)

    def send(self, frame: dict) -> None:
        """One frame to this connection; dropped once it has closed. The use case sending it
        goes on, so what it must tell other devices still goes out: a sender that left while
        its envelopes were being committed had its `sent` raise here, and the news of them
        never reached the recipient's other connections (bench/load.py's lost envelopes)."""
        try:
            self.write(json.dumps(frame, separators=(",", ":")))
        except ConnectionClosed:
            self.session.ended = True   # it hears nothing more; its reader ends the session

    def send_all(self, frames: list) -> None:
        """Frames to this connection in order, each its own write. (Written together they
        once cost a sixth less of the relay's time, and were undone for an "Invalid frame
        header" a browser saw; that came from an HTTP 500 written onto a closing socket,
        tests/test_relay_closing_socket.py, so writing them together may come back.)"""
        if not frames:
            return
        try:
            self.write_many([json.dumps(frame, separators=(",", ":")) for frame in frames])
        except ConnectionClosed:
            self.session.ended = True

    def alive(self) -> bool:
        """Could frames still reach the device? Asked before work done on its behalf."""
        return not self.session.ended and self.is_open()

    def refuse(self, err: RelayError, in_type: str | None) -> None:
        log.info("refused a frame: %s", err.code)
        self.send(err.frame(in_type))

    def hello(self) -> None:
        self.relay.hello(self.session)

    def close(self) -> None:
        self.relay.close_session(self.session)

    def parse(self, raw) -> dict:
        if not isinstance(raw, str):
            raise RelayError("bad_json", "Frames must be text holding a JSON object.")
        if len(raw) > self.max_frame_bytes or len(raw.encode("utf-8", "replace")) > self.max_frame_bytes:
            raise RelayError("too_large", f"Frames are limited to {self.max_frame_bytes} bytes.")
        try:
            frame = json.loads(raw)
        except (ValueError, RecursionError):  # deep nesting exhausts the parser's stack
            raise RelayError("bad_json") from None
        if not isinstance(frame, dict):
            raise RelayError("bad_json")
        if not isinstance(frame.get("type"), str):
            raise RelayError("bad_frame", "Every frame needs a string field 'type'.")
        return frame

    def take(self, batch: list) -> None:
        """Handle frames that arrived together, in order. A logged-in device's consecutive
        `send` frames are stored together: one transaction and one disk sync."""
        sends = []
        for raw in batch:
            try:
                frame = self.parse(raw)
            except RelayError as err:
                self.relay.send_many(self.session, sends)
                sends = []
                self.refuse(err, None)
                continue
            if frame["type"] == "send" and self.session.device:
                sends.append(frame)
                continue
            self.relay.send_many(self.session, sends)
            sends = []
            self.dispatch(frame)
        self.relay.send_many(self.session, sends)

    def dispatch(self, frame: dict) -> None:
        kind = frame["type"]
        handler = HANDLERS.get(kind)
        if handler is None:
            return self.refuse(RelayError("unknown_type"), None)
        try:
            handler(self.relay, self.session, frame)
        except RelayError as err:
            self.refuse(err, kind)
        except ConnectionClosed:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad frame must not take the connection down
            if store.unavailable(exc) or isinstance(exc, CommitFailed):   # a restart: one line each
                log.warning("could not handle a %s frame: %s", kind, store.describe(exc))
            else:
                log.exception("failed to handle a %s frame", kind)
            self.refuse(RelayError("internal"), kind)


# --- the socket ----------------------------------------------------------------------------------

class Connection(Endpoint):
    """An Endpoint on a websocket: reads frames until the socket closes, and closes one
    that does not log in in time."""

    __slots__ = ("ws", "send_lock", "login_timeout")

    def __init__(self, ws, relay: Relay, address: str):
        ws.sock = guard.WholeWrites(ws.sock)
        self.ws, self.send_lock = ws, threading.Lock()
        self.login_timeout = relay.settings.login_timeout_seconds
        # The library's reader clears `connected` as the socket closes, while this
        # connection's own task may still be waiting on a commit for it.
        super().__init__(relay, address, self.write_whole, self.close_socket, is_open=lambda: self.ws.connected)

    def write_whole(self, data: str) -> None:
        with self.send_lock:
            try:
                self.ws.send(data)
            except LocalProtocolError:
                # Its close is under way (the close frame made, its write waiting for room):
                # the library refuses the frame as a protocol error, but it is simply closed.
                raise ConnectionClosed() from None

    def close_socket(self, code: int = 1000, reason: str | None = None) -> None:
        """Close once; a socket already closing or closed is left to finish."""
        with self.send_lock, contextlib.suppress(ConnectionClosed, LocalProtocolError):
            self.ws.close(code, reason)

    def run(self) -> None:
        # Whatever happens, nothing may escape to Flask: it would write an HTTP 500 onto the
        # upgraded socket (a browser reads it as a frame: "Invalid frame header"), and
        # gunicorn would read the next request from it, beside the websocket library's own
        # reader (gevent's ConcurrentObjectUseError).
        try:
            self.serve()
        except ConnectionClosed:
            pass
        except Exception:  # noqa: BLE001
            log.exception("a connection failed")
            self.close_socket(1011)
        finally:
            self.close()

    def serve(self) -> None:
        self.hello()
        limit = self.login_timeout
        deadline = time.monotonic() + limit if limit else None
        while True:
            wait = None if self.session.device or deadline is None else deadline - time.monotonic()
            first = self.ws.receive(timeout=wait) if wait is None or wait > 0 else None
            if first is None:  # only a receive with a timeout returns nothing
                log.info("closed a connection that did not log in in time")
                self.send(RelayError("login_timeout").frame(None))
                self.close_socket(1008, "login timeout")
                return
            batch = [first]
            # Frames already waiting are handled together, so a burst of envelopes
            # shares one transaction and one disk sync.
            while len(batch) < MAX_BATCH_FRAMES:
                more = self.ws.receive(timeout=0)
                if more is None:
                    break
                batch.append(more)
            self.take(batch)
