"""Persistence: peewee models, the versioned schema, and the queries the relay runs.

The queries run inside a transaction their caller opens, `transaction()` (or `reading()`
for reads alone): each use case in service.py is one short transaction, so it reads, asks
domain.py and writes with nothing changing in between, and no socket holds a database
connection while it waits. The schema functions at the top open their own. The queries
stay portable between SQLite and PostgreSQL; the schema itself is migrations.py's.
"""

import contextlib
import hashlib
import json
from pathlib import Path

from peewee import (SQL, AutoField, BigIntegerField, BlobField, CharField, DatabaseProxy, DoubleField, IntegerField,
                    Model, NodeList, PostgresqlDatabase, SqliteDatabase, TextField, fn)
from playhouse.db_url import connect as connect_url
from playhouse.db_url import parse as parse_url
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from hearth.protocol.encoding import b64u, unb64u

from . import migrations

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
    ended_by = CharField(max_length=22, null=True)    # an ended pair (§11.2): who ended it,
    ended_at = BigIntegerField(null=True)             # at what time by their clock,
    end_sig = BlobField(null=True)                    # their signature over that,
    ended_hour = IntegerField(null=True)              # and when the relay heard it
    # What the pair has waiting (envelopes, bytes), kept by every write that queues or
    # deletes envelopes, in its transaction: the quota reads these, never the queue itself.
    queued = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
    queued_bytes = BigIntegerField(default=0, constraints=[SQL("DEFAULT 0")])


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
    kind = CharField(max_length=8, null=True)   # None: a first pairing; "replace" (§11.3) or "move" (§11.4)
    confirmed_at = BigIntegerField(null=True)   # a move confirmed: its joiner receives, not yet in the pair
    move_seq = BigIntegerField(null=True)       # the last seq of the move stream the relay took


class Retired(BaseModel):
    """A device another took the place of (§11.3, 11.4): kept, with its signing key, so its
    logins get a specific answer and its keys cannot come back, until the envelopes' time."""
    id = CharField(primary_key=True, max_length=22)
    pair_id = CharField(max_length=22)
    reason = CharField(max_length=8)        # "replaced" or "moved"
    by = CharField(max_length=22)           # who retired it: the partner, or itself
    successor = CharField(max_length=22, index=True)
    sig_pub = BlobField()
    notice = TextField(null=True)           # a move's `succession` frame, for the partner (§11.4)
    retired_hour = IntegerField()


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
    """An envelope waiting for its recipient. Each index is a page written per envelope:
    (recipient, cursor) serves delivery and acks, created_hour the purge; a pair's envelopes
    are found through its recipients (pair_recipients()), whose queues that index holds."""
    cursor = CursorField()
    pair_id = CharField(max_length=22)
    recipient = CharField(max_length=22)
    seq = BigIntegerField()
    body = BlobField()
    size = IntegerField()
    created_hour = IntegerField(index=True)

    class Meta:
        indexes = ((("recipient", "cursor"), False),)


class Receipt(BaseModel):
    """A device's latest end-to-end receipt for its partner: opaque, one row per writer."""
    device = CharField(primary_key=True, max_length=22)
    body = BlobField()
    created_hour = IntegerField()


class RateLimit(BaseModel):
    """A token bucket every relay process on the database takes from (PostgreSQL; on SQLite
    one process serves and keeps its buckets in memory). The key is a hash, never an address.
    On PostgreSQL the table is UNLOGGED (migrations.py): it is emptied after a crash."""
    key = CharField(primary_key=True, max_length=22)
    tokens = DoubleField()
    at = DoubleField()

    class Meta:
        table_name = "rate_limit"


# Every table the relay uses; tests/test_relay_migrations.py checks that these models describe
# exactly the schema migrations.py makes, so a model changes only with a migration.
MODELS = [SchemaVersion, Pair, Device, Invite, Envelope, Receipt, Retired, RateLimit]


LATEST = migrations.LATEST


class MissingDriver(RuntimeError):
    """DATABASE_URL names PostgreSQL, and its driver is not installed."""


def open_database(settings):
    """The database the settings name: DATABASE_URL, else SQLite in the data directory."""
    if settings.database_url:
        url = settings.database_url.replace("postgres://", "postgresql://", 1)
        if url.startswith("postgresql://"):
            return open_postgres(url, settings.get("database_pool", 10))
        return connect_url(url)
    data = Path(settings.data)
    data.mkdir(parents=True, exist_ok=True)
    return PooledSqliteDatabase(
        str(data / "hearth.db"), max_connections=32, stale_timeout=300, check_same_thread=False,
        # WAL lets readers run beside the writer; "full" makes an acknowledged envelope
        # survive a power cut, not just a killed process.
        pragmas={"journal_mode": "wal", "synchronous": settings.get("sqlite_sync", "full"),
                 "busy_timeout": 10000, "foreign_keys": 1})


