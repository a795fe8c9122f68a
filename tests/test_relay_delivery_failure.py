"""A delivery the database fails (a restart, a pool with no connection free in time) must
not leave the device silent: what it is owed stays queued, and nothing else would send it
until more news came for it. bench/load.py lost envelopes this way: a phone that logged in
while PostgreSQL restarted heard `ready` and then nothing, while its partner had stopped
sending."""

import pytest
from peewee import OperationalError
from websockets.exceptions import ConnectionClosed

from hearth.relay import store
from wsproto_helpers import RawDevice, paired


def test_a_failed_delivery_closes_the_connection_and_the_next_login_gets_everything(local_relay, monkeypatch):
    a, b, _ = paired(local_relay.ws_url)
    b.ws.close()
    sent = a.send_envelope()   # waits for b, offline

    real = store.pending_envelopes
    failures = []

    def fails_once(*args):
        if not failures:
            failures.append(args)
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args)

    monkeypatch.setattr(store, "pending_envelopes", fails_once)
    again = RawDevice(local_relay.ws_url, b.keys)
    again.login()
    assert failures
    with pytest.raises(ConnectionClosed):   # closed, not left waiting with nothing coming
        again.expect("deliver")

    last = RawDevice(local_relay.ws_url, b.keys)
    last.login()
    assert last.expect("deliver")["cursor"] == sent["cursor"]
    last.expect("caught_up")
