"""The relay's tables as peewee models, and the versioned schema: what version a database is
at, and upgrading it through migrations.py's frozen DDL.
"""

from peewee import (SQL, AutoField, BigIntegerField, BlobField, CharField, DoubleField, IntegerField, NodeList,
                    SqliteDatabase, TextField, fn)

from . import migrations
from .database import BaseModel, db, dialect, lock_key


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
