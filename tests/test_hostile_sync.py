"""hearth-client's sync against a relay that misbehaves on purpose (tests/hostile_relay.py).

The relay is untrusted (docs/protocol.md §5.5-5.7, §6): it may reorder, drop, withhold,
repeat, forge or garble frames, and lie in `ready` and `sent`. Two real `hearth-client`
processes sync through it; each test asserts what a user sees: `list`, the `sync` report on
stderr, and the exit code. Nothing sleeps and hopes: waits go through the hostile relay's
helpers, which have deadlines.
"""

import shutil

import pytest

from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.envelope import open_envelope, seal_envelope

from client_helpers import Client

WARNINGS = ("missing", "repeated", "damaged", "could not be recovered")


def write(client: Client, *texts: str) -> list[str]:
    for text in texts:
        client.put("journal", {"text": text, "shared": True})
    return list(texts)


def texts(client: Client) -> list[str]:
    """The journal texts on this device, in the order they were stored."""
    return [r["text"] for r in client.list("journal")]


def finish(proc, timeout: float = 60):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def clean(stderr: str) -> bool:
    """A sync report with no warning or note about missing, repeated, damaged or lost updates."""
    return not any(word in stderr for word in WARNINGS)


def sends(hostile, device: str, *, resend: bool) -> list[int]:
    """The seqs of the `send` frames `device` handed towards the relay, resends or not."""
    return [e.frame["seq"] for e in hostile.frames("send", direction="to_relay", device=device, seen=True)
            if bool(e.frame.get("resend")) == resend]


def one_line_failure(code: int, err: str) -> str:
    assert code == 1, err
    assert "Traceback" not in err and err.startswith("hearth-client: ") and err.count("\n") == 1, err
    return err.strip()


# ---------- a. a late envelope is held, not thrown away as a repeat ----------

