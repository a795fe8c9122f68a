"""Persistence: peewee models, the versioned schema, and the queries the relay runs.

Every function opens its own short transaction, so no socket holds a database
connection while it waits. The queries stay portable between SQLite and PostgreSQL;
the schema itself is migrations.py's.
"""

import json
from pathlib import Path

from peewee import (SQL, AutoField, BigIntegerField, BlobField, CharField, DatabaseProxy, IntegerField,
                    Model, NodeList, PostgresqlDatabase, SqliteDatabase, TextField, fn)
from playhouse.db_url import connect as connect_url
from playhouse.pool import PooledSqliteDatabase

from hearth.protocol.encoding import unb64u

from . import migrations
from .domain import RelayError, invite_state

db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db


class SchemaVersion(BaseModel):
    version = IntegerField()

    class Meta:
        table_name = "schema_version"


class Pair(BaseModel):
    id = CharField(primary_key=True, max_length=22)
    epoch = IntegerField(default=1)
    created_hour = IntegerField()


class Device(BaseModel):
    id = CharField(primary_key=True, max_length=22)
    pair_id = CharField(max_length=22, index=True)
    suite = IntegerField()
    sig_pub = BlobField()
    dh_pub = BlobField()
    last_seq = BigIntegerField(default=0)
    created_hour = IntegerField()


class Invite(BaseModel):
    id = CharField(primary_key=True, max_length=22)
    pair_id = CharField(max_length=22, index=True)
    creator = CharField(max_length=22)
    expires_at = BigIntegerField()
    used_at = BigIntegerField(null=True)
    joiner = CharField(max_length=22, null=True)
    join_frame = TextField(null=True)     # the joiner's opaque eph and box, for pair_request
    accept_box = TextField(null=True)     # the inviter's opaque box, for pair_accepted
    accept_delivered = IntegerField(default=0)


class CursorField(AutoField):
    """An id that never repeats, even after the newest rows are deleted.

    SQLite reuses the largest rowid once it is deleted unless the column says
    AUTOINCREMENT; a reused cursor would hide an envelope behind an old ack.
    PostgreSQL's serial sequences never go back, so they need nothing extra.
    """

    def ddl(self, ctx):
        node = super().ddl(ctx)
        if isinstance(self.model._meta.database.obj, SqliteDatabase):
            return NodeList((node, SQL("AUTOINCREMENT")))
        return node


class Envelope(BaseModel):
    cursor = CursorField()
    pair_id = CharField(max_length=22, index=True)
    recipient = CharField(max_length=22, index=True)
    seq = BigIntegerField()
    body = BlobField()
    size = IntegerField()
    created_hour = IntegerField(index=True)


class Receipt(BaseModel):
    """A device's latest end-to-end receipt for its partner: opaque, one row per writer."""
    device = CharField(primary_key=True, max_length=22)
    body = BlobField()
    created_hour = IntegerField()


# Every table the relay uses; tests/test_relay_migrations.py checks that these models describe
# exactly the schema migrations.py makes, so a model changes only with a migration.
MODELS = [SchemaVersion, Pair, Device, Invite, Envelope, Receipt]


LATEST = migrations.LATEST


def open_database(settings):
    """The database the settings name: DATABASE_URL, else SQLite in the data directory."""
    if settings.database_url:
        return connect_url(settings.database_url.replace("postgres://", "postgresql://", 1))
    data = Path(settings.data)
    data.mkdir(parents=True, exist_ok=True)
    return PooledSqliteDatabase(
        str(data / "hearth.db"), max_connections=32, stale_timeout=300, check_same_thread=False,
        # WAL lets readers run beside the writer; "full" makes an acknowledged envelope
        # survive a power cut, not just a killed process.
        pragmas={"journal_mode": "wal", "synchronous": settings.get("sqlite_sync", "full"),
                 "busy_timeout": 10000, "foreign_keys": 1})


def bind(database) -> None:
    db.initialize(database)


def dialect() -> str:
    """The bound engine, as migrations.DIALECTS names it."""
    if isinstance(db.obj, SqliteDatabase):
        return "sqlite"
    if isinstance(db.obj, PostgresqlDatabase):
        return "postgresql"
    raise RuntimeError(f"the relay runs on SQLite or PostgreSQL, not {type(db.obj).__name__}")


