"""The quota reads the pair's counters, not its queue: they must stay exactly what the queue
holds through every write that queues or deletes envelopes (send, ack, purge, unpair), on
SQLite and on PostgreSQL."""

import os

import pytest

from hearth.protocol.encoding import b64u
from hearth.relay import store
from wsproto_helpers import paired

DAY = 86400


def counted(relay, pair: str) -> tuple[list, list]:
    """(the pair's counters, a recount of its queue)."""
    with store.reading():
        kept = store.queue_totals(pair)
        rows = [(row.size,) for row in store.Envelope.select().where(store.Envelope.pair_id == pair)]
    return kept, [len(rows), sum(size for size, in rows)]


def refused_for_quota(device, seq_env) -> None:
    seq, env = seq_env
    device.send({"type": "send", "seq": seq, "body": b64u(env)})
    assert device.expect("error")["code"] == "quota_exceeded"


@pytest.fixture(params=["sqlite", "postgresql"])
def small_quota(request, local_relay_factory):
    """A LocalRelay whose pairs may have three envelopes waiting, on each engine."""
    env = {"HEARTH_QUOTA_ENVELOPES": "3"}
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        name = f"quota_{os.urandom(4).hex()}"
        server.create_database(name)
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{server.port}/{name}"
    return local_relay_factory(env=env)


def test_the_quota_holds_exactly_across_sends_acks_and_purges(small_quota):
    local = small_quota
    a, b, _ = paired(local.ws_url)
    for _ in range(3):
        a.send_envelope()
    held = a.envelope()
    refused_for_quota(a, held)
    kept, recount = counted(local, a.pair)
    assert kept == recount and kept[0] == 3

    first = [b.expect("deliver") for _ in range(3)][0]
    b.send({"type": "ack", "cursor": first["cursor"]})   # one off the queue: room for exactly one
    b.expect("acked")
    assert counted(local, a.pair)[0] == [2, recount[1] - (recount[1] // 3)]
    a.send({"type": "send", "seq": held[0], "body": b64u(held[1])})
    assert a.expect("sent")["cursor"]
    refused_for_quota(a, a.envelope())
    kept, recount = counted(local, a.pair)
    assert kept == recount == [3, kept[1]]

    local.sleep(31 * DAY)   # everything waiting expires, and the purge frees the whole quota
    assert local.relay.purge()[0] == 3
    assert counted(local, a.pair) == ([0, 0], [0, 0])
