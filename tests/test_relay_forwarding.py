"""Forwarding an envelope live (forwarding.py) must never overtake one the queue holds that
the connection has not been sent: on PostgreSQL another relay process may have committed it
a moment before, its news not yet heard here. Overtaken, it would be skipped, and the ack of
the newer cursor would delete it unseen."""

from hearth.relay import domain, store
from wsproto_helpers import paired


def test_a_live_envelope_never_overtakes_one_committed_elsewhere_and_not_yet_heard_of(local_relay_on_each):
    local = local_relay_on_each
    a, b, _ = paired(local.ws_url)
    a.send_envelope()
    first = b.expect("deliver")

    seq, env = a.envelope()   # as another process stores it: committed, its news still on the way
    with store.transaction():
        elsewhere = store.insert_envelope(a.pair, b.id, seq, env, domain.coarse_hour(local.time()))
        store.count_in(a.pair, 1, len(env))
        store.set_last_seq(a.id, seq)

    sent = a.send_envelope()
    got = [b.expect("deliver")["cursor"] for _ in range(2)]
    assert got == [elsewhere, sent["cursor"]] and first["cursor"] < elsewhere
    b.send({"type": "ack", "cursor": got[-1]})
    b.expect("acked")
    with store.reading():
        assert store.queue_totals(a.pair) == [0, 0]
