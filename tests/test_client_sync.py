"""Two reference clients against a real relay: pairing, syncing both ways, and nothing lost.

Every step runs `hearth-client` as a process, except where hundreds of records are put;
those use the same Device code in-process to keep the run short.
"""

import json
import sqlite3
import time
from contextlib import contextmanager

import pytest

from client_helpers import Client, modified_partner_bodies, pair, queue_raw


@contextmanager
def relay_db(relay):
    """The relay's own SQLite file, as a malicious or curious operator would open it."""
    db = sqlite3.connect(relay.data_dir / "hearth.db", timeout=10)
    try:
        with db:
            yield db
    finally:
        db.close()


def queued(relay) -> int:
    with relay_db(relay) as db:
        return db.execute("SELECT COUNT(*) FROM envelope").fetchone()[0]


def without_meta(rec: dict) -> dict:
    # `list` adds who wrote it, and for an experiment what its answers make it (§8.3).
    return {k: v for k, v in rec.items() if k not in ("author", "mine", "answers", "consent", "begins_on")}


def test_pair_then_journal_and_boundary_flow_both_ways(relay, tmp_path):
    # Real hearth-client processes, from pairing on, as a script would run them.
    alex, sam = Client(tmp_path / "alex", process=True), Client(tmp_path / "sam", process=True)
    code = pair(relay.url, alex, sam)
    assert len(code.replace(" ", "")) == 6 and code.replace(" ", "").isdigit()

    journal = json.loads(alex.run("example", "journal").stdout)
    boundary = json.loads(alex.run("example", "boundary").stdout)
    j_id, b_id = alex.put("journal", journal), alex.put("boundary", boundary)
    assert "sent 2" in alex.sync().stderr
    assert "received 2" in sam.sync().stderr

    (got_j,), (got_b,) = sam.list("journal"), sam.list("boundary")
    assert without_meta(got_j) == {"type": "journal", "id": j_id, **journal, "tags": journal["tags"]}
    assert without_meta(got_b) == {"type": "boundary", "id": b_id, **boundary}
    alex_id = alex.list("journal")[0]["author"]
    assert got_j["author"] == alex_id and got_j["mine"] is False

    reply = sam.put("journal", {"text": "That walk was lovely. Again on Sunday?", "reply_to": j_id, "shared": True})
    sam.put("boundary", {"kind": "stop_signal", "label": "the word 'pause'", "note": "and we just hold each other"})
    sam.sync()
    alex.sync()
    by_id = {r["id"]: r for r in alex.list("journal")}
    assert by_id[reply]["reply_to"] == j_id and by_id[reply]["mine"] is False
    assert [b["label"] for b in alex.list("boundary")] == ["a hand on my back", "the word 'pause'"]

    # An edit by the author travels as the changed field only, and wins on the other side.
    alex.put("boundary", {"id": b_id, "level": "ask_first"})
    alex.sync()
    sam.sync()
    assert [b["level"] for b in sam.list("boundary") if b["id"] == b_id] == ["ask_first"]


def test_a_private_draft_stays_on_the_device_until_shared(couple):
    alex, sam = couple
    draft = alex.run("put", "journal", json.dumps({"text": "Not ready to say this yet."}))
    assert "private draft" in draft.stderr
    rid = draft.stdout.strip()
    alex.sync()
    sam.sync()
    assert sam.list("journal") == []
    alex.put("journal", {"id": rid, "shared": True})
    alex.sync()
    sam.sync()
    assert [r["text"] for r in sam.list("journal")] == ["Not ready to say this yet."]


