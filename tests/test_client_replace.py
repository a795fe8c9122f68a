"""`hearth-client replace-partner` (protocol §11.3): the phone that remains pairs the partner's
new phone in the lost one's place and hands it the whole shared history; the new phone then
owns what the lost one wrote, and the lost one is shut out.

Every test runs against a real relay; the devices run in threads of this process, except
where the command line itself is the point (the contract scripts rely on) or a process must
be killed.
"""

import json
import os
import queue
import subprocess
import threading

import pytest

from client_helpers import (Client, exchange_in_threads, invite_and_join_on_the_command_line, pair, queue_raw, read_code,
                            replace_partner)
from hearth.client.connection import ClientError
from hearth.protocol.encoding import b64u, unb64u
from hearth.protocol.identity import DeviceKeys
from hearth.protocol.envelope import parse_header, sender_key
from hearth.protocol.primitives import CryptoError
from hostile_relay import TO_DEVICE, TO_RELAY

CANARY = "kumquat-lantern-7731"   # written once, in a record the history carries


def fill(alex: Client, sam: Client) -> dict:
    """Thirty-odd shared records on each side, of every kind a history must carry whole,
    synced both ways; and a private draft on each phone. Returns ids worth checking."""
    ids = {}
    for who, client in (("alex", alex), ("sam", sam)):
        device = client.device()
        for i in range(30):
            device.put("journal", json.dumps({"text": f"{who}'s entry {i}", "shared": True, "tags": ["tried"]}))
        period = device.put("period", json.dumps({"label": "chemo week", "starts_on": "2026-03-02"}))
        ids[f"{who}_boundary"] = device.put("boundary", json.dumps(
            {"kind": "touch", "label": f"{who}: a hand on my back", "level": "ask_first", "during": period}))
        gone = device.put("journal", json.dumps({"text": f"{who} wrote this, then deleted it", "shared": True}))
        device.put("journal", json.dumps({"id": gone, "deleted": True}))
        ids[f"{who}_taken_back"] = device.put("journal", json.dumps({"text": f"{who} took this back", "shared": True}))
        ids[f"{who}_draft"] = device.put("journal", json.dumps({"text": f"{who}'s private draft"}))
        device.put("gratitude", json.dumps({"text": f"{who} is grateful", "date": "2026-03-01"}))
    sam.device().put("journal", json.dumps({"text": f"sam wrote the canary {CANARY}", "shared": True}))
    alex.device().put("couple", json.dumps({"checkin_day": "thursday"}))
    for client in (alex, sam, alex, sam):
        client.sync()
    for who, client in (("alex", alex), ("sam", sam)):
        client.device().put("journal", json.dumps({"id": ids[f"{who}_taken_back"], "shared": False}))
        client.sync()
    alex.sync()
    return ids


def shown(client: Client, rtype: str) -> dict:
    """What a phone lists of a type, by id, with whether it is its own."""
    return {r["id"]: r for r in client.list(rtype)}


def as_seen_by_the_other_place(rec: dict) -> dict:
    return {**rec, "mine": not rec["mine"]}


TYPES = ("journal", "boundary", "period", "gratitude", "couple")


