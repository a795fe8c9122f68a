"""The window between forwarding an envelope and committing it (protocol §6).

The relay hands a live recipient its envelope before the commit, and answers the sender's
`sent` only after. Here a real relay process on PostgreSQL is SIGKILLed inside that window:
its COMMIT is held (a deferred constraint trigger the test adds waits on a lock the test
holds), the recipient has the envelope, the sender no `sent`; the relay dies and its
transaction is rolled back. The sender, having no `sent`, sends it again; the recipient gets
it a second time and, by §5.5, sees a repeat it does not apply.
"""

import os

import pytest
from websockets.exceptions import ConnectionClosed

from conftest import RelayProcess
from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import open_envelope, parse_header
from wsproto_helpers import RawDevice, paired

HOLD_LOCK = 4242
HOLD_COMMITS = f"""
CREATE FUNCTION hold_commit() RETURNS trigger AS $$
BEGIN PERFORM pg_advisory_lock({HOLD_LOCK}); PERFORM pg_advisory_unlock({HOLD_LOCK}); RETURN NULL; END
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER hold_commit AFTER INSERT ON envelope DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION hold_commit();
"""


class Receiver:
    """The recipient's §5.5 rules, as far as this test needs them: per sender, `next_seq`;
    an envelope below it is a repeat, not applied."""

    def __init__(self, key: bytes, pair: str, sender: str):
        self.key, self.pair, self.sender = key, pair, sender
        self.next_seq, self.applied, self.repeats = 1, [], 0

    def take(self, body: bytes) -> None:
        open_envelope(self.key, self.pair, self.sender, body)   # authentic, or it raises
        seq = parse_header(body).seq
        if seq < self.next_seq:
            self.repeats += 1
            return
        assert seq == self.next_seq
        self.applied.append(seq)
        self.next_seq = seq + 1


def frames_until_closed(device: RawDevice) -> list[dict]:
    frames = []
    try:
        while True:
            frames.append(device.recv(timeout=20))
    except ConnectionClosed:
        return frames


@pytest.fixture
def relay_on_postgres(postgres_server, tmp_path):
    name = f"window_{os.urandom(4).hex()}"
    database = postgres_server.create_database(name)
    url = f"postgresql://postgres@127.0.0.1:{postgres_server.port}/{name}"
    data = tmp_path / "relay"
    data.mkdir()
    relay = RelayProcess(data, {"DATABASE_URL": url}).start()
    database.connect()
    database.connection().autocommit = True
    yield relay, database
    relay.kill()
    database.close()


def test_a_relay_killed_between_forwarding_and_commit_loses_nothing_and_nothing_is_applied_twice(
        relay_on_postgres):
    relay, database = relay_on_postgres
    a, b, _ = paired(relay.ws_url)
    receiver = Receiver(bytes(32), a.pair, a.id)
    database.execute_sql(HOLD_COMMITS)
    database.execute_sql("SELECT pg_advisory_lock(%s)", (HOLD_LOCK,))

    seq, env = a.envelope()
    a.send({"type": "send", "seq": seq, "body": b64u(env)})
    delivered = b.expect("deliver")          # forwarded while its commit waits
    receiver.take(unb64u(delivered["body"]))
    assert receiver.applied == [1]

    relay.kill()   # inside the window: the relay dies, and its transaction with it
    database.execute_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    database.execute_sql("SELECT pg_advisory_unlock(%s)", (HOLD_LOCK,))
    database.execute_sql("DROP TRIGGER hold_commit ON envelope")
    assert not [f for f in frames_until_closed(a) if f["type"] == "sent"]   # never told it was stored
    assert database.execute_sql("SELECT COUNT(*) FROM envelope").fetchone()[0] == 0   # it was not

    relay.start()
    sender = RawDevice(relay.ws_url, a.keys)
    assert sender.login()["last_seq"] == 0   # the relay has nothing from it: it sends again
    sender.send({"type": "send", "seq": seq, "body": b64u(env)})
    assert sender.expect("sent")["cursor"]

    recipient = RawDevice(relay.ws_url, b.keys)
    recipient.login()
    again = recipient.expect("deliver")
    receiver.take(unb64u(again["body"]))
    assert receiver.applied == [1] and receiver.repeats == 1   # a repeat, not applied again
    recipient.send({"type": "ack", "cursor": again["cursor"]})
    recipient.expect("acked")
    assert database.execute_sql("SELECT COUNT(*) FROM envelope").fetchone()[0] == 0
