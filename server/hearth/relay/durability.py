"""How the group committer (committer.py) makes a group's writes durable once it has
committed them without waiting for the disk: SQLite's WAL forced to disk, and now and then
checkpointed; PostgreSQL's log flushed up to every commit so far. Each runs where the
committer says (a thread, or a greenlet whose queries yield)."""

import os

from . import store


def wal_to_sync() -> str | None:
    """The WAL file the syncer forces to disk: SQLite's, when its setting asks every commit
    to survive a power cut (sqlite_sync=full); None otherwise (PostgreSQL syncs its own)."""
    database = store.db.obj
    if store.dialect() != "sqlite" or str(dict(database._pragmas).get("synchronous", "")).lower() not in ("full", "2"):
        return None
    return f"{database.database}-wal"


def sync_postgres() -> None:
    """Wait until every commit so far is on disk: a transaction of our own that must write
    its commit record (txid_current() gives it an id) and commits synchronously. One round
    trip; a group's envelopes share it."""
    with store.db.connection_context():
        store.db.execute_sql("BEGIN; SET LOCAL synchronous_commit = on; SELECT txid_current(); COMMIT")


def checkpoint(raw) -> None:
    """Copy what the WAL holds into the database file (syncing both), so the WAL starts over;
    its answer read to the end, or the statement stays open and the next COMMIT fails."""
    raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def sync_file(path: str) -> None:
    """fdatasync the WAL: what SQLite's own COMMIT does at synchronous=FULL. A WAL that is
    not there (the last connection checkpointed and removed it) has nothing unsynced."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fdatasync(fd)
    finally:
        os.close(fd)
