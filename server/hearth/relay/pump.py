"""A pump: runs one step in a task of its own whenever it is kicked, one task at a time.

Each session's deliveries run through one, so an idle socket owns no extra task, and a
kick while the step runs makes it run once more rather than twice at once.
"""

import logging
import threading

log = logging.getLogger("hearth.relay")


class Pump:
    __slots__ = ("step", "spawn", "lock", "running", "dirty")   # one per socket

    def __init__(self, step, spawn):
        """`step()` does the work; `spawn(fn)` runs fn in a new task (the transport's)."""
        self.step, self.spawn = step, spawn
        self.lock = threading.Lock()
        self.running = self.dirty = False

    def kick(self) -> None:
        with self.lock:
            if self.running:
                self.dirty = True
                return
            self.running, self.dirty = True, False
        self.spawn(self.run)

    def run(self) -> None:
        try:
            while True:
                self.step()
                with self.lock:
                    if not self.dirty:
                        self.running = False
                        return
                    self.dirty = False
        except Exception as exc:  # noqa: BLE001 - a closed socket ends the pump quietly
            with self.lock:
                self.running = False
            if type(exc).__name__ != "ConnectionClosed":
                log.exception("delivery stopped")
