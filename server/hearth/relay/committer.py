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
while it commits wait for the next group. SQLite's COMMIT, whose fsync would hold up every
connection of the process, runs in a thread; PostgreSQL's connection yields by itself
(green.py). Elsewhere (the CLI, the in-process tests) a job runs at once, alone.
"""

import logging
import time

from gevent import monkey

from . import store

log = logging.getLogger("hearth.relay")
MAX_GROUP = 512   # jobs in one transaction; more wait for the next


class CommitFailed(Exception):
    """The group a job was in could not commit (most often the database went away). Each job
    is given one of its own: one exception shared by the group, raised again in each job's
    task, grew a traceback through every waiting task's frames and kept their connections
    and sessions alive as long as any of them held it (bench/load.py's memory after a
    database restart)."""


class Job:
    __slots__ = ("work", "forward", "key", "done", "result", "error")

    def __init__(self, work, forward, key):
        self.work, self.forward, self.key = work, forward, key
        self.result = self.error = None
        self.done = None


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
            self.thread = ThreadPool(1) if store.dialect() == "sqlite" else None
            gevent.spawn(self.loop)

    def run(self, work, forward=None, key: str = ""):
        """work()'s result, once what it wrote is committed; its exception if it raised, or
        the commit's if the group could not commit. `key`, the pair whose row the job locks:
        a group takes its jobs in key order, so two processes' groups never wait on each other
        in a circle (PostgreSQL)."""
        job = Job(work, forward, key)
        if not self.cooperative:
            self.commit([job])
        else:
            from gevent.event import Event

            job.done = Event()
            self.waiting.append(job)
            self.wake.set()
            job.done.wait()
        # The job lets go of what it carried: raised, an error's traceback holds this task's
        # frames, and the committer may still hold the job (its last group).
        error, result, job.error, job.result = job.error, job.result, None, None
        if error is not None:
            raise error
        return result

    def loop(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            while self.waiting:
                group, self.waiting = self.waiting[:MAX_GROUP], self.waiting[MAX_GROUP:]
                group.sort(key=lambda job: job.key)   # stable: one connection's jobs keep their order
                try:
                    self.commit(group)
                except BaseException as exc:  # noqa: BLE001 - the committer must outlive any group
                    log.warning("a group commit of %d writes failed: %s", len(group), store.describe(exc))
                    for job in group:
                        job.error = job.error or CommitFailed(store.describe(exc))
                finally:
                    for job in group:
                        job.done.set()
                    group = None   # not kept while the committer waits for the next

    def commit(self, group: list[Job]) -> None:
        """Run the group's jobs in one transaction, forward what they wrote, then commit."""
        started = time.perf_counter()
        sqlite = store.dialect() == "sqlite"
        with store.db.connection_context():
            # IMMEDIATE: the write lock first, so no other writer's snapshot goes stale under it.
            store.db.execute_sql("BEGIN IMMEDIATE" if sqlite else "BEGIN")
            try:
                for job in group:
                    try:
                        with store.db.savepoint():
                            job.result = job.work()
                    except Exception as exc:  # noqa: BLE001 - this job's alone: its sender is told
                        job.error = exc
                if self.cooperative:   # handed over while the commit's sync runs
                    self.forward(group)
                self.finish(sqlite)
            except BaseException:
                self.abandon()
                raise
        if not self.cooperative:   # one thread: its deliveries would read inside this transaction
            self.forward(group)
        self.observe(time.perf_counter() - started, len(group))

    @staticmethod
    def forward(group: list[Job]) -> None:
        for job in group:
            if job.error is None and job.forward is not None:
                job.forward(job.result)

    def finish(self, sqlite: bool) -> None:
        if sqlite and self.cooperative:
            raw = store.db.connection()
            self.thread.apply(raw.execute, ("COMMIT",))   # the fsync, off the event loop
        else:
            store.db.execute_sql("COMMIT")

    def abandon(self) -> None:
        try:
            store.db.execute_sql("ROLLBACK")
        except Exception:  # noqa: BLE001 - the connection itself may be gone
            log.warning("could not roll back a failed group commit")
