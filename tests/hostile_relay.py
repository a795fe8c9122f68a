"""A hostile relay for tests: a man in the middle between devices and one real Hearth relay.

The relay is untrusted by design (docs/protocol.md), so tests need one that misbehaves on
purpose. HostileRelay(upstream_url) listens on 127.0.0.1 and is a full reverse proxy for the
real relay: plain HTTP (the app's files, /readyz, the manifest, the service worker) goes
through unchanged, so a browser can open the app at `proxy.url`, and each websocket on /ws
is joined frame by frame to a websocket of its own on the relay's /ws. The browser's
Origin header is not passed on, as the relay accepts only its own origin and programs send
none.

Every text frame holding a JSON object passes through the rules, in the order they were
added. A rule sees (conn, direction, frame), direction "to_relay" or "to_device", and
returns what to send on instead: the frame itself, a changed frame, None or [] to drop it,
or several frames; or it keeps the frame to send later (hold, delay). Frames a rule lets
through go on to the next rule; released, delayed and injected frames go straight out.

    proxy = HostileRelay(relay.url).start()            # or the `hostile` fixture
    sam_id = ...                                       # conn.device is learnt from the frames
    proxy.drop("sent", count=1)                         # lose one receipt
    proxy.duplicate(("deliver", "deliveries"), device=sam_id)
    proxy.rewrite("ready", fn=lambda f: {**f, "last_seq": 0})
    late = proxy.hold_envelopes(seq=4, device=sam_id)   # seq 4 out of whatever frame holds it
    ...; late.wait(); late.release()                    # now seq 4 arrives after seq 5
    proxy.inject(sam_id, "to_device", {"type": "error", "code": "internal", "message": "x"})
    assert proxy.delivered_seqs(sam_id) == [1, 2, 3, 5, 4]
    proxy.clear()                                       # honest again
    proxy.stop()

Every helper takes the same filters: `type` (one frame type or several), `direction`,
`device` (matched against conn.device), `where(conn, direction, frame) -> bool`, and `count`
(act that many times, then retire). Each returns a Rule with .hits, .wait(n) and .remove().

`proxy.log` holds every frame that crossed, as Entry(conn, direction, type, time, frame,
via, device) in the order sent; `proxy.seen` the same for every frame as it arrived, before
any rule. Frames are not copied on the way: treat the dicts in the log as read-only. Wait on
them with wait_for(type, …) or until(condition), never with a bare sleep. A rule that raises
is recorded in `proxy.errors` (the `hostile` fixture fails the test then) and the frame goes
on untouched.
"""

import copy
import heapq
import http.client
import itertools
import json
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Callable, NamedTuple
from urllib.parse import urlsplit

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.http11 import Response
from websockets.sync.client import connect
from websockets.sync.server import serve

from hearth.protocol.encoding import unb64u
from hearth.protocol.envelope import parse_header
from hearth.protocol.identity import device_id as derive_device_id

TO_RELAY, TO_DEVICE = "to_relay", "to_device"
DIRECTIONS = (TO_RELAY, TO_DEVICE)
DELIVERIES = ("deliver", "deliveries")
# Headers that describe one hop, not the message; Content-Length is recomputed.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
              "te", "trailer", "trailers", "transfer-encoding", "upgrade", "content-length"}
CLOSE_TIMEOUT = 3


class Entry(NamedTuple):
    """One frame that crossed (proxy.log) or arrived (proxy.seen)."""
    conn: int            # the connection's index, 0, 1, 2 … in the order they opened
    direction: str       # "to_relay" or "to_device"
    type: str            # the frame's type; "<text>" or "<binary>" for a frame that is not a JSON object
    time: float          # time.monotonic() when it was sent on (log) or arrived (seen)
    frame: object        # the frame as a dict, or the raw str/bytes
    via: str             # log: "pass", "inject", "release", "delay", or "lost" (its socket had closed);
                         # seen: "arrived"
    device: str | None   # the connection's device, once known


@dataclass
class Envelope:
    """One envelope of a `deliver` or `deliveries` frame; its header is read from the body."""
    cursor: int
    body: str

    @property
    def header(self):
        try:
            return parse_header(unb64u(self.body))
        except Exception:  # noqa: BLE001 - a forged or damaged body simply has no header
            return None

    @property
    def seq(self) -> int | None:
        return self.header.seq if self.header else None

    @property
    def epoch(self) -> int | None:
        return self.header.epoch if self.header else None

    def item(self) -> dict:
        return {"cursor": self.cursor, "body": self.body}


