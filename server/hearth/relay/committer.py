"""Group commit: the writes of every connection of a process (envelopes and acks, and every
other use case's, through Relay.write), gathered into one transaction and one disk sync,
off the event loop.

A connection hands run() a job: `work()`, the job's reads and writes, and `forward(result)`,
which hands what it wrote to live recipients. The committer runs the jobs waiting, each in
a savepoint of its own (one refused does not undo the others), then every job's forward,
and only then commits. run() returns the job's result once it is durable, so a sender's
`sent` never comes before its envelope is on disk, while the recipient has it already
(protocol §6 says why that loses nothing and duplicates nothing a receiver applies).

Under gevent (a serving process) the committer is a greenlet of its own: jobs that arrive
while it commits wait for the next group. SQLite's COMMIT runs in a thread; PostgreSQL's
connection yields by itself (green.py). Elsewhere (the CLI, the in-process tests) a job runs
at once, alone.

Under gevent the disk sync is pipelined: a group commits without waiting for the disk, and
a syncer greenlet then makes durable every group committed before its sync began, and only
then lets their jobs go. Meanwhile the next group runs: a live envelope no longer waits
behind the previous group's sync (one per leg of a round trip, 0.8 ms on the bench's disk).
- SQLite with sqlite_sync=full: the group commits at synchronous=NORMAL (its pages written
  to the WAL file, not forced to disk), and the sync is an fdatasync of the WAL file, in a
  thread of its own, which is what COMMIT itself does at synchronous=FULL.
- PostgreSQL: the group commits with synchronous_commit off (its row locks let go at once),
  and the sync is a transaction of its own that commits synchronously: PostgreSQL flushes
  its log in order, so that commit returns only once every commit before it is on disk.
Nothing a job answers is less durable: its answer waits for the sync as it waited for the
COMMIT's own, and the log is written in order, so no group survives a power cut without
every group before it. With sqlite_sync=normal nothing is synced, as before.
"""

import logging
import time
from contextlib import contextmanager

from gevent import monkey

from . import durability, store

log = logging.getLogger("hearth.relay")
MAX_GROUP = 512   # jobs in one transaction; more wait for the next
CHECKPOINT_EVERY = 200   # groups between two checkpoints of SQLite's WAL, when the committer makes them
GONE_CHECK_SECONDS = 1.0   # how often a waiting job asks whether its connection is still there


class CommitFailed(Exception):
    """The group a job was in could not commit (most often the database went away). Each job
    is given one of its own: one exception shared by the group, raised again in each job's
    task, grew a traceback through every waiting task's frames and kept their connections
    and sessions alive as long as any of them held it (bench/load.py's memory after a
    database restart)."""


class SenderGone(Exception):
    """The job's connection closed before its group ran: nothing was written for it, and
    its device, never told `sent`, sends it again at its next login (protocol §6)."""


class Job:
    __slots__ = ("work", "forward", "key", "alive", "done", "result", "error", "taken")

    def __init__(self, work, forward, key, alive=None):
        self.work, self.forward, self.key, self.alive = work, forward, key, alive
        self.result = self.error = None
        self.done = None
        self.taken = False   # in a group: it runs, whatever becomes of its connection

    def give_up(self) -> None:
        """Its connection went before its group ran: it will not run, and lets go of its
        closures (the connection, its session) at once. A queue that holds it keeps a husk."""
        self.work = self.forward = self.alive = None
        self.error = SenderGone()