def schema_version() -> int:
    with db.connection_context():
        if not db.table_exists("schema_version"):
            return 0
        row = SchemaVersion.select(fn.MAX(SchemaVersion.version)).scalar()
        return row or 0


def upgrade(until: int | None = None) -> tuple[int, int]:
    """Apply pending migrations, all of them or those up to `until`, in one transaction;
    returns (version before, version after)."""
    words = dialect()
    with db.connection_context():
        with db.atomic():
            for sql in migrations.statements(migrations.BOOTSTRAP, words):
                db.execute_sql(sql)
            before = SchemaVersion.select(fn.MAX(SchemaVersion.version)).scalar() or 0
            after = before
            for version, steps in migrations.MIGRATIONS:
                if before < version <= (LATEST if until is None else until):
                    for sql in migrations.statements(steps, words):
                        db.execute_sql(sql)
                    SchemaVersion.create(version=version)
                    after = version
    return before, after


# --- queries -----------------------------------------------------------------------------

def device(device_id: str):
    with db.connection_context():
        return Device.get_or_none(Device.id == device_id)


def login_key(device_id: str) -> bytes | None:
    """The device's public signing key, or None if there is no such device.

    Written as SQL because the query builder costs several times the lookup, and it costs
    more when a row is found, while login must take the same time whether the id exists.
    """
    with db.connection_context():
        row = db.execute_sql('SELECT "sig_pub" FROM "device" WHERE "id" = ?'.replace("?", db.obj.param),
                             (device_id,)).fetchone()
    return bytes(row[0]) if row else None


def pair_of(device_id: str):
    """(device, pair, peer or None) for a device, or None if it is unknown."""
    with db.connection_context():
        me = Device.get_or_none(Device.id == device_id)
        if me is None:
            return None
        pair = Pair.get_by_id(me.pair_id)
        peer = Device.get_or_none((Device.pair_id == me.pair_id) & (Device.id != me.id))
        return me, pair, peer


def create_pair_with_device(pair_id: str, device_id: str, suite: int, sig_pub: bytes, dh_pub: bytes,
                            hour: int) -> bool:
    """False if the device already exists."""
    with db.connection_context(), db.atomic():
        if Device.get_or_none(Device.id == device_id):
            return False
        Pair.create(id=pair_id, epoch=1, created_hour=hour)
        Device.create(id=device_id, pair_id=pair_id, suite=suite, sig_pub=sig_pub, dh_pub=dh_pub,
                      created_hour=hour)
        return True


def devices_in_pair(pair_id: str) -> int:
    with db.connection_context():
        return Device.select().where(Device.pair_id == pair_id).count()


def create_invite(invite_id: str, pair_id: str, creator: str, expires_at: int, now: int):
    """A new invite, which replaces the creator's earlier unconfirmed ones (protocol §4.1).

    Returns None if the id is taken, else (invite, joiner) for each pending joiner it
    dropped, so they can be told. Only the code on screen can be used: an old link that leaked cannot.
    """
    with db.connection_context(), db.atomic():
        if Invite.get_or_none(Invite.id == invite_id):
            return None
        dropped = []
        for old in Invite.select().where((Invite.creator == creator) & Invite.join_frame.is_null(False)):
            if Device.get_or_none(Device.id == old.joiner) is None:
                dropped.append((old.id, old.joiner))
        _forget_joiners(Invite.creator == creator)
        Invite.update(used_at=now).where((Invite.creator == creator) & Invite.used_at.is_null()).execute()
        Invite.create(id=invite_id, pair_id=pair_id, creator=creator, expires_at=expires_at)
        return dropped


def _forget_joiners(where) -> int:
    """Drop the keys of unconfirmed joiners of the invites matched; a confirmed joiner has a
    device row and needs its invite's keys no longer either."""
    admitted = Device.select(Device.id)
    return Invite.update(join_frame=None, accept_box=None).where(
        where & Invite.join_frame.is_null(False) & Invite.joiner.not_in(admitted)).execute()


