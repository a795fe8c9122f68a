"""Queries on pairs and their devices: logging in, who is in a pair, ending it, and the
devices retired from it when a phone is replaced or moves (§11.3, 11.4). Inside the caller's
transaction.
"""

import json

from hearth.protocol.encoding import b64u, unb64u

from .database import db, dialect
from .envelopes import LOCK_PAIR, drop_pair_envelopes
from .models import Device, Invite, Pair, Receipt, Retired


def device(device_id: str):
    return Device.get_or_none(Device.id == device_id)


def login_key(device_id: str) -> bytes | None:
    """The device's public signing key, or None if there is no such device.

    Written as SQL because the query builder costs several times the lookup, and it costs
    more when a row is found, while login must take the same time whether the id exists.
    """
    row = db.execute_sql('SELECT "sig_pub" FROM "device" WHERE "id" = ?'.replace("?", db.obj.param),
                         (device_id,)).fetchone()
    return bytes(row[0]) if row else None


def pair_of(device_id: str):
    """(device, pair, peer or None) for a device, or None if it is unknown."""
    me = Device.get_or_none(Device.id == device_id)
    if me is None:
        return None
    pair = Pair.get_by_id(me.pair_id)
    peer = Device.get_or_none((Device.pair_id == me.pair_id) & (Device.id != me.id))
    return me, pair, peer


def create_pair_with_device(pair_id: str, device_id: str, suite: int, sig_pub: bytes, dh_pub: bytes,
                            hour: int) -> None:
    Pair.create(id=pair_id, epoch=1, created_hour=hour)
    Device.create(id=device_id, pair_id=pair_id, suite=suite, sig_pub=sig_pub, dh_pub=dh_pub,
                  created_hour=hour)


def end_pair(pair_id: str, by: str, at: int, sig: bytes, hour: int) -> None:
    """End the pair: keep the signed notice, and drop everything waiting in it."""
    Pair.update(ended_by=by, ended_at=at, end_sig=sig, ended_hour=hour).where(Pair.id == pair_id).execute()
    devices = Device.select(Device.id).where(Device.pair_id == pair_id)
    drop_pair_envelopes(pair_id)
    Receipt.delete().where(Receipt.device.in_(devices)).execute()
    Invite.delete().where(Invite.pair_id == pair_id).execute()


def end_notice(pair) -> dict | None:
    """The signed notice of an ended pair, as frames carry it; None while it goes on."""
    if pair.ended_by is None:
        return None
    return {"by": pair.ended_by, "at": pair.ended_at, "sig": b64u(bytes(pair.end_sig))}


def pair_ended(pair_id: str) -> dict | None:
    pair = Pair.get_or_none(Pair.id == pair_id)
    return end_notice(pair) if pair else None


def pair_row(pair_id: str):
    return Pair.get_or_none(Pair.id == pair_id)


def lock_pair(pair_id: str) -> None:
    """Hold the pair's row until the transaction ends: every transaction that changes what a
    pair holds or who is in it takes this first, so two of them, on any worker, one after the
    other. SQLite has one writer at a time already, and one process."""
    if dialect() == "postgresql":
        db.execute_sql(LOCK_PAIR, (pair_id,))


def retired(device_id: str):
    """The retired device's row (§11.3, 11.4), or None."""
    return Retired.get_or_none(Retired.id == device_id)


def known(device_id: str) -> bool:
    """Is the id taken, by a device or by one retired? Its keys cannot register again."""
    return device(device_id) is not None or retired(device_id) is not None


def predecessor(device_id: str) -> str | None:
    """The device `device_id` took the place of (§11.3, 11.4), while it is kept; else None."""
    row = Retired.get_or_none(Retired.successor == device_id)
    return row.id if row else None


def the_other(pair_id: str, device_id: str):
    """The pair's device that is not `device_id`, or None."""
    return Device.get_or_none((Device.pair_id == pair_id) & (Device.id != device_id))


def devices_in_pair(pair_id: str) -> int:
    return Device.select().where(Device.pair_id == pair_id).count()


def admit_joiner(inv, hour: int):
    """Make the invite's pending joiner a device of its pair, from the keys it joined with."""
    keys = json.loads(inv.join_frame)
    Device.create(id=inv.joiner, pair_id=inv.pair_id, suite=keys["suite"], sig_pub=unb64u(keys["sig_pub"]),
                  dh_pub=unb64u(keys["dh_pub"]), created_hour=hour)
    return Device.get_by_id(inv.joiner)


def retire(old, reason: str, by: str, successor: str, hour: int, notice: dict | None = None) -> None:
    """Put `old` out of its pair for good: keep its id and signing key so its logins get a
    specific answer, drop its row and the invites it made."""
    Retired.create(id=old.id, pair_id=old.pair_id, reason=reason, by=by, successor=successor,
                   sig_pub=old.sig_pub, notice=json.dumps(notice) if notice else None, retired_hour=hour)
    # Its own invites go, and the one it joined by, whose keys would let it log in as a joiner.
    Invite.delete().where((Invite.creator == old.id) | (Invite.joiner == old.id)).execute()
    Device.delete().where(Device.id == old.id).execute()


def new_epoch(pair_id: str) -> int:
    """Raise the pair's epoch; both devices start their sequence numbers again, and nothing
    sealed under the old keys is kept for either."""
    Pair.update(epoch=Pair.epoch + 1).where(Pair.id == pair_id).execute()
    devices = Device.select(Device.id).where(Device.pair_id == pair_id)
    Device.update(last_seq=0).where(Device.pair_id == pair_id).execute()
    drop_pair_envelopes(pair_id)
    Receipt.delete().where(Receipt.device.in_(devices)).execute()
    return Pair.get_by_id(pair_id).epoch


def replace_device(inv, hour: int) -> tuple[str, int]:
    """Confirm a replacement (§11.3): the invite's joiner takes the place of the creator's
    partner. Returns (the replaced device's id, the new epoch)."""
    old = the_other(inv.pair_id, inv.creator)
    Receipt.delete().where(Receipt.device == old.id).execute()
    retire(old, "replaced", inv.creator, inv.joiner, hour)
    admit_joiner(inv, hour)
    return old.id, new_epoch(inv.pair_id)


def move_in(inv, hour: int, notice: dict) -> int:
    """The old device retires and its mover takes its place (§11.4); returns the new epoch."""
    old = Device.get_by_id(inv.creator)
    admit_joiner(inv, hour)
    retire(old, "moved", old.id, inv.joiner, hour, notice)
    return new_epoch(inv.pair_id)


def json_notice(gone) -> dict | None:
    """A retired row's `succession` frame (§11.4), or None for a replacement."""
    return json.loads(gone.notice) if gone.notice else None


def move_notices(pair_id: str, device_id: str) -> list[dict]:
    """The `succession` frames of the pair's moves still kept, oldest first, but the one
    that made `device_id` itself (§11.4)."""
    rows = Retired.select().where((Retired.pair_id == pair_id) & Retired.notice.is_null(False)
                                  & (Retired.successor != device_id))
    return sorted((json.loads(row.notice) for row in rows), key=lambda frame: frame["epoch"])
