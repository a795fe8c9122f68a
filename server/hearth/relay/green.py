"""The database under gevent.

psycopg2 waits for the server inside libpq, where gevent cannot switch: a query would hold
up every connection of the worker. Told how to wait (psycopg2's wait callback, as the
psycogreen package does it), it waits as gevent waits for any socket, and the worker's
other connections run meanwhile.

Then two greenlets can be inside a transaction at once, so each needs a connection of its
own from the pool. peewee keeps "this thread's connection" in a threading.local, but
`hearth serve` imported peewee in gunicorn's master, before the worker's gevent patched
threading.local into a greenlet-local: left alone, every greenlet of a worker would share
one connection, and one's transaction would be another's.
"""

import peewee
from gevent import local, monkey


class _GreenletConnection(peewee._ConnectionState, local.local):
    """peewee's per-thread connection state, per greenlet."""


def cooperate(database) -> None:
    """Under gevent's patched sockets (gunicorn's gevent worker), make `database`'s
    connections each greenlet's own and, on PostgreSQL, psycopg2's waits gevent's; elsewhere
    (the CLI, tests in one thread) change nothing. SQLite needs the first too: the group
    committer (committer.py) yields inside its transaction while the disk syncs."""
    if not monkey.is_module_patched("socket"):
        return
    database._state = _GreenletConnection()
    if isinstance(database, peewee.PostgresqlDatabase):
        wait_cooperatively()


def wait_cooperatively() -> None:
    import psycopg2
    from gevent.socket import wait_read, wait_write
    from psycopg2 import extensions

    def wait(conn, timeout=None):
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                wait_read(conn.fileno(), timeout=timeout)
            elif state == extensions.POLL_WRITE:
                wait_write(conn.fileno(), timeout=timeout)
            else:
                raise psycopg2.OperationalError(f"unexpected state from poll(): {state!r}")

    extensions.set_wait_callback(wait)