def join(invite_id: str, device_id: str, join_frame: dict, now: int, expires_at: int, check) -> str:
    """Record a pending joiner through an invite, in one transaction. No device is created:
    the joiner is not in the pair, and not counted, until the inviter confirms (§4.2).

    `check(invite, devices_in_pair, device_exists)` raises to refuse; nothing is written then.
    The invite gets a fresh deadline, `expires_at`, for the comparison. Returns the pair id.
    """
    with db.connection_context(), db.atomic():
        invite = Invite.get_or_none(Invite.id == invite_id)
        count = Device.select().where(Device.pair_id == invite.pair_id).count() if invite else 0
        check(invite, count, Device.get_or_none(Device.id == device_id) is not None)
        # A conditional write settles a race between two joiners on any engine: the loser
        # re-runs the check, which now refuses, and its transaction rolls back.
        claimed = Invite.update(used_at=now, joiner=device_id, join_frame=json.dumps(join_frame),
                                expires_at=expires_at).where(
            (Invite.id == invite_id) & Invite.used_at.is_null()).execute()
        if not claimed:
            check(Invite.get_by_id(invite_id), count, False)
            raise RuntimeError("join lost a race the check did not explain")
        return invite.pair_id


def invite(invite_id: str):
    with db.connection_context():
        return Invite.get_or_none(Invite.id == invite_id)


def invite_with_state(invite_id: str, now: int):
    """(invite or None, its state per domain.invite_state)."""
    with db.connection_context():
        inv = Invite.get_or_none(Invite.id == invite_id)
        if inv is None:
            return None, None
        admitted = inv.joiner is not None and Device.get_or_none(
            (Device.id == inv.joiner) & (Device.pair_id == inv.pair_id)) is not None
        return inv, invite_state(inv, admitted, now)


def joiner_keys(inv) -> dict:
    """The pending joiner's keys, as sent in its join frame."""
    return json.loads(inv.join_frame)


def pending_joiner(device_id: str, now: int):
    """The invite through which `device_id` waits to be confirmed, or None: unknown,
    cancelled and expired joiners are all forgotten alike."""
    with db.connection_context():
        return Invite.select().where(
            (Invite.joiner == device_id) & Invite.join_frame.is_null(False)
            & (Invite.expires_at >= now)).order_by(Invite.expires_at.desc()).first()


def pair_view(pair_id: str, creator: str):
    """(pair, the inviter's device row) for a pending joiner's `joined` frame."""
    with db.connection_context():
        return Pair.get_by_id(pair_id), Device.get_or_none(Device.id == creator)


def set_accept_box(invite_id: str, box: str) -> None:
    with db.connection_context(), db.atomic():
        Invite.update(accept_box=box, accept_delivered=0).where(Invite.id == invite_id).execute()


def confirm(invite_id: str, now: int, hour: int, check):
    """Admit the invite's pending joiner into the pair, in one transaction (§4.5).

    `check(invite, state, devices_in_pair, joiner_elsewhere)` raises to refuse. Returns the
    joiner's device row; confirming a pairing already confirmed returns it again.
    """
    with db.connection_context(), db.atomic():
        inv = Invite.get_or_none(Invite.id == invite_id)
        joiner = Device.get_or_none(Device.id == inv.joiner) if inv and inv.joiner else None
        state = invite_state(inv, joiner is not None and joiner.pair_id == inv.pair_id, now) if inv else None
        count = Device.select().where(Device.pair_id == inv.pair_id).count() if inv else 0
        check(inv, state, count, joiner is not None and joiner.pair_id != inv.pair_id)
        if state == "confirmed":
            return joiner
        keys = json.loads(inv.join_frame)
        Device.create(id=inv.joiner, pair_id=inv.pair_id, suite=keys["suite"], sig_pub=unb64u(keys["sig_pub"]),
                      dh_pub=unb64u(keys["dh_pub"]), created_hour=hour)
        # Two confirms through two invites of one pair must not both win.
        if Device.select().where(Device.pair_id == inv.pair_id).count() > 2:
            raise RelayError("pair_full")
        return Device.get_by_id(inv.joiner)


def cancel(invite_id: str, now: int, check) -> str | None:
    """Call off a pairing not yet confirmed: the joiner's keys are forgotten, the invite
    stays spent. `check(invite, state)` raises to refuse. Returns the joiner, if any."""
    with db.connection_context(), db.atomic():
        inv = Invite.get_or_none(Invite.id == invite_id)
        admitted = inv is not None and inv.joiner is not None and Device.get_or_none(
            (Device.id == inv.joiner) & (Device.pair_id == inv.pair_id)) is not None
        check(inv, invite_state(inv, admitted, now) if inv else None)
        _forget_joiners(Invite.id == invite_id)
        Invite.update(used_at=now).where((Invite.id == invite_id) & Invite.used_at.is_null()).execute()
        return inv.joiner


