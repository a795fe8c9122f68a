"""Joining a pair (protocol §4.2), the joiner's part: `join` through an invite, and the
pending joiner who waits between join and the inviter's confirm, logging in again to hear
how things stand. The inviter's steps are in pairing.py.

Mixed into service.Relay, whose sessions, hub, limits and store it uses as the other use
cases do.
"""

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import device_id as derive_device_id
from hearth.protocol.identity import login_message, register_message
from hearth.protocol.primitives import verify

from . import domain, store
from .domain import RelayError
from .pairing import invite_news


class Joining:
    # A joiner is pending until the inviter confirms (protocol §4.2): it gets `joined`, may
    # log in again to hear how things stand, and may cancel, but it is not in the pair.

    def login_pending(self, session, claimed: str, sig: bytes, challenge: bytes, batch: int) -> bool:
        with store.reading():
            inv = store.pending_joiner(claimed, self.now())
        if inv is None:
            return False
        if not verify(unb64u(store.joiner_keys(inv)["sig_pub"]), sig, login_message(challenge, claimed)):
            return False
        session.batch = batch
        if inv.confirmed_at is not None:
            self.enter_moving(session, inv)
            session.pump.kick()
            return True
        self.enter_pending(session, inv)
        # What the inviter did between the lookup above and this session joining the hub was
        # news that no session here heard (queries yield to other connections on PostgreSQL):
        # look again once it is in the hub, on its pump, after any news queued meanwhile.
        self.later(session, self.look_again, session, inv.id)
        return True

    def look_again(self, session, invite_id: str) -> None:
        """A pending joiner's pairing as it stands now: the inviter's box, then its confirm."""
        if session.pending != invite_id:
            return
        with store.reading():
            inv = store.invite(invite_id)
            admitted = inv is not None and store.joiner_admitted(inv)
        if inv is None:
            return
        if inv.accept_box is not None:
            self.send_accepted(session, {"type": "pair_accepted", "invite": inv.id, "box": inv.accept_box})
        if admitted:
            self.hear_pair_confirmed([session], {"invite": invite_id})

    def enter_pending(self, session, inv) -> str | None:
        """The joiner waits for its inviter; returns the device it would replace, if any."""
        with store.reading():
            pair, creator = store.pair_view(inv.pair_id, inv.creator)
            replaces = store.replaces(inv)
        # A replacement starts the pair's next epoch, so the joiner is told the one it will be in.
        epoch = pair.epoch + 1 if inv.kind == "replace" else pair.epoch
        session.device, session.pair, session.epoch, session.peer = inv.joiner, pair.id, epoch, None
        session.pending = inv.id
        self.hub.add(session)
        joined = {"type": "joined", "device": inv.joiner, "pair": pair.id, "epoch": epoch,
                  "pending": True, "peer": domain.peer_frame(creator), **invite_news(inv, replaces)}
        session.link.send(joined)
        return replaces

    def join(self, session, frame: dict) -> None:
        if session.device:
            raise RelayError("challenge_used")
        invite_id = domain.text_field(frame, "invite")
        suite, sig_pub, dh_pub, sig = domain.read_keys(frame)
        eph = domain.public_key_field(frame, "eph")
        box = domain.bytes_field(frame, "box", max_size=domain.MAX_PAIRING_BLOB)
        challenge = self.take_challenge(session)
        if not verify(sig_pub, sig, register_message(challenge, suite, sig_pub, dh_pub)):
            raise RelayError("bad_signature")
        device = derive_device_id(sig_pub, dh_pub, suite)
        now = self.now()
        payload = {"suite": suite, "sig_pub": b64u(sig_pub), "dh_pub": b64u(dh_pub),
                   "eph": b64u(eph), "box": b64u(box)}
        with store.reading():   # an invite's pair never changes: its row is the one to lock
            found = store.invite(invite_id)
        pair = found.pair_id if found else ""

        def claim():
            if pair:
                store.lock_pair(pair)
            inv = store.invite(invite_id)
            count = store.devices_in_pair(inv.pair_id) if inv else 0
            domain.check_join(inv, count, store.known(device), now)
            # Two joiners at once: the loser's conditional write changes nothing, its check now
            # refuses, and its transaction rolls back.
            if not store.claim_invite(invite_id, device, payload, now, now + self.settings.invite_ttl_seconds):
                domain.check_join(store.invite(invite_id), count, False, now)
                raise RuntimeError("join lost a race the check did not explain")
            return store.invite(invite_id)

        inv = self.write(claim, key=pair)
        self.enter_pending(session, inv)
        self.publish("pair_request", inv.creator, invite=inv.id)
        session.pump.kick()   # nothing to deliver yet; caught_up follows joined as it follows ready
