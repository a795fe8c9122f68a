"""Queries that keep the database small: purging expired envelopes and invites, pairs ended
and devices retired long ago, devices that never paired; PostgreSQL's shared rate limit
buckets; and the operator's stats.
"""

from peewee import fn

from .database import db
from .envelopes import take_out
from .models import Device, Envelope, Invite, Pair, RateLimit, Retired, SchemaVersion


def purge(now: int, envelope_ttl_seconds: int, used_invite_ttl_seconds: int) -> tuple[int, int]:
    """Delete expired envelopes and invites; returns how many of each."""
    hour_cutoff = (now - envelope_ttl_seconds) // 3600
    envelopes = take_out(Envelope.created_hour < hour_cutoff)
    invites = Invite.delete().where(
        (Invite.used_at.is_null() & (Invite.expires_at < now))
        | (Invite.used_at.is_null(False) & (Invite.expires_at < now - used_invite_ttl_seconds))).execute()
    return envelopes, invites


def take_bucket(key: str, full: float, now: float) -> tuple[float, float]:
    """(tokens, time) of the rate limit bucket `key`, new ones full, locked until the
    transaction ends so processes take from it one after another (PostgreSQL)."""
    db.execute_sql('INSERT INTO "rate_limit" ("key", "tokens", "at") VALUES (%s, %s, %s) '
                   'ON CONFLICT ("key") DO NOTHING', (key, full, now))
    return db.execute_sql('SELECT "tokens", "at" FROM "rate_limit" WHERE "key" = %s FOR UPDATE', (key,)).fetchone()


def set_bucket(key: str, tokens: float, now: float) -> None:
    db.execute_sql('UPDATE "rate_limit" SET "tokens" = %s, "at" = %s WHERE "key" = %s', (tokens, now, key))


def forget_buckets(before: float) -> int:
    """Delete buckets untouched since `before`: full again, as good as none."""
    return RateLimit.delete().where(RateLimit.at < before).execute()


def delete_retired(now: int, keep_seconds: int) -> int:
    """Forget devices retired more than `keep_seconds` ago."""
    return Retired.delete().where(Retired.retired_hour < (now - keep_seconds) // 3600).execute()


def delete_ended(now: int, keep_seconds: int) -> int:
    """Forget pairs that ended more than `keep_seconds` ago, with their devices."""
    old = Pair.select(Pair.id).where(Pair.ended_hour < (now - keep_seconds) // 3600)
    deleted = Device.delete().where(Device.pair_id.in_(old)).execute()
    Pair.delete().where(Pair.ended_hour < (now - keep_seconds) // 3600).execute()
    return deleted


def _never_paired(now: int, ttl_hours: int):
    """Devices that never paired: alone in the pair, registered more than `ttl_hours`
    before `now`, with no open invite."""
    cutoff = now // 3600 - ttl_hours  # created_hour is coarse: an older hour is older for sure
    alone = Device.select(Device.pair_id).group_by(Device.pair_id).having(fn.COUNT(Device.id) == 1)
    inviting = Invite.select(Invite.pair_id).where(Invite.used_at.is_null() & (Invite.expires_at >= now))
    return (Device.created_hour < cutoff) & Device.pair_id.in_(alone) & Device.pair_id.not_in(inviting)


def never_paired(now: int, ttl_hours: int) -> list[tuple[str, str]]:
    """(device, pair) of every device that never paired."""
    return list(Device.select(Device.id, Device.pair_id).where(_never_paired(now, ttl_hours)).tuples())


def devices_among(ids: list[str]) -> set[str]:
    """Those of `ids` that are devices."""
    return {row.id for row in Device.select(Device.id).where(Device.id.in_(ids))}


def delete_never_paired(found: list[tuple[str, str]], now: int, ttl_hours: int) -> int:
    """Delete these devices, with their pairs, invites and envelopes, if they still never
    paired: every delete re-checks its conditions in one statement, so a device that pairs
    or opens an invite meanwhile, on any engine and any worker, is left alone."""
    ids = [device for device, _ in found]
    pairs = [pair for _, pair in found]
    deleted = Device.delete().where(Device.id.in_(ids) & _never_paired(now, ttl_hours)).execute()
    Pair.delete().where(Pair.id.in_(pairs) & Pair.id.not_in(Device.select(Device.pair_id))).execute()
    kept = Pair.select(Pair.id).where(Pair.id.in_(pairs))
    Invite.delete().where(Invite.pair_id.in_(pairs) & Invite.pair_id.not_in(kept)).execute()
    # What waited for the devices deleted (found by the recipient index); their pairs go too.
    Envelope.delete().where(Envelope.recipient.in_(ids) & Envelope.recipient.not_in(Device.select(Device.id))).execute()
    return deleted


def stats(now: int) -> dict:
    count, size = Envelope.select(fn.COUNT(Envelope.cursor), fn.SUM(Envelope.size)).tuples().first()
    return {
        "schema_version": SchemaVersion.select(fn.MAX(SchemaVersion.version)).scalar() or 0,
        "pairs": Pair.select().count(),
        "devices": Device.select().count(),
        "queued_envelopes": count or 0,
        "queued_bytes": size or 0,
        "open_invites": Invite.select().where(Invite.used_at.is_null() & (Invite.expires_at >= now)).count(),
    }
