"""Moving to a new phone (protocol §11.4), the relay's part: a confirmed mover receives its
old phone's move stream, sends it receipts, and takes its place when the old phone retires.

Mixed into service.Relay, whose sessions, hub and store it uses as the other use cases do.
"""

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import MOVED, succession_message
from hearth.protocol.primitives import SIGNATURE_BYTES, verify

from . import domain, store
from .domain import RelayError


class Moving:
    def confirm_move(self, session, inv, now: int) -> None:
        """In confirm's transaction: hold the joiner as this device's mover (§11.4, step 1)."""
        store.confirm_move(inv.id, now, now + self.settings.envelope_ttl_days * 86400)

    def moving_confirmed(self, session, inv) -> None:
        """Answer a move's confirm; the waiting joiner becomes a mover (§11.4, step 1)."""
        with store.reading():
            inv = store.invite(inv.id)
            joiner_keys = store.joiner_keys(inv)
        peer = {"device": inv.joiner, **joiner_keys}
        session.link.send({"type": "confirm_ok", "invite": inv.id, "move": True,
                           "peer": {k: peer[k] for k in ("device", "suite", "sig_pub", "dh_pub")}})
        self.publish("pair_confirmed", inv.joiner, invite=inv.id)

    def enter_moving(self, session, inv, quiet: bool = False) -> None:
        """A confirmed mover's connection: it receives from the old device, epoch 0."""
        with store.reading():
            old = store.device(inv.creator)
        session.device, session.pair, session.epoch = inv.joiner, inv.pair_id, 0
        session.pending, session.peer, session.moving = None, inv.creator, inv.id
        session.caught_up = False
        self.hub.add(session)
        if old is not None and not quiet:
            session.link.send({"type": "ready", "device": inv.joiner, "pair": inv.pair_id, "epoch": 0,
                               "last_seq": 0, "move": True, "peer": domain.peer_frame(old)})

    def send_move(self, session, items: list) -> None:
        """The old device's move envelopes (epoch 0), for its mover; refused one by one as
        send_many refuses the pair's."""
        hour = domain.coarse_hour(self.now())

        def queue_move() -> tuple:
            store.lock_pair(session.pair)
            last = store.last_seq(session.device)
            refusal = self.standing(session, last is not None)
            inv = None if refusal else store.mover_invite(session.device)
            results = []
            if inv is not None:
                results, last_seq = self.queue(items, inv.move_seq or 0, session.pair, inv.joiner, hour)
                if last_seq != (inv.move_seq or 0):
                    store.set_move_seq(inv.id, last_seq)
            return refusal, inv, results

        refusal, inv, results = self.write(queue_move, key=session.pair)
        if refusal:
            self.refuse_and_close(session, refusal, "send")
            return
        if inv is None:
            for _ in items:
                session.link.refuse(RelayError("not_moving"), "send")
            return
        self.answer_sends(session, items, results, inv.joiner)

    def mover_receipt(self, session, body: bytes) -> None:
        """A mover's receipt is for its old device alone (§11.4, step 2)."""
        def keep() -> tuple:
            store.lock_pair(session.pair)
            inv = store.invite(session.moving)
            moving = inv is not None and inv.join_frame is not None
            moved_in = not moving and store.device(session.device) is not None
            if moving:
                store.set_receipt(session.device, body, domain.coarse_hour(self.now()))
            return inv, moving, moved_in

        inv, moving, moved_in = self.write(keep, key=session.pair)
        if moved_in:
            # The old phone retired while this receipt was on its way: the move is done, and
            # this connection logs in again as a device of the pair.
            self.end(session)
            return
        if not moving:
            self.refuse_and_close(session, RelayError("not_moving", "The move to this phone was called off."),
                                  "receipt")
            return
        session.link.send({"type": "receipt_ok"})
        self.publish("receipt", inv.creator, sender=session.device)

    def retire(self, session, frame: dict) -> None:
        """The old device hands its place to its mover (§11.4, step 3)."""
        self.require_login(session)
        sig = domain.bytes_field(frame, "succession", SIGNATURE_BYTES)
        with store.reading():
            inv = store.mover_invite(session.device)
            key = store.login_key(session.device)
            pair = store.pair_row(session.pair)
        if inv is None or key is None:
            raise RelayError("not_moving")
        keys = store.joiner_keys(inv)
        epoch = pair.epoch + 1
        message = succession_message(session.pair, epoch, MOVED, session.device, inv.joiner,
                                     unb64u(keys["sig_pub"]), unb64u(keys["dh_pub"]))
        if not verify(key, sig, message):
            raise RelayError("bad_signature")
        notice = {"type": "succession", "reason": MOVED, "old": session.device, "device": inv.joiner,
                  "suite": keys["suite"], "sig_pub": keys["sig_pub"], "dh_pub": keys["dh_pub"],
                  "epoch": epoch, "sig": b64u(sig)}

        def move_in() -> tuple:
            store.lock_pair(session.pair)
            refusal = self.standing(session, store.device(session.device) is not None)
            again = store.mover_invite(session.device)
            if refusal is None and (again is None or again.id != inv.id or store.pair_row(session.pair).epoch + 1 != epoch):
                refusal = RelayError("not_moving", "The move changed while it was being finished; start it again.")
            if refusal is not None:
                return refusal, None
            partner = store.the_other(session.pair, session.device)
            store.move_in(inv, domain.coarse_hour(self.now()), notice)
            return None, partner

        refusal, partner = self.write(move_in, key=session.pair)
        if refusal:
            self.refuse_and_close(session, refusal, "retire")
            return
        session.link.send({"type": "retire_ok", "device": inv.joiner, "epoch": epoch})
        self.end(session)
        self.publish("retired", session.device, skip=session)
        self.publish("log_in_again", inv.joiner)   # as a device of the pair, no more its mover
        if partner:
            self.publish("moved", partner.id, old=session.device)

    def move_notices_for(self, device: str, pair: str) -> list[dict]:
        with store.reading():
            return store.move_notices(pair, device)
