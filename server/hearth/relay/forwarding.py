"""Store and forward: envelopes into the queue through the group committer, and out to the
recipient's connections, live ones first.

An envelope that passed its checks and was written (not yet committed) is handed at once to
every connection of its recipient on this process that has caught up: it goes on the
session's `live` list and its pump sends it while the commit's disk sync runs. Its sender
hears `sent` only after the commit. Connections still catching up, and those of other
processes (told by news once committed), read the queue instead. Protocol §6 explains why
a relay that dies between the two loses nothing and makes no receiver apply anything twice.

Mixed into service.Relay, whose committer, hub, settings and sessions it uses.
"""

import logging

from hearth.protocol.encoding import b64u

from . import domain, store
from .committer import CommitFailed, SenderGone
from .domain import RelayError

log = logging.getLogger("hearth.relay")
DELIVERY_BATCH = 500            # envelopes read from storage at a time
MAX_DELIVERY_BATCH = 200        # envelopes in one "deliveries" frame...
MAX_DELIVERIES_BYTES = 1 << 20  # ...and about this many bytes of them, so a phone never chokes


class Forwarding:
    def send_to_peer(self, session, items: list) -> None:
        peer = self.current_peer(session)
        if peer is None:
            for _ in items:
                session.link.refuse(RelayError("no_peer"), "send")
            return
        hour = domain.coarse_hour(self.now())
        live = set()   # the recipient's sessions here that were handed the envelopes before the commit
        try:
            refusal, results = self.committer.run(
                lambda: self.store_envelopes(session, peer, items, hour),
                lambda outcome: self.forward_live(peer, items, outcome, live), key=session.pair,
                alive=session.link.alive)
        except SenderGone:
            return   # nothing stored, nobody to answer: the device sends them again
        except Exception as exc:  # noqa: BLE001
            if store.unavailable(exc) or isinstance(exc, CommitFailed):   # one line: a restart fails many at once
                log.warning("could not store envelopes: %s", store.describe(exc))
            else:
                log.exception("failed to store envelopes")
            for _ in items:
                session.link.refuse(RelayError("internal"), "send")
            return
        if refusal:
            self.refuse_and_close(session, refusal, "send")
            return
        self.answer_sends(session, items, results, peer, live)

    def forward_live(self, recipient: str, items: list, outcome: tuple, live: set) -> None:
        """Before the commit: the envelopes just written, to the recipient's caught-up sessions."""
        refusal, results = outcome
        stored = [(cursor, body) for (_, body, _), cursor in zip(items, results)
                  if isinstance(cursor, int) and not isinstance(cursor, bool)]
        if refusal or not stored:
            return
        for session in self.hub.sessions(recipient):
            if session.ended or not session.caught_up or session.stale:
                continue   # reads the queue once the news of the commit comes
            # Only right after what it was handed: an envelope committed by another process
            # and not yet heard of must not be overtaken (an ack of this cursor would delete it).
            if store.queued_between(recipient, max(session.delivered, session.handed), stored[0][0]):
                continue
            session.hand_live(stored)
            session.handed = stored[-1][0]
            live.add(session)
            session.pump.kick()

    def answer_sends(self, session, items: list, results: list, recipient: str, live=frozenset()) -> None:
        """One answer per send, in order; then news for the recipient's other connections."""
        stored, answers = 0, []
        for (seq, _, _), result in zip(items, results):
            if isinstance(result, RelayError):
                log.info("refused a frame: %s", result.code)
                answers.append(result.frame("send"))
            elif isinstance(result, Exception):
                log.error("failed to store an envelope: %s", type(result).__name__)
                answers.append(RelayError("internal").frame("send"))
            elif result == "dup":
                answers.append({"type": "sent", "seq": seq, "cursor": None, "dup": True})
            else:
                stored += 1
                answers.append({"type": "sent", "seq": seq, "cursor": result})
        session.link.send_all(answers)
        if stored:
            self.metrics.stored(stored)
            self.publish("envelopes", recipient, skip=live)

    def store_envelopes(self, session, peer: str, items: list, hour: int) -> tuple:
        """In the committer's transaction: (the refusal, []) if this connection may no longer
        send (see standing()); else (None, per item: its cursor, "dup", or the exception
        that refused it alone)."""
        pair, last_seq = store.send_state(session.pair, session.device)
        refusal = self.standing(session, last_seq is not None, pair)
        if refusal:
            return refusal, []
        results, _ = self.queue(items, last_seq, session.pair, peer, hour, [pair.queued, pair.queued_bytes],
                                device=session.device)
        return None, results

    def queue(self, items: list, last_seq: int, pair: str, recipient: str, hour: int,
              totals: list | None = None, device: str | None = None) -> tuple[list, int]:
        """Queue each (seq, body, resend) after `last_seq`, in the caller's transaction, and
        count what it queued into the pair's counters (and, with `device`, the device's
        stream's last seq). Returns, per item, its cursor, "dup", or the exception that
        refused it alone; and the stream's last seq after. `totals`: the pair's [envelopes,
        bytes], if already read."""
        results, rows, first_seq = [], [], last_seq
        totals = totals or store.queue_totals(pair)
        for seq, body, resend in items:
            try:
                verdict = domain.decide_send(last_seq, seq, len(body), totals, self.quota, resend)
            except Exception as exc:  # noqa: BLE001 - the caller turns it into an error frame
                results.append(exc)
                continue
            if verdict == "dup":
                results.append("dup")
                continue
            results.append(len(rows))   # where its cursor will be
            rows.append((seq, body))
            last_seq = max(last_seq, seq)  # a resend stores an older seq and moves nothing
            totals[0] += 1
            totals[1] += len(body)
        cursors = store.store_sends(pair, recipient, rows, hour, device if last_seq != first_seq else None,
                                    last_seq)
        return [cursors[r] if type(r) is int else r for r in results], last_seq

    def ack(self, session, frame: dict) -> None:
        """Acks ride in the group commit with the envelopes: after any they acknowledge. The
        connection does not wait for it, so a device's next send joins the same commit: an
        ack a crash undoes only brings envelopes again, which the device drops as repeats
        (§5.5). `acked` follows once it is committed.

        Acks are cumulative, so one that arrives while an earlier ack of this connection
        waits for its commit only raises the cursor written next: a connection has one task
        acknowledging at most. (A task per ack piled up by the thousand on a relay that fell
        behind, each holding its connection's memory: bench/load.py's relay grew 350%.)"""
        self.require_login(session, mover_too=True)
        cursor = domain.int_field(frame, "cursor", 0)
        if not self.committer.cooperative:   # threads: in the reader's, one ack after another
            session.acking = cursor
            self.acknowledge(session)
        elif session.acking is not None:
            session.acking = max(session.acking, cursor)
        else:
            session.acking = cursor
            self.spawn(lambda: self.acknowledge(session))

    def acknowledge(self, session) -> None:
        """Commit the session's ack, and any that raised its cursor meanwhile; then `acked`."""
        device, pair, upto = session.device, session.pair, None
        try:
            while upto != session.acking:
                upto = session.acking
                self.committer.run(lambda upto=upto: store.acknowledge(device, upto), key=pair)
                self.metrics.acked()
            session.acking = None   # nothing yields between the check and this: a later ack starts anew
            session.link.send({"type": "acked", "cursor": upto})
        except Exception as exc:  # noqa: BLE001 - its own task: nothing above it to tell
            session.acking = None
            if store.unavailable(exc) or isinstance(exc, CommitFailed):
                log.warning("could not take an ack: %s", store.describe(exc))
            elif type(exc).__name__ != "ConnectionClosed":
                log.exception("failed to take an ack")

    # --- delivery --------------------------------------------------------------------------

    def deliver(self, session) -> None:
        """Send the session every envelope queued for it after the last one it was sent, in
        cursor order, then caught_up the first time; then what was handed to it live. Runs
        in the session's pump."""
        if session.stale or not session.caught_up:
            session.stale = False
            self.deliver_queued(session)
            if not session.caught_up:
                session.caught_up = True
                session.link.send({"type": "caught_up"})
        while session.live and not session.ended:
            rows = []
            while session.live and len(rows) < session.batch:
                cursor, body = session.live.popleft()
                if cursor > session.delivered:   # the queue may have sent it already
                    rows.append((cursor, body))
            self.send_rows(session, rows)

    def deliver_queued(self, session) -> None:
        while not session.ended:   # a connection that closed takes nothing more
            with store.reading():
                rows = store.pending_envelopes(session.device, session.delivered, DELIVERY_BATCH)
            self.send_rows(session, rows)
            if len(rows) < DELIVERY_BATCH:
                break

    def send_rows(self, session, rows: list) -> None:
        self.metrics.delivered(len(rows))
        if session.batch == 1:
            for start in range(0, len(rows), MAX_DELIVERY_BATCH):   # written together, a frame each
                chunk = rows[start:start + MAX_DELIVERY_BATCH]
                session.link.send_all([{"type": "deliver", "cursor": cursor, "body": b64u(body)}
                                       for cursor, body in chunk])
                session.delivered = chunk[-1][0]
            return
        for chunk in domain.delivery_chunks(rows, session.batch, MAX_DELIVERIES_BYTES):
            session.link.send({"type": "deliveries",
                               "envelopes": [{"cursor": cursor, "body": b64u(body)} for cursor, body in chunk]})
            session.delivered = chunk[-1][0]
