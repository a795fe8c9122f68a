"""A sender that leaves while its envelopes are being committed: they are stored, and the
recipient's connections must still hear of them. Its `sent` answers have nowhere to go;
they raised, the use case stopped there, and the news of the envelopes (for the
recipient's connections on another relay process, or not yet caught up on this one) never
went out. bench/load.py lost envelopes this way: each waited in the queue while its
recipient, connected to the other process, heard nothing until its next login."""

from simple_websocket import ConnectionClosed

from hearth.protocol.encoding import b64u
from wsproto_helpers import paired


def test_the_news_of_an_envelope_goes_out_though_its_sender_has_gone(local_relay):
    told = []

    class Bus:   # what the other relay processes would hear
        def publish(self, *news):
            told.extend(news)

    local_relay.relay.bus = Bus()
    a, b, _ = paired(local_relay.ws_url)
    seq, env = a.envelope()

    def gone(data: str) -> None:   # the sender's socket closed while its envelope was committed
        raise ConnectionClosed()

    a.ws.endpoint.write = gone
    try:
        a.send({"type": "send", "seq": seq, "body": b64u(env)})
    except ConnectionClosed:
        pass   # before: the use case stopped at `sent`, and nothing below ran
    assert {"kind": "envelopes", "device": b.id} in told
    assert b.expect("deliver")["cursor"]
