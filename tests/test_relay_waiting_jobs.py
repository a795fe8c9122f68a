"""A send waiting for the group committer lets go of its connection as soon as the
connection closes, not when a group finally takes it. A relay that fell behind held
thousands of waiting sends, most from phones that had given up and come back, each
holding its closed connection (bench/load.py: relay memory +40%).

The committer groups jobs only under gevent, as in a serving process, so the check runs in a
process of its own with gevent's patches (as test_relay_group_failure.py does)."""

from gevent_helpers import last_json, run_under_gevent

SCRIPT = """
    import gc, json, sys, weakref
    import gevent
    from gevent.event import Event

    from hearth.relay import committer, green, settings as settings_mod, store

    store.bind(store.open_database(settings_mod.load({"data": sys.argv[1]})))
    store.upgrade()
    green.cooperate(store.db.obj)
    committer.GONE_CHECK_SECONDS = 0.05
    c = committer.Committer()

    stuck, started = Event(), Event()

    def slow_group():   # a group that takes its time: the database is behind
        started.set()
        stuck.wait()

    class Held:   # what a waiting connection holds: its session, its socket
        pass

    held, outcomes, ran = [], [], []
    connections = [{"open": True} for _ in range(50)]

    def connection(state):
        mine = Held()
        held.append(weakref.ref(mine))
        try:
            c.run(lambda: ran.append(mine), key="p", alive=lambda: state["open"] and mine is not None)
            outcomes.append("stored")
        except committer.SenderGone:
            outcomes.append("gone")

    first = gevent.spawn(c.run, slow_group, key="a")
    started.wait(10)
    waiters = [gevent.spawn(connection, state) for state in connections]
    gevent.sleep(0)   # every send queued behind the slow group
    for state in connections[:40]:
        state["open"] = False   # forty phones give up while the group runs
    gevent.joinall(waiters[:40], timeout=10)
    gc.collect()
    while_stuck = {"returned": sum(w.dead for w in waiters[:40]), "outcomes": sorted(set(outcomes)),
                   "held": sum(ref() is not None for ref in held[:40])}
    stuck.set()
    gevent.joinall([first, *waiters], timeout=10)
    print(json.dumps({"while_stuck": while_stuck, "ran": len(ran), "outcomes": outcomes.count("stored")}))
"""


def test_a_send_whose_connection_closes_while_it_waits_lets_go_at_once_and_never_runs(tmp_path):
    result = last_json(run_under_gevent(SCRIPT, tmp_path))
    # While the group before them still runs, the forty closed connections' sends have
    # returned SenderGone, and nothing holds what their connections held.
    assert result["while_stuck"] == {"returned": 40, "outcomes": ["gone"], "held": 0}
    # The ten still open are stored once the group is done; the forty never run.
    assert result["ran"] == 10
    assert result["outcomes"] == 10
