"""Forwarding an envelope live (forwarding.py) must never overtake one the queue holds that
the connection has not been sent: on PostgreSQL another relay process may have committed it
a moment before, its news not yet heard here. Overtaken, it would be skipped, and the ack of
the newer cursor would delete it unseen."""

from hearth.protocol.encoding import b64u
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


def test_a_burst_of_acks_is_one_task_at_a_time_and_the_last_acked_names_the_highest_cursor(any_relay):
    """A relay that fell behind once held a task per ack, each with its connection, by the
    thousand. Acks are cumulative, so an ack that comes while an earlier one waits for its
    commit only raises the cursor written next (protocol §6): a burst of acks is answered by
    far fewer `acked`s, the last with the highest cursor, and nothing is lost."""
    a, b, _ = paired(any_relay.ws_url)
    cursors = [a.send_envelope()["cursor"] for _ in range(3)]
    assert [b.expect("deliver")["cursor"] for _ in range(3)] == cursors
    burst = 300
    b.send_together([{"type": "ack", "cursor": cursors[0] + i % 2} for i in range(burst - 1)]   # older and repeated too
                    + [{"type": "ack", "cursor": cursors[-1]}, {"type": "ping"}])
    answers = []
    while not answers or answers[-1] != cursors[-1]:
        frame = b.recv()
        if frame["type"] == "acked":
            answers.append(frame["cursor"])
    assert len(answers) < burst // 2, len(answers)
    assert answers == sorted(answers)
    b.close()
    b2 = type(b)(any_relay.ws_url, keys=b.keys)
    b2.login()
    assert b2.expect("caught_up")   # nothing delivered again: all three were acknowledged


def test_sends_whose_connection_went_before_their_commit_are_not_stored_and_come_again(local_relay):
    """A relay that falls behind holds sends while phones come and go. A send whose socket
    closed before its group ran is not stored: its device was never told `sent`, so it
    sends it again from its next login (protocol §6), and nothing is lost or doubled."""
    a, b, _ = paired(local_relay.ws_url)
    seq, env = a.envelope()
    frame = {"type": "send", "seq": seq, "body": b64u(env)}
    a.ws.endpoint.is_open = lambda: False   # as the library says once the socket has closed
    a.send(frame)
    assert a.quiet() and b.quiet()   # no `sent`, nothing delivered
    with store.reading():
        assert store.queue_totals(a.pair) == [0, 0]
    a.ws.endpoint.is_open = lambda: True   # the same send, from the next connection
    a.send(frame)
    assert a.expect("sent")["seq"] == seq
    assert b.expect("deliver")["body"] == b64u(env)
