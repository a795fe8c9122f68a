"""A crowd of logins (a relay started again under many phones) is taken a few at a time, in
order, and a login whose turn does not come in time is told to come back later, at a random
time, and let go of, instead of waiting for the database pool for 30 seconds with its task,
session and socket held (bench/load.py: 1,000 sessions alive in a process serving 300
phones, and relay memory +40-70% after a restart)."""

import threading

import pytest
from websockets.exceptions import ConnectionClosed

from hearth.relay import admission, store
from wsproto_helpers import RawDevice, paired


def test_a_login_that_waits_too_long_for_its_turn_is_told_to_come_back_and_closed(local_relay, monkeypatch):
    a, b, _ = paired(local_relay.ws_url)
    a.ws.close()
    b.ws.close()
    relay = local_relay.relay
    monkeypatch.setattr(relay, "login_gate", admission.LoginGate(1))
    monkeypatch.setattr(admission, "QUEUE_SECONDS", 0.2)

    # The first login holds the only turn while the database is slow to answer it.
    inside, release = threading.Event(), threading.Event()
    real = store.login_key

    def slow(device):
        inside.set()
        release.wait(10)
        return real(device)

    monkeypatch.setattr(store, "login_key", slow)
    first = RawDevice(local_relay.ws_url, a.keys)
    ready = []
    worker = threading.Thread(target=lambda: ready.append(first.login()))
    worker.start()
    assert inside.wait(10)

    monkeypatch.setattr(store, "login_key", real)
    second = RawDevice(local_relay.ws_url, b.keys)
    second.send({"type": "login", "device": second.id, "sig": ""})   # its frame is not even read yet
    refusal = second.expect("error")
    assert refusal["code"] == "rate_limited" and refusal["in"] == "login"
    assert admission.RETRY_SECONDS[0] <= refusal["retry_after"] <= admission.RETRY_SECONDS[1]
    with pytest.raises(ConnectionClosed):   # closed: it holds nothing while it waits to come back
        second.recv()

    release.set()
    worker.join(10)
    assert ready and ready[0]["type"] == "ready"
    # The turn is given back: the next login goes through.
    again = RawDevice(local_relay.ws_url, b.keys)
    assert again.login()["type"] == "ready"