def envelopes_of(frame: dict) -> list[Envelope]:
    """The envelopes a `deliver` or `deliveries` frame carries, in order ([] for any other frame)."""
    if not isinstance(frame, dict):
        return []
    if frame.get("type") == "deliver":
        return [Envelope(frame.get("cursor"), frame.get("body"))]
    if frame.get("type") == "deliveries" and isinstance(frame.get("envelopes"), list):
        return [Envelope(e.get("cursor"), e.get("body")) for e in frame["envelopes"] if isinstance(e, dict)]
    return []


def delivery_frames(kind: str, envelopes: list[Envelope]) -> list[dict]:
    """Envelopes as frames of `kind`: one `deliver` each, or one `deliveries` for all (none if empty)."""
    if kind == "deliver":
        return [{"type": "deliver", "cursor": e.cursor, "body": e.body} for e in envelopes]
    return [{"type": "deliveries", "envelopes": [e.item() for e in envelopes]}] if envelopes else []


def _as_list(result) -> list:
    if result is None:
        return []
    return list(result) if isinstance(result, (list, tuple)) else [result]


def _type_of(frame) -> str:
    if isinstance(frame, bytes):
        return "<binary>"
    if not isinstance(frame, dict):
        return "<text>"
    kind = frame.get("type")
    return kind if isinstance(kind, str) else "<untyped>"


def matcher(type=None, direction=None, device=None, where=None) -> Callable:
    """A predicate (conn, direction, frame) -> bool: all the given conditions hold.
    `type` is one frame type or several; `device` is matched against conn.device."""
    types = (type,) if isinstance(type, str) else tuple(type) if type else None
    if direction not in (None, *DIRECTIONS):
        raise ValueError(f"direction must be {TO_RELAY!r} or {TO_DEVICE!r}, not {direction!r}")

    def match(conn, dirn, frame) -> bool:
        return ((types is None or _type_of(frame) in types)
                and (direction is None or dirn == direction)
                and (device is None or conn.device == device)
                and (where is None or bool(where(conn, dirn, frame))))
    return match


class Rule:
    """An active rule. `hits` counts what it acted on (frames; envelopes for envelope rules);
    with `count` it acts that many times, then retires itself."""

    def __init__(self, proxy, match, act, count=None, name="rule"):
        self.proxy, self.match, self.act, self.count, self.name = proxy, match, act, count, name
        self.hits = 0
        self.lock = threading.RLock()
        self.active = True

    def __repr__(self):
        return f"<{self.name} hits={self.hits}{'' if self.active else ' retired'}>"

    def apply(self, conn, direction, frame) -> list | None:
        """The frames to send instead of `frame`, or None if this rule leaves it alone."""
        with self.lock:
            if not self.active or not self.match(conn, direction, frame):
                return None
            try:
                out, used = self.act(conn, direction, frame, None if self.count is None else self.count - self.hits)
            except Exception:  # noqa: BLE001 - a broken rule must fail the test, not the connection
                self.proxy.errors.append(f"{self!r} on {_type_of(frame)} {direction}:\n{traceback.format_exc()}")
                return None
            if used:
                self._hit(used)
            return out

    def _hit(self, n: int) -> None:
        with self.proxy._changed:
            self.hits += n
            if self.count is not None and self.hits >= self.count:
                self.active = False
            self.proxy._changed.notify_all()

    def remove(self) -> None:
        self.active = False
        self.proxy._remove_rule(self)

    def wait(self, hits: int = 1, timeout: float = 10) -> "Rule":
        """Block until the rule has acted `hits` times; AssertionError after `timeout` seconds."""
        self.proxy._wait(lambda: self.hits >= hits, timeout, f"{self!r} never reached {hits} hit(s)")
        return self