def test_bad_records_are_refused_and_nothing_is_queued(couple):
    alex, sam = couple
    for args, message in [
        (("put", "journal", "{not json"), "not valid JSON"),
        (("put", "journal", '{"text": ""}'), "'text' must be"),
        (("put", "journal", '{"text": "hi", "mood": 3}'), "unknown field 'mood'"),
        (("put", "boundary", '{"kind": "touch", "label": "hugs"}'), "'level' is required"),
        (("put", "boundary", '{"kind": "hug", "label": "x", "level": "welcome"}'), "'kind' must be one of"),
        (("put", "spells", "{}"), "unknown record type 'spells'"),
        (("list", "spells"), "unknown record type"),
    ]:
        done = alex.run(*args, check=False)
        assert done.returncode == 1 and message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert alex.device().state.outbox_size() == 0
    mine = alex.put("boundary", {"kind": "touch", "label": "hugs", "level": "welcome", "note": "any time"})
    alex.sync()
    sam.sync()
    theirs = sam.run("put", "boundary", json.dumps({"id": mine, "label": "anything goes"}), check=False)
    assert theirs.returncode == 1 and "belongs to your partner" in theirs.stderr
    theirs = sam.run("put", "boundary", json.dumps({"id": mine, "level": "welcome"}), check=False)
    assert theirs.returncode == 1 and "only make your partner's 'level' more careful" in theirs.stderr
    assert sam.device().state.outbox_size() == 0


