"""How many logins a relay process works on at once, and what a login beyond them hears.

A login reads the database several times (its rate limit, the device, its pair, what it is
owed), and a relay started again under many phones hears nearly all of them at once. Let
into the database pool together, they took its connections in no order: some waited the
pool's 30 seconds and failed, their phones came straight back, and meanwhile the process
held every waiting login's task, session and socket (bench/load.py: 1,000 sessions alive in
a process serving 300 phones, pool_in_use 20 of 20, relay memory +40-70%).

Here logins queue in arrival order (gevent's semaphore wakes its waiters first come, first
served), at most `size` at work. A login's turn lasts until its connection has read what was
queued for it (its first catch-up, in its pump), as that read is the rest of a login's
database work: without it, every phone let in took part in a crowd of catch-ups instead,
which failed in the pool in the same way. One that waits longer than QUEUE_SECONDS is refused with
`rate_limited` and a `retry_after` drawn at random, and its connection closes, so what it
held is let go and the phones come back spread out rather than all at once.
"""

import random
import threading

from .domain import RelayError

QUEUE_SECONDS = 5
RETRY_SECONDS = (2, 10)   # retry_after is drawn from this range, so returning phones spread out


class LoginGate:
    def __init__(self, size: int):
        self.slots = threading.BoundedSemaphore(size)

    def wait_turn(self) -> RelayError | None:
        """Wait for this login's turn: None once it has come (call done() after), or the
        refusal to send if it did not come in time."""
        if self.slots.acquire(timeout=QUEUE_SECONDS):
            return None
        return RelayError("rate_limited", "The relay is busy; try again shortly.",
                          retry_after=random.randint(*RETRY_SECONDS))

    def done(self) -> None:
        self.slots.release()


def give_back(session) -> None:
    """The session's login turn, if it still holds one, goes to the next login. Once."""
    gate, session.turn = session.turn, None
    if gate is not None:
        gate.done()
