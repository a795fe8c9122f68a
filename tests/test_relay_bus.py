"""The news channel between relay processes on one PostgreSQL database (shared.Bus) after the
database restarts: every pooled connection was cut with it. News published on a cut
connection must go out on another, since the other processes listen again already and
would never hear it; and the pool's idle connections are dropped as soon as the channel is
lost, so no use case takes a dead one afterwards."""

from peewee import OperationalError

from hearth.relay import shared, store


def test_news_published_on_a_connection_the_database_cut_goes_out_on_another(local_relay, monkeypatch):
    sent = []

    def notify(channel, payloads):
        if not sent:
            sent.append(None)   # this connection was cut by the restart
            raise OperationalError("server closed the connection unexpectedly")
        sent.append((channel, payloads))

    monkeypatch.setattr(store, "notify", notify)
    bus = shared.Bus(store.db.obj, hear=None, rejoined=None)
    bus.publish({"kind": "envelopes", "device": "d"})
    assert len(sent) == 2 and sent[1][0] == shared.CHANNEL and '"device":"d"' in sent[1][1][0]


def test_losing_the_channel_drops_the_pools_idle_connections(monkeypatch):
    monkeypatch.setattr(shared, "RECONNECT_SECONDS", 0)

    class Pool:   # the relay's PooledPostgresqlDatabase, as far as the bus uses it
        closed_idle = 0

        def close_idle(self):
            self.closed_idle += 1

    class Cut:   # a listening connection the database restart cut
        def close(self):
            bus.stopping = True   # one round is enough to see

    bus = shared.Bus(Pool(), hear=None, rejoined=None)
    monkeypatch.setattr(bus, "connect", lambda: Cut())
    monkeypatch.setattr(bus, "take_news", lambda conn: (_ for _ in ()).throw(OperationalError("terminating")))
    bus.listen()
    assert bus.database.closed_idle == 1
