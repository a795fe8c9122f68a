"""The disk sync is pipelined (committer.py), on SQLite with sqlite_sync=full and on
PostgreSQL: while one group's writes are being made durable, the next group runs and
forwards its envelopes, and no job is answered before the sync that covers it. Each leg of
a round trip waited behind the previous group's sync (0.8 ms on the bench's disk) before
any envelope of its own moved.

The committer groups jobs only under gevent, as in a serving process, so the check runs in a
process of its own with gevent's patches; the sync is held by the test instead of the disk."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SERVER = Path(__file__).resolve().parents[1] / "server"

SCRIPT = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()

    import json, sys, threading
    import gevent

    from hearth.relay import committer, durability, green, settings as settings_mod, store

    given = {"data": sys.argv[1], "sqlite_sync": sys.argv[2]} if "://" not in sys.argv[2] else \
        {"data": sys.argv[1], "database_url": sys.argv[2]}
    store.bind(store.open_database(settings_mod.load(given)))
    green.cooperate(store.db.obj)
    store.upgrade()

    held, syncs = threading.Event(), []
    real_sync, real_pg_sync = durability.sync_file, durability.sync_postgres

    def slow_sync(path):   # runs in the syncer's thread: the disk is slow today
        syncs.append(path)
        held.wait(10)
        real_sync(path)

    def slow_pg_sync():
        syncs.append("postgresql")
        held.wait(10)
        real_pg_sync()

    durability.sync_file, durability.sync_postgres = slow_sync, slow_pg_sync
    c = committer.Committer()
    events = []

    def job(name):
        c.run(lambda: events.append(f"{name} written"), lambda _: events.append(f"{name} forwarded"), key=name)
        events.append(f"{name} answered")

    first = gevent.spawn(job, "first")
    gevent.sleep(0.2)   # committed; its sync held
    second = gevent.spawn(job, "second")
    gevent.sleep(0.2)
    before = list(events)
    held.set()
    gevent.joinall([first, second], timeout=10)
    print(json.dumps({"before_sync": before, "after": events, "syncs": syncs}))
""")


def run(tmp_path, sync: str) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), sync], capture_output=True, text=True,
                          timeout=60, env={"PYTHONPATH": str(SERVER), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_next_group_runs_while_the_last_one_syncs_and_nothing_is_answered_before_its_sync(tmp_path):
    result = run(tmp_path, "full")
    # The second group wrote and forwarded while the first's sync was held; nobody was answered.
    assert result["before_sync"] == ["first written", "first forwarded", "second written", "second forwarded"]
    assert result["after"][4:] == ["first answered", "second answered"]
    assert result["syncs"] and all(path.endswith("hearth.db-wal") for path in result["syncs"])


def test_on_postgresql_too_the_next_group_runs_while_the_last_one_syncs(tmp_path, postgres_server):
    name = f"pipelined_{os.urandom(4).hex()}"
    postgres_server.create_database(name)
    result = run(tmp_path, f"postgresql://postgres@127.0.0.1:{postgres_server.port}/{name}")
    assert result["before_sync"] == ["first written", "first forwarded", "second written", "second forwarded"]
    assert result["after"][4:] == ["first answered", "second answered"]
    assert result["syncs"] and set(result["syncs"]) == {"postgresql"}


def test_sqlite_sync_normal_is_not_synced_by_the_relay_either(tmp_path):
    result = run(tmp_path, "normal")
    assert result["syncs"] == []
    assert result["after"] == ["first written", "first forwarded", "first answered",
                               "second written", "second forwarded", "second answered"]


MANY = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()

    import json, os, sys
    import gevent

    from hearth.relay import committer, green, settings as settings_mod, store

    store.bind(store.open_database(settings_mod.load({"data": sys.argv[1]})))
    green.cooperate(store.db.obj)
    store.upgrade()
    with store.db.connection_context():
        store.db.execute_sql("CREATE TABLE scratch (body BLOB)")
    c = committer.Committer()
    errors, largest = [], 0
    for n in range(3 * committer.CHECKPOINT_EVERY):
        try:
            c.run(lambda: store.db.execute_sql("INSERT INTO scratch VALUES (?)", (os.urandom(2000),)))
        except Exception as exc:
            errors.append(repr(exc))
        largest = max(largest, os.path.getsize(sys.argv[1] + "/hearth.db-wal"))
    with store.db.connection_context():
        rows = store.db.execute_sql("SELECT COUNT(*) FROM scratch").fetchone()[0]
    print(json.dumps({"errors": errors[:3], "rows": rows, "largest_wal": largest}))
""")


def test_the_committer_checkpoints_the_wal_itself_and_goes_on_committing(tmp_path):
    """With the WAL unsynced at COMMIT, SQLite's own checkpoints (two syncs inside a COMMIT,
    on the event loop) are off, and the committer makes them in its thread, so the WAL still
    starts over rather than grow with every envelope ever stored."""
    done = subprocess.run([sys.executable, "-c", MANY, str(tmp_path)], capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(SERVER), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == [] and result["rows"] == 3 * 200
    # Each commit adds a page or two (4 KiB) to the WAL: without checkpoints 600 would pass 2.4 MB.
    assert result["largest_wal"] < 2_000_000, result