def pending_pairing(device_id: str, pair_id: str, now: int):
    """What a logged-in device is owed: pair_request frames for joiners it has not answered,
    and, for a joiner admitted before it saw the inviter's box, that pair_accepted."""
    with db.connection_context():
        requests = list(Invite.select().where(
            (Invite.pair_id == pair_id) & (Invite.creator == device_id)
            & Invite.join_frame.is_null(False) & Invite.accept_box.is_null() & (Invite.expires_at >= now)))
        accepted = list(Invite.select().where(
            (Invite.joiner == device_id) & Invite.accept_box.is_null(False) & (Invite.accept_delivered == 0)))
        return requests, accepted


def mark_accept_delivered(invite_id: str) -> None:
    with db.connection_context(), db.atomic():
        Invite.update(accept_delivered=1).where(Invite.id == invite_id).execute()


def queue_totals(pair_id: str) -> tuple[int, int]:
    with db.connection_context():
        row = Envelope.select(fn.COUNT(Envelope.cursor), fn.SUM(Envelope.size)).where(
            Envelope.pair_id == pair_id).tuples().first()
        return row[0] or 0, row[1] or 0


# The store-and-forward path runs for every envelope, so its few statements are written
# once as SQL rather than rebuilt by the query builder each time (a third of the relay's
# CPU went there). They stay portable: double-quoted names and the engine's placeholder.
HOT_SQL = {
    "last_seq": 'SELECT "last_seq" FROM "device" WHERE "id" = ?',
    "totals": 'SELECT COUNT(*), COALESCE(SUM("size"), 0) FROM "envelope" WHERE "pair_id" = ?',
    "insert": 'INSERT INTO "envelope" ("pair_id", "recipient", "seq", "body", "size", "created_hour") '
              'VALUES (?, ?, ?, ?, ?, ?)',
    "set_last_seq": 'UPDATE "device" SET "last_seq" = ? WHERE "id" = ?',
    "pending": 'SELECT "cursor", "body" FROM "envelope" WHERE "recipient" = ? AND "cursor" > ? '
               'ORDER BY "cursor" LIMIT ?',
    "ack": 'DELETE FROM "envelope" WHERE "recipient" = ? AND "cursor" <= ?',
}


def _sql(name: str) -> str:
    sql = HOT_SQL[name]
    if name == "insert" and db.obj.returning_clause:
        sql += ' RETURNING "cursor"'
    return sql.replace("?", db.obj.param)


def store_envelopes(sender_id: str, recipient: str, pair_id: str, items: list, hour: int,
                    decide) -> list:
    """Store a batch from one sender in one transaction (one disk sync for the lot).

    `decide(last_seq, seq, size, totals)` returns "store" or "dup", or raises for that item
    alone. Returns, per item, a cursor, "dup", or the exception raised.
    """
    results = []
    with db.connection_context(), db.atomic():
        (last_seq,) = db.execute_sql(_sql("last_seq"), (sender_id,)).fetchone()
        first_seq = last_seq
        totals = list(db.execute_sql(_sql("totals"), (pair_id,)).fetchone())
        insert = _sql("insert")
        for seq, body, resend in items:
            try:
                verdict = decide(last_seq, seq, len(body), totals, resend)
            except Exception as exc:  # noqa: BLE001 - the caller turns it into an error frame
                results.append(exc)
                continue
            if verdict == "dup":
                results.append("dup")
                continue
            cur = db.execute_sql(insert, (pair_id, recipient, seq, body, len(body), hour))
            results.append(cur.fetchone()[0] if db.obj.returning_clause else cur.lastrowid)
            last_seq = max(last_seq, seq)  # a resend stores an older seq and moves nothing
            totals[0] += 1
            totals[1] += len(body)
        if last_seq != first_seq:
            db.execute_sql(_sql("set_last_seq"), (last_seq, sender_id))
    return results


def set_receipt(device_id: str, body: bytes, hour: int) -> None:
    with db.connection_context(), db.atomic():
        Receipt.insert(device=device_id, body=body, created_hour=hour).on_conflict(
            conflict_target=[Receipt.device], update={Receipt.body: body, Receipt.created_hour: hour}).execute()


