"""What relay processes on one PostgreSQL database share, so that any number of them (the
workers of one `hearth serve`, or several `hearth serve` on other ports or hosts) behave as
one relay: news for a device connected to another process, and rate limits.

News travels by PostgreSQL's LISTEN/NOTIFY, no broker of its own. A notification carries
only a kind and opaque ids (news.py), never a frame's contents, well under NOTIFY's 8000
bytes; the process that hears it reads what the ids name from the database. Each process
listens on one connection of its own, outside the pool, and hears in order what the others
published, skipping its own.

On SQLite the relay is one process, and none of this is used.
"""

import base64
import hashlib
import json
import logging
import os
import select
import time

from . import domain, store

log = logging.getLogger("hearth.relay")
CHANNEL = "hearth_news"
RECONNECT_SECONDS = 1
IDLE_CHECK_SECONDS = 30
PUBLISH_ATTEMPTS = 3


class Bus:
    """This process's end of the news channel: publish() to the others, listen() for theirs.

    `hear(news)` is called for every piece of news another process published, one at a time;
    `rejoined()` after listening resumed from a lost connection, since what was published
    meanwhile was missed."""

    def __init__(self, database, hear, rejoined):
        self.database, self.hear, self.rejoined = database, hear, rejoined
        self.origin = base64.urlsafe_b64encode(os.urandom(9)).decode()   # this process, in its own news
        self.listening = None   # the connection, once it listens, while it is open
        self.stopping = False

    def publish(self, *news: dict) -> None:
        """Tell the other processes; what they miss while the database is away, a device
        hears at its next login (or, for envelopes, when rejoined() kicks it)."""
        payloads = [json.dumps({**item, "via": self.origin}, separators=(",", ":")) for item in news]
        # Tried on another connection if the first fails: a pooled connection the database
        # cut (a restart) fails once and is dropped, while the others listen again already
        # and would never hear this news.
        for _ in range(PUBLISH_ATTEMPTS):
            try:
                with store.reading():
                    store.notify(CHANNEL, payloads)
                return
            except Exception as exc:  # noqa: BLE001 - the use case has committed; only liveness is lost
                failure = exc
        log.warning("could not tell the other relay processes: %s", type(failure).__name__)

    def listen(self) -> None:
        """Hear the others' news for as long as the process lives; run in a task of its own."""
        missed = False
        while not self.stopping:
            try:
                self.listening = self.connect()
                if missed:
                    self.rejoined()
                self.take_news(self.listening)
            except Exception as exc:  # noqa: BLE001 - the database restarted, or the network went
                if self.stopping:
                    return
                log.warning("lost the news channel of the other relay processes (%s); listening again",
                            type(exc).__name__)
                # The pool's idle connections were most likely cut with it: each would fail
                # the next use case to take it (a send refused, a delivery closed).
                self.database.close_idle()
            finally:
                self.close()
            missed = True
            time.sleep(RECONNECT_SECONDS)

    def connect(self):
        import psycopg2

        params = dict(self.database.connect_params)
        # A server gone silently is noticed within about a minute.
        params.setdefault("keepalives", 1)
        params.setdefault("keepalives_idle", 30)
        params.setdefault("keepalives_interval", 10)
        params.setdefault("keepalives_count", 3)
        conn = psycopg2.connect(dbname=self.database.database, **params)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
        return conn

    def take_news(self, conn) -> None:
        while not self.stopping:
            select.select([conn], [], [], IDLE_CHECK_SECONDS)   # gevent's own, in its worker
            conn.poll()
            while conn.notifies:
                self.take(conn.notifies.pop(0).payload)

    def take(self, payload: str) -> None:
        try:
            news = json.loads(payload)
        except ValueError:
            log.warning("news from another relay process that is not JSON")
            return
        if not isinstance(news, dict) or news.pop("via", None) == self.origin:
            return
        try:
            self.hear(news)
        except Exception:  # noqa: BLE001 - one piece of news must not stop the rest
            log.exception("failed to hear news of kind %s", news.get("kind"))

    def close(self) -> None:
        conn, self.listening = self.listening, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass

    def stop(self) -> None:
        self.stopping = True
        self.close()


class SharedRateLimiter:
    """domain.RateLimiter's token bucket, kept in the database so that every relay process
    takes from the same one. The key is hashed with the limiter's name: no address is stored.
    A bucket's writes need not survive a crash, so they skip waiting for the disk."""

    def __init__(self, name: str, rate: int, per: float):
        self.name, self.rate, self.per = name, rate, per

    def hit(self, key: str, now: float) -> int:
        hashed = base64.urlsafe_b64encode(hashlib.sha256(f"{self.name}\0{key}".encode()).digest()[:16])
        hashed = hashed.decode().rstrip("=")
        with store.relaxed_transaction():
            tokens, last = store.take_bucket(hashed, float(self.rate), now)
            tokens, retry = domain.take_token(tokens, last, now, self.rate, self.per)
            store.set_bucket(hashed, tokens, now)
        return retry