class Hold(Rule):
    """A rule that keeps what it takes until release(); `held` is [(conn, direction, frame)]."""

    def __init__(self, proxy, match, take, count=None, name="hold"):
        super().__init__(proxy, match, self._take, count, name)
        self.held: list = []
        self.take = take   # (conn, direction, frame, remaining) -> (frames sent on now, frames kept, units)

    def _take(self, conn, direction, frame, remaining):
        out, keep, used = self.take(conn, direction, frame, remaining)
        self.held.extend((conn, direction, f) for f in keep)
        return out, used

    @property
    def frames(self) -> list:
        with self.lock:
            return [f for _, _, f in self.held]

    def release(self, *, to=None, reverse: bool = False, keep_holding: bool = False) -> int:
        """Send what was held, in the order taken (or reversed), each to its own connection or
        all to `to` (a Conn, a connection index or a device id: e.g. the device's newer
        connection after a reconnect). Stops holding unless keep_holding. Returns how many
        frames were delivered; those whose connection has closed are lost."""
        with self.lock:
            if not keep_holding:
                self.active = False
            held, self.held = self.held, []
        if not keep_holding:
            self.proxy._remove_rule(self)
        target = self.proxy.conn(to) if to is not None else None
        sent = 0
        for conn, direction, frame in (reversed(held) if reverse else held):
            sent += (target or conn).send(direction, frame, via="release")
        return sent

    def discard(self) -> int:
        """Stop holding and forget what was held (a drop after all). Returns how many."""
        with self.lock:
            self.active = False
            held, self.held = self.held, []
        self.proxy._remove_rule(self)
        return len(held)


