"""The websocket layer: parse each frame, dispatch it to handle_<type>, answer errors.

Rules live in domain.py and storage in store.py; this module only moves frames.
"""

import contextlib
import json
import logging
import os
import threading
import time

from flask import Blueprint, current_app, g, request
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import device_id as derive_device_id
from hearth.protocol.identity import login_message, register_message
from hearth.protocol.primitives import SIGNATURE_BYTES, new_private_key, public_raw, verify

from . import domain, guard, store
from .domain import RelayError

log = logging.getLogger("hearth.relay")
bp = Blueprint("ws", __name__)
sock = Sock()
DELIVERY_BATCH = 500
MAX_DELIVERY_BATCH = 200        # envelopes in one "deliveries" frame...
MAX_DELIVERIES_BYTES = 1 << 20  # ...and about this many bytes of them, so a phone never chokes
MAX_BATCH_FRAMES = 256
PURGE_EVERY = 600
# The relay keeps a used invite a while so a joiner who was offline still gets pair_accepted.
USED_INVITE_SECONDS = 7 * 86400
# An unknown device's login is checked against this key, whose private half nobody keeps,
# so it costs what a known device's does and the answer's timing does not reveal which ids exist.
DECOY_SIG_PUB = public_raw(new_private_key())


class Hub:
    """Live connections of this process, by device id, so a new envelope is pushed at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_device: dict[str, set] = {}
        self.last_purge = 0.0

    def add(self, conn) -> None:
        with self.lock:
            self.by_device.setdefault(conn.device, set()).add(conn)

    def remove(self, conn) -> None:
        with self.lock:
            conns = self.by_device.get(conn.device)
            if conns:
                conns.discard(conn)
                if not conns:
                    del self.by_device[conn.device]

    def connections(self, device: str) -> list:
        with self.lock:
            return list(self.by_device.get(device, ()))

    def count(self) -> int:
        with self.lock:
            return sum(len(c) for c in self.by_device.values())

    def devices(self) -> set:
        with self.lock:
            return set(self.by_device)


def login_verifies(key: bytes | None, sig: bytes, message: bytes) -> bool:
    """Does `sig` log in the device whose signing key is `key` (None: no such device)?
    Either way one signature is checked, so both answers take the same time."""
    valid = verify(key if key is not None else DECOY_SIG_PUB, sig, message)
    return valid and key is not None


def refuse_upgrade(code: str):
    status, message = domain.UPGRADE_REFUSALS[code]
    log.info("refused a websocket: %s", code)
    return {"type": "error", "code": code, "message": message}, status


@bp.before_app_request
def guard_upgrade():
    if request.path != "/ws":
        return None
    settings = current_app.config["HEARTH"]
    # request.scheme is X-Forwarded-Proto's when trust_proxy puts ProxyFix in front.
    origin = request.headers.get("Origin")
    if not guard.allowed_origin(origin, request.scheme, request.host, settings.allowed_origins):
        if request.scheme == "http" and origin == f"https://{request.host}":
            log.warning("the app's own https page was refused a websocket: behind a TLS proxy, "
                        "set HEARTH_TRUST_PROXY=1 and pass X-Forwarded-Proto")
        return refuse_upgrade("forbidden_origin")
    if request.headers.get("Upgrade", "").lower() != "websocket":
        return refuse_upgrade("bad_request")
    address = request.remote_addr or "?"
    if not current_app.extensions["hearth.slots"].take(address, settings.max_connections_per_address):
        return refuse_upgrade("too_many_connections")
    g.hearth_slot = address   # given back when the request ends, however it ends
    # Ciphertext does not compress, and permessage-deflate costs memory per socket.
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


@bp.teardown_app_request
def give_back_slot(_exc):
    address = g.pop("hearth_slot", None)
    if address is not None:
        current_app.extensions["hearth.slots"].give_back(address)


@sock.route("/ws", bp=bp)
def websocket(ws):
    Connection(ws, current_app.config["HEARTH"], current_app.extensions["hearth.hub"],
               current_app.extensions["hearth.limits"], request.remote_addr or "?").run()


class Connection:
    def __init__(self, ws, settings, hub: Hub, limits: dict, address: str):
        self.ws, self.settings, self.hub, self.limits, self.address = ws, settings, hub, limits, address
        self.send_lock = threading.Lock()
        ws.sock = guard.WholeWrites(ws.sock)
        self.pump_lock = threading.Lock()
        self.challenge = os.urandom(32)
        self.challenge_used = False
        self.device = self.pair = self.peer = None
        self.pending = None     # the invite a pending joiner waits on; such a login is not a login
        self.epoch = 0
        self.delivered = 0
        self.batch = 1          # envelopes per delivery frame; a device may ask for more at login
        self.pumping = self.dirty = self.caught_up = False
        self.quota = domain.Quota(settings.quota_envelopes, settings.quota_bytes)

    # --- plumbing --------------------------------------------------------------------------

    def send(self, frame: dict) -> None:
        data = json.dumps(frame, separators=(",", ":"))
        with self.send_lock:
            self.ws.send(data)

    def run(self) -> None:
        # Whatever happens, nothing may escape to Flask: it would write an HTTP 500 onto the
        # upgraded socket and gunicorn would read the next request from it, beside the
        # websocket library's own reader (gevent's ConcurrentObjectUseError).
        try:
            self.serve()
        except ConnectionClosed:
            pass
        except Exception:  # noqa: BLE001
            log.exception("a connection failed")
            with contextlib.suppress(ConnectionClosed):
                self.ws.close(1011)
        finally:
            if self.device:
                self.hub.remove(self)

    def serve(self) -> None:
        self.send({"type": "challenge", "v": 1, "challenge": b64u(self.challenge)})
        limit = self.settings.login_timeout_seconds
        deadline = time.monotonic() + limit if limit else None
        while True:
            wait = None if self.device or deadline is None else deadline - time.monotonic()
            first = self.ws.receive(timeout=wait) if wait is None or wait > 0 else None
            if first is None:  # only a receive with a timeout returns nothing
                log.info("closed a connection that did not log in in time")
                self.send(RelayError("login_timeout").frame(None))
                self.ws.close(1008, "login timeout")
                return
            batch = [first]
            # Frames already waiting are handled together, so a burst of envelopes
            # shares one transaction and one disk sync.
            while len(batch) < MAX_BATCH_FRAMES:
                more = self.ws.receive(timeout=0)
                if more is None:
                    break
                batch.append(more)
            self.take_batch(batch)

    def parse(self, raw) -> dict:
        if not isinstance(raw, str):
            raise RelayError("bad_json", "Frames must be text holding a JSON object.")
        if len(raw) > self.settings.max_frame_bytes or len(raw.encode("utf-8", "replace")) > self.settings.max_frame_bytes:
            raise RelayError("too_large", f"Frames are limited to {self.settings.max_frame_bytes} bytes.")
        try:
            frame = json.loads(raw)
        except (ValueError, RecursionError):  # deep nesting exhausts the parser's stack
            raise RelayError("bad_json") from None
        if not isinstance(frame, dict):
            raise RelayError("bad_json")
        if not isinstance(frame.get("type"), str):
            raise RelayError("bad_frame", "Every frame needs a string field 'type'.")
        return frame

    def take_batch(self, batch: list) -> None:  # not handle_*: that name would make it a frame type
        sends = []
        for raw in batch:
            try:
                frame = self.parse(raw)
            except RelayError as err:
                self.flush_sends(sends)
                sends = []
                self.refuse(err, None)
                continue
            if frame["type"] == "send" and self.device:
                sends.append(frame)
                continue
            self.flush_sends(sends)
            sends = []
            self.dispatch(frame)
        self.flush_sends(sends)

    def dispatch(self, frame: dict) -> None:
        kind = frame["type"]
        handler = getattr(self, f"handle_{kind}", None)
        if handler is None:
            return self.refuse(RelayError("unknown_type"), None)
        try:
            handler(frame)
        except RelayError as err:
            self.refuse(err, kind)
        except ConnectionClosed:
            raise
        except Exception:  # noqa: BLE001 - one bad frame must not take the connection down
            log.exception("failed to handle a %s frame", kind)
            self.refuse(RelayError("internal"), kind)

    def refuse(self, err: RelayError, in_type: str | None) -> None:
        log.info("refused a frame: %s", err.code)
        self.send(err.frame(in_type))

    def require_login(self) -> None:
        if not self.device:
            raise RelayError("not_logged_in")
        if self.pending:
            raise RelayError("not_logged_in", "This device joins its pair only once the inviter confirms.")

    def take_challenge(self) -> bytes:
        if self.challenge_used:
            raise RelayError("challenge_used")
        retry = self.limits["login"].hit(self.address, time.monotonic())
        if retry:
            raise RelayError("rate_limited", retry_after=retry)
        self.challenge_used = True
        return self.challenge

    def read_keys(self, frame: dict) -> tuple[int, bytes, bytes, bytes]:
        suite = domain.suite_field(frame)
        sig_pub = domain.public_key_field(frame, "sig_pub")
        dh_pub = domain.public_key_field(frame, "dh_pub")
        sig = domain.bytes_field(frame, "sig", SIGNATURE_BYTES)
        return suite, sig_pub, dh_pub, sig

    def logged_in(self, device: str) -> None:
        me, pair, peer = store.pair_of(device)
        self.device, self.pair, self.epoch = me.id, pair.id, pair.epoch
        self.peer = peer.id if peer else None
        self.hub.add(self)
        self.maybe_purge()
        return me, pair, peer

    @staticmethod
    def peer_frame(peer) -> dict | None:
        if peer is None:
            return None
        return {"device": peer.id, "suite": peer.suite, "sig_pub": b64u(bytes(peer.sig_pub)),
                "dh_pub": b64u(bytes(peer.dh_pub))}

    # --- login and pairing -----------------------------------------------------------------

    def handle_register(self, frame: dict) -> None:
        suite, sig_pub, dh_pub, sig = self.read_keys(frame)
        challenge = self.take_challenge()
        if not verify(sig_pub, sig, register_message(challenge, suite, sig_pub, dh_pub)):
            raise RelayError("bad_signature")
        device = derive_device_id(sig_pub, dh_pub, suite)
        pair = b64u(os.urandom(16))
        if not store.create_pair_with_device(pair, device, suite, sig_pub, dh_pub, domain.coarse_hour(time.time())):
            raise RelayError("device_exists")
        self.logged_in(device)
        self.send({"type": "registered", "device": device, "pair": pair, "epoch": self.epoch})

    def handle_login(self, frame: dict) -> None:
        claimed = domain.text_field(frame, "device")
        sig = domain.bytes_field(frame, "sig", SIGNATURE_BYTES)
        batch = domain.int_field(frame, "batch", 1, MAX_DELIVERY_BATCH) if "batch" in frame else 1
        challenge = self.take_challenge()
        key = store.login_key(claimed)
        if key is None and self.login_pending(claimed, sig, challenge, batch):
            return
        # An unknown device and a bad signature must look the same from outside, in time too.
        if not login_verifies(key, sig, login_message(challenge, claimed)):
            raise RelayError("login_failed")
        me, pair, peer = self.logged_in(claimed)
        self.batch = batch
        self.send({"type": "ready", "device": me.id, "pair": pair.id, "epoch": pair.epoch,
                   "last_seq": me.last_seq, "peer": self.peer_frame(peer)})
        # Before any envelope, so the device can tell at caught_up what was withheld (§5.6).
        receipt = store.receipt_of(peer.id) if peer else None
        if receipt:
            self.send({"type": "receipt", "body": b64u(receipt)})
        requests, accepted = store.pending_pairing(me.id, pair.id, int(time.time()))
        for inv in requests:
            self.send(self.pair_request_frame(inv))
        for inv in accepted:
            self.send({"type": "pair_accepted", "invite": inv.id, "box": inv.accept_box})
            store.mark_accept_delivered(inv.id)
        self.kick()

    def handle_invite(self, frame: dict) -> None:
        self.require_login()
        invite = domain.text_field(frame, "invite")
        domain.bytes_field(frame, "invite", 16)
        domain.check_can_invite(store.devices_in_pair(self.pair))
        retry = self.limits["invite"].hit(self.device, time.monotonic())
        if retry:
            raise RelayError("rate_limited", retry_after=retry)
        now = int(time.time())
        expires = now + self.settings.invite_ttl_seconds
        dropped = store.create_invite(invite, self.pair, self.device, expires, now)
        if dropped is None:
            raise RelayError("invite_exists")
        self.send({"type": "invite_ok", "invite": invite, "expires_at": expires})
        for old_invite, joiner in dropped:   # the code they used has been replaced by this one
            self.tell(joiner, {"type": "pair_cancelled", "invite": old_invite})

    def tell(self, device: str, frame: dict) -> int:
        conns = self.hub.connections(device)
        for conn in conns:
            conn.send(frame)
        return len(conns)

    # A joiner is pending until the inviter confirms (protocol §4.2): it gets `joined`, may
    # log in again to hear how things stand, and may cancel, but it is not in the pair.

    def enter_pending(self, inv) -> None:
        pair, creator = store.pair_view(inv.pair_id, inv.creator)
        self.device, self.pair, self.epoch, self.peer = inv.joiner, pair.id, pair.epoch, None
        self.pending = inv.id
        self.hub.add(self)
        self.send({"type": "joined", "device": inv.joiner, "pair": pair.id, "epoch": pair.epoch,
                   "pending": True, "peer": self.peer_frame(creator)})

    def login_pending(self, claimed: str, sig: bytes, challenge: bytes, batch: int) -> bool:
        inv = store.pending_joiner(claimed, int(time.time()))
        if inv is None:
            return False
        if not verify(unb64u(store.joiner_keys(inv)["sig_pub"]), sig, login_message(challenge, claimed)):
            return False
        self.batch = batch
        self.enter_pending(inv)
        if inv.accept_box is not None:
            self.send({"type": "pair_accepted", "invite": inv.id, "box": inv.accept_box})
            store.mark_accept_delivered(inv.id)
        self.kick()
        return True

    def admit(self, peer_id: str) -> None:
        """The inviter confirmed: this pending connection is now an ordinary login."""
        self.pending, self.peer, self.caught_up = None, peer_id, False
        self.kick()

    def handle_join(self, frame: dict) -> None:
        if self.device:
            raise RelayError("challenge_used")
        invite = domain.text_field(frame, "invite")
        suite, sig_pub, dh_pub, sig = self.read_keys(frame)
        eph = domain.public_key_field(frame, "eph")
        box = domain.bytes_field(frame, "box", max_size=domain.MAX_PAIRING_BLOB)
        challenge = self.take_challenge()
        if not verify(sig_pub, sig, register_message(challenge, suite, sig_pub, dh_pub)):
            raise RelayError("bad_signature")
        device = derive_device_id(sig_pub, dh_pub, suite)
        now = int(time.time())
        payload = {"suite": suite, "sig_pub": b64u(sig_pub), "dh_pub": b64u(dh_pub),
                   "eph": b64u(eph), "box": b64u(box)}
        store.join(invite, device, payload, now, now + self.settings.invite_ttl_seconds,
                   lambda inv, count, exists: domain.check_join(inv, count, exists, now))
        inv = store.invite(invite)
        self.enter_pending(inv)
        self.tell(inv.creator, self.pair_request_frame(inv))
        self.kick()   # nothing to deliver yet; caught_up follows joined as it follows ready

    @staticmethod
    def pair_request_frame(inv) -> dict:
        return {"type": "pair_request", "invite": inv.id, "device": inv.joiner, **json.loads(inv.join_frame)}

    def handle_accept(self, frame: dict) -> None:
        self.require_login()
        invite_id = domain.text_field(frame, "invite")
        box = domain.bytes_field(frame, "box", max_size=domain.MAX_PAIRING_BLOB)
        inv, state = store.invite_with_state(invite_id, int(time.time()))
        domain.check_accept(inv, self.device, self.pair, state)
        store.set_accept_box(invite_id, b64u(box))
        self.send({"type": "accept_ok", "invite": invite_id})
        if self.tell(inv.joiner, {"type": "pair_accepted", "invite": invite_id, "box": b64u(box)}):
            store.mark_accept_delivered(invite_id)

    def handle_confirm(self, frame: dict) -> None:
        self.require_login()
        invite_id = domain.text_field(frame, "invite")
        now = int(time.time())
        joiner = store.confirm(invite_id, now, domain.coarse_hour(now),
                               lambda inv, state, count, elsewhere: domain.check_confirm(
                                   inv, self.device, self.pair, state, count, elsewhere))
        self.peer = joiner.id
        self.send({"type": "confirm_ok", "invite": invite_id, "peer": self.peer_frame(joiner)})
        for conn in self.hub.connections(joiner.id):
            if conn.pending == invite_id:
                conn.send({"type": "pair_confirmed", "invite": invite_id})
                conn.admit(self.device)

    def handle_cancel(self, frame: dict) -> None:
        invite_id = domain.text_field(frame, "invite")
        if self.pending:   # a pending joiner may call off its own pairing, and only that
            if invite_id != self.pending:
                raise RelayError("not_your_invite")
        else:
            self.require_login()
        inv = store.invite(invite_id)
        if not self.pending:
            domain.check_owner(inv, self.device, self.pair)
        joiner = store.cancel(invite_id, int(time.time()), lambda inv, state: domain.check_cancel(state))
        self.send({"type": "cancel_ok", "invite": invite_id})
        cancelled = {"type": "pair_cancelled", "invite": invite_id}
        if self.pending:
            self.tell(inv.creator, cancelled)
        elif joiner:
            self.tell(joiner, cancelled)

    # --- store and forward -----------------------------------------------------------------

    def handle_send(self, frame: dict) -> None:
        self.require_login()
        self.flush_sends([frame])

    def flush_sends(self, frames: list) -> None:
        if not frames:
            return
        items, valid = [], []
        for frame in frames:
            try:
                seq = domain.int_field(frame, "seq", 1)
                body = domain.bytes_field(frame, "body")
                domain.check_envelope(body, seq, self.epoch, self.settings.max_frame_bytes)
                resend = frame.get("resend", False)
                if not isinstance(resend, bool):
                    raise RelayError("bad_frame", "Field 'resend' must be true or false.")
            except RelayError as err:
                self.refuse(err, "send")
                continue
            items.append((seq, body, resend))
            valid.append(seq)
        if not items:
            return
        peer = self.current_peer()
        if peer is None:
            for _ in items:
                self.refuse(RelayError("no_peer"), "send")
            return
        try:
            results = store.store_envelopes(
                self.device, peer, self.pair, items, domain.coarse_hour(time.time()),
                lambda last, seq, size, totals, resend: domain.decide_send(last, seq, size, totals, self.quota, resend))
        except Exception:  # noqa: BLE001
            log.exception("failed to store envelopes")
            for _ in items:
                self.refuse(RelayError("internal"), "send")
            return
        stored = False
        for seq, result in zip(valid, results):
            if isinstance(result, RelayError):
                self.refuse(result, "send")
            elif isinstance(result, Exception):
                log.error("failed to store an envelope: %s", type(result).__name__)
                self.refuse(RelayError("internal"), "send")
            elif result == "dup":
                self.send({"type": "sent", "seq": seq, "cursor": None, "dup": True})
            else:
                stored = True
                self.send({"type": "sent", "seq": seq, "cursor": result})
        if stored:
            for conn in self.hub.connections(peer):
                conn.kick()

    def handle_receipt(self, frame: dict) -> None:
        self.require_login()
        body = domain.bytes_field(frame, "body", max_size=domain.MAX_RECEIPT)
        domain.check_receipt(body, self.epoch)
        store.set_receipt(self.device, body, domain.coarse_hour(time.time()))
        self.send({"type": "receipt_ok"})
        peer = self.current_peer()
        if peer:
            forwarded = {"type": "receipt", "body": b64u(body)}
            for conn in self.hub.connections(peer):
                conn.send(forwarded)

    def current_peer(self) -> str | None:
        if self.peer is None:  # the partner may have joined since this device logged in
            found = store.pair_of(self.device)
            self.peer = found[2].id if found and found[2] else None
        return self.peer

    def handle_ack(self, frame: dict) -> None:
        self.require_login()
        cursor = domain.int_field(frame, "cursor", 0)
        store.acknowledge(self.device, cursor)
        self.send({"type": "acked", "cursor": cursor})

    def handle_ping(self, frame: dict) -> None:
        self.send({"type": "pong"})

    # --- delivery --------------------------------------------------------------------------

    def kick(self) -> None:
        """Start a short-lived pump unless one runs; an idle socket owns no extra greenlet."""
        with self.pump_lock:
            if self.pumping:
                self.dirty = True
                return
            self.pumping, self.dirty = True, False
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self) -> None:
        try:
            while True:
                rows = store.pending_envelopes(self.device, self.delivered, DELIVERY_BATCH)
                if self.batch == 1:
                    for cursor, body in rows:
                        self.send({"type": "deliver", "cursor": cursor, "body": b64u(body)})
                        self.delivered = cursor
                else:
                    for chunk in domain.delivery_chunks(rows, self.batch, MAX_DELIVERIES_BYTES):
                        self.send({"type": "deliveries",
                                   "envelopes": [{"cursor": cursor, "body": b64u(body)} for cursor, body in chunk]})
                        self.delivered = chunk[-1][0]
                if len(rows) == DELIVERY_BATCH:
                    continue
                if not self.caught_up:
                    self.caught_up = True
                    self.send({"type": "caught_up"})
                with self.pump_lock:
                    if not self.dirty:
                        self.pumping = False
                        return
                    self.dirty = False
        except Exception as exc:  # noqa: BLE001 - a closed socket ends the pump quietly
            with self.pump_lock:
                self.pumping = False
            if type(exc).__name__ != "ConnectionClosed":
                log.exception("delivery stopped")

    def maybe_purge(self) -> None:
        now = time.time()
        if now - self.hub.last_purge < PURGE_EVERY:
            return
        self.hub.last_purge = now
        envelopes, invites = store.purge(int(now), self.settings.envelope_ttl_days * 86400, USED_INVITE_SECONDS)
        # Registering is free, so devices that never pair must not pile up forever.
        unpaired = store.expire_unpaired(int(now), self.settings.unpaired_ttl_hours, self.hub.devices())
        if envelopes or invites or unpaired:
            log.info("purged %d expired envelopes, %d old invites and %d devices that never paired",
                     envelopes, invites, unpaired)
