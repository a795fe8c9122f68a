"""The relay in the test's own process: its Flask app (for HTTP tests, through Flask's test
client) and devices that speak frames to its use cases without a socket.

Everything short of the socket is the real thing: ws.py's parsing, dispatch table and error
frames, service.py's use cases, store.py on a SQLite file in the test's directory. What a
socket adds (upgrades, timeouts, slow readers, frames arriving in bursts, a killed process)
is tested against a real `hearth serve` (conftest.RelayProcess).

Deliveries run at once, in the thread that handled the frame, so once a frame has been
handled everything it causes has been sent: a device that finds nothing waiting knows
nothing more is coming. The clock is real time plus what the test skipped with sleep().
"""

import collections
import os
import time

from websockets.exceptions import ConnectionClosedOK

from hearth.relay import settings as settings_mod
from hearth.relay import store, ws
from hearth.relay.app import create_app
from hearth.relay.service import Clock


class SteppedClock(Clock):
    def __init__(self):
        self.skipped = 0.0

    def time(self) -> float:
        return time.time() + self.skipped


def run_now(fn) -> None:
    fn()


class LocalRelay:
    """One at a time per process: the store's database is the process's."""

    def __init__(self, data_dir, env: dict | None = None, upgrade: bool = True):
        self.data_dir = data_dir
        self.clock = SteppedClock()
        # The environment is the test's alone: nothing from the shell that runs pytest, but
        # the test run's one compressed copy of the app (conftest.py).
        self.settings = settings_mod.load({"data": str(data_dir), "app_cache": os.environ.get("HEARTH_APP_CACHE")},
                                          environ=env or {})
        self.app = create_app(self.settings, spawn=run_now, clock=self.clock)
        self.relay = self.app.extensions["hearth.relay"]
        if upgrade:
            store.upgrade()

    @property
    def ws_url(self) -> "LocalRelay":
        """What RawDevice connects to, in place of a relay's ws:// URL."""
        return self

    def connect(self, origin: str | None = None) -> "LocalSocket":
        if origin is not None:
            raise ValueError("an in-process device opens no websocket, so it has no Origin to check")
        return LocalSocket(self.relay)

    def time(self) -> float:
        return self.clock.time()

    def sleep(self, seconds: float) -> None:
        """Move the relay's clock on instead of waiting."""
        self.clock.skipped += seconds

    def stats(self) -> dict:
        with store.reading():
            return store.stats(int(self.clock.time()))

    def close(self) -> None:
        database = store.db.obj
        if hasattr(database, "close_all"):
            database.close_all()


class LocalSocket:
    """What RawDevice uses of a websocket (send, recv, close), on one of the relay's
    endpoints: each frame sent is handled before send returns."""

    def __init__(self, relay):
        self.frames = collections.deque()
        self.ended = False
        self.endpoint = ws.Endpoint(relay, "127.0.0.1", self.frames.append, self.end)
        self.endpoint.hello()

    def end(self) -> None:
        """The relay closed this connection: what it sent before is still read, then nothing."""
        self.ended = True

    def send(self, message) -> None:
        if self.ended:
            raise ConnectionClosedOK(None, None)
        self.endpoint.take([message])

    def recv(self, timeout: float | None = None) -> str:
        if not self.frames and self.ended:
            raise ConnectionClosedOK(None, None)
        if not self.frames:
            raise TimeoutError("the relay has nothing more for this device")
        return self.frames.popleft()

    def close(self) -> None:
        self.endpoint.close()
