"""Several relay processes on one PostgreSQL database behave as one relay: the two phones of
a pair connected to two different `hearth serve` processes pair, send both ways, hear each
other's receipts, the end of the pair, a replacement and a move, and share one rate limit.
SQLite, one process's database, refuses more than one worker."""

import os
import subprocess
import sys
import time

import psycopg2
import pytest
from websockets.exceptions import ConnectionClosed

from conftest import RelayProcess
from hearth.protocol.encoding import b64u
from hearth.protocol.identity import MOVED
from hearth.protocol.receipt import seal_receipt
from test_relay_move import FULL_RECEIPT, move_envelope, retire_frame
from test_relay_unpair import closed, fresh_login, unpair_frame
from wsproto_helpers import RawDevice, new_invite


@pytest.fixture
def on_one_database(postgres_server, tmp_path):
    """start(count=2, env=None) -> `count` relay processes on one fresh PostgreSQL database,
    started together (so they upgrade the empty database at the same moment)."""
    started = []

    def start(count: int = 2, env: dict | None = None) -> list[RelayProcess]:
        name = f"processes_{os.urandom(4).hex()}"
        postgres_server.create_database(name)
        url = f"postgresql://postgres@127.0.0.1:{postgres_server.port}/{name}"
        relays = []
        for _ in range(count):
            data = tmp_path / f"relay-{len(started)}"
            data.mkdir()
            relays.append(RelayProcess(data, {"DATABASE_URL": url, **(env or {})}).launch())
            relays[-1].database_url = url
            started.append(relays[-1])
        return [relay.wait_ready() for relay in relays]

    yield start
    for relay in started:
        relay.kill()


def receipt_frame(device: RawDevice, epoch: int | None = None) -> dict:
    body = seal_receipt(bytes(32), device.pair, device.id, device.epoch if epoch is None else epoch, FULL_RECEIPT)
    return {"type": "receipt", "body": b64u(body)}


def pair_across(here: RelayProcess, there: RelayProcess, kind: str | None = None, partner: RawDevice = None):
    """An inviter on `here` and a joiner on `there`, every pairing step crossing between the
    two processes: (inviter, joiner, invite). With `kind` ("replace" or "move"), `partner`
    is the inviter, already paired."""
    a = partner or RawDevice(here.ws_url)
    if partner is None:
        a.register()
    invite = new_invite()
    a.send({"type": "invite", "invite": invite, **({kind: True} if kind else {})})
    a.expect("invite_ok")
    b = RawDevice(there.ws_url)
    b.join(invite)
    assert a.expect("pair_request")["device"] == b.id        # heard on the other process
    a.send({"type": "accept", "invite": invite, "box": b64u(os.urandom(100))})
    a.expect("accept_ok")
    assert b.expect("pair_accepted")["invite"] == invite      # and back
    a.send({"type": "confirm", "invite": invite})
    ok = a.expect("confirm_ok")
    assert ok["peer"]["device"] == b.id
    confirmed = b.expect("pair_confirmed")
    assert confirmed["invite"] == invite
    if "epoch" in ok:
        a.epoch = b.epoch = ok["epoch"]
        a.seq = b.seq = 0
    return a, b, invite


@pytest.mark.process
def test_a_pair_split_across_two_processes_pairs_sends_both_ways_and_hears_receipts(on_one_database):
    one, two = on_one_database()
    a, b, _ = pair_across(one, two)
    sent = a.send_envelope()
    delivered = b.expect("deliver")
    assert delivered["cursor"] == sent["cursor"]
    b.send({"type": "ack", "cursor": delivered["cursor"]})
    b.expect("acked")
    first = b.send_envelope()
    assert a.expect("deliver")["cursor"] == first["cursor"]
    receipt = receipt_frame(b)
    b.send(receipt)
    b.expect("receipt_ok")
    assert a.expect("receipt")["body"] == receipt["body"]
    receipt = receipt_frame(a)
    a.send(receipt)
    a.expect("receipt_ok")
    assert b.expect("receipt")["body"] == receipt["body"]
    # A second connection of a, on the other process, hears what a's partner sends too.
    a_there = fresh_login(two, a)
    a_there.expect("ready")
    assert a_there.expect("receipt")                          # b's latest, after ready
    assert a_there.expect("deliver")["cursor"] == first["cursor"]   # not acknowledged: delivered again
    assert a_there.expect("caught_up")
    sent = b.send_envelope()
    assert a.expect("deliver")["cursor"] == a_there.expect("deliver")["cursor"] == sent["cursor"]
    assert one.stats()["queued_envelopes"] == 2               # what a has not acknowledged yet


@pytest.mark.process
def test_the_end_of_the_pair_is_heard_on_the_other_process(on_one_database):
    one, two = on_one_database()
    a, b, _ = pair_across(one, two)
    notice = unpair_frame(a)
    a.send(notice)
    a.expect("unpair_ok")
    told = b.expect("unpaired")
    assert (told["by"], told["at"], told["sig"]) == (a.id, notice["at"], notice["sig"])
    assert closed(b)


