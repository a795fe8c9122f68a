"""The rules of pairing, replacing and moving (protocol §4, §11): who may invite, join,
accept, confirm or cancel, and an invite's state. No I/O (domain.py gathers the relay's rules)."""



from hearth.protocol.encoding import b64u
from hearth.protocol.primitives import SIGNATURE_BYTES

from .refusals import PEER_DEVICES, RelayError, bytes_field, public_key_field, suite_field

# --- pairing -------------------------------------------------------------------------------

def peer_frame(peer) -> dict | None:
    """A device row as frames name a partner: id, suite and public keys."""
    if peer is None:
        return None
    return {"device": peer.id, "suite": peer.suite, "sig_pub": b64u(bytes(peer.sig_pub)),
            "dh_pub": b64u(bytes(peer.dh_pub))}


def retired_error(row) -> "RelayError":
    """What a retired device hears (§11.3, 11.4): who put it out of the pair, and who took its place."""
    return RelayError(row.reason, by=row.by, device=row.successor)


def read_keys(frame: dict) -> tuple[int, bytes, bytes, bytes]:
    """A register or join frame's suite, public keys and signature, each checked."""
    suite = suite_field(frame)
    sig_pub = public_key_field(frame, "sig_pub")
    dh_pub = public_key_field(frame, "dh_pub")
    sig = bytes_field(frame, "sig", SIGNATURE_BYTES)
    return suite, sig_pub, dh_pub, sig


def invite_state(invite, joiner_admitted: bool, now: int) -> str:
    """Where an invite stands: open, pending (joined, not answered), accepted, confirmed,
    cancelled or expired. A pending joiner lives only in the invite row (its keys in
    join_frame); confirming creates its device, cancelling forgets its keys."""
    if invite.used_at is None:
        return "expired" if invite.expires_at < now else "open"
    if joiner_admitted:
        return "confirmed"
    if invite.joiner is None or invite.join_frame is None:
        return "cancelled"
    if invite.expires_at < now:
        return "expired"
    return "pending" if invite.accept_box is None else "accepted"


def check_join(invite, devices_in_pair: int, device_exists: bool, now: int) -> None:
    """Refuse a join through this invite, most specific reason first. A replacement or a
    move joins a full pair, and takes a place in it only later (§11.3, 11.4)."""
    if invite is None:
        raise RelayError("invite_unknown")
    if invite.used_at is not None:
        raise RelayError("invite_used")
    if invite.expires_at < now:
        raise RelayError("invite_expired")
    if device_exists:
        raise RelayError("device_exists")
    if devices_in_pair >= PEER_DEVICES and invite.kind is None:
        raise RelayError("pair_full")


INVITE_KINDS = ("replace", "move")


def invite_kind(frame: dict) -> str | None:
    """None for a first pairing, else which of INVITE_KINDS the frame's flag asks for."""
    kinds = [kind for kind in INVITE_KINDS if kind in frame]
    for kind in kinds:
        if not isinstance(frame[kind], bool):
            raise RelayError("bad_frame", f"Field '{kind}' must be true or false.")
    kinds = [kind for kind in kinds if frame[kind]]
    if len(kinds) > 1:
        raise RelayError("bad_frame", "An invite replaces a partner's phone or moves this one, not both.")
    return kinds[0] if kinds else None


def check_can_invite(devices_in_pair: int, kind: str | None = None) -> None:
    """A first pairing needs room in the pair; replacing or moving needs a partner."""
    if kind is None and devices_in_pair >= PEER_DEVICES:
        raise RelayError("pair_full")
    if kind is not None and devices_in_pair < PEER_DEVICES:
        raise RelayError("not_paired", "There is no partner's phone to replace or move from yet.")


_STATE_REFUSALS = {"open": "not_joined", "expired": "invite_expired", "cancelled": "invite_cancelled",
                   "confirmed": "already_paired", "pending": "not_accepted"}


def check_owner(invite, device_id: str, pair_id: str) -> None:
    if invite is None or invite.pair_id != pair_id:
        raise RelayError("invite_unknown")
    if invite.creator != device_id:
        raise RelayError("not_your_invite")


def check_accept(invite, device_id: str, pair_id: str, state: str) -> None:
    """The inviter may answer a pending joiner, and answer again (a lost accept_ok)."""
    check_owner(invite, device_id, pair_id)
    if state not in ("pending", "accepted"):
        raise RelayError(_STATE_REFUSALS[state])


def check_confirm(invite, device_id: str, pair_id: str, state: str, devices_in_pair: int,
                  joiner_elsewhere: bool) -> None:
    """Confirming admits the joiner; a second confirm of the same pairing is harmless."""
    check_owner(invite, device_id, pair_id)
    if state == "confirmed":
        return
    if state != "accepted":
        raise RelayError(_STATE_REFUSALS[state])
    if joiner_elsewhere:
        raise RelayError("device_exists")
    if devices_in_pair >= PEER_DEVICES and invite.kind is None:
        raise RelayError("pair_full")
    if devices_in_pair < PEER_DEVICES and invite.kind is not None:
        raise RelayError("not_paired", "There is no partner's phone to replace or move from any more.")


def check_cancel(state: str, kind: str | None = None) -> None:
    """Anything short of a confirmed pairing can be called off, more than once; a move,
    until the old device retires (§11.4)."""
    if state is None:
        raise RelayError("invite_unknown")
    if state == "confirmed" and kind != "move":
        raise RelayError("already_paired")