def test_an_envelope_delivered_after_the_next_one_in_the_same_session_is_applied_once(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    notes = write(alex, *(f"note {i}" for i in range(1, 6)))
    alex.sync()
    late = hostile.hold_envelopes(seq=4, device=s_id)
    waiting = hostile.hold("caught_up", device=s_id)   # keeps sam's session open for the late one
    syncing = sam.popen("sync")
    late.wait()
    hostile.wait_for("acked", device=s_id)   # 1, 2, 3 and 5 taken in and acknowledged
    assert late.release() == 1
    hostile.wait_for("acked", device=s_id, count=2)
    waiting.release()
    code, _, err = finish(syncing)
    assert code == 0 and "received 5" in err and clean(err), err
    assert hostile.delivered_seqs(s_id) == [1, 2, 3, 5, 4]
    assert texts(sam) == notes


def test_an_envelope_delivered_in_a_later_session_than_the_next_one_is_applied_once(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    notes = write(alex, *(f"note {i}" for i in range(1, 6)))
    alex.sync()
    late = hostile.hold_envelopes(seq=4, device=s_id)
    first = sam.sync()
    # Seq 5 waits on this device for seq 4; alex's receipt said it handed over 5, so 4 is missing.
    assert "received 3" in first.stderr and "1 update(s) from your partner are missing" in first.stderr
    assert texts(sam) == notes[:3]

    waiting = hostile.hold("caught_up", device=s_id)
    syncing = sam.popen("sync")
    waiting.wait()
    assert late.release(to=s_id) == 1   # into sam's second session
    hostile.wait_for("acked", device=s_id, count=2)
    waiting.release()
    code, _, err = finish(syncing)
    assert code == 0 and "received 2" in err and clean(err), err
    assert hostile.delivered_seqs(s_id) == [1, 2, 3, 5, 4]
    assert texts(sam) == notes
    assert "received 0" in sam.sync().stderr


def test_a_held_envelope_whose_link_is_wrong_is_rejected_as_damaged_then_resent_intact(hostile_couple, hostile):
    """Holding an early envelope does not skip the chain check: it is made when its turn comes."""
    alex, sam = hostile_couple
    s_id = sam.device_id
    notes = write(alex, *(f"note {i}" for i in range(1, 6)))
    alex.sync()
    # Seq 5 as alex's key would seal it on another chain (as a forked, restored device would).
    pair_id, epoch, a_id, _, alex_key, _ = alex.device()._keys_for_sync()

    def fork_seq_5(envelopes):
        for e in envelopes:
            if e.seq == 5:
                body = open_envelope(alex_key, pair_id, a_id, unb64u(e.body))
                e.body = b64u(seal_envelope(alex_key, pair_id, a_id, epoch, 5, b"\x01" * 32, body))
        return envelopes

    late = hostile.hold_envelopes(seq=4, device=s_id, count=1)
    hostile.envelopes(fork_seq_5, device=s_id, count=1)
    waiting = hostile.hold("caught_up", device=s_id)
    syncing = sam.popen("sync")
    late.wait()
    hostile.wait_for("acked", device=s_id)
    late.release()
    hostile.wait_for("acked", device=s_id, count=2)
    waiting.release()
    code, _, err = finish(syncing)
    assert code == 0 and "received 4" in err, err
    assert "1 update(s) from your partner arrived damaged" in err
    assert "1 update(s) from your partner are missing" in err
    assert texts(sam) == notes[:4]

    hostile.clear()
    alex.sync()   # sam's receipt asked for 5 again
    assert sends(hostile, a_id, resend=True) == [5]
    done = sam.sync()
    assert "received 1" in done.stderr and clean(done.stderr), done.stderr
    assert texts(sam) == notes


# ---------- b. ready.last_seq is a claim; a restored older state goes on ----------

def test_a_relay_that_claims_it_has_everything_makes_the_sender_forget_nothing(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id = alex.device_id
    notes = write(alex, "one", "two", "three")
    hostile.rewrite("ready", fn=lambda f: {**f, "last_seq": 1000}, device=a_id, count=1)
    done = alex.sync()
    assert "sent 0" in done.stderr
    assert alex.device().state.outbox_size() == 3   # kept: only sam's receipt lets them go

    notes += write(alex, "four", "five")
    done = alex.sync()   # honest again
    assert "sent 5" in done.stderr and "skips a sequence number" not in done.stderr
    done = sam.sync()
    assert "received 5" in done.stderr and clean(done.stderr), done.stderr
    assert texts(sam) == notes
    alex.sync()
    assert alex.device().state.outbox_size() == 0


def test_a_relay_that_keeps_claiming_it_has_everything_is_caught_by_the_partners_receipt(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id = alex.device_id
    notes = write(alex, "one", "two")
    hostile.rewrite("ready", fn=lambda f: {**f, "last_seq": 1000}, device=a_id)   # at every login
    done = alex.sync()
    assert "sent 0" in done.stderr   # nothing pushed: the relay says it has it all
    done = sam.sync()
    # Alex's receipt names as its head what the relay claimed to hold, so the lie shows.
    assert "2 update(s) from your partner are missing" in done.stderr
    alex.sync()   # sam's receipt asks for 1 and 2: resent, whatever the relay claims
    assert sends(hostile, a_id, resend=True) == [1, 2]
    done = sam.sync()
    assert "received 2" in done.stderr and clean(done.stderr), done.stderr
    assert texts(sam) == notes


@pytest.mark.parametrize("partner_saw_the_lost_writes", [True, False], ids=["partner-synced", "partner-away"])
def test_a_restored_older_copy_of_the_state_keeps_sending_and_loses_nothing_written_after(
        hostile_couple, hostile, partner_saw_the_lost_writes):
    alex, sam = hostile_couple
    before = write(alex, "before the copy 1", "before the copy 2")
    alex.sync()
    sam.sync()
    backup = alex.state_dir.with_name("alex-backup")
    shutil.copytree(alex.state_dir, backup)

    gone = write(alex, "after the copy 1", "after the copy 2")   # seqs 3, 4: only the relay and sam have them
    alex.sync()
    if partner_saw_the_lost_writes:
        sam.sync()
    shutil.rmtree(alex.state_dir)
    shutil.copytree(backup, alex.state_dir)   # the phone is restored from the older copy

    # Three new records: the restored copy seals them as 3, 4 and 5 on its own chain.
    after = write(alex, "after the restore 1", "after the restore 2", "after the restore 3")
    reports = []
    for _ in range(3):
        reports += [alex.sync().stderr, sam.sync().stderr]
    assert sorted(texts(sam)) == sorted(before + gone + after)
    assert not any("could not be recovered" in r for r in reports), reports
    if partner_saw_the_lost_writes:
        # Sam's receipt reached the restored copy before it sent anything: nothing out of place.
        assert not any("damaged" in r for r in reports), reports
    else:
        # The relay already held the forked seq 5 before sam could say what it had: that one is
        # refused as out of place, and the same words come again on the chain sam knows.
        assert sum("1 update(s) from your partner arrived damaged" in r for r in reports) <= 1, reports

    later = write(alex, "and life goes on")
    alex.sync()
    done = sam.sync()
    assert "received 1" in done.stderr and clean(done.stderr), done.stderr
    assert sorted(texts(sam)) == sorted(before + gone + after + later)
    alex.sync()
    assert alex.device().state.outbox_size() == 0


# ---------- c. a gap is repaired by a resend the partner's receipt asks for ----------

def test_an_envelope_the_relay_dropped_is_asked_for_and_resent(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id, s_id = alex.device_id, sam.device_id
    notes = write(alex, "one", "two", "three")
    alex.sync()
    assert alex.device().state.outbox_size() == 3   # the relay's `sent` lets nothing go
    dropped = hostile.drop_envelopes(seq=2, device=s_id, count=1)
    done = sam.sync()
    assert dropped.hits == 1
    assert "received 1" in done.stderr and "1 update(s) from your partner are missing" in done.stderr
    assert texts(sam) == notes[:1]

    done = alex.sync()   # reads sam's receipt: has 1, lacks 2
    assert sends(hostile, a_id, resend=True) == [2]
    assert alex.device().state.outbox_size() == 2
    done = sam.sync()
    assert "received 2" in done.stderr and clean(done.stderr), done.stderr
    assert texts(sam) == notes
    assert alex.device().state.outbox_size() == 2   # until alex reads sam's new receipt
    alex.sync()
    assert alex.device().state.outbox_size() == 0


def test_a_send_the_relay_swallowed_behind_a_forged_sent_is_asked_for_and_resent(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id = alex.device_id
    notes = write(alex, "one", "two", "three")

    def swallow(conn, direction, frame):
        conn.send("to_device", {"type": "sent", "seq": 3, "cursor": 999}, via="inject")
        return None

    swallowed = hostile.rule(swallow, "send", direction="to_relay", device=a_id,
                             where=lambda c, d, f: f.get("seq") == 3, count=1)
    done = alex.sync()
    assert swallowed.hits == 1 and "sent 3" in done.stderr
    # ...and it keeps the lie up at alex's next login, so only sam's receipt can tell.
    hostile.rewrite("ready", fn=lambda f: {**f, "last_seq": 3}, device=a_id, count=1)
    done = sam.sync()
    assert "received 2" in done.stderr and "1 update(s) from your partner are missing" in done.stderr
    done = alex.sync()
    assert sends(hostile, a_id, resend=True) == [3]
    done = sam.sync()
    assert "received 1" in done.stderr and clean(done.stderr), done.stderr
    assert texts(sam) == notes


# ---------- d. withholding is noticed at the next catch-up ----------

def test_envelopes_the_relay_withholds_are_reported_missing_then_arrive(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    notes = write(alex, "one", "two", "three")
    alex.sync()
    hostile.drop_envelopes(which=lambda e: e.seq != 1, device=s_id)   # seq 1, then caught_up
    done = sam.sync()
    assert "received 1" in done.stderr
    assert "2 update(s) from your partner are missing" in done.stderr   # alex's receipt: head 3
    assert texts(sam) == notes[:1]

    hostile.clear()
    alex.sync()
    done = sam.sync()
    assert "received 2" in done.stderr and "missing" not in done.stderr, done.stderr
    assert texts(sam) == notes


# ---------- e. receipts cannot be forged or replayed usefully ----------

def test_a_tampered_receipt_is_ignored(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id = alex.device_id
    notes = write(alex, "one", "two")
    alex.sync()
    sam.sync()

    def tamper(frame):
        body = bytearray(unb64u(frame["body"]))
        body[-1] ^= 0x01
        frame["body"] = b64u(bytes(body))

    tampered = hostile.rewrite("receipt", fn=tamper, direction="to_device", device=a_id)
    done = alex.sync()
    assert done.returncode == 0 and clean(done.stderr)
    assert alex.device().state.outbox_size() == 2   # nothing let go on a receipt that does not open
    assert tampered.hits == 1 and sends(hostile, a_id, resend=True) == []

    hostile.clear()
    alex.sync()
    assert alex.device().state.outbox_size() == 0
    assert texts(sam) == notes


def test_a_replayed_older_receipt_changes_nothing(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id, s_id = alex.device_id, sam.device_id
    notes = write(alex, "one", "two", "three")
    alex.sync()
    assert alex.device().state.outbox_size() == 3
    hostile.drop_envelopes(seq=2, device=s_id, count=1)
    sam.sync()   # its receipt: has 1, asks for 2
    alex.sync()
    assert sends(hostile, a_id, resend=True) == [2]
    (asking,) = [e.frame["body"] for e in hostile.frames("receipt", direction="to_relay", device=s_id)]
    # The relay hands the same receipt again at the next login: 2 is not sent a second time.
    alex.sync()
    assert sends(hostile, a_id, resend=True) == [2]
    assert alex.device().state.outbox_size() == 2

    sam.sync()   # gets 2 and 3; its new receipt says so
    notes += write(alex, "four")
    replay = hostile.rewrite("receipt", fn=lambda f: {**f, "body": asking}, direction="to_device", device=a_id)
    done = alex.sync()
    assert replay.hits == 1 and done.returncode == 0
    assert sends(hostile, a_id, resend=True) == [2]        # nothing resent on the old word
    assert alex.device().state.outbox_size() == 3           # and nothing let go without the new one

    hostile.clear()
    done = sam.sync()
    assert "received 1" in done.stderr and clean(done.stderr), done.stderr
    assert texts(sam) == notes
    alex.sync()
    assert alex.device().state.outbox_size() == 0


def test_a_receipt_reflected_back_to_its_writer_is_ignored(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id = alex.device_id
    write(sam, "s1", "s2", "s3")
    sam.sync()
    alex.sync()   # alex's receipt: has 3 of sam's
    own = [e.frame["body"] for e in hostile.frames("receipt", direction="to_relay", device=a_id)]
    notes = write(alex, "one", "two")
    reflect = hostile.rewrite("receipt", fn=lambda f: {**f, "body": own[-1]}, direction="to_device", device=a_id)
    done = alex.sync()
    assert done.returncode == 0 and "sent 2" in done.stderr and clean(done.stderr)
    assert alex.device().state.outbox_size() == 2
    assert len(own) == 1 and reflect.hits == 1
    assert alex.device().state.get("own_seq") == 2   # not taken for a partner who has seen more of alex

    hostile.clear()
    done = sam.sync()
    assert "received 2" in done.stderr and clean(done.stderr), done.stderr
    assert texts(sam) == ["s1", "s2", "s3", *notes]
    alex.sync()
    assert alex.device().state.outbox_size() == 0


# ---------- robustness: a relay that sends nonsense ----------

MALFORMED = [
    ({"type": "deliveries"}, "the relay sent a malformed 'deliveries' frame"),
    ({"type": "deliveries", "envelopes": [1]}, "the relay sent a malformed 'deliveries' frame"),
    ({"type": "deliveries", "envelopes": "abc"}, "the relay sent a malformed 'deliveries' frame"),
    ({"type": "deliver", "body": "AAAA"}, "the relay sent a malformed 'deliver' frame"),
    ({"type": "sent"}, "the relay sent a malformed 'sent' frame"),
    ({"type": "acked", "cursor": "x"}, "the relay sent a malformed 'acked' frame"),
    ({"type": "receipt", "body": 7}, "the relay sent a malformed 'receipt' frame"),
    ("this is not JSON", "the relay sent a malformed frame"),
    ("[1,2]", "the relay sent a malformed frame"),
]


def test_a_malformed_frame_ends_sync_with_one_plain_line_and_keeps_what_was_applied(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    notes = write(alex, "one", "two")
    alex.sync()
    for frame, message in MALFORMED:
        waiting = hostile.hold("caught_up", device=s_id)
        syncing = sam.popen("sync")
        waiting.wait()
        hostile.wait_for("acked", device=s_id)   # what came first is applied and acknowledged
        hostile.inject(s_id, "to_device", frame)
        assert one_line_failure(*finish(syncing)[::2]) == f"hearth-client: {message}", frame
        waiting.discard()
        assert texts(sam) == notes
    done = sam.sync()   # honest: nothing comes twice, nothing was lost
    assert "received 0" in done.stderr and clean(done.stderr), done.stderr
    assert texts(sam) == notes


@pytest.mark.parametrize("kind,fn", [
    ("challenge", lambda f: {"type": "challenge", "v": 1}),
    ("challenge", lambda f: {**f, "challenge": "!!"}),
    ("ready", lambda f: {k: v for k, v in f.items() if k != "last_seq"}),
], ids=["challenge-without-its-field", "challenge-not-base64url", "ready-without-last_seq"])
def test_a_malformed_challenge_or_ready_ends_sync_with_one_plain_line(hostile_couple, hostile, kind, fn):
    alex, sam = hostile_couple
    write(alex, "one")
    hostile.rewrite(kind, fn=fn, direction="to_device", count=1)
    code, _, err = finish(alex.popen("sync"))
    assert one_line_failure(code, err) == f"hearth-client: the relay sent a malformed '{kind}' frame"
    assert alex.device().state.outbox_size() == 1
    alex.sync()
    sam.sync()
    assert texts(sam) == ["one"]


def test_a_duplicated_acked_does_not_leave_sync_waiting(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    write(alex, "one")
    alex.sync()
    hostile.duplicate("acked", device=s_id)
    done = sam.run("sync", timeout=30)
    assert "received 1" in done.stderr and clean(done.stderr)


def test_a_dropped_acked_does_not_leave_sync_waiting(hostile_couple, hostile):
    alex, sam = hostile_couple
    s_id = sam.device_id
    write(alex, "one")
    alex.sync()
    dropped = hostile.drop("acked", device=s_id)
    done = sam.run("sync", timeout=30)
    assert dropped.hits == 1 and "received 1" in done.stderr and clean(done.stderr)
    assert "received 0" in sam.sync().stderr   # the relay had taken the ack all the same


@pytest.mark.parametrize("frame,shown", [
    ({"type": "error"}, "hearth-client: the relay reported an error without saying why (no code)"),
    ({"type": "error", "code": "internal"}, "hearth-client: the relay reported an error without saying why (internal)"),
    ({"type": "error", "code": "internal", "message": "The relay failed; nothing was changed."},
     "hearth-client: The relay failed; nothing was changed."),
    ({"type": "error", "code": "internal", "message": "one\n\nTraceback: two\x1b[2J"},
     "hearth-client: one Traceback: two [2J"),
], ids=["no-code-no-message", "code-only", "code-and-message", "message-over-lines"])
def test_an_error_frame_is_reported_in_plain_words_with_its_code(hostile_couple, hostile, frame, shown):
    _, sam = hostile_couple
    s_id = sam.device_id
    waiting = hostile.hold("caught_up", device=s_id)
    syncing = sam.popen("sync")
    waiting.wait()
    hostile.inject(s_id, "to_device", frame)
    code, _, err = finish(syncing)
    assert code == 1 and err.startswith("hearth-client: ") and err.count("\n") == 1, err
    assert err.strip() == shown and "None" not in err


def test_a_stale_sent_from_an_earlier_session_is_not_counted(hostile_couple, hostile):
    alex, sam = hostile_couple
    a_id = alex.device_id
    write(alex, "one")
    stale = hostile.hold("sent", device=a_id, count=1)
    syncing = alex.popen("sync")
    stale.wait()
    hostile.cut(a_id)   # the session dies before its `sent` arrives
    assert finish(syncing)[0] == 1

    write(alex, "two")
    waiting = hostile.hold("caught_up", device=a_id)
    syncing = alex.popen("sync")
    waiting.wait()
    assert stale.release(to=a_id) == 1   # the first session's `sent` for seq 1, late
    waiting.release()
    code, _, err = finish(syncing)
    assert code == 0 and "sent 1," in err, err
    sam.sync()
    assert texts(sam) == ["one", "two"]
