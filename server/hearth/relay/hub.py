"""The sessions of this process that are logged in, by device, so a use case can reach a
device's connections at once: a new envelope, a receipt, a pairing step."""

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

    def tell(self, device: str, frame: dict) -> int:
        """Send `frame` to every connection of `device`; returns how many there were."""
        sessions = self.sessions(device)
        for session in sessions:
            session.link.send(frame)
        return len(sessions)

    def count(self) -> int:
        with self.lock:
            return sum(len(s) for s in self.by_device.values())

    def devices(self) -> set:
        with self.lock:
            return set(self.by_device)
