"""The relay's use cases, one method each, gathered in Relay: sessions, sending (and
resending) and receipts here; registering and logging in in logging_in.py; storing,
forwarding, acknowledging and delivering envelopes in forwarding.py; invite, accept, confirm
and cancel in pairing.py, and joining through an invite in joining.py; moving to a new phone
and retiring in moving.py; unpair and purge in ending.py; what other devices hear of them,
on this relay process or another, in news.py.

Each one reads a frame a device sent, asks domain.py's rules, does its work in one
transaction (its writes in the group commit, committer.py; store.py's queries), and answers
through the session's link. It knows no websocket, no Flask and no thread: the transport
hands each session a link, with `send(frame)` for one frame to that connection and
`refuse(error, in_type)` for one error frame, and hands the relay `spawn(fn)`, which runs fn
in a task of its own (deliveries do). Frames go out only after the transaction has ended,
so no socket waits with a database connection held. ws.py carries frames between sockets
and these methods.

Relay processes on one PostgreSQL database act as one relay (shared.py): what one use case
does for another device's connections goes out as news, and rate limits are kept in the
database. The rows themselves are the truth; each process holds only its own sessions.
"""

import logging

from hearth.protocol.encoding import b64u

from . import admission, domain, shared, store
from .admission import LoginGate
from .committer import Committer
from .domain import RelayError
from .ending import Ending
from .forwarding import Forwarding
from .hub import Hub
from .joining import Joining
from .logging_in import LoggingIn
from .metrics import open_metrics
from .moving import Moving
from .news import News
from .pairing import Pairing
from .pump import Pump
from .sessions import Clock, Session

log = logging.getLogger("hearth.relay")
LIMITS = {"login": ("login_rate_per_minute", 60), "invite": ("invite_rate_per_hour", 3600)}


class Relay(LoggingIn, Forwarding, Pairing, Joining, Moving, News, Ending):
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
        # Half the process's database connections for logins: the other half keeps
        # deliveries and the group commit going while a crowd logs in.
        self.login_gate = LoginGate(max(1, (settings.get("database_pool", 10) if postgres else 16) // 2))
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
        finally:
            admission.give_back(session)   # its login's turn ends with its first catch-up

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
        admission.give_back(session)
        if session.device:
            self.hub.remove(session)

    def end(self, session: Session) -> None:
        """Close the connection once what was sent to it has gone."""
        session.ended = True
        session.link.end()

    def now(self) -> int:
        return int(self.clock.time())

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

    def standing(self, session: Session, still_a_device: bool, pair=None) -> RelayError | None:
        """Why this connection may no longer send or store anything, found inside the
        transaction that would: its pair ended, it was retired, or its pair's keys changed,
        on any worker. None if it may. `pair`: its row (store.send_state), if already read."""
        pair = pair or store.pair_row(session.pair)
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

    def refuse_and_close(self, session: Session, err: RelayError, in_type: str | None) -> None:
        """One error frame, then the connection closes: for what no retry on it can mend."""
        session.link.refuse(err, in_type)
        self.end(session)
