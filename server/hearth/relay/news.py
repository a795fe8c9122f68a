"""News for a device, heard by whichever relay process it is connected to.

A use case that changes what another device must hear or do (an envelope waiting, a step of
pairing, a receipt, the end of the pair, a retirement, a move) publishes news once its
transaction has committed: a kind, the device it is for, and the ids it concerns, nothing
else. This process hears it at once; on PostgreSQL every other relay process on the
database hears it too (shared.Bus). Hearing reads what the ids name from the database, the
same way in every process, and queues what each of the device's sessions here must be told,
or must do, on the session's pump, in order with its deliveries.

Mixed into service.Relay, whose hub, sessions and store it uses.
"""

import logging

from hearth.protocol.encoding import b64u

from . import domain, store
from .pairing import pair_request_frame

log = logging.getLogger("hearth.relay")


class News:
    def publish(self, kind: str, device: str, skip=None, **ids) -> None:
        """News of `kind` for `device`, with the ids it concerns; `skip`, a session (or a set
        of them) of this process that the use case itself has answered."""
        news = {"kind": kind, "device": device, **ids}
        if self.bus is not None:
            self.bus.publish(news)
        self.hear(news, skip)

    def publish_all(self, kind: str, devices) -> None:
        """The same news for each of `devices`, told to the other processes at once."""
        news = [{"kind": kind, "device": device} for device in sorted(devices)]
        if self.bus is not None and news:
            self.bus.publish(*news)
        for item in news:
            self.hear(item)

    def hear(self, news: dict, skip=None) -> None:
        """Act on news for this process's sessions of its device, from this process or another."""
        skips = skip if isinstance(skip, (set, frozenset)) else {skip}
        sessions = [s for s in self.hub.sessions(news.get("device")) if s not in skips and not s.ended]
        if not sessions:
            return
        hearing = getattr(self, f"hear_{news.get('kind')}", None)
        if hearing is None:
            log.warning("news of an unknown kind: %s", news.get("kind"))
            return
        hearing(sessions, news)

    def later(self, session, step, *args) -> None:
        """Run step(*args) on the session's pump, before its next deliveries."""
        session.queue_news(step, args)
        session.pump.kick()

    def rejoined(self) -> None:
        """Listening again after the database was away: news published meanwhile was missed,
        so every session here looks for envelopes again (the rest comes at its next login)."""
        for device in self.hub.devices():
            for session in self.hub.sessions(device):
                session.stale = True
                session.pump.kick()

    # --- one method per kind: what the device's sessions here hear ---------------------------

    def hear_envelopes(self, sessions, news) -> None:
        """Envelopes were queued for the device, and committed: its sessions read the queue."""
        for session in sessions:
            session.stale = True
            session.pump.kick()

    def hear_pair_request(self, sessions, news) -> None:
        """A joiner joined through the device's invite (§4.2)."""
        with store.reading():
            inv = store.invite(news["invite"])
            if inv is None or inv.join_frame is None:   # called off meanwhile
                return
            frame = pair_request_frame(inv, store.replaces(inv))
        for session in sessions:
            self.later(session, session.link.send, frame)

    def hear_pair_accepted(self, sessions, news) -> None:
        """The inviter accepted this joiner (§4.3); once it is sent, the relay need not keep it."""
        with store.reading():
            inv = store.invite(news["invite"])
        if inv is None or inv.accept_box is None:
            return
        frame = {"type": "pair_accepted", "invite": inv.id, "box": inv.accept_box}
        for session in sessions:
            self.later(session, self.send_accepted, session, frame)

    def send_accepted(self, session, frame: dict) -> None:
        """Once per connection: news and a login's own look may both find it."""
        if session.told_accepted == frame["invite"]:
            return
        session.told_accepted = frame["invite"]
        session.link.send(frame)
        self.accept_delivered(frame["invite"], session.pair)   # a joiner's pair is its inviter's

    def hear_pair_confirmed(self, sessions, news) -> None:
        """The inviter confirmed: the joiner's pending sessions become a device of the pair, or
        its mover (§4.5, 11.3, 11.4)."""
        with store.reading():
            inv = store.invite(news["invite"])
            if inv is None:
                return
            frame = {"type": "pair_confirmed", "invite": inv.id}
            if inv.kind == "move":
                frame["move"] = True
            elif inv.kind == "replace":
                replaced = store.predecessor(inv.joiner)
                if replaced:
                    frame.update(replaced=replaced, epoch=store.pair_row(inv.pair_id).epoch)
        for session in sessions:
            self.later(session, self.confirmed, session, inv, frame)

    def confirmed(self, session, inv, frame: dict) -> None:
        if session.pending != inv.id:
            return
        session.link.send(frame)
        if inv.kind == "move":
            self.hub.remove(session)
            self.enter_moving(session, inv, quiet=True)
            session.pump.kick()
        else:
            self.admit(session, inv.creator)

    def hear_pair_cancelled(self, sessions, news) -> None:
        """The other side called the pairing off, or its code was replaced by a newer one."""
        frame = {"type": "pair_cancelled", "invite": news["invite"]}
        for session in sessions:
            self.later(session, session.link.send, frame)

    def hear_receipt(self, sessions, news) -> None:
        """The partner (or, for a device moving away, its mover) sent a receipt (§5.6)."""
        with store.reading():
            body = store.receipt_of(news["sender"])
        if body is None:
            return
        frame = {"type": "receipt", "body": b64u(body)}
        for session in sessions:
            self.later(session, session.link.send, frame)

    def hear_unpaired(self, sessions, news) -> None:
        """The partner ended the pair (§11.2): told, with the signed notice, and closed."""
        with store.reading():
            ended = store.pair_ended(news["pair"])
        if ended is None:
            return
        for session in sessions:
            self.later(session, self.tell_and_close, session, {"type": "unpaired", **ended})

    def tell_and_close(self, session, frame: dict) -> None:
        session.link.send(frame)
        self.end(session)

    def hear_retired(self, sessions, news) -> None:
        """The device was replaced or moved (§11.3, 11.4): told so, and closed."""
        with store.reading():
            gone = store.retired(news["device"])
        for session in sessions:
            if gone is None:
                self.later(session, self.end, session)
            else:
                self.later(session, self.refuse_and_close, session, domain.retired_error(gone), None)

    def hear_log_in_again(self, sessions, news) -> None:
        """What the device's connections hold (its epoch, its place) changed: they close, and
        the device logs in again to hear how things now stand."""
        for session in sessions:
            self.later(session, self.end, session)

    def hear_moved(self, sessions, news) -> None:
        """The partner moved to a new phone (§11.4): the succession notice, and the new epoch
        and peer for what this connection sends from now on."""
        with store.reading():
            gone = store.retired(news["old"])
        notice = store.json_notice(gone) if gone else None
        if notice is None:
            return
        for session in sessions:
            self.later(session, self.take_notice, session, notice)

    def take_notice(self, session, notice: dict) -> None:
        session.epoch, session.peer = notice["epoch"], notice["device"]
        session.link.send(notice)