def test_the_new_phone_gets_everything_shared_and_owns_what_the_lost_one_wrote(relay, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    ids = fill(alex, sam)
    state = alex.device().state
    old_epoch, old_key = state.get("epoch"), sender_key(bytes.fromhex(state.get("root")), state.get("pair"),
                                                         state.get("epoch"), alex.device_id)
    before = {t: shown(alex, t) for t in TYPES}
    sam_id = sam.device_id

    # Sam's phone is lost. The command line, as a script runs it: the link on the first
    # line, the code, the new phone's numbers typed in; the history is pushed before exit.
    new = Client(tmp_path / "sam-new", process=True)
    err, jerr = invite_and_join_on_the_command_line(alex, new, "replace-partner")
    assert "takes the place of your earlier one" in jerr

    # A new epoch, a new sender key, and a chain that starts again at 1.
    state = alex.device().state
    assert state.get("epoch") == old_epoch + 1 and state.get("peer")["device"] == new.device_id
    assert sender_key(bytes.fromhex(state.get("root")), state.get("pair"), state.get("epoch"),
                      alex.device_id) != old_key
    assert state.get("peer_lineage") == [sam_id]
    assert state.get("own_seq") == 2 and [seq for seq, _ in state.sealed()] == [1, 2]   # the notice, one part

    new.process = False
    done = new.sync()
    assert "history: received part" in done.stderr and "everything your partner's phone shares" in done.stderr
    assert new.device().state.get("lineage") == [sam_id]
    for rtype in TYPES:
        # All but what alex keeps private: a draft, and what alex took back (§8.11).
        expected = {rid: as_seen_by_the_other_place(rec) for rid, rec in before[rtype].items()
                    if rid not in (ids["alex_draft"], ids["alex_taken_back"])}
        assert shown(new, rtype) == expected, rtype
    assert sum(r["mine"] for r in new.list("journal")) >= 30 and sum(not r["mine"] for r in new.list("journal")) >= 30
    held = new.device().state
    assert held.record("journal", ids["alex_draft"]) is None and held.record("journal", ids["alex_taken_back"]) is None
    # Of what sam took back, the new phone holds what alex held: the flag, never shown.
    assert held.record("journal", ids["sam_taken_back"])[1] == {"shared": False}
    assert ids["sam_taken_back"] not in shown(new, "journal") and ids["sam_draft"] not in shown(new, "journal")
    assert state.get("history_out") is not None
    assert "your partner's new phone has all of it (1 part(s))" in alex.sync().stderr
    assert state.get("history_out") is None and "history" not in alex.sync().stderr

    # The new phone changes the boundary the lost one wrote, and the remaining phone takes it.
    new.put("boundary", {"id": ids["sam_boundary"], "label": "sam: a hand on my back, gently", "level": "welcome"})
    new.sync()
    alex.sync()
    theirs = shown(alex, "boundary")[ids["sam_boundary"]]
    assert (theirs["label"], theirs["level"], theirs["mine"]) == ("sam: a hand on my back, gently", "welcome", False)
    # ...and asking for more care on alex's own still works, as a partner's request.
    new.put("boundary", {"id": ids["alex_boundary"], "level": "not_now"})
    new.sync()
    alex.sync()
    assert shown(alex, "boundary")[ids["alex_boundary"]]["level"] == "not_now"

    # The lost phone, found again in a drawer, is told plainly and reaches nobody.
    failed = sam.run("sync", check=False)
    assert failed.returncode == 1 and "replaced" in failed.stderr, failed.stderr
    sam.put("journal", {"text": "written on the old phone after it was replaced", "shared": True})
    assert sam.run("sync", check=False).returncode == 1
    alex.sync()
    new.sync()
    for client in (alex, new):
        assert not any("after it was replaced" in r["text"] for r in client.list("journal"))

    # The relay held the history only sealed.
    for path in [*relay.data_dir.rglob("*"), relay.log_path]:
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


def test_a_wrong_safety_code_changes_nothing(couple, tmp_path):
    alex, sam = couple
    alex.put("journal", {"text": "before the mix-up", "shared": True})
    alex.sync()
    sam.sync()
    stranger = Client(tmp_path / "stranger")
    failures = []
    assert replace_partner(alex, stranger, typed="000 000", failures=failures) is None
    assert any(isinstance(e, ClientError) and "numbers are different" in str(e) for e in failures), failures
    assert alex.device().state.get("peer")["device"] == sam.device_id
    assert alex.device().state.get("pending_invite") is None

    # Sam's phone was never lost after all: it goes on as before, both ways.
    sam.put("journal", {"text": "still here", "shared": True})
    sam.sync()
    alex.sync()
    alex.put("journal", {"text": "glad you are", "shared": True})
    alex.sync()
    sam.sync()
    assert {r["text"] for r in alex.list("journal")} == {r["text"] for r in sam.list("journal")} == {
        "before the mix-up", "still here", "glad you are"}


def test_a_relay_that_swaps_the_new_phones_keys_replaces_nobody(hostile_couple, hostile, tmp_path):
    """The relay hands the remaining phone an attacker's keys in place of the new phone's:
    the joining box, sealed under the link's secret, names other keys, so the remaining phone
    stops before any code is confirmed and the lost phone's place is not given away."""
    alex, sam = hostile_couple
    attacker = DeviceKeys.generate()
    swap = {**attacker.public_frame(), "sig_pub": b64u(attacker.sig_pub), "dh_pub": b64u(attacker.dh_pub)}
    hostile.rewrite("pair_request", direction=TO_DEVICE, device=alex.device_id,
                    fn=lambda f: {**f, **swap, "device": attacker.device_id})
    failures = []
    assert replace_partner(alex, Client(tmp_path / "sam-new"), failures=failures, timeout=10) is None
    assert any("keys do not match what the relay reported" in str(e) for e in failures), failures
    assert alex.device().state.get("peer")["device"] == sam.device_id
    sam.put("journal", {"text": "still mine to share", "shared": True})
    sam.sync()
    alex.sync()
    assert "still mine to share" in {r["text"] for r in alex.list("journal")}


def new_epoch_sends(epoch: int):
    """A rule filter: `send` frames carrying an envelope of `epoch`."""
    def where(conn, direction, frame):
        try:
            return parse_header(unb64u(frame["body"])).epoch == epoch
        except (KeyError, TypeError, ValueError, CryptoError):
            return False
    return where


@pytest.mark.slow
def test_a_history_of_many_parts_survives_a_cut_connection_and_a_dropped_part(hostile_couple, hostile, tmp_path):
    alex, sam = hostile_couple
    for who, client in (("alex", alex), ("sam", sam)):
        device = client.device()
        for i in range(40):   # about 6 KB each: the history needs several full envelopes
            device.put("journal", json.dumps({"text": f"{who} {i} " + "słowo " * 1000, "shared": True}))
    for client in (alex, sam, alex):
        client.sync()
    epoch = alex.device().state.get("epoch") + 1
    new = Client(tmp_path / "sam-new")

    # The connection is cut after the notice and two parts reached the relay, while the
    # replacing phone pushes the rest; and the relay loses one part on its way to the new phone.
    pushed = []

    def cut_after_three(conn, direction, frame):
        pushed.append(frame["seq"])
        if len(pushed) == 4:
            conn.cut()
            return []
        return frame
    hostile.rule(cut_after_three, "send", direction=TO_RELAY, device=alex.device_id, where=new_epoch_sends(epoch))
    failures = []
    replace_partner(alex, new, failures=failures)
    assert len(failures) == 1 and "the relay closed the connection" in str(failures[0]), failures
    assert new.device().state.get("root"), "the new phone is paired even so"

    hostile.drop_envelopes(seq=3, device=new.device_id, count=1)
    resumed = alex.sync()
    assert "sent" in resumed.stderr and "so far" in resumed.stderr
    first = new.sync().stderr
    assert "missing" in first and "history: received part 1 of" in first   # part 2 (seq 3) never came
    alex.sync()   # the new phone's receipt names it missing: sent again
    second = new.sync().stderr
    part, parts = new.device().state.get("history_in")["part"], new.device().state.get("history_in")["parts"]
    assert part == parts >= 6 and f"received part {parts} of {parts}" in second
    assert sum(r["mine"] for r in new.list("journal")) == 40 and len(new.list("journal")) == 80
    assert f"has all of it ({parts} part(s))" in alex.sync().stderr
    # Every envelope of the new epoch went out once under its seq, from 1 up, and the cut
    # one again after it; none under the old epoch's key.
    assert sorted(set(pushed)) == list(range(1, parts + 2))


@pytest.mark.slow
def test_a_replace_killed_before_it_heard_the_confirmation_finishes_at_the_next_sync(hostile_couple, hostile,
                                                                                      tmp_path):
    alex, sam = hostile_couple
    alex.put("boundary", {"kind": "topic", "label": "scans and results", "level": "ask_first"})
    sam.put("journal", {"text": "sam's last words on the old phone", "shared": True})
    for client in (alex, sam, alex):
        client.sync()
    new = Client(tmp_path / "sam-new")
    confirmed = hostile.hold("confirm_ok", direction=TO_DEVICE, device=alex.device_id)
    replacing = alex.popen("replace-partner", "--timeout", "30", stdin=subprocess.PIPE)
    try:
        link = replacing.stdout.readline().strip()
        codes = queue.Queue()
        joining = threading.Thread(target=lambda: new.device().join(link, 30, codes.put), daemon=True)
        joining.start()
        code = read_code(replacing)
        assert codes.get(timeout=10) == code
        replacing.stdin.write(code + "\n")
        replacing.stdin.flush()
        confirmed.wait()
        replacing.kill()   # the relay has made the swap; this phone never heard so
        replacing.wait()
        joining.join(30)
    finally:
        if replacing.poll() is None:
            replacing.kill()
    confirmed.discard()
    assert new.device().state.get("root") and alex.device().state.get("pending_invite")

    alex.sync()   # learns from the relay's ready that the new phone is in, and carries on
    new.sync()
    assert [r["text"] for r in new.list("journal")] == ["sam's last words on the old phone"]
    assert [(r["label"], r["mine"]) for r in new.list("boundary")] == [("scans and results", False)]
    assert alex.device().state.get("pending_invite") is None


def test_an_envelope_the_replaced_phone_sealed_is_ignored_whatever_the_relay_forwards(hostile_couple, hostile,
                                                                                       tmp_path):
    alex, sam = hostile_couple
    sam.put("journal", {"text": "before", "shared": True})
    sam.sync()
    alex.sync()
    # What the old phone would send next, sealed with its old key, held back for the relay to play.
    sam.put("journal", {"text": "from the replaced phone", "shared": True})
    state = sam.device().state
    device = sam.device()
    pair, epoch, me, _peer, my_key, _ = device._keys_for_sync()
    ((seq, old_envelope),) = device.seal_outbox(pair, epoch, me, my_key)
    new = Client(tmp_path / "sam-new")
    replace_partner(alex, new)
    new.sync()
    assert state.get("own_seq") == seq

    forged = {"type": "deliver", "cursor": 1, "body": b64u(old_envelope)}
    hostile.rule(lambda conn, d, f: [forged, f], "caught_up", direction=TO_DEVICE, device=alex.device_id, count=1)
    done = alex.sync()
    assert "1 update(s) from your partner arrived damaged or out of place" in done.stderr
    assert [r["text"] for r in alex.list("journal")] == ["before"]


def test_the_new_phone_takes_a_history_only_after_the_partners_signed_word(couple, tmp_path):
    alex, sam = couple
    sam.put("boundary", {"kind": "touch", "label": "my shoulders", "level": "welcome"})
    sam.sync()
    alex.sync()
    new = Client(tmp_path / "sam-new")
    # A remaining phone (or anyone with its key) that sends a notice not signed over the
    # new phone's own keys: the history behind it is refused, not merged.
    def replace(on_link, ask):
        device = alex.device()
        code = device.replace_partner(30, on_link, lambda code: None, ask)
        state = device.state
        n, body = state.unsealed()[0]
        notice = json.loads(body)
        notice["succession"]["sig"] = b64u(bytes(64))
        state.db.execute("UPDATE outbox SET body = ? WHERE n = ?", (json.dumps(notice).encode(), n))
        device.sync()
        return code
    exchange_in_threads(replace, new)
    done = new.sync()
    assert "2 update(s) from your partner arrived damaged or out of place" in done.stderr
    assert new.list("boundary") == [] and new.device().state.get("lineage") is None

    # And an ordinary partner cannot slip a history in.
    other_alex, other_sam = Client(tmp_path / "a2"), Client(tmp_path / "s2")
    pair(alex.device().state.get("relay"), other_alex, other_sam)
    queue_raw(other_alex, [{"history": {"part": 1, "parts": 1}, "records": [
        {"type": "boundary", "id": "A" * 22, "author": other_sam.device_id, "fields": {
            "kind": "touch", "label": "planted", "level": "welcome", "note": None, "during": None, "deleted": False},
         "clocks": {k: "1764000000000.0000.x" for k in ("kind", "label", "level", "note", "during", "deleted")}}]}])
    other_alex.sync()
    assert "arrived damaged or out of place" in other_sam.sync().stderr
    assert other_sam.list("boundary") == []


def test_half_open_check_in_weeks_carry_on_with_the_new_phone(couple, tmp_path):
    alex, sam = couple
    both, alex_only = "2026-W10", "2026-W11"
    answers = {who: {"needs": f"{who}: a slow evening"} for who in ("alex", "sam", "new", "new again")}
    # One week both answered; alex released its key, and sam's phone was lost before sam's was.
    sam.put("checkin", {"week": both, "answers": answers["sam"]})
    sam.sync()
    alex.sync()
    alex.put("checkin", {"week": both, "answers": answers["alex"]})
    # Another week only alex answered.
    alex.put("checkin", {"week": alex_only, "answers": answers["alex"]})
    alex.sync()
    new = Client(tmp_path / "sam-new")
    replace_partner(alex, new)
    new.sync()

    seen = {(r["week"], r["mine"]): r for r in new.list("checkin")}
    assert seen[(both, True)]["answers"] is None and seen[(both, True)]["sealed"] is True   # its key was lost
    assert seen[(both, False)]["answers"] == answers["alex"]
    assert seen[(alex_only, False)]["answers"] is None and seen[(alex_only, False)]["sealed"] is True

    # The new phone answers both weeks afresh; alex's sealed answers open once they arrive.
    new.put("checkin", {"week": alex_only, "answers": answers["new"]})
    new.put("checkin", {"week": both, "answers": answers["new again"]})
    new.sync()
    alex.sync()
    new.sync()
    mine_now = {r["week"]: r["answers"] for r in new.list("checkin") if not r["mine"]}
    assert mine_now == {both: answers["alex"], alex_only: answers["alex"]}
    theirs = {(r["week"], r["author"]): r["answers"] for r in alex.list("checkin") if not r["mine"]}
    assert theirs == {(both, sam.device_id): None, (both, new.device_id): answers["new again"],
                      (alex_only, new.device_id): answers["new"]}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def relay_on_each(request, relay_factory):
    """The test's own relay process, on SQLite, then on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return relay_factory()
    server = request.getfixturevalue("postgres_server")
    name = f"replace_{os.urandom(4).hex()}"
    server.create_database(name)
    return relay_factory("pg", env={"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{server.port}/{name}"})


def test_replacing_on_each_database(relay_on_each, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay_on_each.url, alex, sam)
    rid = sam.put("boundary", {"kind": "body_area", "label": "the scar", "level": "not_now"})
    sam.sync()
    alex.sync()
    new = Client(tmp_path / "sam-new")
    replace_partner(alex, new)
    new.sync()
    new.put("boundary", {"id": rid, "note": "better this month"})
    new.sync()
    alex.sync()
    assert [(b["note"], b["mine"]) for b in alex.list("boundary")] == [("better this month", False)]
    failed = sam.run("sync", check=False)
    assert failed.returncode == 1 and "replaced" in failed.stderr


def test_lineages_chain_across_replacements_of_both_places(couple, tmp_path):
    """Sam's phone is replaced, then Alex's: the newest phone of each place still owns what
    every earlier phone of its place wrote, and the other place accepts its changes."""
    alex, sam = couple
    sam.put("boundary", {"kind": "touch", "label": "sam: shoulders are fine", "level": "welcome"})
    alex.put("boundary", {"kind": "touch", "label": "alex: no tickling", "level": "off_limits"})
    for client in (alex, sam, alex):
        client.sync()
    sam2, alex2 = Client(tmp_path / "sam2"), Client(tmp_path / "alex2")
    assert replace_partner(alex, sam2)
    sam2.sync()
    assert replace_partner(sam2, alex2)        # now Alex's phone is lost, and Sam's new one remains
    alex2.sync()
    sam2.sync()
    for phone, own in ((alex2, "alex: no tickling"), (sam2, "sam: shoulders are fine")):
        mine = {r["label"]: r["mine"] for r in phone.list("boundary")}
        assert mine == {"alex: no tickling": own.startswith("alex"), "sam: shoulders are fine": own.startswith("sam")}
    # Each place changes what its first phone wrote, and the other place takes it.
    sam_boundary = next(r for r in sam2.list("boundary") if r["mine"])
    sam2.put("boundary", {"id": sam_boundary["id"], "level": "ask_first"})
    sam2.sync()
    alex2.sync()
    assert next(r for r in alex2.list("boundary") if r["id"] == sam_boundary["id"])["level"] == "ask_first"
    alex_boundary = next(r for r in alex2.list("boundary") if r["mine"])
    alex2.put("boundary", {"id": alex_boundary["id"], "level": "ask_first"})
    alex2.sync()
    sam2.sync()
    assert next(r for r in sam2.list("boundary") if r["id"] == alex_boundary["id"])["level"] == "ask_first"
    assert alex2.device().state.get("peer_lineage") == [sam.device_id]
