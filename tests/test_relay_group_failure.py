"""A group commit that fails (the database restarting) lets go of every task that waited on
it. It gave them all one exception; each task raised it again, adding its own frames to its
traceback, so the one exception held every waiting connection's frames, session and socket
alive, and each task's log printed the whole pile (bench/load.py: relay memory +60% after a
database restart, and hundreds of tracebacks).

The committer groups jobs only under gevent, as in a serving process, so the check runs in a
process of its own with gevent's patches."""

from gevent_helpers import last_json, run_under_gevent

SCRIPT = """
    import gc, json, sys, weakref
    import gevent
    from peewee import OperationalError

    from hearth.relay import committer, green, settings as settings_mod, store

    store.bind(store.open_database(settings_mod.load({"data": sys.argv[1]})))
    green.cooperate(store.db.obj)

    def finish(self, sqlite):
        raise OperationalError("server closed the connection unexpectedly")

    committer.Committer.finish = finish
    c = committer.Committer()

    class Held:   # what a waiting connection holds: its session, its socket
        pass

    held, errors = [], []

    def connection():
        mine = Held()
        held.append(weakref.ref(mine))
        try:
            c.run(lambda: None, key="p")
        except Exception as exc:
            errors.append(exc)

    gevent.joinall([gevent.spawn(connection) for _ in range(50)])
    counts = {"errors": len(errors), "distinct": len({id(e) for e in errors}),
              "types": sorted({type(e).__name__ for e in errors})}
    kept = errors[0]   # as a log record or a late handler might: it should hold its own task alone
    errors.clear()
    gc.collect()
    print(json.dumps({**counts, "alive": sum(ref() is not None for ref in held)}))
"""


def test_a_failed_group_commit_gives_each_waiter_its_own_error_and_holds_nothing(tmp_path):
    run = run_under_gevent(SCRIPT, tmp_path)
    result = last_json(run)
    assert result["errors"] == 50
    assert result["distinct"] == 50, "one exception shared by every waiter"
    assert result["alive"] <= 1, "one waiter's error holds the other waiters' frames"
    assert result["types"] == ["CommitFailed"]
    # One line for the group, and no traceback: a restart fails every connection at once.
    assert run.stderr.count("a group commit of") == 1, run.stderr
    assert "Traceback" not in run.stderr


FAIL_FAST = """
    import json, sys
    import gevent
    from peewee import OperationalError

    from hearth.relay import committer, green, settings as settings_mod, store

    store.bind(store.open_database(settings_mod.load({"data": sys.argv[1]})))
    green.cooperate(store.db.obj)
    c = committer.Committer()
    ran, errors = [], []

    def cut():
        ran.append("cut")
        raise OperationalError("server closed the connection unexpectedly")

    def job(name, work):
        try:
            c.run(work, key=name)
        except Exception as exc:
            errors.append(type(exc).__name__)

    gevent.joinall([gevent.spawn(job, "a", cut)] +
                   [gevent.spawn(job, f"b{n}", lambda n=n: ran.append(n)) for n in range(3)])
    print(json.dumps({"ran": ran, "errors": sorted(errors)}))
"""


def test_a_group_whose_connection_goes_stops_at_once(tmp_path):
    run = run_under_gevent(FAIL_FAST, tmp_path)
    result = last_json(run)
    assert result["ran"] == ["cut"], "the jobs after the cut ran on the dead connection, each failing alone"
    assert result["errors"] == ["CommitFailed", "CommitFailed", "CommitFailed", "OperationalError"]
    assert run.stderr.count("a group commit of") == 1, run.stderr
