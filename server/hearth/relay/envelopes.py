"""Queries on what waits for a device: its envelopes, with each pair's counters of what it
has waiting (its quota), and its latest receipt. Inside the caller's transaction.
"""

from collections import namedtuple

from peewee import fn

from .database import db
from .models import Device, Envelope, Invite, Pair, Receipt, Retired


# The store-and-forward path runs for every envelope, so its few statements are written
# once as SQL rather than rebuilt by the query builder each time (a third of the relay's
# CPU went there). They stay portable: double-quoted names and the engine's placeholder.
HOT_SQL = {
    "last_seq": 'SELECT "last_seq" FROM "device" WHERE "id" = ?',
    "totals": 'SELECT "queued", "queued_bytes" FROM "pair" WHERE "id" = ?',
    "pair_state": 'SELECT "epoch", "ended_by", "ended_at", "end_sig", "queued", "queued_bytes" FROM "pair" '
                  'WHERE "id" = ?',
    "count_in": 'UPDATE "pair" SET "queued" = "queued" + ?, "queued_bytes" = "queued_bytes" + ? WHERE "id" = ?',
    "acked": 'SELECT "pair_id", COUNT(*), SUM("size") FROM "envelope" WHERE "recipient" = ? AND "cursor" <= ? '
             'GROUP BY "pair_id"',
    "insert": 'INSERT INTO "envelope" ("pair_id", "recipient", "seq", "body", "size", "created_hour") '
              'VALUES (?, ?, ?, ?, ?, ?)',
    "set_last_seq": 'UPDATE "device" SET "last_seq" = ? WHERE "id" = ?',
    "pending": 'SELECT "cursor", "body" FROM "envelope" WHERE "recipient" = ? AND "cursor" > ? '
               'ORDER BY "cursor" LIMIT ?',
    "ack": 'DELETE FROM "envelope" WHERE "recipient" = ? AND "cursor" <= ?',
    "between": 'SELECT 1 FROM "envelope" WHERE "recipient" = ? AND "cursor" > ? AND "cursor" < ? LIMIT 1',
}


def _sql(name: str) -> str:
    sql = HOT_SQL[name]
    if name == "insert" and db.obj.returning_clause:
        sql += ' RETURNING "cursor"'
    return sql.replace("?", db.obj.param)


def last_seq(device_id: str) -> int | None:
    """The highest seq the relay has taken from this device; None if it is no longer a device."""
    row = db.execute_sql(_sql("last_seq"), (device_id,)).fetchone()
    return row[0] if row else None


def set_last_seq(device_id: str, seq: int) -> None:
    db.execute_sql(_sql("set_last_seq"), (seq, device_id))


def queue_totals(pair_id: str) -> list[int]:
    """[envelopes, bytes] waiting in the pair's queue: its counters, one row whatever waits."""
    return list(db.execute_sql(_sql("totals"), (pair_id,)).fetchone())


# What a send needs of its pair's row (devices.end_notice reads the ended_* fields), in one
# statement: through the query builder, the row cost a send more than its own insert.
PairState = namedtuple("PairState", "epoch ended_by ended_at end_sig queued queued_bytes")


def pair_state(pair_id: str) -> PairState | None:
    row = db.execute_sql(_sql("pair_state"), (pair_id,)).fetchone()
    return PairState(*row) if row else None


def count_in(pair_id: str, envelopes: int, size: int) -> None:
    """Add to (or, negative, take from) what the pair's counters say it has waiting."""
    db.execute_sql(_sql("count_in"), (envelopes, size, pair_id))


def take_out(where) -> int:
    """Delete the envelopes `where` matches, taking them off their pairs' counters."""
    rows = Envelope.select(Envelope.pair_id, fn.COUNT(Envelope.cursor), fn.SUM(Envelope.size)).where(
        where).group_by(Envelope.pair_id).tuples()
    for pair_id, count, size in list(rows):
        count_in(pair_id, -count, -(size or 0))
    return Envelope.delete().where(where).execute()


def pair_recipients(pair_id: str):
    """Everyone an envelope of the pair can be waiting for: its devices, those retired from
    it, and its invites' joiners (a move's new phone)."""
    return (Device.select(Device.id).where(Device.pair_id == pair_id)
            | Retired.select(Retired.id).where(Retired.pair_id == pair_id)
            | Invite.select(Invite.joiner).where((Invite.pair_id == pair_id) & Invite.joiner.is_null(False)))


def drop_pair_envelopes(pair_id: str) -> None:
    """Delete everything waiting in the pair, found by recipient (indexed), and zero its counters."""
    Envelope.delete().where(Envelope.recipient.in_(pair_recipients(pair_id))
                            & (Envelope.pair_id == pair_id)).execute()
    Pair.update(queued=0, queued_bytes=0).where(Pair.id == pair_id).execute()


def insert_envelope(pair_id: str, recipient: str, seq: int, body: bytes, hour: int) -> int:
    """Queue an envelope for `recipient`; returns its cursor."""
    cur = db.execute_sql(_sql("insert"), (pair_id, recipient, seq, body, len(body), hour))
    return cur.fetchone()[0] if db.obj.returning_clause else cur.lastrowid


def pending_envelopes(recipient: str, after: int, limit: int) -> list[tuple[int, bytes]]:
    rows = db.execute_sql(_sql("pending"), (recipient, after, limit)).fetchall()
    return [(cursor, bytes(body)) for cursor, body in rows]


def queued_between(recipient: str, after: int, before: int) -> bool:
    """Is anything queued for `recipient` with a cursor strictly between the two?"""
    return db.execute_sql(_sql("between"), (recipient, after, before)).fetchone() is not None


def acknowledge(recipient: str, cursor: int) -> int:
    """Delete what the recipient has safely applied, off its pair's counters; best in a
    relaxed_transaction()."""
    for pair_id, count, size in db.execute_sql(_sql("acked"), (recipient, cursor)).fetchall():
        count_in(pair_id, -count, -(size or 0))
    return db.execute_sql(_sql("ack"), (recipient, cursor)).rowcount


def set_receipt(device_id: str, body: bytes, hour: int) -> None:
    Receipt.insert(device=device_id, body=body, created_hour=hour).on_conflict(
        conflict_target=[Receipt.device], update={Receipt.body: body, Receipt.created_hour: hour}).execute()


def receipt_of(device_id: str) -> bytes | None:
    row = Receipt.get_or_none(Receipt.device == device_id)
    return bytes(row.body) if row else None
