"""The relay's use cases, one method each: register, log in, send (and resend), receipt,
acknowledge, deliver, unpair and purge here; invite, join, accept, confirm and cancel in
pairing.py; moving to a new phone and retiring in moving.py; what other devices hear of
them, on this relay process or another, in news.py. Relay is all of them.

Each one reads a frame a device sent, asks domain.py's rules, does its work in one
transaction of its own (store.py), and answers through the session's link. It knows no
websocket, no Flask and no thread: the transport hands each session a link, with
`send(frame)` for one frame to that connection and `refuse(error, in_type)` for one error
frame, and hands the relay `spawn(fn)`, which runs fn in a task of its own (deliveries do).
Frames go out only after the transaction has ended, so no socket waits with a database
connection held. ws.py carries frames between sockets and these methods.

Relay processes on one PostgreSQL database act as one relay (shared.py): what one use case
does for another device's connections goes out as news, and rate limits are kept in the
database. The rows themselves are the truth; each process holds only its own sessions.
"""

import collections
import logging
import os
import time

from hearth.protocol.encoding import b64u
from hearth.protocol.identity import device_id as derive_device_id
from hearth.protocol.identity import login_message, register_message, unpair_message
from hearth.protocol.primitives import SIGNATURE_BYTES, new_private_key, public_raw, verify

from . import domain, shared, store
from .committer import Committer
from .domain import RelayError
from .forwarding import MAX_DELIVERY_BATCH, Forwarding
from .hub import Hub
from .metrics import open_metrics
from .moving import Moving
from .news import News
from .pairing import Pairing, pair_request_frame
from .pump import Pump

log = logging.getLogger("hearth.relay")
PURGE_EVERY = 600
# The relay keeps a used invite a while so a joiner who was offline still gets pair_accepted.
USED_INVITE_SECONDS = 7 * 86400
# An unknown device's login is checked against this key, whose private half nobody keeps,
# so it costs what a known device's does and the answer's timing does not reveal which ids exist.
DECOY_SIG_PUB = public_raw(new_private_key())


def login_verifies(key: bytes | None, sig: bytes, message: bytes) -> bool:
    """Does `sig` log in the device whose signing key is `key` (None: no such device)?
    Either way one signature is checked, so both answers take the same time."""
    valid = verify(key if key is not None else DECOY_SIG_PUB, sig, message)
    return valid and key is not None


class Clock:
    """The only time the use cases read: wall seconds, for what is stored and for rate limits,
    which relay processes (on other hosts, perhaps) share. Tests move a clock of their own
    instead of sleeping."""

    def time(self) -> float:
        return time.time()


class Session:
    """One connection, as the use cases see it: who it is once logged in, its challenge,
    and what has been delivered to it."""

    def __init__(self, link, address: str, pump: Pump | None = None):
        self.link, self.address = link, address
        self.challenge = os.urandom(32)
        self.challenge_used = False
        self.device = self.pair = self.peer = None
        self.pending = None     # the invite a pending joiner waits on; such a login is not a login
        self.moving = None      # the move invite a confirmed mover receives through (§11.4)
        self.told_accepted = None   # the invite whose pair_accepted this connection was sent
        self.epoch = 0
        self.delivered = 0      # the cursor of the last envelope sent to this connection
        self.live = collections.deque()   # (cursor, body) handed over before their commit (forwarding.py)
        self.stale = False      # the queue may hold envelopes this connection was not handed live
        self.handed = 0         # the cursor of the last envelope handed to it live
        self.batch = 1          # envelopes per delivery frame; a device may ask for more at login
        self.caught_up = False
        self.pump = pump
        self.news = collections.deque()   # (step, args) for the pump to run before delivering (news.py)
        self.ended = False      # closed, or closing: it hears nothing more
        self.closed = False     # the transport let go of it


LIMITS = {"login": ("login_rate_per_minute", 60), "invite": ("invite_rate_per_hour", 3600)}