def open_postgres(url: str, pool: int):
    """PostgreSQL through psycopg2, with a pool of at most `pool` connections per process, so
    no use case opens a connection of its own (under gevent, green.py makes its waits yield)."""
    try:
        import psycopg2  # noqa: F401 - the driver peewee uses, if it is there
    except ModuleNotFoundError:
        raise MissingDriver("PostgreSQL needs its driver: pip install 'hearth-relay[postgres]'") from None
    # Idle connections are closed after five minutes; a worker short of connections waits
    # up to 30 seconds for one to come back.
    return PooledPostgresqlDatabase(max_connections=pool, stale_timeout=300, timeout=30, **parse_url(url))


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
            if words == "postgresql":   # relay processes starting together upgrade one after another
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (lock_key("upgrade"),))
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


@contextlib.contextmanager
def transaction():
    """One transaction on a connection of this greenlet's own, for the queries below. On
    SQLite it takes the write lock first (IMMEDIATE): the group committer may commit while
    it runs, and a reader that then writes would find its snapshot stale and fail."""
    with db.connection_context(), db.atomic(**({"lock_type": "IMMEDIATE"} if dialect() == "sqlite" else {})):
        yield


def reading():
    """A connection for reads that need no transaction of their own."""
    return db.connection_context()


def lock_key(name: str) -> int:
    """The PostgreSQL advisory lock key for `name`: 64 bits of its hash."""
    return int.from_bytes(hashlib.sha256(b"hearth/" + name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def only_one(name: str):
    """Inside: True if this process may do `name` now, False if another relay process on the
    database is doing it (a PostgreSQL advisory lock held meanwhile). On SQLite, which one
    process serves, always True. Transactions inside run on the same connection."""
    with db.connection_context():
        if dialect() != "postgresql":
            yield True
            return
        key = lock_key(name)
        mine = db.execute_sql("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]
        try:
            yield mine
        finally:
            if mine:
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (key,))


def notify(channel: str, payloads: list[str]) -> None:
    """NOTIFY every session listening on `channel` (PostgreSQL), once per payload."""
    calls = ", ".join(["pg_notify(%s, %s)"] * len(payloads))
    db.execute_sql(f"SELECT {calls}", [value for payload in payloads for value in (channel, payload)])


@contextlib.contextmanager
def relaxed_transaction():
    """A transaction whose commit need not reach the disk before it returns.

    For acknowledgements: if a crash undoes one, the envelopes are delivered again and the
    device drops them as replays (protocol §5.5). Skipping the sync halves the disk work
    of a round trip.
    """
    with db.connection_context():
        sqlite = isinstance(db.obj, SqliteDatabase)
        if sqlite:
            db.execute_sql("PRAGMA synchronous=OFF")
        try:
            with db.atomic():
                if not sqlite:
                    db.execute_sql("SET LOCAL synchronous_commit = off")
                yield
        finally:
            if sqlite:
                db.execute_sql(f"PRAGMA synchronous={dict(db.obj._pragmas).get('synchronous', 'full')}")


# --- queries: inside the caller's transaction() or reading() ----------------------------------

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
        db.execute_sql('SELECT 1 FROM "pair" WHERE "id" = %s FOR UPDATE', (pair_id,))


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


def mover_invite(device_id: str):
    """The device's confirmed move (§11.4) whose mover waits for it, or None."""
    return Invite.get_or_none((Invite.creator == device_id) & (Invite.kind == "move")
                              & Invite.confirmed_at.is_null(False) & Invite.join_frame.is_null(False))


def confirm_move(invite_id: str, now: int, keep_until: int) -> None:
    """The mover is confirmed: it may log in, receive and send receipts until `keep_until`."""
    Invite.update(confirmed_at=now, expires_at=keep_until, move_seq=0).where(Invite.id == invite_id).execute()


def set_move_seq(invite_id: str, seq: int) -> None:
    Invite.update(move_seq=seq).where(Invite.id == invite_id).execute()


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


def devices_in_pair(pair_id: str) -> int:
    return Device.select().where(Device.pair_id == pair_id).count()


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


def admit_joiner(inv, hour: int):
    """Make the invite's pending joiner a device of its pair, from the keys it joined with."""
    keys = json.loads(inv.join_frame)
    Device.create(id=inv.joiner, pair_id=inv.pair_id, suite=keys["suite"], sig_pub=unb64u(keys["sig_pub"]),
                  dh_pub=unb64u(keys["dh_pub"]), created_hour=hour)
    return Device.get_by_id(inv.joiner)


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


# The store-and-forward path runs for every envelope, so its few statements are written
# once as SQL rather than rebuilt by the query builder each time (a third of the relay's
# CPU went there). They stay portable: double-quoted names and the engine's placeholder.
HOT_SQL = {
    "last_seq": 'SELECT "last_seq" FROM "device" WHERE "id" = ?',
    "totals": 'SELECT "queued", "queued_bytes" FROM "pair" WHERE "id" = ?',
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


def set_receipt(device_id: str, body: bytes, hour: int) -> None:
    Receipt.insert(device=device_id, body=body, created_hour=hour).on_conflict(
        conflict_target=[Receipt.device], update={Receipt.body: body, Receipt.created_hour: hour}).execute()


def receipt_of(device_id: str) -> bytes | None:
    row = Receipt.get_or_none(Receipt.device == device_id)
    return bytes(row.body) if row else None


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
