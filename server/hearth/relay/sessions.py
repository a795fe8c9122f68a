"""A connection as the use cases see it (Session), and the only clock they read (Clock)."""

import collections
import os
import time

from .pump import Pump


class Clock:
    """The only time the use cases read: wall seconds, for what is stored and for rate limits,
    which relay processes (on other hosts, perhaps) share. Tests move a clock of their own
    instead of sleeping."""

    def time(self) -> float:
        return time.time()


# An empty deque is 760 bytes, and most sessions sit idle: live and news start as this, and
# become a deque when something is queued on them (hand_live, queue_news).
NOTHING = ()


class Session:
    """One connection, as the use cases see it: who it is once logged in, its challenge,
    and what has been delivered to it."""

    # One per open socket, thousands idle: no attribute dictionary (about 1 KB each).
    __slots__ = ("link", "address", "challenge", "challenge_used", "device", "pair", "peer", "pending", "moving",
                 "told_accepted", "epoch", "delivered", "live", "stale", "handed", "batch", "caught_up", "pump",
                 "news", "ended", "closed", "turn", "acking", "__weakref__")

    def __init__(self, link, address: str, pump: Pump | None = None):
        self.link, self.address = link, address
        self.challenge = os.urandom(32)
        self.challenge_used = False
        self.device = self.pair = self.peer = None
        self.pending = None     # the invite a pending joiner waits on; such a login is not a login
        self.moving = None      # the move invite a confirmed mover receives through (§11.4)
        self.told_accepted = None   # the invite whose pair_accepted this connection was sent
        self.epoch = 0
        self.delivered = 0      # the cursor of the last envelope sent to this connection
        self.live = NOTHING     # (cursor, body) handed over before their commit (forwarding.py)
        self.stale = False      # the queue may hold envelopes this connection was not handed live
        self.handed = 0         # the cursor of the last envelope handed to it live
        self.batch = 1          # envelopes per delivery frame; a device may ask for more at login
        self.caught_up = False
        self.pump = pump
        self.news = NOTHING     # (step, args) for the pump to run before delivering (news.py)
        self.ended = False      # closed, or closing: it hears nothing more
        self.closed = False     # the transport let go of it
        self.turn = None        # the login turn it holds until its first catch-up (admission.py)
        self.acking = None      # the cursor its waiting ack will write, while one waits (forwarding.py)

    def hand_live(self, rows: list) -> None:
        if not self.live:
            self.live = collections.deque()
        self.live.extend(rows)

    def queue_news(self, step, args: tuple) -> None:
        if not self.news:
            self.news = collections.deque()
        self.news.append((step, args))
