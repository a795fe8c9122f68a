"""Around each socket: who may open one, and how writes reach it.

The websocket layer asks these before and while it serves a connection.
"""

import contextlib
import socket
import threading
from urllib.parse import urlsplit

import gevent

# A device that takes nothing from its socket for this long while the relay has frames for
# it is gone, or is holding the relay's memory on purpose; either way the socket is dropped.
WRITE_STALL_SECONDS = 60


def allowed_origin(origin: str | None, scheme: str, host: str, extra: str) -> bool:
    """May a browser page from `origin` open a socket on this relay, reached at scheme://host?"""
    if origin is None:
        return True  # not a browser: Origin protects against other web pages, not programs
    parts = urlsplit(origin)
    if parts.scheme in ("http", "https") and parts.scheme == scheme and parts.netloc == host:
        return True
    return origin in {o.strip().rstrip("/") for o in extra.split(",") if o.strip()}


class AddressSlots:
    """Open sockets per client address in this process, so one address cannot hold them all."""

    def __init__(self):
        self.lock = threading.Lock()
        self.open: dict[str, int] = {}

    def take(self, address: str, most: int) -> bool:
        with self.lock:
            if self.open.get(address, 0) >= most:
                return False
            self.open[address] = self.open.get(address, 0) + 1
            return True

    def give_back(self, address: str) -> None:
        with self.lock:
            left = self.open.get(address, 0) - 1
            if left > 0:
                self.open[address] = left
            else:
                self.open.pop(address, None)


class WholeWrites:
    """The websocket's socket, with every write sent whole and by one greenlet at a time.

    simple-websocket writes with socket.send, which under backpressure sends part of a
    frame and silently drops the rest. And its own reader greenlet answers pings on the
    same socket: in the middle of one of our frames, or, when both must wait for room,
    gevent refuses the second waiter (ConcurrentObjectUseError) and the reader dies.

    A write never raises: a socket that fails or stalls is shut down, and the reader's
    end of file is what ends the connection, in one place.
    """

    def __init__(self, sock):
        self.sock, self.lock, self.broken = sock, threading.Lock(), False

    def send(self, data) -> int:
        with self.lock:
            if not self.broken:
                try:
                    view = memoryview(data)
                    while view:
                        with gevent.Timeout(WRITE_STALL_SECONDS, TimeoutError):  # no room for that long
                            view = view[self.sock.send(view):]
                except OSError:
                    self.broken = True
                    with contextlib.suppress(OSError):
                        self.sock.shutdown(socket.SHUT_RDWR)
        return len(data)

    def __getattr__(self, name):
        return getattr(self.sock, name)