@pytest.mark.process
def test_a_replacement_is_heard_on_every_process(on_one_database):
    one, two = on_one_database()
    remaining, old, _ = pair_across(one, two)
    second = fresh_login(two, remaining)                      # the remaining phone, on the other process too
    second.expect("ready")
    remaining, new, _ = pair_across(one, two, "replace", partner=remaining)
    err = old.expect("error")                                 # the old phone, told on its own process
    assert (err["code"], err["by"], err["device"]) == ("replaced", remaining.id, new.id)
    assert closed(old)
    frames = []
    while True:                                               # the old epoch's connection must log in again
        try:
            frames.append(second.recv(timeout=5)["type"])
        except ConnectionClosed:
            break
    assert set(frames) <= {"caught_up", "pair_request"}
    remaining.send_envelope()
    assert new.expect("deliver")
    new.send_envelope()
    assert remaining.expect("deliver")


@pytest.mark.process
def test_a_move_is_heard_on_every_process(on_one_database):
    one, two = on_one_database()
    old, partner, _ = pair_across(one, two)
    old, new, _ = pair_across(one, two, "move", partner=old)  # the new phone on the partner's process
    old.send(move_envelope(old, 1))
    old.expect("sent")
    assert new.expect("deliver")
    new.send(receipt_frame(new, epoch=0))
    new.expect("receipt_ok")
    assert old.expect("receipt")                              # the mover's receipt, across
    frame, _ = retire_frame(old, new)
    old.send(frame)
    assert old.expect("retire_ok")["epoch"] == 2
    told = partner.expect("succession")                       # the partner, on the other process
    assert (told["reason"], told["old"], told["device"], told["epoch"]) == (MOVED, old.id, new.id, 2)
    assert closed(new)                                        # the mover logs in again, as a device of the pair
    moved_in = fresh_login(one, new)
    moved_in.pair, moved_in.epoch = moved_in.expect("ready")["pair"], 2
    partner.epoch, partner.seq = 2, 0
    partner.send_envelope()                                   # the partner's connection took the new epoch
    assert moved_in.expect("deliver")


@pytest.mark.process
def test_rate_limits_hold_across_processes(on_one_database):
    one, two = on_one_database(env={"HEARTH_LOGIN_RATE_PER_MINUTE": "4", "HEARTH_INVITE_RATE_PER_HOUR": "2"})
    a = RawDevice(one.ws_url)
    a.register()                                              # login 1 of 4, on one
    again = fresh_login(two, a)
    again.expect("ready")                                     # 2, on two
    for device in (a, again):                                 # invites 1 and 2 of 2, one on each
        device.send({"type": "invite", "invite": new_invite()})
        device.expect("invite_ok")
    a.send({"type": "invite", "invite": new_invite()})
    assert a.expect("error")["code"] == "rate_limited"
    for relay in (two, one):                                  # logins 3 and 4
        fresh_login(relay, a).expect("ready")
    for relay in (one, two):                                  # and no fifth, on either
        late = fresh_login(relay, a)
        err = late.expect("error")
        assert err["code"] == "rate_limited" and err["retry_after"] >= 1


@pytest.mark.process
def test_the_workers_of_one_serve_share_the_database_as_separate_processes_do(on_one_database):
    """Which worker takes a connection is the kernel's choice: whichever it is, it works."""
    (relay,) = on_one_database(1, env={"HEARTH_WORKERS": "2"})
    for _ in range(3):
        a, b, _ = pair_across(relay, relay)
        a.send_envelope()
        assert b.expect("deliver")
        b.send_envelope()
        assert a.expect("deliver")


