"""Pairing (protocol §4) and replacing a lost phone (§11.3), the relay's part: invite,
accept, confirm and cancel, the inviter's steps (joining.py has the joiner's).

Mixed into service.Relay, whose sessions, hub, limits and store it uses as the other use
cases do.
"""

from hearth.protocol.encoding import b64u

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