class Relay(Forwarding, Pairing, Moving, News):
    def __init__(self, settings, spawn=None, clock: Clock | None = None):
        """`spawn(fn)` runs fn in a new task; only serving sessions needs it (the CLI's purge
        does not). Needs the store bound: on PostgreSQL the rate limits are the database's."""
        self.settings, self.spawn, self.clock = settings, spawn, clock or Clock()
        self.hub = Hub()
        self.bus = None   # join_others() sets it, in a serving process on PostgreSQL
        postgres = store.dialect() == "postgresql"
        self.limits = {name: shared.SharedRateLimiter(name, settings[setting], per) if postgres
                       else domain.RateLimiter(settings[setting], per) for name, (setting, per) in LIMITS.items()}
        self.quota = domain.Quota(settings.quota_envelopes, settings.quota_bytes)
        self.metrics = open_metrics(settings)
        self.committer = Committer(observe=self.metrics.committed)
        self.last_purge = 0.0

    def write(self, work, key: str = ""):
        """work()'s result once what it wrote is committed, or its exception: every write of
        a use case joins the envelopes' group commit (committer.py), so none waits for the
        disk on the event loop. `key`: the pair whose row work() locks first (store.lock_pair),
        and the only pair it may lock, so that groups lock pairs in one order."""
        return self.committer.run(work, key=key)

    def join_others(self) -> None:
        """Hear, and be heard by, the other relay processes on this PostgreSQL database."""
        self.bus = shared.Bus(store.db.obj, self.hear, self.rejoined)
        self.spawn(self.bus.listen)

    # --- sessions --------------------------------------------------------------------------

    def open_session(self, link, address: str) -> Session:
        session = Session(link, address)
        self.metrics.connection_opened()
        session.pump = Pump(lambda: self.pump_step(session), self.spawn)
        return session

    def pump_step(self, session: Session) -> None:
        """What a session's pump does each time it is kicked: the news queued for it, then
        the envelopes waiting for it."""
        try:
            while session.news and not session.ended:
                step, args = session.news.popleft()
                step(*args)
            if not session.ended:
                self.deliver(session)
        except Exception as exc:
            if type(exc).__name__ == "ConnectionClosed":
                raise
            self.delivery_failed(session, exc)

    def delivery_failed(self, session: Session, exc: Exception) -> None:
        """The database failed a delivery (restarting, or no pooled connection free in time).
        What the session was owed is still queued, but nothing would kick its pump again
        until more news came for it, and a device whose partner had stopped sending would
        wait forever. Closed, the device logs in again and reads the queue afresh."""
        log.warning("a delivery failed (%s); closing the connection so the device logs in again",
                    type(exc).__name__)
        session.stale = True
        self.end(session)

    def hello(self, session: Session) -> None:
        """The first frame of every connection: its own single-use challenge (§3)."""
        session.link.send({"type": "challenge", "v": 1, "challenge": b64u(session.challenge)})

    def close_session(self, session: Session) -> None:
        if not session.closed:   # once, however many ways a connection ends
            session.closed = True
            self.metrics.connection_closed()
        session.ended = True
        if session.device:
            self.hub.remove(session)

    def end(self, session: Session) -> None:
        """Close the connection once what was sent to it has gone."""
        session.ended = True
        session.link.end()

    def now(self) -> int:
        return int(self.clock.time())

    def require_login(self, session: Session, mover_too: bool = False) -> None:
        """A device of a pair is logged in; a mover (§11.4) only for what `mover_too` allows."""
        if not session.device:
            raise RelayError("not_logged_in")
        if session.pending:
            raise RelayError("not_logged_in", "This device joins its pair only once the inviter confirms.")
        if session.moving and not mover_too:
            raise RelayError("not_logged_in", "A phone receiving a move only receives, until it takes its place.")

    def take_challenge(self, session: Session) -> bytes:
        if session.challenge_used:
            raise RelayError("challenge_used")
        retry = self.limits["login"].hit(session.address, self.clock.time())
        if retry:
            raise RelayError("rate_limited", retry_after=retry)
        session.challenge_used = True
        return session.challenge

    def logged_in(self, session: Session, device: str, found=None):
        """Log the session in as `device`; `found` is its store.pair_of(), if already read."""
        if found is None:
            with store.reading():
                found = store.pair_of(device)
        me, pair, peer = found
        session.device, session.pair, session.epoch = me.id, pair.id, pair.epoch
        session.peer = peer.id if peer else None
        self.hub.add(session)
        self.maybe_purge()
        return me, pair, peer

    def current_peer(self, session: Session) -> str | None:
        if session.peer is None:  # the partner may have joined since this device logged in
            with store.reading():
                found = store.pair_of(session.device)
            session.peer = found[2].id if found and found[2] else None
        return session.peer

    # --- registering and logging in -------------------------------------------------------

    def register(self, session: Session, frame: dict) -> None:
        suite, sig_pub, dh_pub, sig = domain.read_keys(frame)
        challenge = self.take_challenge(session)
        if not verify(sig_pub, sig, register_message(challenge, suite, sig_pub, dh_pub)):
            raise RelayError("bad_signature")
        device = derive_device_id(sig_pub, dh_pub, suite)
        pair = b64u(os.urandom(16))

        def create() -> None:
            if store.known(device):
                raise RelayError("device_exists")
            store.create_pair_with_device(pair, device, suite, sig_pub, dh_pub, domain.coarse_hour(self.now()))

        self.write(create)   # a new pair: no row of another to lock
        self.logged_in(session, device)
        session.link.send({"type": "registered", "device": device, "pair": pair, "epoch": session.epoch})

    def login(self, session: Session, frame: dict) -> None:
        claimed = domain.text_field(frame, "device")
        sig = domain.bytes_field(frame, "sig", SIGNATURE_BYTES)
        batch = domain.int_field(frame, "batch", 1, MAX_DELIVERY_BATCH) if "batch" in frame else 1
        challenge = self.take_challenge(session)
        with store.reading():
            key = store.login_key(claimed)
        if key is None and self.login_pending(session, claimed, sig, challenge, batch):
            return
        gone = None
        if key is None:   # a retired device proves who it is before it is told so
            with store.reading():
                gone = store.retired(claimed)
            key = bytes(gone.sig_pub) if gone else None
        # An unknown device and a bad signature must look the same from outside, in time too.
        if not login_verifies(key, sig, login_message(challenge, claimed)):
            raise RelayError("login_failed")
        if gone:
            self.refuse_and_close(session, domain.retired_error(gone), "login")
            return
        with store.reading():
            found = store.pair_of(claimed)
        ended = store.end_notice(found[1])
        if ended:
            self.refuse_and_close(session, RelayError("unpaired", **ended), "login")
            return
        me, pair, peer = self.logged_in(session, claimed, found)
        session.batch = batch
        with store.reading():
            receipt = store.receipt_of(peer.id) if peer else None
            requests, accepted = store.pending_pairing(me.id, pair.id, self.now())
            requests = [(inv, store.replaces(inv)) for inv in requests]
            mover = store.mover_invite(me.id)
            mover_receipt = store.receipt_of(mover.joiner) if mover else None
            moves = store.move_notices(pair.id, me.id)
        ready = {"type": "ready", "device": me.id, "pair": pair.id, "epoch": pair.epoch,
                 "last_seq": me.last_seq, "peer": domain.peer_frame(peer)}
        if mover:   # a move under way goes on after a lost confirm_ok or a closed tab (§11.4)
            ready["mover"] = {"invite": mover.id, "device": mover.joiner,
                              **{k: store.joiner_keys(mover)[k] for k in ("suite", "sig_pub", "dh_pub")}}
        session.link.send(ready)
        # The partner's moves first, so the device knows its peer's keys before anything else.
        for notice in moves:
            session.link.send(notice)
        # Before any envelope, so the device can tell at caught_up what was withheld (§5.6).
        for body in (receipt, mover_receipt):
            if body:
                session.link.send({"type": "receipt", "body": b64u(body)})
        for inv, replaces in requests:
            session.link.send(pair_request_frame(inv, replaces))
        for inv in accepted:
            session.link.send({"type": "pair_accepted", "invite": inv.id, "box": inv.accept_box})
            self.accept_delivered(inv.id, pair.id)
        session.pump.kick()

    # --- store and forward -----------------------------------------------------------------

    def send(self, session: Session, frame: dict) -> None:
        self.send_many(session, [frame])

    def send_many(self, session: Session, frames: list) -> None:
        """Store a burst of `send` frames from one device in one transaction (one disk sync
        for the lot), answering each in order; then deliver to the partner's connections.
        Envelopes of epoch 0 are a move stream, for this device's mover (§11.4)."""
        if not frames:
            return
        try:   # the websocket layer gathers a burst of sends without asking who sent them
            self.require_login(session)
        except RelayError as err:
            for _ in frames:
                session.link.refuse(err, "send")
            return
        items, moves = [], []
        for frame in frames:
            try:
                seq = domain.int_field(frame, "seq", 1)
                body = domain.bytes_field(frame, "body")
                moving = domain.envelope_epoch(body) == 0
                domain.check_envelope(body, seq, 0 if moving else session.epoch, self.settings.max_frame_bytes)
                resend = frame.get("resend", False)
                if not isinstance(resend, bool):
                    raise RelayError("bad_frame", "Field 'resend' must be true or false.")
            except RelayError as err:
                session.link.refuse(err, "send")
                continue
            (moves if moving else items).append((seq, body, resend))
        if moves:
            self.send_move(session, moves)
        if items:
            self.send_to_peer(session, items)

    def standing(self, session: Session, still_a_device: bool) -> RelayError | None:
        """Why this connection may no longer send or store anything, found inside the
        transaction that would: its pair ended, it was retired, or its pair's keys changed,
        on any worker. None if it may."""
        pair = store.pair_row(session.pair)
        ended = store.end_notice(pair) if pair else None
        if ended:
            return RelayError("unpaired", **ended)
        if not still_a_device:
            gone = store.retired(session.device)
            return domain.retired_error(gone) if gone else RelayError("login_failed")
        if pair.epoch != session.epoch:
            return RelayError("bad_envelope", "This pair's keys have changed since this connection logged in; "
                                              "log in again.")
        return None

    def receipt(self, session: Session, frame: dict) -> None:
        self.require_login(session, mover_too=True)
        body = domain.bytes_field(frame, "body", max_size=domain.MAX_RECEIPT)
        domain.check_receipt(body, session.epoch)
        if session.moving:
            self.mover_receipt(session, body)
            return
        def keep() -> RelayError | None:
            store.lock_pair(session.pair)
            refusal = self.standing(session, store.device(session.device) is not None)
            if not refusal:
                store.set_receipt(session.device, body, domain.coarse_hour(self.now()))
            return refusal

        refusal = self.write(keep, key=session.pair)
        if refusal:
            self.refuse_and_close(session, refusal, "receipt")
            return
        session.link.send({"type": "receipt_ok"})
        peer = self.current_peer(session)
        if peer:
            self.publish("receipt", peer, sender=session.device)

    # --- ending the pairing (protocol §11.2) -------------------------------------------------

    def unpair(self, session: Session, frame: dict) -> None:
        self.require_login(session)
        at = domain.int_field(frame, "at", 0, 2**63 - 1)
        sig = domain.bytes_field(frame, "sig", SIGNATURE_BYTES)
        if abs(at - self.now()) > domain.CLOCK_SLACK_SECONDS:
            raise RelayError("bad_frame", "Field 'at' must be within a day of the relay's clock.")
        peer = self.current_peer(session)
        if peer is None:
            raise RelayError("not_paired")
        with store.reading():
            key = store.login_key(session.device)
        if not verify(key, sig, unpair_message(session.pair, session.epoch, session.device, at)):
            raise RelayError("bad_signature")
        def end_pair() -> dict:
            store.lock_pair(session.pair)   # both ending it at once: the first one's notice stands
            ended = store.pair_ended(session.pair)
            if ended is None:   # a repeat, lost answer and all, is answered as the first was
                store.end_pair(session.pair, session.device, at, sig, domain.coarse_hour(self.now()))
                ended = store.pair_ended(session.pair)
            return ended

        ended = self.write(end_pair, key=session.pair)
        log.info("a pair ended")
        session.link.send({"type": "unpair_ok", "at": ended["at"]})
        self.publish("unpaired", peer, pair=session.pair)
        self.end(session)

    def refuse_and_close(self, session: Session, err: RelayError, in_type: str | None) -> None:
        """One error frame, then the connection closes: for what no retry on it can mend."""
        session.link.refuse(err, in_type)
        self.end(session)

    # --- purge -----------------------------------------------------------------------------

    def maybe_purge(self) -> None:
        """Purge at a login, at most every PURGE_EVERY seconds per process, and never in two
        processes at once."""
        now = self.clock.time()
        if now - self.last_purge < PURGE_EVERY:
            return
        self.last_purge = now
        envelopes, invites, unpaired = self.purge(keep=self.hub.devices())
        if envelopes or invites or unpaired:
            log.info("purged %d expired envelopes, %d old invites and %d devices that never paired",
                     envelopes, invites, unpaired)

    def purge(self, keep: set = frozenset()) -> tuple[int, int, int]:
        """Delete expired envelopes and old invites, and devices that never paired (with
        their pairs) but those in `keep`, connected to this process now. Returns how many of
        each went; all nought if another relay process is purging."""
        with store.only_one("purge") as mine:
            return self.purge_now(keep) if mine else (0, 0, 0)

    def purge_now(self, keep: set) -> tuple[int, int, int]:
        # Its own transactions, outside the group commit: it runs at most every PURGE_EVERY
        # seconds per process, and may delete many rows a group should not wait behind.
        now = self.now()
        with store.transaction():
            store.forget_buckets(self.clock.time() - max(per for _, per in LIMITS.values()))
            envelopes, invites = store.purge(now, self.settings.envelope_ttl_days * 86400, USED_INVITE_SECONDS)
            store.delete_ended(now, self.settings.envelope_ttl_days * 86400)
            store.delete_retired(now, self.settings.envelope_ttl_days * 86400)
        # Registering is free, so devices that never pair must not pile up forever.
        hours = self.settings.unpaired_ttl_hours
        with store.reading():
            found = [row for row in store.never_paired(now, hours) if row[0] not in keep]
        unpaired = 0
        for start in range(0, len(found), 500):
            batch = [device for device, _ in found[start:start + 500]]
            with store.transaction():
                unpaired += store.delete_never_paired(found[start:start + 500], now, hours)
                gone = set(batch) - store.devices_among(batch)
            # Connected to another process, it was not kept as one connected here is: its
            # connections close, and its next login is told it is unknown (it registers again).
            self.publish_all("log_in_again", gone)
        return envelopes, invites, unpaired
