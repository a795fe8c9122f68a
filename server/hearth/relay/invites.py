"""Queries on invites: pairing (§4), and the invites through which a phone is replaced or a
mover receives (§11.3, 11.4). Inside the caller's transaction.
"""

import json

from .devices import predecessor, the_other
from .envelopes import take_out
from .models import Device, Envelope, Invite, Pair, Receipt


def replace_invites(invite_id: str, pair_id: str, creator: str, expires_at: int, now: int,
                    kind: str | None = None) -> list:
    """A new invite in place of the creator's earlier unconfirmed ones (protocol §4.1): they
    are spent and their pending joiners forgotten. Returns (invite, joiner) for each joiner
    dropped, so they can be told."""
    dropped = []
    for old in Invite.select().where((Invite.creator == creator) & Invite.join_frame.is_null(False)):
        if Device.get_or_none(Device.id == old.joiner) is None:
            dropped.append((old.id, old.joiner))
    _forget_joiners(Invite.creator == creator)
    Invite.update(used_at=now).where((Invite.creator == creator) & Invite.used_at.is_null()).execute()
    Invite.create(id=invite_id, pair_id=pair_id, creator=creator, expires_at=expires_at, kind=kind)
    return dropped


def _forget_joiners(where) -> int:
    """Drop the keys of unconfirmed joiners of the invites matched; a confirmed joiner has a
    device row and needs its invite's keys no longer either."""
    admitted = Device.select(Device.id)
    return Invite.update(join_frame=None, accept_box=None).where(
        where & Invite.join_frame.is_null(False) & Invite.joiner.not_in(admitted)).execute()


def claim_invite(invite_id: str, device_id: str, join_frame: dict, now: int, expires_at: int) -> bool:
    """Record a pending joiner of an unused invite, with a fresh deadline. No device is made:
    the joiner is not in the pair until the inviter confirms (§4.2).

    A conditional write, so a race between two joiners is settled on any engine: False for
    the one that lost, whose transaction must then refuse and roll back.
    """
    return bool(Invite.update(used_at=now, joiner=device_id, join_frame=json.dumps(join_frame),
                              expires_at=expires_at).where(
        (Invite.id == invite_id) & Invite.used_at.is_null()).execute())


def invite(invite_id: str):
    return Invite.get_or_none(Invite.id == invite_id)


def joiner_admitted(inv) -> bool:
    """Is the invite's joiner a device of the invite's pair, or a confirmed mover, that is,
    was it confirmed?"""
    if inv.confirmed_at is not None and inv.join_frame is not None:
        return True
    return inv.joiner is not None and Device.get_or_none(
        (Device.id == inv.joiner) & (Device.pair_id == inv.pair_id)) is not None


def joiner_keys(inv) -> dict:
    """The pending joiner's keys, as sent in its join frame."""
    return json.loads(inv.join_frame)


def pending_joiner(device_id: str, now: int):
    """The invite through which `device_id` waits to be confirmed, or None: unknown,
    cancelled and expired joiners are all forgotten alike."""
    return Invite.select().where(
        (Invite.joiner == device_id) & Invite.join_frame.is_null(False)
        & (Invite.expires_at >= now)).order_by(Invite.expires_at.desc()).first()


def pair_view(pair_id: str, creator: str):
    """(pair, the inviter's device row) for a pending joiner's `joined` frame."""
    return Pair.get_by_id(pair_id), Device.get_or_none(Device.id == creator)


def replaces(inv) -> str | None:
    """For a replacement invite, the id of the device its joiner would take, or took, the
    place of: once confirmed, the creator's other device is the joiner itself."""
    if inv.kind != "replace":
        return None
    gone = predecessor(inv.joiner) if inv.joiner else None
    if gone is not None:
        return gone
    old = the_other(inv.pair_id, inv.creator)
    return old.id if old is not None else None


def set_accept_box(invite_id: str, box: str) -> None:
    Invite.update(accept_box=box, accept_delivered=0).where(Invite.id == invite_id).execute()


def call_off(invite_id: str, now: int) -> None:
    """A pairing not yet confirmed, or a move not yet done, is off: the joiner's keys are
    forgotten, with anything queued for it, and the invite stays spent."""
    inv = Invite.get_by_id(invite_id)
    if inv.kind == "move" and inv.joiner:
        take_out(Envelope.recipient == inv.joiner)
        Receipt.delete().where(Receipt.device == inv.joiner).execute()
    _forget_joiners(Invite.id == invite_id)
    Invite.update(used_at=now).where((Invite.id == invite_id) & Invite.used_at.is_null()).execute()


def pending_pairing(device_id: str, pair_id: str, now: int):
    """What a logged-in device is owed: pair_request frames for joiners it has not answered,
    and, for a joiner admitted before it saw the inviter's box, that pair_accepted."""
    requests = list(Invite.select().where(
        (Invite.pair_id == pair_id) & (Invite.creator == device_id)
        & Invite.join_frame.is_null(False) & Invite.accept_box.is_null() & (Invite.expires_at >= now)))
    accepted = list(Invite.select().where(
        (Invite.joiner == device_id) & Invite.accept_box.is_null(False) & (Invite.accept_delivered == 0)))
    return requests, accepted


def mark_accept_delivered(invite_id: str) -> None:
    Invite.update(accept_delivered=1).where(Invite.id == invite_id).execute()


def mover_invite(device_id: str):
    """The device's confirmed move (§11.4) whose mover waits for it, or None."""
    return Invite.get_or_none((Invite.creator == device_id) & (Invite.kind == "move")
                              & Invite.confirmed_at.is_null(False) & Invite.join_frame.is_null(False))


def confirm_move(invite_id: str, now: int, keep_until: int) -> None:
    """The mover is confirmed: it may log in, receive and send receipts until `keep_until`."""
    Invite.update(confirmed_at=now, expires_at=keep_until, move_seq=0).where(Invite.id == invite_id).execute()


def set_move_seq(invite_id: str, seq: int) -> None:
    Invite.update(move_seq=seq).where(Invite.id == invite_id).execute()
