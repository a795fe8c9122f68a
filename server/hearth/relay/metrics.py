"""What an operator may watch: counts and latencies, in Prometheus's text format at /metrics,
through the standard client library (prometheus_client).

Off unless the `metrics` setting turns it on. Nothing here names a device, a pair or an
address: connections, envelopes stored and delivered, acks, what waits in the queue, and
how long group commits take. Each relay process counts its own (a scrape reaches one of a
`hearth serve`'s workers); what waits in the queue is the database's, the same in all.
"""

from . import store


class Quiet:
    """The relay's hooks when metrics are off: they cost a call and nothing more."""
    enabled = False

    def connection_opened(self) -> None: ...

    def connection_closed(self) -> None: ...

    def stored(self, count: int) -> None: ...

    def delivered(self, count: int) -> None: ...

    def acked(self) -> None: ...

    def committed(self, seconds: float, jobs: int) -> None: ...


class Metrics(Quiet):
    enabled = True

    def __init__(self):
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()   # the app's own: two apps in one test process never mix
        self.connections = Gauge("hearth_connections", "Open websocket connections on this process.",
                                 registry=self.registry)
        self.stored_total = Counter("hearth_envelopes_stored", "Envelopes stored for a recipient.",
                                    registry=self.registry)
        self.delivered_total = Counter("hearth_envelopes_delivered", "Envelopes sent to a recipient's connection.",
                                       registry=self.registry)
        self.acks_total = Counter("hearth_acks", "Acknowledgements taken.", registry=self.registry)
        self.commit_seconds = Histogram(
            "hearth_commit_seconds", "Time of one group commit, disk sync included.", registry=self.registry,
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1.0))
        self.commit_jobs = Histogram("hearth_commit_jobs", "Writes (sends and acks) in one group commit.",
                                     registry=self.registry, buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512))
        queued = Gauge("hearth_queue_envelopes", "Envelopes waiting in the database, for every pair.",
                       registry=self.registry)
        queued.set_function(lambda: waiting()[0])
        queued_bytes = Gauge("hearth_queue_bytes", "Bytes of envelopes waiting in the database.",
                             registry=self.registry)
        queued_bytes.set_function(lambda: waiting()[1])

    def connection_opened(self) -> None:
        self.connections.inc()

    def connection_closed(self) -> None:
        self.connections.dec()

    def stored(self, count: int) -> None:
        self.stored_total.inc(count)

    def delivered(self, count: int) -> None:
        self.delivered_total.inc(count)

    def acked(self) -> None:
        self.acks_total.inc()

    def committed(self, seconds: float, jobs: int) -> None:
        self.commit_seconds.observe(seconds)
        self.commit_jobs.observe(jobs)

    def text(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)


def waiting() -> tuple[int, int]:
    """(envelopes, bytes) waiting, from the pairs' counters: one row a pair, not the queue."""
    with store.reading():
        row = store.db.execute_sql('SELECT COALESCE(SUM("queued"), 0), COALESCE(SUM("queued_bytes"), 0) '
                                   'FROM "pair"').fetchone()
    return int(row[0]), int(row[1])


def open_metrics(settings) -> Quiet:
    return Metrics() if settings.get("metrics") else Quiet()