class Committer:
    def __init__(self, observe=None):
        """`observe(seconds, jobs)` hears how long each group took to commit (metrics.py)."""
        self.observe = observe or (lambda seconds, jobs: None)
        self.cooperative = monkey.is_module_patched("socket")
        self.waiting: list[Job] = []
        if self.cooperative:
            import gevent
            from gevent.event import Event
            from gevent.threadpool import ThreadPool

            self.wake = Event()
            self.last_used, self.stale_after = 0.0, getattr(store.db.obj, "_stale_timeout", None) or 300
            self.thread = ThreadPool(1) if store.dialect() == "sqlite" else None
            self.wal = durability.wal_to_sync()
            self.since_checkpoint = 0
            self.pipelined = bool(self.wal) or store.dialect() == "postgresql"
            if self.pipelined:
                self.unsynced: list[Job] = []
                self.sync_wake = Event()
                self.syncer = ThreadPool(1) if self.wal else None
                gevent.spawn(self.sync_loop)
            gevent.spawn(self.loop)

    def run(self, work, forward=None, key: str = "", alive=None):
        """work()'s result, once what it wrote is committed; its exception if it raised, or
        the commit's if the group could not commit. `key`, the pair whose row the job locks:
        a group takes its jobs in key order, so two processes' groups never wait on each other
        in a circle (PostgreSQL). `alive()`, if given, is asked as the group starts: a job
        whose connection has gone by then is not run, and raises SenderGone. (On a relay
        that fell behind, phones come and go while their sends wait: bench/load.py's queue
        of waiting jobs grew to thousands, mostly from connections long closed.)"""
        job = Job(work, forward, key, alive)
        if not self.cooperative:
            self.commit([job])
        else:
            from gevent.event import Event

            job.done = Event()
            self.waiting.append(job)
            self.wake.set()
            self.wait(job)
        # The job lets go of what it carried: raised, an error's traceback holds this task's
        # frames, and the committer may still hold the job (its last group).
        error, result, job.error, job.result = job.error, job.result, None, None
        if error is not None:
            raise error
        return result

    @staticmethod
    def wait(job: Job) -> None:
        """Until the job is done; or, if its connection goes before a group takes it, until
        then. A relay that falls behind holds thousands of jobs waiting, and phones that
        give up and come back leave theirs behind: each held its closed connection until
        its group came (bench/load.py). Now a closed one is let go within a second."""
        if job.alive is None:
            job.done.wait()
            return
        while not job.done.wait(GONE_CHECK_SECONDS):
            if not job.taken and not job.alive():
                job.give_up()
                return

    def loop(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            while self.waiting:
                group, self.waiting = self.waiting[:MAX_GROUP], self.waiting[MAX_GROUP:]
                for job in group:
                    job.taken = True
                group.sort(key=lambda job: job.key)   # stable: one connection's jobs keep their order
                synced_later = False
                try:
                    self.commit(group)
                    if self.cooperative and self.pipelined:
                        self.unsynced.extend(group)   # let go once the WAL is on disk
                        self.sync_wake.set()
                        synced_later = True
                except BaseException as exc:  # noqa: BLE001 - the committer must outlive any group
                    log.warning("a group commit of %d writes failed: %s", len(group), store.describe(exc))
                    for job in group:
                        job.error = job.error or CommitFailed(store.describe(exc))
                finally:
                    if not synced_later:
                        for job in group:
                            job.done.set()
                    group = None   # not kept while the committer waits for the next

    def sync_loop(self) -> None:
        """Force the WAL to disk for every group committed so far, then let their jobs go."""
        while True:
            self.sync_wake.wait()
            self.sync_wake.clear()
            while self.unsynced:
                batch, self.unsynced = self.unsynced, []
                try:
                    if self.wal:
                        self.syncer.apply(durability.sync_file, (self.wal,))
                    else:
                        durability.sync_postgres()
                except BaseException as exc:  # noqa: BLE001 - the syncer must outlive any failure
                    log.warning("could not sync %d writes to disk: %s", len(batch), store.describe(exc))
                    for job in batch:
                        job.error = job.error or CommitFailed(store.describe(exc))
                finally:
                    for job in batch:
                        job.done.set()
                    batch = None

    def commit(self, group: list[Job]) -> None:
        """Run the group's jobs in one transaction, forward what they wrote, then commit."""
        started = time.perf_counter()
        group = [job for job in group if self.still_wanted(job)]
        if not group:
            return
        sqlite = store.dialect() == "sqlite"
        with self.connection():
            if sqlite:   # IMMEDIATE: the write lock first, so no other writer's snapshot goes stale under it
                store.db.execute_sql("BEGIN IMMEDIATE")
            elif self.cooperative:   # sent with the first job's first statement; the syncer syncs instead
                store.db.open_with_next("BEGIN; SET LOCAL synchronous_commit = off")
            else:
                store.db.execute_sql("BEGIN")
            try:
                if len(group) == 1:   # alone, it needs no savepoint: if it fails, nothing commits
                    self.run_alone(group[0], sqlite)
                    if group[0].error is not None:
                        return
                for job in group if len(group) > 1 else ():
                    self.run_in_savepoint(job)
                if self.cooperative:   # handed over while the commit's sync runs
                    self.forward(group)
                self.finish(sqlite)
            except BaseException:
                self.abandon()
                raise
        if not self.cooperative:   # one thread: its deliveries would read inside this transaction
            self.forward(group)
        self.observe(time.perf_counter() - started, len(group))

    @contextmanager
    def connection(self):
        """The connection a group runs on. The committer's greenlet keeps one from group to
        group: taking it from the pool and giving it back, and SQLite's two PRAGMAs, cost a
        tenth of the relay's CPU in a round trip (bench/relay.py under py-spy). A group that
        fails gives it back, as does one after `stale_after` seconds idle (the pool's own
        limit), so the next group starts on a fresh one. Elsewhere (the CLI, the in-process
        tests, any thread) a group takes one from the pool and gives it back."""
        if not self.cooperative:
            with store.db.connection_context():
                yield
            return
        if not store.db.is_closed() and time.monotonic() - self.last_used > self.stale_after:
            store.db.close()
        if store.db.is_closed():
            store.db.connect()
            if self.wal:   # the syncer syncs instead, and the committer checkpoints (finish())
                store.db.execute_sql("PRAGMA synchronous=NORMAL")
                store.db.execute_sql("PRAGMA wal_autocheckpoint=0")
        try:
            yield
        except BaseException:
            store.db.close()
            raise
        self.last_used = time.monotonic()

    @staticmethod
    def still_wanted(job: Job) -> bool:
        if job.work is None:   # given up while it waited
            return False
        if job.alive is None or job.alive():
            return True
        job.give_up()
        return False

    @staticmethod
    def run_in_savepoint(job: Job) -> None:
        """A job among others, in a savepoint of its own, so one refused undoes only its own
        writes. One fixed name, released each time, in plain SQL: peewee's savepoint() names
        each with a fresh uuid4, a twentieth of the relay's CPU in a flood of sends."""
        store.db.execute_sql("SAVEPOINT job")
        try:
            job.result = job.work()
        except Exception as exc:  # noqa: BLE001 - this job's alone: its sender is told
            job.error = exc
            if store.unavailable(exc):
                # The connection or the database went (a restart): every job after it would
                # fail on it in turn, each with a warning of its own (bench/load.py: hundreds
                # of "connection already closed" a restart).
                raise
            store.db.execute_sql("ROLLBACK TO SAVEPOINT job")
        store.db.execute_sql("RELEASE SAVEPOINT job")

    def run_alone(self, job: Job, sqlite: bool) -> None:
        """A group of one job: its work, with no savepoint (two statements, and on PostgreSQL
        two round trips, fewer); rolled back if it fails."""
        try:
            job.result = job.work()
        except Exception as exc:  # noqa: BLE001 - its sender is told
            job.error = exc
            self.abandon()

    @staticmethod
    def forward(group: list[Job]) -> None:
        for job in group:
            if job.error is None and job.forward is not None:
                job.forward(job.result)

    def finish(self, sqlite: bool) -> None:
        if self.nothing_began(sqlite):
            return
        if not (sqlite and self.cooperative):
            store.db.execute_sql("COMMIT")
            return
        raw = store.db.connection()
        if not self.wal:   # it syncs: off the event loop
            self.thread.apply(raw.execute, ("COMMIT",))
            return
        # Unsynced, COMMIT only writes the WAL: a thread's hand-off would cost more than it. The
        # checkpoint SQLite would make inside some COMMITs (two syncs) is made here instead,
        # now and then, in the thread, while no other group writes, so it always completes.
        raw.execute("COMMIT")
        self.since_checkpoint += 1
        if self.since_checkpoint >= CHECKPOINT_EVERY:
            self.since_checkpoint = 0
            self.thread.apply(durability.checkpoint, (raw,))

    def nothing_began(self, sqlite: bool) -> bool:
        """On PostgreSQL the BEGIN waits for the group's first statement: with none sent,
        nothing began, and there is nothing to commit or roll back."""
        if sqlite or not self.cooperative or not store.db.opening_pending():
            return False
        store.db.open_with_next(None)
        return True

    def abandon(self) -> None:
        try:
            if self.nothing_began(store.dialect() == "sqlite"):
                return
            store.db.execute_sql("ROLLBACK")
        except Exception:  # noqa: BLE001 - the connection itself may be gone
            log.warning("could not roll back a failed group commit")

