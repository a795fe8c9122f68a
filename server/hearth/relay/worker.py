"""The relay's gunicorn worker: gunicorn's gevent worker, made to stop quietly when told to
stop quickly (Ctrl-C, SIGINT or SIGQUIT to `hearth serve`).

Told so, gunicorn's gevent worker marks itself no longer alive and, in a greenlet, waits
0.1 s and raises SystemExit. Its main loop checks the mark once a second. When that check
falls inside the 0.1 s, the loop finds no request running and returns first, and the
process is already in the interpreter's shutdown, waiting for its last websocket readers,
when the SystemExit lands: gevent prints it as a traceback in the operator's log. Here the
greenlet raises only while the main loop still runs; once it has returned, the process is
already on its way out.
"""

import sys

import gevent
from gunicorn.workers.ggevent import GeventWorker


class Worker(GeventWorker):
    running = False

    def run(self):
        self.running = True
        try:
            super().run()
        finally:
            self.running = False

    def handle_quit(self, sig, frame):
        gevent.spawn(self.quit_quickly)   # not in the signal handler: it may wait and log

    def quit_quickly(self):
        self.alive = False
        self.cfg.worker_int(self)
        gevent.sleep(0.1)
        if self.running:
            sys.exit(0)