def test_unpaired_and_unreachable_fail_with_a_clear_message(relay, tmp_path):
    lone = Client(tmp_path / "lone")
    done = lone.run("sync", check=False)
    assert done.returncode == 1 and "run 'invite' or 'join' first" in done.stderr
    done = lone.run("join", "http://127.0.0.1:9/#/pair?v=1&s=AAAA&e=BBBB", check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr.startswith("hearth-client: ")
    done = lone.run("invite", "http://127.0.0.1:9", check=False)
    assert done.returncode == 1 and "cannot reach the relay" in done.stderr


def test_offline_partner_gets_exactly_500_in_order(couple):
    alex, sam = couple
    device = alex.device()
    ids = [device.put("journal", json.dumps({"text": f"evening {i}", "shared": True})) for i in range(500)]
    assert "sent 500" in alex.sync().stderr
    assert "received 500" in sam.sync().stderr
    got = sam.list("journal")
    assert [r["id"] for r in got] == ids
    assert [r["text"] for r in got] == [f"evening {i}" for i in range(500)]
    assert "received 0" in sam.sync().stderr  # acked envelopes are gone from the relay


def wait_until(predicate, timeout: float = 30, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}")


def test_relay_killed_mid_sync_loses_and_duplicates_nothing(relay, couple):
    alex, sam = couple
    n = 1500
    device = alex.device()
    ids = [device.put("journal", json.dumps({"text": f"note {i}", "shared": True})) for i in range(n)]

    sending = alex.popen("sync")
    wait_until(lambda: queued(relay) >= 100 or sending.poll() is not None, what="envelopes to reach the relay")
    relay.kill()
    _, err = sending.communicate(timeout=30)
    assert sending.returncode == 1, f"the sync finished before the relay was killed: {err}"
    assert "hearth-client: " in err and "Traceback" not in err
    relay.start()
    assert 100 <= queued(relay) < n
    alex.sync()
    assert queued(relay) == n

    receiving = sam.popen("sync")
    wait_until(lambda: queued(relay) <= n - 100 or receiving.poll() is not None, what="acks to reach the relay")
    relay.kill()
    receiving.communicate(timeout=30)
    assert receiving.returncode == 1, "the sync finished before the relay was killed"
    relay.start()
    sam.sync()
    assert queued(relay) == 0
    assert [r["id"] for r in sam.list("journal")] == ids
    assert "received 0" in sam.sync().stderr


def test_relay_files_and_log_hold_no_plaintext(relay, couple):
    alex, sam = couple
    secrets = {"journal": {"text": "Zephyrine cinnamon afternoon under the quilt", "tags": ["worked"],
                           "feeling_after": "glowing-marmalade", "shared": True},
               "boundary": {"kind": "body_area", "label": "Quetzalcoatl scar on the left", "level": "not_now",
                            "note": "tender-periwinkle for a while"}}
    for rtype, fields in secrets.items():
        alex.put(rtype, fields)
        sam.put(rtype, {**fields, "text": fields.get("text", "") + " too"} if rtype == "journal" else fields)
    alex.sync()
    sam.sync()
    alex.sync()
    assert len(alex.list("journal")) == len(sam.list("journal")) == 2

    def relay_bytes() -> bytes:
        files = sorted(relay.data_dir.glob("hearth.db*"))
        return b"".join(f.read_bytes() for f in files) + relay.log_path.read_bytes()

    assert (relay.data_dir / "hearth.db-wal").stat().st_size > 0  # what is written but not checkpointed
    running = relay_bytes()
    relay.stop()
    needles = ["Zephyrine", "cinnamon", "glowing-marmalade", "Quetzalcoatl", "tender-periwinkle",
               "feeling_after", '"ops"', "body_area", "not_now"]
    for blob in (running, relay_bytes()):
        for needle in needles:
            assert needle.encode() not in blob, f"{needle!r} reached the relay's files"


def test_tampered_replayed_and_reflected_envelopes_are_refused_by_the_receiver(relay, couple):
    """A relay that alters, repeats, bounces or drops envelopes is caught by the device, not obeyed."""
    alex, sam = couple
    sam_id = sam.device().state.get("device")
    columns = "pair_id, recipient, seq, body, size, created_hour"

    def take_queued(recipient: str) -> tuple:
        with relay_db(relay) as db:
            (row,) = db.execute(f"SELECT {columns} FROM envelope WHERE recipient = ?", (recipient,)).fetchall()
            db.execute("DELETE FROM envelope WHERE recipient = ?", (recipient,))
        return row

    first = alex.put("journal", {"text": "the real one", "shared": True})
    alex.sync()
    with relay_db(relay) as db:
        replay = db.execute(f"SELECT {columns} FROM envelope").fetchone()
    assert "received 1" in sam.sync().stderr

    sam.put("journal", {"text": "sam's own words", "shared": True})
    sam.sync()
    own = take_queued(alex.device().state.get("device"))
    alex.put("journal", {"text": "the second one, which the relay alters", "shared": True})
    alex.sync()
    second = take_queued(sam_id)
    body = bytearray(second[3])
    body[-5] ^= 0x01
    with relay_db(relay) as db:
        db.executemany(f"INSERT INTO envelope ({columns}) VALUES (?, ?, ?, ?, ?, ?)",
                       [replay, (own[0], sam_id, *own[2:]), (*second[:3], bytes(body), *second[4:])])
    done = sam.sync()
    assert "received 0" in done.stderr
    assert "2 update(s) from your partner arrived damaged" in done.stderr
    assert "ignored 1 repeated update(s)" in done.stderr
    # Alex's receipt said it had sent a second update, so sam knows it is missing, and asks.
    assert "1 update(s) from your partner are missing" in done.stderr
    assert [r["text"] for r in sam.list("journal")] == ["the real one", "sam's own words"]

    # Alex kept what sam had not confirmed, and sends it again, intact, with the next one.
    second_id = alex.list("journal")[1]["id"]
    third = alex.put("journal", {"text": "the third one", "shared": True})
    alex.sync()
    done = sam.sync()
    assert "received 2" in done.stderr and "missing" not in done.stderr
    assert [r["id"] for r in sam.list("journal") if not r["mine"]] == [first, second_id, third]


def test_updates_that_do_not_fit_are_skipped_and_counted_and_the_rest_still_apply(relay, couple):
    """A buggy or modified partner app's envelope, sealed with its real key: what fits applies,
    the rest is skipped and reported, the envelope is acknowledged, and syncing goes on."""
    alex, sam = couple
    alex_id = alex.device().state.get("device")
    bodies, misfits = modified_partner_bodies(alex_id, "fitsWell00000000000000", "the words that fit")
    queue_raw(alex, bodies)
    alex.sync()
    done = sam.sync()
    assert "received 2" in done.stderr
    assert f"warning: {misfits} update(s) from your partner did not fit" in done.stderr
    assert "damaged" not in done.stderr
    assert [(r["id"], r["text"]) for r in sam.list("journal")] == [("fitsWell00000000000000", "the words that fit")]
    assert queued(relay) == 0   # acknowledged: the relay let it go

    nxt = alex.put("journal", {"text": "and the next one", "shared": True})
    alex.sync()
    done = sam.sync()
    assert "received 1" in done.stderr and "did not fit" not in done.stderr
    assert [r["id"] for r in sam.list("journal")] == ["fitsWell00000000000000", nxt]


def test_an_envelope_nested_too_deep_for_python_is_counted_as_not_fitting_and_sync_goes_on(relay, couple):
    """JSON nested 3,000 deep fits in an envelope but not in Python's parser: it once raised
    RecursionError inside the receive transaction, so the envelope was refused at every sync."""
    alex, sam = couple
    state = alex.device().state
    deep = b"[" * 3000 + b"]" * 3000
    with state.transaction():
        state.queue(b'{"ops": [{"type": "journal", "id": "deepNesting0000000000A", "hlc": "1", "fields": {"tags": '
                    + deep + b'}}]}')
    alex.sync()
    done = sam.sync()
    assert "received 1" in done.stderr and "warning: 1 update(s) from your partner did not fit" in done.stderr
    assert queued(relay) == 0
    nxt = alex.put("journal", {"text": "after the deep one", "shared": True})
    alex.sync()
    assert "received 1" in sam.sync().stderr
    assert [r["id"] for r in sam.list("journal")] == [nxt]


@pytest.mark.parametrize("rtype", ["experiment", "energy", "appointment", "gratitude", "period", "reassessment"])
def test_every_toolkit_type_travels_between_two_clients(couple, rtype):
    alex, sam = couple
    example = json.loads(alex.run("example", rtype).stdout)
    rid = alex.put(rtype, example)
    alex.sync()
    assert "received 1" in sam.sync().stderr
    (got,) = sam.list(rtype)
    assert without_meta(got) == {"type": rtype, "id": rid, **example}
    assert got["mine"] is False


@pytest.mark.parametrize("rtype", ["energy", "journal"])
def test_a_shared_record_taken_back_leaves_the_partners_list(couple, rtype):
    alex, sam = couple
    example = json.loads(alex.run("example", rtype).stdout)
    rid = alex.put(rtype, example)
    alex.sync()
    sam.sync()
    assert [r["id"] for r in sam.list(rtype)] == [rid]
    alex.put(rtype, {"id": rid, "shared": False})
    alex.sync()
    assert "received 1" in sam.sync().stderr
    assert sam.list(rtype) == []
    assert sam.device().state.record(rtype, rid)[1] == {"shared": False}
    (kept,) = alex.list(rtype)
    assert without_meta(kept) == {"type": rtype, "id": rid, **example, "shared": False}
    # Sharing again sends it whole.
    alex.put(rtype, {"id": rid, "shared": True})
    alex.sync()
    sam.sync()
    (back,) = sam.list(rtype)
    assert without_meta(back) == {"type": rtype, "id": rid, **example}


def test_the_state_directory_is_readable_by_its_owner_alone(couple, tmp_path):
    """It holds the device's private keys, the pair's root key and every record in the clear."""
    import os
    import stat

    alex, _ = couple
    alex.put("journal", {"text": "between us", "shared": True})
    alex.sync()
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    old = os.umask(0o022)
    try:
        Client(loose).device()   # an existing, world-readable directory and a loose umask
    finally:
        os.umask(old)
    for directory in (alex.state_dir, loose):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
        files = [p for p in directory.iterdir() if p.is_file()]
        assert files and all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in files), \
            {p.name: oct(p.stat().st_mode) for p in files}