def receipt_of(device_id: str) -> bytes | None:
    with db.connection_context():
        row = Receipt.get_or_none(Receipt.device == device_id)
        return bytes(row.body) if row else None


def pending_envelopes(recipient: str, after: int, limit: int) -> list[tuple[int, bytes]]:
    with db.connection_context():
        rows = db.execute_sql(_sql("pending"), (recipient, after, limit)).fetchall()
    return [(cursor, bytes(body)) for cursor, body in rows]


def acknowledge(recipient: str, cursor: int) -> int:
    """Delete what the recipient has safely applied.

    This commit need not reach the disk before we answer: if a crash undoes it, the
    envelopes are delivered again and the device drops them as replays (protocol §5.5).
    Skipping the sync halves the disk work of a round trip.
    """
    with db.connection_context():
        sqlite = isinstance(db.obj, SqliteDatabase)
        if sqlite:
            db.execute_sql("PRAGMA synchronous=OFF")
        try:
            with db.atomic():
                if not sqlite:
                    db.execute_sql("SET LOCAL synchronous_commit = off")
                return db.execute_sql(_sql("ack"), (recipient, cursor)).rowcount
        finally:
            if sqlite:
                db.execute_sql(f"PRAGMA synchronous={dict(db.obj._pragmas).get('synchronous', 'full')}")


def purge(now: int, envelope_ttl_seconds: int, used_invite_ttl_seconds: int) -> tuple[int, int]:
    """Delete expired envelopes and invites; returns how many of each."""
    hour_cutoff = (now - envelope_ttl_seconds) // 3600
    with db.connection_context(), db.atomic():
        envelopes = Envelope.delete().where(Envelope.created_hour < hour_cutoff).execute()
        invites = Invite.delete().where(
            (Invite.used_at.is_null() & (Invite.expires_at < now))
            | (Invite.used_at.is_null(False) & (Invite.expires_at < now - used_invite_ttl_seconds))).execute()
    return envelopes, invites


def expire_unpaired(now: int, ttl_hours: int, keep: set = frozenset()) -> int:
    """Delete devices that never paired, with their pairs: alone in the pair, registered
    more than `ttl_hours` before `now`, with no open invite, and not in `keep` (devices
    connected right now). Returns how many devices went.

    Every delete re-checks its conditions in one statement, so a device that pairs or opens
    an invite meanwhile, on any engine and any worker, is left alone.
    """
    cutoff = now // 3600 - ttl_hours  # created_hour is coarse: an older hour is older for sure
    alone = Device.select(Device.pair_id).group_by(Device.pair_id).having(fn.COUNT(Device.id) == 1)
    inviting = Invite.select(Invite.pair_id).where(Invite.used_at.is_null() & (Invite.expires_at >= now))
    expired = (Device.created_hour < cutoff) & Device.pair_id.in_(alone) & Device.pair_id.not_in(inviting)
    deleted = 0
    with db.connection_context():
        found = [row for row in Device.select(Device.id, Device.pair_id).where(expired).tuples()
                 if row[0] not in keep]
        for start in range(0, len(found), 500):
            ids = [device for device, _ in found[start:start + 500]]
            pairs = [pair for _, pair in found[start:start + 500]]
            with db.atomic():
                deleted += Device.delete().where(Device.id.in_(ids) & expired).execute()
                Pair.delete().where(Pair.id.in_(pairs) & Pair.id.not_in(Device.select(Device.pair_id))).execute()
                kept = Pair.select(Pair.id).where(Pair.id.in_(pairs))
                Invite.delete().where(Invite.pair_id.in_(pairs) & Invite.pair_id.not_in(kept)).execute()
                Envelope.delete().where(Envelope.pair_id.in_(pairs) & Envelope.pair_id.not_in(kept)).execute()
    return deleted


def stats(now: int) -> dict:
    with db.connection_context():
        count, size = Envelope.select(fn.COUNT(Envelope.cursor), fn.SUM(Envelope.size)).tuples().first()
        return {
            "schema_version": SchemaVersion.select(fn.MAX(SchemaVersion.version)).scalar() or 0,
            "pairs": Pair.select().count(),
            "devices": Device.select().count(),
            "queued_envelopes": count or 0,
            "queued_bytes": size or 0,
            "open_invites": Invite.select().where(Invite.used_at.is_null() & (Invite.expires_at >= now)).count(),
        }
