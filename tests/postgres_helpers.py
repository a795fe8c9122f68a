"""A throwaway PostgreSQL server for tests: its own cluster in a temporary directory, on a
free port, stopped and deleted afterwards. Nothing assumes a server is already running.

PostgreSQL refuses to run as root, so as root (CI, this machine) the server runs as the
`postgres` user that Debian's `postgresql` package creates; as anyone else, as them.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "postgres"   # the superuser inside the cluster, whoever runs it


def free_port() -> int:
    # Its own, not conftest's: the benches (bench/relay.py, bench/load.py) start servers too.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: Debian keeps them off PATH, in
    /usr/lib/postgresql/<major>/bin; elsewhere they are usually on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


def missing() -> str | None:
    """Why a server cannot be started here, or None if it can."""
    if find_bindir() is None:
        return "PostgreSQL's initdb and pg_ctl are not installed (Debian: apt-get install postgresql)"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "running as root, and there is no runuser to start PostgreSQL as another user"
        try:
            pwd.getpwnam(USER)
        except KeyError:
            return f"running as root, and there is no '{USER}' user to run PostgreSQL as"
    return None


class PostgresServer:
    def __init__(self, durable: bool = False):
        """`durable`: sync commits to disk as a real server does (the benches); the tests'
        server skips that, for speed."""
        self.durable = durable
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="hearth-pg-"))
        self.data, self.sockets, self.log = self.root / "data", self.root / "run", self.root / "server.log"
        self.port = free_port()
        self.as_owner = ["runuser", "-u", USER, "--"] if os.geteuid() == 0 else []

    def run(self, *args: str) -> None:
        done = subprocess.run([*self.as_owner, str(self.bindir / args[0]), *args[1:]], cwd=self.root,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed:\n{done.stdout}\n{done.stderr}\n{log}")

    def start(self) -> "PostgresServer":
        self.sockets.mkdir()
        if self.as_owner:
            for path in (self.root, self.sockets):
                shutil.chown(path, USER, USER)
        # Speed over durability: this cluster lives for one test session.
        self.run("initdb", "-D", str(self.data), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C",
                 "--no-sync")
        self.pg_ctl("start")
        return self

    def pg_ctl(self, action: str) -> None:
        fast = "" if self.durable else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-m", "fast", action, "-o",
                 f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c max_connections=300{fast}")

    def restart(self) -> None:
        """Stop and start again, as an operator's restart does: every connection is cut."""
        self.pg_ctl("restart")

    def create_database(self, name: str):
        """A new, empty database on this server, as a peewee database (not yet connected)."""
        from peewee import PostgresqlDatabase

        admin = PostgresqlDatabase("postgres", host="127.0.0.1", port=self.port, user=USER)
        admin.connect()
        try:
            admin.connection().autocommit = True
            admin.execute_sql(f'CREATE DATABASE "{name}"')
        finally:
            admin.close()
        return PostgresqlDatabase(name, host="127.0.0.1", port=self.port, user=USER)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
