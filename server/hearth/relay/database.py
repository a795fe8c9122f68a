"""The relay's database: which engine (SQLite, or PostgreSQL through a pool), the proxy every
model and query uses (`db`), and the transactions the queries run in.

The queries (devices.py, invites.py, envelopes.py, upkeep.py) run inside a transaction their
caller opens: the group commit's (committer.py), `transaction()`, or `reading()` for reads
alone. The schema is models.py's, made by migrations.py's DDL.
"""

import contextlib
import hashlib
from pathlib import Path

from peewee import DatabaseProxy, InterfaceError, Model, OperationalError, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import connect as connect_url
from playhouse.db_url import parse as parse_url
from playhouse.pool import MaxConnectionsExceeded, PooledPostgresqlDatabase, PooledSqliteDatabase


db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db


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


class Pool(PooledPostgresqlDatabase):
    """peewee's pool of PostgreSQL connections, checking the connections it hands out and
    takes back without asking the server.

    peewee's own check sends `SELECT 1` on every checkout, inside the pool's lock: every use
    case's connection cost a round trip more, and under gevent every other use case of the
    process waited in line behind it. A connection the server dropped (a restart) shows as
    closed, or with its status unknown, once a query on it has failed: it is closed as it
    comes back, and with it the idle ones, which the same restart most likely cut (left in
    the pool, each failed the next use case to take it)."""

    def open_with_next(self, sql: str | None) -> None:
        """Send `sql` (a BEGIN) in front of the next statement on this connection, in the
        same round trip; None forgets it. The group commit's BEGIN costs no wait of its own."""
        self._state.opening = sql

    def opening_pending(self) -> bool:
        return getattr(self._state, "opening", None) is not None

    def execute_sql(self, sql, params=None):
        opening = getattr(self._state, "opening", None)
        if opening is not None:
            self._state.opening = None
            sql = f"{opening}; {sql}"
        return super().execute_sql(sql, params)

    def _is_closed(self, conn):
        return broken(conn)

    def _can_reuse(self, conn):
        if broken(conn):
            self._connections, idle = [], self._connections   # under the pool's lock (_close)
            for _, _, other in idle:
                self._close_raw(other)
            return False
        try:
            if conn.get_transaction_status() != TRANSACTION_IDLE:
                conn.rollback()
        except Exception:  # noqa: BLE001 - it failed now: not worth keeping
            return False
        return True


TRANSACTION_IDLE, TRANSACTION_UNKNOWN = 0, 4   # psycopg2.extensions' TRANSACTION_STATUS_*


def broken(conn) -> bool:
    """Has this psycopg2 connection been closed, or lost its server?"""
    try:
        return bool(conn.closed) or conn.get_transaction_status() == TRANSACTION_UNKNOWN
    except Exception:  # noqa: BLE001 - psycopg2 raises "connection already closed" for some
        return True


def open_postgres(url: str, pool: int):
    """PostgreSQL through psycopg2, with a pool of at most `pool` connections per process, so
    no use case opens a connection of its own (under gevent, green.py makes its waits yield)."""
    try:
        import psycopg2  # noqa: F401 - the driver peewee uses, if it is there
    except ModuleNotFoundError:
        raise MissingDriver("PostgreSQL needs its driver: pip install 'hearth-relay[postgres]'") from None
    # Idle connections are closed after five minutes; a worker short of connections waits
    # up to 30 seconds for one to come back.
    return Pool(max_connections=pool, stale_timeout=300, timeout=30, **parse_url(url))


def bind(database) -> None:
    db.initialize(database)


def dialect() -> str:
    """The bound engine, as migrations.DIALECTS names it."""
    if isinstance(db.obj, SqliteDatabase):
        return "sqlite"
    if isinstance(db.obj, PostgresqlDatabase):
        return "postgresql"
    raise RuntimeError(f"the relay runs on SQLite or PostgreSQL, not {type(db.obj).__name__}")


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


def unavailable(exc: BaseException) -> bool:
    """Did `exc` come from the database being away or out of connections (a restart, a cut
    network, a pool with none free in time), rather than from a fault of the relay's own?"""
    return isinstance(exc, (OperationalError, InterfaceError, MaxConnectionsExceeded))


def describe(exc: BaseException) -> str:
    """One line for the log: the kind of failure and its first line, no traceback (a database
    restart fails every connection of the process at once)."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


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
