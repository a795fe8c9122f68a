"""Ctrl-C to `hearth serve` stops its worker without a traceback in the operator's log, even
when the stop lands just as the worker's main loop looks up (it looks once a second) and
the process is already waiting for its last websocket readers (CI caught one such stop in
test_relay_hardening's no_traceback check)."""

from gevent_helpers import run_under_gevent

# The worker's own main loop with no listening socket, and one websocket reader (a thread,
# as simple-websocket makes them) still finishing when the worker returns. The quick stop
# comes 0.95 s into the loop, so the loop's look at 1 s falls within the stop's 0.1 s wait.
SCRIPT = """
    import signal, sys, threading
    import gevent

    from hearth.relay.worker import Worker

    class Config:
        is_ssl, graceful_timeout = False, 5

        def worker_int(self, worker):
            pass

    class Heartbeat:
        def notify(self):
            pass

    worker = object.__new__(Worker)
    worker.alive, worker.sockets, worker.cfg, worker.tmp = True, [], Config(), Heartbeat()
    worker.ppid = __import__("os").getppid()
    gevent.spawn_later(0.95, worker.handle_quit, signal.SIGQUIT, None)
    threading.Thread(target=gevent.sleep, args=(1.5,)).start()   # a reader, not yet done
    worker.run()
    print("returned")
    sys.exit(0)   # as gunicorn's arbiter ends a worker whose run() returned
"""


def test_a_quick_stop_as_the_worker_returns_leaves_no_traceback():
    run = run_under_gevent(SCRIPT)
    assert run.stdout.strip() == "returned"
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
