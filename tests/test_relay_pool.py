"""The relay's pool of PostgreSQL connections (database.Pool), against a real server.

peewee's own pool sent `SELECT 1` on every checkout, inside its lock: a round trip more per
use case, with every other use case of the process waiting in line behind it. The relay's
checks a connection without asking the server; a connection the server dropped fails the
one use case that takes it, and is closed as it comes back, together with the idle ones the
same restart cut, so the next use cases get fresh connections."""

import os

import psycopg2
import pytest
from peewee import InterfaceError, OperationalError

from hearth.relay import database


class CountingCursor(psycopg2.extensions.cursor):
    sent = 0   # statements sent, on every connection

    def execute(self, sql, params=None):
        CountingCursor.sent += 1
        return super().execute(sql, params)


class Counting(psycopg2.extensions.connection):
    """A psycopg2 connection whose cursors count the statements they send."""

    def cursor(self, *args, **kwargs):
        kwargs.setdefault("cursor_factory", CountingCursor)
        return super().cursor(*args, **kwargs)


@pytest.fixture
def pool(postgres_server):
    name = f"pool_{os.urandom(4).hex()}"
    admin = postgres_server.create_database(name)
    admin.connect()
    admin.connection().autocommit = True
    url = f"postgresql://postgres@127.0.0.1:{postgres_server.port}/{name}"
    pool = database.open_postgres(url, 4)
    pool.connect_params["connection_factory"] = Counting
    CountingCursor.sent = 0
    yield pool, admin
    pool.close_all()
    admin.close()


def one_query(pool) -> int:
    with pool.connection_context():
        return pool.execute_sql("SELECT 41 + 1").fetchone()[0]


def test_a_checkout_asks_the_server_nothing(pool):
    pool, _ = pool
    assert one_query(pool) == 42   # a new connection
    before = CountingCursor.sent
    for _ in range(5):
        assert one_query(pool) == 42   # the same one, from the pool
    assert CountingCursor.sent - before == 5, "a statement of the pool's own per checkout"


def test_connections_the_server_dropped_fail_at_most_once_and_are_all_let_go(pool):
    pool, admin = pool
    # Three connections in the pool, idle...
    held = [pool._connect() for _ in range(3)]
    for conn in held:
        pool._close(conn)
    assert len(pool._connections) == 3
    # ...and the server drops them all (a restart).
    admin.execute_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")

    failures = 0
    for _ in range(4):
        try:
            assert one_query(pool) == 42
        except (OperationalError, InterfaceError):
            failures += 1
    assert failures <= 1, "each dead idle connection failed a use case of its own"
    assert not pool._connections or not any(database.broken(conn) for _, _, conn in pool._connections)