class Conn:
    """One device websocket and its own websocket to the relay."""

    def __init__(self, proxy, index: int, downstream, upstream, path: str):
        self.proxy, self.index, self.downstream, self.upstream, self.path = proxy, index, downstream, upstream, path
        self.device: str | None = None
        self.pair: str | None = None
        self.opened = time.monotonic()
        self.closed = threading.Event()
        self._send_locks = {TO_RELAY: threading.Lock(), TO_DEVICE: threading.Lock()}

    def __repr__(self):
        return f"<Conn {self.index} device={self.device} {'closed' if self.closed.is_set() else 'open'}>"

    @property
    def open(self) -> bool:
        return not self.closed.is_set()

    def send(self, direction: str, frame, *, via: str = "inject", raw=None) -> bool:
        """Send one frame (a dict, or raw str/bytes) now, past every rule. False if closed."""
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be {TO_RELAY!r} or {TO_DEVICE!r}, not {direction!r}")
        ws = self.upstream if direction == TO_RELAY else self.downstream
        if raw is None:
            raw = frame if isinstance(frame, (str, bytes)) else json.dumps(frame, separators=(",", ":"))
        with self._send_locks[direction]:
            # Logged before it goes, so a test that has just read the frame finds it in the log.
            entry = Entry(self.index, direction, _type_of(frame), time.monotonic(), frame, via, self.device)
            self.proxy._record(self.proxy.log, entry)
            try:
                ws.send(raw)
            except (ConnectionClosed, OSError, RuntimeError):
                self.proxy._lost(entry)
                return False
        return True

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close both sides with a proper close frame."""
        for ws in (self.downstream, self.upstream):
            try:
                ws.close(code, reason)
            except Exception:  # noqa: BLE001 - already closed
                pass

    def cut(self) -> None:
        """Drop both TCP connections without a close frame, like a network that vanished."""
        for ws in (self.downstream, self.upstream):
            try:
                ws.close_socket()
            except Exception:  # noqa: BLE001
                pass


class HostileRelay:
    def __init__(self, upstream_url: str, host: str = "127.0.0.1", port: int = 0):
        parts = urlsplit(upstream_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the upstream must be an http:// relay address, not {upstream_url!r}")
        self.upstream = f"http://{parts.netloc}"
        self.upstream_ws = f"ws://{parts.netloc}/ws"
        self._up_host, self._up_port = parts.hostname, parts.port or 80
        self.host, self.port = host, port
        self.log: list[Entry] = []
        self.seen: list[Entry] = []
        self.requests: list[tuple] = []      # plain HTTP: (method, path, status, time)
        self.errors: list[str] = []          # rules that raised (the frame went on untouched)
        self.conns: list[Conn] = []
        self.rules: list[Rule] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self._timers: list = []
        self._timer_seq = itertools.count()
        self._timer_cv = threading.Condition()
        self._upstreams: set = set()         # every upstream socket opened, to close at stop
        self._server = self._thread = self._timer_thread = None
        self._stopping = False

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws"

    def start(self) -> "HostileRelay":
        self._server = serve(self._handle, self.host, self.port, process_request=self._process_request,
                             server_header=None, compression=None, max_size=None, ping_interval=None,
                             close_timeout=CLOSE_TIMEOUT)
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="hostile-relay", daemon=True)
        self._thread.start()
        self._timer_thread = threading.Thread(target=self._run_timers, name="hostile-relay-timers", daemon=True)
        self._timer_thread.start()
        return self

    def stop(self) -> None:
        """Close every connection (1001 both ways), stop listening, and wait for the threads."""
        if self._server is None or self._stopping:
            return
        self._stopping = True
        self._server.shutdown()
        with self._lock:
            upstreams = list(self._upstreams)
        for ws in upstreams:   # opened for a handshake the device never finished
            try:
                ws.close_socket()
            except Exception:  # noqa: BLE001
                pass
        with self._timer_cv:
            self._timer_cv.notify_all()
        self._thread.join(10)
        self._timer_thread.join(10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- rules -----------------------------------------------------------------------------

    def rule(self, fn, type=None, *, direction=None, device=None, where=None, count=None) -> Rule:
        """fn(conn, direction, frame) -> a frame, None or [] (drop), or a list of frames."""
        return self._add(Rule(self, matcher(type, direction, device, where),
                              lambda c, d, f, _: (_as_list(fn(c, d, f)), 1), count, f"rule {type or ''}"))

    def drop(self, type=None, *, direction=None, device=None, where=None, count=None) -> Rule:
        return self._add(Rule(self, matcher(type, direction, device, where),
                              lambda c, d, f, _: ([], 1), count, f"drop {type or ''}"))

    def duplicate(self, type=None, *, times: int = 2, direction=None, device=None, where=None, count=None) -> Rule:
        """Send each matching frame `times` times in a row."""
        return self._add(Rule(self, matcher(type, direction, device, where),
                              lambda c, d, f, _: ([f] + [copy.deepcopy(f) for _ in range(times - 1)], 1),
                              count, f"duplicate {type or ''}"))

    def rewrite(self, type=None, *, fn, direction=None, device=None, where=None, count=None) -> Rule:
        """fn(a deep copy of the frame) -> the frame to send, a dict (None: the copy as fn changed it)."""
        def act(conn, dirn, frame, _):
            mine = copy.deepcopy(frame)
            out = fn(mine)
            if out is not None and not isinstance(out, dict):
                raise TypeError(f"a rewrite returns the new frame (a dict) or None, not {out!r}")
            return [mine if out is None else out], 1
        return self._add(Rule(self, matcher(type, direction, device, where), act, count, f"rewrite {type or ''}"))

    def hold(self, type=None, *, direction=None, device=None, where=None, count=None) -> Hold:
        """Keep matching frames until .release()."""
        return self._add(Hold(self, matcher(type, direction, device, where),
                              lambda c, d, f, _: ([], [f], 1), count, f"hold {type or ''}"))

    def delay(self, seconds: float, type=None, *, direction=None, device=None, where=None, count=None) -> Rule:
        """Send each matching frame `seconds` later; frames behind it are not held up."""
        def act(conn, dirn, frame, _):
            self._later(seconds, lambda: conn.send(dirn, frame, via="delay"))
            return [], 1
        return self._add(Rule(self, matcher(type, direction, device, where), act, count, f"delay {type or ''}"))

    # --- envelopes inside deliver / deliveries ---------------------------------------------

    def envelopes(self, fn, *, device=None, where=None, count=None) -> Rule:
        """fn(list[Envelope]) -> the envelopes to deliver instead, for every `deliver` or
        `deliveries` frame to a device: reorder, drop, repeat or add. A list of Envelopes goes
        on as one `deliveries` frame (one `deliver` frame each, if that is what came); a list
        of lists splits it into one frame per inner list. Nothing left: no frame at all."""
        def act(conn, dirn, frame, _):
            out = list(fn(envelopes_of(frame)) or [])
            groups = out if out and all(isinstance(g, (list, tuple)) for g in out) else [out]
            return [f for g in groups for f in delivery_frames(frame["type"], list(g))], 1
        return self._add(Rule(self, matcher(DELIVERIES, TO_DEVICE, device, where), act, count, "envelopes"))

    def split_deliveries(self, *, device=None, where=None, count=None) -> Rule:
        """Each `deliveries` frame goes on as one frame per envelope, in order."""
        return self.envelopes(lambda envs: [[e] for e in envs], device=device, where=where, count=count)

    def hold_envelopes(self, seq=None, *, which=None, device=None, count=None) -> Hold:
        """Take envelopes whose header seq is `seq` (an int or several), or for which
        which(envelope) is true, out of the delivery frames they came in; the rest go on.
        .release() delivers each held envelope as a frame of its own. `count` caps how many
        envelopes are held; `hits` counts them."""
        return self._add(Hold(self, self._envelope_match(seq, which, device), self._envelope_take(seq, which, True),
                              count, f"hold envelopes {seq if seq is not None else ''}"))

    def drop_envelopes(self, seq=None, *, which=None, device=None, count=None) -> Rule:
        """Like hold_envelopes, but the envelopes are gone for good."""
        take = self._envelope_take(seq, which, False)
        return self._add(Rule(self, self._envelope_match(seq, which, device),
                              lambda c, d, f, remaining: take(c, d, f, remaining)[0::2], count,
                              f"drop envelopes {seq if seq is not None else ''}"))

    @staticmethod
    def _envelope_pick(seq, which):
        seqs = {seq} if isinstance(seq, int) else set(seq) if seq is not None else None
        return lambda e: (seqs is None or e.seq in seqs) and (which is None or bool(which(e)))

    def _envelope_match(self, seq, which, device):
        pick = self._envelope_pick(seq, which)
        return matcher(DELIVERIES, TO_DEVICE, device, lambda c, d, f: any(pick(e) for e in envelopes_of(f)))

    def _envelope_take(self, seq, which, keep: bool):
        pick = self._envelope_pick(seq, which)

        def take(conn, dirn, frame, remaining):
            rest, taken = [], []
            for e in envelopes_of(frame):
                if pick(e) and (remaining is None or len(taken) < remaining):
                    taken.append(e)
                else:
                    rest.append(e)
            kept = [f for e in taken for f in delivery_frames(frame["type"], [e])] if keep else []
            return delivery_frames(frame["type"], rest), kept, len(taken)
        return take

    # --- forging and cutting ---------------------------------------------------------------

    def inject(self, target, direction: str, frame, timeout: float = 10) -> Conn:
        """Forge `frame` (a dict, or raw str/bytes) to the device or the relay on `target`: a
        Conn, a connection index, or a device id (its newest open connection, waited for)."""
        conn = self.conn(target, timeout)
        if not conn.send(direction, frame, via="inject"):
            raise AssertionError(f"could not inject into {conn!r}: it is closed")
        return conn

    def conn(self, target, timeout: float = 10) -> Conn:
        """A Conn from a Conn, an index, or a device id (its newest open connection)."""
        if isinstance(target, Conn):
            return target
        if isinstance(target, int):
            self._wait(lambda: len(self.conns) > target, timeout, f"no connection {target}")
            return self.conns[target]
        found = []

        def newest():
            with self._lock:
                found[:] = [c for c in self.conns if c.device == target and c.open][-1:]
            return bool(found)
        self._wait(newest, timeout, f"no open connection for device {target}")
        return found[0]

    def cut(self, target, timeout: float = 10) -> Conn:
        """Drop a connection (see Conn.cut)."""
        conn = self.conn(target, timeout)
        conn.cut()
        return conn

    def clear(self) -> None:
        """Honest again: remove every rule. Frames already held stay with their Hold until
        released or discarded; frames already delayed still arrive late."""
        with self._lock:
            rules, self.rules = self.rules, []
        for rule in rules:
            rule.active = False

    # --- what crossed ----------------------------------------------------------------------

    def frames(self, type=None, *, direction=None, device=None, conn=None, seen: bool = False) -> list[Entry]:
        """Entries of proxy.log (or proxy.seen) matching all the given conditions; frames lost
        to a closed socket are left out."""
        types = (type,) if isinstance(type, str) else tuple(type) if type else None
        with self._changed:
            entries = list(self.seen if seen else self.log)
        return [e for e in entries if e.via != "lost" and (types is None or e.type in types) and (direction is None or e.direction == direction)
                and (device is None or e.device == device) and (conn is None or e.conn == conn)]

    def wait_for(self, type=None, *, direction=None, device=None, conn=None, count: int = 1, seen: bool = False,
                 timeout: float = 10) -> list[Entry]:
        """Block until `count` matching frames have crossed (or arrived, with seen=True)."""
        found = []

        def enough():
            found[:] = self.frames(type, direction=direction, device=device, conn=conn, seen=seen)
            return len(found) >= count
        self._wait(enough, timeout, f"fewer than {count} {type or 'frame'}(s) {direction or ''} {device or ''}: "
                                    f"{[(e.conn, e.direction, e.type) for e in self.log[-30:]]}")
        return found

    def until(self, condition, timeout: float = 10, what: str = "the condition") -> None:
        """Block until condition() is true, rechecked as frames cross and every 50 ms;
        AssertionError naming `what` after `timeout` seconds."""
        self._wait(condition, timeout, f"{what} did not come true")

    def delivered(self, device=None, *, conn=None) -> list[Envelope]:
        """Every envelope that crossed to the device (or connection), in the order it crossed."""
        return [e for entry in self.frames(DELIVERIES, direction=TO_DEVICE, device=device, conn=conn)
                for e in envelopes_of(entry.frame)]

    def delivered_seqs(self, device=None, *, conn=None) -> list[int | None]:
        return [e.seq for e in self.delivered(device, conn=conn)]

    # --- internals -------------------------------------------------------------------------

    def _add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def _remove_rule(self, rule: Rule) -> None:
        with self._lock:
            if rule in self.rules:
                self.rules.remove(rule)

    def _record(self, where: list, entry: Entry) -> None:
        with self._changed:
            where.append(entry)
            self._changed.notify_all()

    def _lost(self, entry: Entry) -> None:
        with self._changed:
            for i in range(len(self.log) - 1, -1, -1):
                if self.log[i] is entry:
                    self.log[i] = entry._replace(via="lost")
                    break
            self._changed.notify_all()

    def until_all_closed(self, timeout: float = 10) -> None:
        """Wait until every connection so far has closed: whatever a finished exchange (a
        pairing) still had in flight has crossed, so a rule added next never meets it."""
        self._wait(lambda: not any(c.open for c in list(self.conns)), timeout, "connections still open")

    def _wait(self, condition, timeout: float, message: str) -> None:
        deadline = time.monotonic() + timeout
        # The condition runs outside the lock (it may take a rule's lock, which a pump holds
        # while it takes this one); a short wait covers a change between check and wait.
        while not condition():
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"hostile relay: {message} within {timeout}s")
            with self._changed:
                self._changed.wait(min(left, 0.05))

    def _later(self, seconds: float, fn) -> None:
        with self._timer_cv:
            heapq.heappush(self._timers, (time.monotonic() + seconds, next(self._timer_seq), fn))
            self._timer_cv.notify_all()

    def _run_timers(self) -> None:
        while not self._stopping:
            with self._timer_cv:
                now = time.monotonic()
                if not self._timers or self._timers[0][0] > now:
                    self._timer_cv.wait(self._timers[0][0] - now if self._timers else None)
                    continue
                _, _, fn = heapq.heappop(self._timers)
            try:
                fn()
            except Exception:  # noqa: BLE001 - a late frame to a closed socket is simply lost
                pass

    def _process_request(self, connection, request):
        if urlsplit(request.path).path == "/ws" and "websocket" in request.headers.get("Upgrade", "").lower():
            try:
                # No Origin upstream: the relay accepts only its own, and programs send none.
                upstream = connect(self.upstream_ws, compression=None, max_size=None, open_timeout=10,
                                   ping_interval=None, close_timeout=CLOSE_TIMEOUT, user_agent_header=None)
            except InvalidStatus as exc:   # the relay refused the upgrade: so does the proxy
                return self._response(exc.response.status_code, exc.response.reason_phrase,
                                      exc.response.headers.raw_items(), exc.response.body, request.method)
            except (OSError, TimeoutError, InvalidHandshake) as exc:
                return connection.respond(502, f"hostile relay: the relay cannot be reached ({exc!r})\n")
            with self._lock:
                self._upstreams.add(upstream)
            connection.hostile_upstream = upstream
            return None
        return self._forward_http(request)

    def _forward_http(self, request) -> Response:
        up = http.client.HTTPConnection(self._up_host, self._up_port, timeout=30)
        try:
            up.putrequest(request.method, request.path, skip_host="Host" in request.headers,
                          skip_accept_encoding=True)
            for name, value in request.headers.raw_items():
                if name.lower() not in HOP_BY_HOP:
                    up.putheader(name, value)
            up.endheaders()
            resp = up.getresponse()
            body = resp.read()
            status, reason, headers = resp.status, resp.reason, resp.getheaders()
        except (OSError, http.client.HTTPException) as exc:
            status, reason, headers, body = 502, "Bad Gateway", [("Content-Type", "text/plain")], \
                f"hostile relay: the relay cannot be reached ({exc!r})\n".encode()
        finally:
            up.close()
        self.requests.append((request.method, request.path, status, time.monotonic()))
        return self._response(status, reason, headers, body, request.method)

    @staticmethod
    def _response(status, reason, headers, body, method) -> Response:
        out = Headers([(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP])
        if method == "HEAD":
            for k, v in headers:
                if k.lower() == "content-length":
                    out[k] = v
            body = b""
        elif status not in (204, 304) and not 100 <= status < 200:
            out["Content-Length"] = str(len(body))
        out["Connection"] = "close"
        return Response(status, reason, out, body)

    def _handle(self, downstream) -> None:
        upstream = getattr(downstream, "hostile_upstream", None)
        if upstream is None:
            return
        with self._lock:
            conn = Conn(self, len(self.conns), downstream, upstream, downstream.request.path)
            self.conns.append(conn)
        with self._changed:
            self._changed.notify_all()
        pump = threading.Thread(target=self._pump, args=(conn, upstream, downstream, TO_DEVICE),
                                name=f"hostile-relay-{conn.index}-down", daemon=True)
        pump.start()
        try:
            self._pump(conn, downstream, upstream, TO_RELAY)
        finally:
            pump.join(CLOSE_TIMEOUT * 3)
            with self._lock:
                self._upstreams.discard(upstream)
            conn.closed.set()
            with self._changed:
                self._changed.notify_all()

    def _pump(self, conn: Conn, source, target, direction: str) -> None:
        """Frames from `source` through the rules to `target` until `source` closes; then
        close `target` the same way (a close frame with the same code, or a vanished socket)."""
        try:
            while True:
                try:
                    raw = source.recv()
                except ConnectionClosed:
                    break
                self._arrive(conn, direction, raw)
        finally:
            received = source.protocol.close_rcvd
            try:
                if received is None:
                    target.close_socket()
                else:
                    target.close(None if received.code == 1005 else received.code, received.reason)
            except Exception:  # noqa: BLE001 - the other side is gone already
                pass

    def _arrive(self, conn: Conn, direction: str, raw) -> None:
        frame = raw
        if isinstance(raw, str):
            try:
                frame = json.loads(raw)
            except ValueError:
                pass
            if not isinstance(frame, dict):
                frame = raw
        self._learn(conn, direction, frame)
        self._record(self.seen, Entry(conn.index, direction, _type_of(frame), time.monotonic(), frame, "arrived",
                                      conn.device))
        if not isinstance(frame, dict):   # not a JSON object: passed on untouched, no rule sees it
            conn.send(direction, frame, via="pass", raw=raw)
            return
        out = [frame]
        with self._lock:
            rules = list(self.rules)
        for rule in rules:
            nxt = []
            for f in out:
                result = rule.apply(conn, direction, f)
                nxt.extend([f] if result is None else result)
            out = nxt
        for f in out:
            conn.send(direction, f, via="pass", raw=raw if f is frame else None)

    @staticmethod
    def _learn(conn: Conn, direction: str, frame) -> None:
        """Who is on this connection, from what the device claims and the relay answers."""
        if not isinstance(frame, dict):
            return
        kind = frame.get("type")
        if direction == TO_RELAY and kind == "login" and isinstance(frame.get("device"), str):
            conn.device = conn.device or frame["device"]
        elif direction == TO_RELAY and kind in ("register", "join") and not conn.device:
            try:
                conn.device = derive_device_id(unb64u(frame["sig_pub"]), unb64u(frame["dh_pub"]),
                                               frame.get("suite", 1))
            except Exception:  # noqa: BLE001 - a malformed frame names nobody
                pass
        elif direction == TO_DEVICE and kind in ("ready", "registered", "joined"):
            if isinstance(frame.get("device"), str):
                conn.device = frame["device"]
            if isinstance(frame.get("pair"), str):
                conn.pair = frame["pair"]