def test_sqlite_refuses_more_than_one_worker(tmp_path):
    done = subprocess.run([sys.executable, "-m", "hearth.relay.cli", "serve", "--workers", "2",
                           "--data", str(tmp_path)], capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"})
    assert done.returncode == 2
    assert "PostgreSQL" in done.stderr and "DATABASE_URL" in done.stderr
    assert not (tmp_path / "hearth.db").exists()


def test_only_one_process_purges_at_a_time(local_relay_factory, postgres_server):
    """A purge that finds another process purging leaves it to that one."""
    import psycopg2

    from hearth.relay import store

    name = f"purge_{os.urandom(4).hex()}"
    postgres_server.create_database(name)
    local = local_relay_factory(env={"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{postgres_server.port}/{name}",
                                     "HEARTH_UNPAIRED_TTL_HOURS": "1"})
    a = RawDevice(local.ws_url)
    a.register()
    a.close()
    local.sleep(3 * 3600)
    other = psycopg2.connect(dbname=name, user="postgres", host="127.0.0.1", port=postgres_server.port)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", (store.lock_key("purge"),))
        assert local.relay.purge() == (0, 0, 0)
        assert local.stats()["devices"] == 1
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", (store.lock_key("purge"),))
        assert local.relay.purge()[2] == 1
        assert local.stats()["devices"] == 0
    finally:
        other.close()


def test_a_device_purged_while_connected_to_another_process_is_told_to_log_in_again(local_relay):
    """Only this process's connections keep a device that never paired; one connected to
    another process is purged like any other, and that process closes its connections."""
    told = []

    class Bus:   # what the other processes would hear
        def publish(self, *news):
            told.extend(news)

    relay = local_relay.relay
    relay.bus = Bus()
    here, elsewhere = RawDevice(local_relay.ws_url), RawDevice(local_relay.ws_url)
    here.register()
    elsewhere.register()
    relay.hub.remove(elsewhere.ws.endpoint.session)   # as if it were connected to another process
    local_relay.sleep(25 * 3600)
    assert relay.purge(keep=relay.hub.devices())[2] == 1   # as a login's purge does
    assert told == [{"kind": "log_in_again", "device": elsewhere.id}]
    here.send({"type": "ping"})
    assert here.expect("pong")


def test_a_process_not_listening_to_the_others_is_not_ready(local_relay, client):
    class Bus:
        listening = None

    local_relay.relay.bus = Bus()
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json["code"] == "database_unavailable"
    Bus.listening = object()
    assert client.get("/readyz").json["status"] == "ok"


def waiting_on_locks(url: str, count: int) -> None:
    """Until `count` of the database's connections wait for a lock (the relays' transactions
    queued behind the test's), or fail after ten seconds."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        deadline = time.monotonic() + 10
        while True:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0] >= count:
                return
            assert time.monotonic() < deadline, f"never {count} waiting on a lock"
            time.sleep(0.02)


@pytest.mark.process
def test_one_envelope_sent_through_two_processes_at_once_is_stored_once(on_one_database):
    """A phone that comes back on another process while its last connection's send still
    waits sends the same envelope again. The second send, queued behind the first on the
    pair's lock, must see what the first stored: a stale read of the phone's last seq
    stored the envelope twice, and (with a burst in the first) set the phone's stream back,
    so every send after it was refused as a gap (bench/load.py: 98 envelopes left with
    their sender)."""
    one, two = on_one_database()
    a, b, _ = pair_across(one, two)
    a.send_envelope()
    assert b.expect("deliver")
    a_there = fresh_login(two, a)
    a_there.expect("ready")
    seq, env = a.envelope()
    frame = {"type": "send", "seq": seq, "body": b64u(env)}
    with psycopg2.connect(one.database_url) as holder, holder.cursor() as cursor:
        cursor.execute('SELECT 1 FROM "pair" WHERE "id" = %s FOR UPDATE', (a.pair,))   # the pair, held
        a.send(frame)
        waiting_on_locks(one.database_url, 1)
        a_there.send(frame)
        waiting_on_locks(one.database_url, 2)
        holder.rollback()
    first, second = a.expect("sent"), a_there.expect("sent")
    assert isinstance(first["cursor"], int)
    assert second == {"type": "sent", "seq": seq, "cursor": None, "dup": True}
    assert b.expect("deliver")["cursor"] == first["cursor"]
    assert b.quiet(0.5)                                       # once, not twice
    a_there.pair, a_there.epoch, a_there.seq, a_there.prev = a.pair, a.epoch, a.seq, a.prev
    assert a_there.send_envelope()["cursor"] > first["cursor"]   # the stream goes on from it


@pytest.mark.process
def test_a_burst_of_sends_on_postgresql_is_stored_in_order_once_each(on_one_database):
    """Sends that arrive together are stored together (one statement for every envelope of
    the burst, envelopes.store_sends): each is answered with its own cursor, in order, a
    repeat among them as a repeat, and the partner gets each once, in order, with the same
    cursors; the pair's counters count each once."""
    (one,) = on_one_database(1)
    a, b, _ = pair_across(one, one)
    frames = []
    for _ in range(6):
        seq, env = a.envelope()
        frames.append({"type": "send", "seq": seq, "body": b64u(env)})
    burst = frames[:3] + [frames[1]] + frames[3:]   # the second again, among the others
    with psycopg2.connect(one.database_url) as holder, holder.cursor() as cursor:
        cursor.execute('SELECT 1 FROM "pair" WHERE "id" = %s FOR UPDATE', (a.pair,))   # the burst gathers behind it
        a.send_together(burst)
        waiting_on_locks(one.database_url, 1)
        holder.rollback()
    answers = [a.expect("sent") for _ in burst]
    assert [answer["seq"] for answer in answers] == [frame["seq"] for frame in burst]
    assert answers[3] == {"type": "sent", "seq": frames[1]["seq"], "cursor": None, "dup": True}
    cursors = [answer["cursor"] for i, answer in enumerate(answers) if i != 3]
    assert cursors == sorted(set(cursors)) and all(isinstance(c, int) for c in cursors)
    assert [b.expect("deliver")["cursor"] for _ in frames] == cursors
    assert b.quiet(0.5)
    assert one.stats()["queued_envelopes"] == len(frames)
