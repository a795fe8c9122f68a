"""A device's state directory: its private keys and a SQLite database of everything else."""

import json
import os
import sqlite3
from pathlib import Path

from cryptography.hazmat.primitives.serialization import (Encoding, NoEncryption, PrivateFormat,
                                                          load_pem_private_key)

from hearth.protocol.identity import DeviceKeys

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL, id TEXT NOT NULL, author TEXT NOT NULL,
    fields TEXT NOT NULL, clocks TEXT NOT NULL,
    UNIQUE (type, id));
CREATE TABLE IF NOT EXISTS outbox (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    body BLOB NOT NULL, seq INTEGER UNIQUE, envelope BLOB);
CREATE TABLE IF NOT EXISTS held (seq INTEGER PRIMARY KEY, envelope BLOB NOT NULL);
"""


class StateError(RuntimeError):
    pass


class State:
    def __init__(self, directory: str):
        self.dir = Path(directory)
        # Everything here is the device itself: its private keys, the pair's root key and every
        # record in the clear. Only its owner may read it, whatever the umask or an older
        # version left behind (SQLite makes its -wal and -shm files under the umask).
        old_umask = os.umask(0o077)
        try:
            self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.dir, 0o700)
            self.db = sqlite3.connect(self.dir / "client.db", isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(SCHEMA)
        finally:
            os.umask(old_umask)
        for path in self.dir.iterdir():
            if path.is_file():
                os.chmod(path, 0o600)

    # --- meta ------------------------------------------------------------------------------

    def get(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (key, json.dumps(value)))

    def transaction(self):
        return _Transaction(self.db)

    # --- keys ------------------------------------------------------------------------------

    def has_keys(self) -> bool:
        return (self.dir / "signing.pem").exists()

    def keys(self) -> DeviceKeys:
        if not self.has_keys():
            raise StateError("this state directory has no device yet; run 'invite' or 'join' first")
        load = lambda name: load_pem_private_key((self.dir / name).read_bytes(), password=None)  # noqa: E731
        return DeviceKeys(load("signing.pem"), load("agreement.pem"))

    def save_keys(self, keys: DeviceKeys) -> None:
        for name, key in (("signing.pem", keys.sig), ("agreement.pem", keys.dh)):
            path = self.dir / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))

    # --- records ---------------------------------------------------------------------------

    def record(self, rtype: str, rid: str):
        row = self.db.execute("SELECT author, fields, clocks FROM records WHERE type = ? AND id = ?",
                              (rtype, rid)).fetchone()
        return (row[0], json.loads(row[1]), json.loads(row[2])) if row else None

    def save_record(self, rtype: str, rid: str, author: str, fields: dict, clocks: dict) -> None:
        self.db.execute(
            "INSERT INTO records (type, id, author, fields, clocks) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(type, id) DO UPDATE SET fields = excluded.fields, clocks = excluded.clocks",
            (rtype, rid, author, json.dumps(fields), json.dumps(clocks)))

    def records(self, rtype: str):
        for author, rid, fields in self.db.execute(
                "SELECT author, id, fields FROM records WHERE type = ? ORDER BY n", (rtype,)):
            yield author, rid, json.loads(fields)

    def every_record(self):
        """(type, id, author, fields, clocks) of every record, in the order this device got them."""
        for rtype, rid, author, fields, clocks in self.db.execute(
                "SELECT type, id, author, fields, clocks FROM records ORDER BY n"):
            yield rtype, rid, author, json.loads(fields), json.loads(clocks)

    # --- outbox ----------------------------------------------------------------------------

    def queue(self, body: bytes) -> None:
        self.db.execute("INSERT INTO outbox (body) VALUES (?)", (body,))

    def unsealed(self):
        return self.db.execute("SELECT n, body FROM outbox WHERE envelope IS NULL ORDER BY n").fetchall()

    def seal(self, n: int, seq: int, envelope: bytes) -> None:
        self.db.execute("UPDATE outbox SET seq = ?, envelope = ? WHERE n = ?", (seq, envelope, n))

    def sealed(self):
        return self.db.execute("SELECT seq, envelope FROM outbox WHERE envelope IS NOT NULL ORDER BY seq").fetchall()

    def kept(self, seq: int):
        row = self.db.execute("SELECT envelope FROM outbox WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None

    def kept_from(self) -> int | None:
        return self.db.execute("SELECT MIN(seq) FROM outbox WHERE envelope IS NOT NULL").fetchone()[0]

    def confirmed(self, up_to_seq: int) -> None:
        """My partner's device has these (its receipt says so): stop keeping them."""
        self.db.execute("DELETE FROM outbox WHERE seq IS NOT NULL AND seq <= ?", (up_to_seq,))

    def let_go_beyond(self, most: int) -> None:
        """Keep at most `most` sealed envelopes for resending; the oldest go first."""
        self.db.execute("DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE envelope IS NOT NULL "
                        "ORDER BY seq DESC LIMIT -1 OFFSET ?)", (most,))

    def unseal_all(self) -> None:
        """Forget every seal (a forked chain, §5.6): the bodies will be sealed again, in order."""
        self.db.execute("UPDATE outbox SET seq = NULL, envelope = NULL")

    def outbox_bodies(self) -> list[bytes]:
        """Every body queued or kept for the partner, in the order written."""
        return [body for (body,) in self.db.execute("SELECT body FROM outbox ORDER BY n")]

    def drop_outbox(self) -> None:
        """Forget everything queued or kept for the partner (a new partner device, §11.3)."""
        self.db.execute("DELETE FROM outbox")

    def drop_held(self) -> None:
        self.db.execute("DELETE FROM held")

    def outbox_size(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]

    # --- envelopes from my partner that arrived early (§5.5) -------------------------------

    def hold(self, seq: int, envelope: bytes) -> None:
        self.db.execute("INSERT OR IGNORE INTO held (seq, envelope) VALUES (?, ?)", (seq, envelope))

    def take_held(self, seq: int):
        row = self.db.execute("SELECT envelope FROM held WHERE seq = ?", (seq,)).fetchone()
        if row:
            self.db.execute("DELETE FROM held WHERE seq = ?", (seq,))
        return row[0] if row else None

    def held_seqs(self) -> list[int]:
        return [seq for (seq,) in self.db.execute("SELECT seq FROM held ORDER BY seq")]


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind, value, tb):
        self.db.execute("ROLLBACK" if kind else "COMMIT")
        return False
