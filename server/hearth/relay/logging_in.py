"""Registering and logging in (protocol §3), the relay's part: the single-use challenge, its
rate limit, a login's signature checked the same way whether or not the device exists, and
what a device is owed when it logs in (its partner's moves and receipt, pairing steps).

Mixed into service.Relay, whose sessions, hub, limits and store it uses.
"""

import os

from hearth.protocol.encoding import b64u
from hearth.protocol.identity import device_id as derive_device_id
from hearth.protocol.identity import login_message, register_message
from hearth.protocol.primitives import SIGNATURE_BYTES, new_private_key, public_raw, verify

from . import admission, domain, store
from .domain import RelayError
from .forwarding import MAX_DELIVERY_BATCH
from .pairing import pair_request_frame
from .sessions import Session

# An unknown device's login is checked against this key, whose private half nobody keeps,
# so it costs what a known device's does and the answer's timing does not reveal which ids exist.
DECOY_SIG_PUB = public_raw(new_private_key())


def login_verifies(key: bytes | None, sig: bytes, message: bytes) -> bool:
    """Does `sig` log in the device whose signing key is `key` (None: no such device)?
    Either way one signature is checked, so both answers take the same time."""
    valid = verify(key if key is not None else DECOY_SIG_PUB, sig, message)
    return valid and key is not None


class LoggingIn:
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
        """At most so many logins at once (admission.py); one whose turn does not come in time
        is told to come back later, and its connection closes. A login that went through
        keeps its turn until its pump's first catch-up."""
        busy = self.login_gate.wait_turn()
        if busy:
            self.refuse_and_close(session, busy, "login")
            return
        session.turn, logged_in = self.login_gate, False
        try:
            logged_in = self.log_in(session, frame)
        finally:
            if not logged_in:
                admission.give_back(session)

    def log_in(self, session: Session, frame: dict) -> bool:
        """True once the device is logged in and its pump kicked."""
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
        return True
