"""Queries on what waits for a device: its envelopes, with each pair's counters of what it
has waiting (its quota), and its latest receipt. Inside the caller's transaction.
"""

from collections import namedtuple

from peewee import fn

from .database import db, dialect
from .models import Device, Envelope, Invite, Pair, Receipt, Retired


# The store-and-forward path runs for every envelope, so its few statements are written
# once as SQL rather than rebuilt by the query builder each time (a third of the relay's
# CPU went there). They stay portable: double-quoted names and the engine's placeholder.
HOT_SQL = {
    "last_seq": 'SELECT "last_seq" FROM "device" WHERE "id" = ?',
    "totals": 'SELECT "queued", "queued_bytes" FROM "pair" WHERE "id" = ?',
    "send_state": 'SELECT p."epoch", p."ended_by", p."ended_at", p."end_sig", p."queued", p."queued_bytes", '
                  'd."last_seq" FROM "pair" p LEFT JOIN "device" d ON d."id" = ? WHERE p."id" = ?',
    "count_in": 'UPDATE "pair" SET "queued" = "queued" + ?, "queued_bytes" = "queued_bytes" + ? WHERE "id" = ?',
    "acked": 'SELECT "pair_id", COUNT(*), SUM("size") FROM "envelope" WHERE "recipient" = ? AND "cursor" <= ? '
             'GROUP BY "pair_id"',
    "insert": 'INSERT INTO "envelope" ("pair_id", "recipient", "seq", "body", "size", "created_hour") '
              'VALUES (?, ?, ?, ?, ?, ?)',   # one ENVELOPE_ROW; store_sends asks for several
    "set_last_seq": 'UPDATE "device" SET "last_seq" = ? WHERE "id" = ?',
    "pending": 'SELECT "cursor", "body" FROM "envelope" WHERE "recipient" = ? AND "cursor" > ? '
               'ORDER BY "cursor" LIMIT ?',
    "ack": 'DELETE FROM "envelope" WHERE "recipient" = ? AND "cursor" <= ?',
    "between": 'SELECT 1 FROM "envelope" WHERE "recipient" = ? AND "cursor" > ? AND "cursor" < ? LIMIT 1',
}


# PostgreSQL only (SQLite has one writer at a time): hold the pair's row until the
# transaction ends. devices.lock_pair takes it alone, send_state before its read.
LOCK_PAIR = 'SELECT 1 FROM "pair" WHERE "id" = %s FOR UPDATE'


ENVELOPE_ROW = "(?, ?, ?, ?, ?, ?)"


def _sql(name: str, rows: int = 1) -> str:
    """The statement in the bound engine's placeholder; "insert" with `rows` rows."""
    sql = HOT_SQL[name]
    if rows > 1:
        sql = sql.replace(ENVELOPE_ROW, ", ".join([ENVELOPE_ROW] * rows))
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


def send_state(pair_id: str, device_id: str) -> tuple[PairState | None, int | None]:
    """What a send reads first, in one round trip (on PostgreSQL every round trip is one the
    envelope waits for before it is forwarded): the pair's row, locked until the transaction
    ends as devices.lock_pair locks it, and the device's last seq (None if it is no longer a
    device). (None, None) if the pair is gone.

    On PostgreSQL the lock is taken by a statement of its own, before the read: a statement
    that waits for a row lock reads the locked row as it is once the lock is free, but every
    other row (the device's last seq) as it was when the statement began. A send queued
    behind another process's send of the same device then read the seq before it, stored
    the envelope twice and could set the stream back (tests/test_relay_processes.py)."""
    params = (device_id, pair_id)
    sql = _sql("send_state")
    if dialect() == "postgresql":
        sql, params = f"{LOCK_PAIR}; {sql}", (pair_id, *params)
    row = db.execute_sql(sql, params).fetchone()
    return (PairState(*row[:6]), row[6]) if row else (None, None)


def store_sends(pair_id: str, recipient: str, rows: list[tuple[int, bytes]], hour: int,
                device_id: str | None = None, last_seq: int = 0) -> list[int]:
    """Queue each (seq, body) of `rows` for `recipient`, count them into the pair's counters
    and, if `device_id`, set its stream's new last seq. Returns their cursors, in order. On
    PostgreSQL all of it is one round trip (each is one the envelope waits for before it is
    forwarded): the counters, the last seq, then one insert of every row, whose cursors are
    the statement's answer."""
    if not rows:
        return []
    added = (len(rows), sum(len(body) for _, body in rows))
    if dialect() != "postgresql":
        cursors = [insert_envelope(pair_id, recipient, seq, body, hour) for seq, body in rows]
        count_in(pair_id, *added)
        if device_id:
            set_last_seq(device_id, last_seq)
        return cursors
    statements, params = [_sql("count_in")], [*added, pair_id]
    if device_id:
        statements.append(_sql("set_last_seq"))
        params += [last_seq, device_id]
    statements.append(_sql("insert", len(rows)))
    for seq, body in rows:
        params += [pair_id, recipient, seq, body, len(body), hour]
    # One INSERT numbers its rows in the order of its VALUES: sorted, the cursors are theirs.
    return sorted(cursor for (cursor,) in db.execute_sql("; ".join(statements), params).fetchall())


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


# On PostgreSQL an ack is one round trip: the delete, and its pairs' counters taken down by
# what it deleted (a data-modifying WITH runs to completion whatever the query reads).
ACK_POSTGRES = (
    'WITH gone AS (DELETE FROM "envelope" WHERE "recipient" = %s AND "cursor" <= %s RETURNING "pair_id", "size"), '
    'per_pair AS (SELECT "pair_id", COUNT(*) AS n, SUM("size") AS bytes FROM gone GROUP BY "pair_id"), '
    'counted AS (UPDATE "pair" SET "queued" = "pair"."queued" - per_pair.n, '
    '"queued_bytes" = "pair"."queued_bytes" - per_pair.bytes FROM per_pair WHERE "pair"."id" = per_pair."pair_id") '
    'SELECT COALESCE(SUM(n), 0) FROM per_pair')


def acknowledge(recipient: str, cursor: int) -> int:
    """Delete what the recipient has safely applied, off its pair's counters; returns how
    many envelopes went."""
    if dialect() == "postgresql":
        return int(db.execute_sql(ACK_POSTGRES, (recipient, cursor)).fetchone()[0])
    for pair_id, count, size in db.execute_sql(_sql("acked"), (recipient, cursor)).fetchall():
        count_in(pair_id, -count, -(size or 0))
    return db.execute_sql(_sql("ack"), (recipient, cursor)).rowcount


def set_receipt(device_id: str, body: bytes, hour: int) -> None:
    Receipt.insert(device=device_id, body=body, created_hour=hour).on_conflict(
        conflict_target=[Receipt.device], update={Receipt.body: body, Receipt.created_hour: hour}).execute()


def receipt_of(device_id: str) -> bytes | None:
    row = Receipt.get_or_none(Receipt.device == device_id)
    return bytes(row.body) if row else None
