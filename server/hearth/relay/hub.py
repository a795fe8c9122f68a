"""The sessions of this process that are logged in, by device, so news for a device
(news.py) reaches its connections here: a new envelope, a receipt, a pairing step. Another
relay process on the same database has a hub of its own, and hears the news too."""

import threading


class Hub:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_device: dict[str, set] = {}

    def add(self, session) -> None:
        with self.lock:
            self.by_device.setdefault(session.device, set()).add(session)

    def remove(self, session) -> None:
        with self.lock:
            sessions = self.by_device.get(session.device)
            if sessions:
                sessions.discard(session)
                if not sessions:
                    del self.by_device[session.device]

    def sessions(self, device: str) -> list:
        with self.lock:
            return list(self.by_device.get(device, ()))

    def count(self) -> int:
        with self.lock:
            return sum(len(s) for s in self.by_device.values())

    def devices(self) -> set:
        with self.lock:
            return set(self.by_device)
