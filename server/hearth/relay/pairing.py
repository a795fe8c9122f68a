"""Pairing (protocol §4) and replacing a lost phone (§11.3), the relay's part: invite,
join, accept, confirm and cancel, and the pending joiner who waits between join and confirm.

Mixed into service.Relay, whose sessions, hub, limits and store it uses as the other use
cases do.
"""

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import device_id as derive_device_id
from hearth.protocol.identity import login_message, register_message
from hearth.protocol.primitives import verify

from . import domain, store
from .domain import RelayError


def invite_news(inv, replaces: str | None) -> dict:
    """What joined and pair_request add for a replacement or a move (§11.3, 11.4)."""
    if inv.kind == "move":
        return {"move": True}
    return {"replaces": replaces} if replaces else {}


def pair_request_frame(inv, replaces: str | None = None) -> dict:
    """The joiner, for its inviter to check; `replaces` names the phone it would take the
    place of (§11.3)."""
    return {"type": "pair_request", "invite": inv.id, "device": inv.joiner, **store.joiner_keys(inv),
            **invite_news(inv, replaces)}


class Pairing:
    def accept_delivered(self, invite_id: str, pair: str) -> None:
        """The joiner was sent the inviter's box: the relay need not keep it for a later login."""
        def mark() -> None:
            store.lock_pair(pair)
            store.mark_accept_delivered(invite_id)

        self.write(mark, key=pair)

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

    def invite(self, session, frame: dict) -> None:
        self.require_login(session)
        invite = domain.text_field(frame, "invite")
        domain.bytes_field(frame, "invite", 16)
        kind = domain.invite_kind(frame)
        with store.reading():
            domain.check_can_invite(store.devices_in_pair(session.pair), kind)
        retry = self.limits["invite"].hit(session.device, self.clock.time())
        if retry:
            raise RelayError("rate_limited", retry_after=retry)
        now = self.now()
        expires = now + self.settings.invite_ttl_seconds
        def make() -> list:
            store.lock_pair(session.pair)
            if store.invite(invite) is not None:
                raise RelayError("invite_exists")
            return store.replace_invites(invite, session.pair, session.device, expires, now, kind)

        dropped = self.write(make, key=session.pair)
        answer = {"type": "invite_ok", "invite": invite, "expires_at": expires}
        session.link.send({**answer, kind: True} if kind else answer)
        for old_invite, joiner in dropped:   # the code they used has been replaced by this one
            self.publish("pair_cancelled", joiner, invite=old_invite)

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

    def invite_state(self, inv, now: int) -> str | None:
        """The invite's state per domain.invite_state, or None for no invite; in a transaction."""
        return domain.invite_state(inv, store.joiner_admitted(inv), now) if inv else None

    def accept(self, session, frame: dict) -> None:
        self.require_login(session)
        invite_id = domain.text_field(frame, "invite")
        box = domain.bytes_field(frame, "box", max_size=domain.MAX_PAIRING_BLOB)

        def keep_box():
            store.lock_pair(session.pair)   # an invite of another pair is refused below
            inv = store.invite(invite_id)
            domain.check_accept(inv, session.device, session.pair, self.invite_state(inv, self.now()))
            store.set_accept_box(invite_id, b64u(box))
            return inv

        inv = self.write(keep_box, key=session.pair)
        session.link.send({"type": "accept_ok", "invite": invite_id})
        self.publish("pair_accepted", inv.joiner, invite=invite_id)

    def confirm(self, session, frame: dict) -> None:
        self.require_login(session)
        invite_id = domain.text_field(frame, "invite")
        now = self.now()

        def admit() -> tuple:
            replaced = None
            # Confirms, cancels, sends of the pair: one after another. An invite of another
            # pair is refused below.
            store.lock_pair(session.pair)
            inv = store.invite(invite_id)
            joiner = store.device(inv.joiner) if inv and inv.joiner else None
            state = self.invite_state(inv, now)
            count = store.devices_in_pair(inv.pair_id) if inv else 0
            domain.check_confirm(inv, session.device, session.pair, state, count,
                                 joiner is not None and joiner.pair_id != inv.pair_id)
            if inv.kind == "move":
                if state != "confirmed":
                    self.confirm_move(session, inv, now)
            elif state == "confirmed":   # confirming again answers as the first time did
                replaced = store.replaces(inv)
            elif inv.kind == "replace":
                if store.device(session.device) is None:   # its partner replaced it first
                    raise domain.retired_error(store.retired(session.device))
                replaced, _ = store.replace_device(inv, domain.coarse_hour(now))
                joiner = store.device(inv.joiner)
            else:
                joiner = store.admit_joiner(inv, domain.coarse_hour(now))
                # Two confirms through two invites of one pair must not both win.
                if store.devices_in_pair(inv.pair_id) > domain.PEER_DEVICES:
                    raise RelayError("pair_full")
            return inv, joiner, replaced, store.pair_row(inv.pair_id).epoch

        inv, joiner, replaced, epoch = self.write(admit, key=session.pair)
        if inv.kind == "move":
            self.moving_confirmed(session, inv)
            return
        session.peer = joiner.id
        news = {"replaced": replaced, "epoch": epoch} if replaced else {}
        if replaced:
            self.replaced(session, replaced, epoch)
        session.link.send({"type": "confirm_ok", "invite": invite_id, "peer": domain.peer_frame(joiner), **news})
        self.publish("pair_confirmed", joiner.id, invite=invite_id)

    def replaced(self, session, old: str, epoch: int) -> None:
        """After a replacement: the old phone's connections are told and closed, and the
        remaining phone's others closed, since they hold the old epoch (§11.3)."""
        session.epoch = epoch
        self.publish("retired", old)
        self.publish("log_in_again", session.device, skip=session)

    def admit(self, session, peer_id: str) -> None:
        """The inviter confirmed: this pending session is now an ordinary login."""
        session.pending, session.peer, session.caught_up = None, peer_id, False
        session.pump.kick()

    def cancel(self, session, frame: dict) -> None:
        invite_id = domain.text_field(frame, "invite")
        pending = session.pending
        if pending:   # a pending joiner may call off its own pairing, and only that
            if invite_id != pending:
                raise RelayError("not_your_invite")
        else:
            self.require_login(session)
        now = self.now()

        def call_off():
            # A pending joiner's pair is its inviter's; an invite of another pair is refused below.
            store.lock_pair(session.pair)
            inv = store.invite(invite_id)
            if not pending:
                domain.check_owner(inv, session.device, session.pair)
            domain.check_cancel(self.invite_state(inv, now), inv.kind if inv else None)
            store.call_off(invite_id, now)
            return inv

        inv = self.write(call_off, key=session.pair)
        session.link.send({"type": "cancel_ok", "invite": invite_id})
        if pending:
            self.publish("pair_cancelled", inv.creator, invite=invite_id)
        elif inv.joiner:
            self.publish("pair_cancelled", inv.joiner, invite=invite_id)
