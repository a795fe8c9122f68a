"""`hearth-client move` (protocol §11.4): a person moves from their phone to a new one, with
both in hand. The new phone gets everything, private records too, and takes the old one's
place; the partner's phone hears it signed and goes on with the new phone; the old one is
shut out.

Real relays; devices in threads of this process, except where the command line itself is
the point.
"""

import json

import pytest

from client_helpers import Client, exchange_in_threads, invite_and_join_on_the_command_line, move_phone, pair
from hearth.protocol.encoding import b64u
from hearth.protocol.identity import MOVED, DeviceKeys, succession_message
from hearth.protocol.primitives import sign
from hostile_relay import TO_DEVICE

CANARY = "persimmon-harbour-5512"   # in a private draft: it travels only inside the move stream


def test_moving_hands_over_everything_and_the_partner_goes_on_with_the_new_phone(relay, tmp_path):
    alex, sam = Client(tmp_path / "alex"), Client(tmp_path / "sam")
    pair(relay.url, alex, sam)
    boundary = alex.put("boundary", {"kind": "touch", "label": "alex: hands on my shoulders", "level": "welcome"})
    draft = alex.put("journal", {"text": f"alex's private draft: {CANARY}"})
    alex.put("journal", {"text": "alex, shared", "shared": True})
    alex.put("energy", {"date": "2026-03-02", "time_of_day": "morning", "energy": 4})   # private
    alex.put("checkin", {"week": "2026-W10", "answers": {"needs": "alex: an early night"}})
    sam.put("journal", {"text": "sam, shared", "shared": True})
    alex.put("couple", {"checkin_day": "friday"})
    for client in (alex, sam, alex):
        client.sync()
    alex.put("journal", {"text": "written just before the move", "shared": True})
    old_id, before = alex.device_id, {t: alex.list(t) for t in ("journal", "boundary", "energy", "couple")}

    # The command line, as a script runs it: the link first, the code, the numbers typed in.
    new = Client(tmp_path / "alex-new", process=True)
    err, jerr = invite_and_join_on_the_command_line(alex, new, "move")
    new.process = False
    assert "moved:" in err and "moved:" in jerr
    moved_code = new.device().state.get("safety_code")
    assert moved_code in err and moved_code in jerr

    # Everything is on the new phone, private records included, and all of alex's is its own.
    for rtype, records in before.items():
        assert new.list(rtype) == records, rtype
    assert any(r["id"] == draft and r["mine"] for r in new.list("journal"))
    assert new.list("checkin")[0]["answers"] == {"needs": "alex: an early night"}

    # The old phone is retired, in plain words.
    failed = alex.run("sync", check=False)
    assert failed.returncode == 1 and "moved" in failed.stderr

    # The partner hears it, signed, with the code to compare; then both go on.
    told = sam.sync().stderr
    assert "your partner moved to a new phone" in told and moved_code in told
    assert sam.device().state.get("peer")["device"] == new.device_id
    new.sync()   # sends again what the old phone wrote that sam had not confirmed
    sam.sync()
    assert {r["text"] for r in sam.list("journal") if not r["mine"]} == {"alex, shared",
                                                                          "written just before the move"}
    new.put("boundary", {"id": boundary, "level": "ask_first"})
    new.sync()
    sam.sync()
    assert [(b["level"], b["mine"]) for b in sam.list("boundary")] == [("ask_first", False)]
    sam.put("journal", {"text": "sam, to the new phone", "shared": True})
    sam.sync()
    new.sync()
    assert "sam, to the new phone" in {r["text"] for r in new.list("journal")}
    assert "your partner moved" not in sam.sync().stderr   # told once, not at every login

    for path in [*relay.data_dir.rglob("*"), relay.log_path]:
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    assert old_id in new.device().state.get("lineage")


def test_what_the_partner_sent_during_the_move_reaches_the_new_phone(couple, tmp_path):
    alex, sam = couple
    alex.put("checkin", {"week": "2026-W12", "answers": {"needs": "alex: quiet"}})
    alex.sync()
    sam.sync()

    def sam_writes():   # while alex's person reads the numbers: it waits at the relay for the old phone
        device = sam.device()
        device.put("journal", json.dumps({"text": "sam, while alex was moving", "shared": True}))
        device.sync()
    new = Client(tmp_path / "alex-new")
    code = move_phone(alex, new, before_confirming=sam_writes)

    assert code in sam.sync().stderr
    new.sync()
    assert [r["text"] for r in new.list("journal")] == ["sam, while alex was moving"]
    # The week alex answered on the old phone opens for both once sam answers it.
    sam.put("checkin", {"week": "2026-W12", "answers": {"needs": "sam: a walk"}})
    sam.sync()
    new.sync()
    sam.sync()
    assert [r["answers"] for r in sam.list("checkin") if not r["mine"]] == [{"needs": "alex: quiet"}]
    assert [r["answers"] for r in new.list("checkin") if not r["mine"]] == [{"needs": "sam: a walk"}]


@pytest.mark.slow
def test_a_stream_of_many_parts_arrives_whole_though_the_relay_loses_one(hostile_couple, hostile, tmp_path):
    alex, sam = hostile_couple
    device = alex.device()
    for i in range(40):   # about 6 KB each: several full envelopes
        device.put("journal", json.dumps({"text": f"alex {i} " + "słowo " * 1000, "shared": i % 2 == 0}))
    alex.sync()
    lost = hostile.drop_envelopes(which=lambda e: e.epoch == 0 and e.seq == 2, count=1)
    new = Client(tmp_path / "alex-new")
    move_phone(alex, new)
    assert lost.hits == 1
    assert len(new.list("journal")) == 40 and all(r["mine"] for r in new.list("journal"))
    assert new.device().state.get("moving_in") is None


def test_a_wrong_code_at_move_changes_nothing(couple, tmp_path):
    alex, sam = couple
    failures = []
    exchange_in_threads(lambda on_link, ask: alex.device().move(30, on_link, lambda code: None, ask),
                        Client(tmp_path / "stranger"), typed="000 000", failures=failures)
    assert any("numbers are different" in str(e) for e in failures), failures
    alex.put("journal", {"text": "still on the old phone", "shared": True})
    alex.sync()
    assert "moved" not in sam.sync().stderr
    assert [r["text"] for r in sam.list("journal")] == ["still on the old phone"]


def test_a_succession_notice_the_old_phone_did_not_sign_changes_nothing(hostile_couple, hostile):
    alex, sam = hostile_couple
    alex.put("journal", {"text": "hello", "shared": True})
    alex.sync()
    state = sam.device().state
    epoch, pair_id = state.get("epoch"), state.get("pair")
    impostor = DeviceKeys.generate()
    message = succession_message(pair_id, epoch + 1, MOVED, alex.device_id, impostor.device_id,
                                 impostor.sig_pub, impostor.dh_pub)
    forged = {"type": "succession", "reason": MOVED, "old": alex.device_id, "device": impostor.device_id,
              **impostor.public_frame(), "epoch": epoch + 1, "sig": b64u(sign(impostor.sig, message))}
    hostile.rule(lambda conn, d, f: [f, forged], "ready", direction=TO_DEVICE, device=sam.device_id, count=1)
    failed = sam.run("sync", check=False)
    assert failed.returncode == 1 and "did not sign" in failed.stderr, failed.stderr
    assert (state.get("epoch"), state.get("peer")["device"]) == (epoch, alex.device_id)
    assert sam.sync().returncode == 0
    assert [r["text"] for r in sam.list("journal")] == ["hello"]


@pytest.mark.slow
def test_a_move_the_new_phone_never_confirms_is_called_off_and_changes_nothing(couple, tmp_path):
    alex, sam = couple
    alex.put("journal", {"text": "kept on the old phone", "shared": True})
    new = Client(tmp_path / "alex-new")
    failures = []
    # The new phone joins, then is put away before it receives anything.
    exchange_in_threads(lambda on_link, ask: alex.device().move(3, on_link, lambda code: None, ask), new,
                        timeout=10, failures=failures)
    assert len(failures) == 1 and "did not confirm it has everything in time" in str(failures[0]), failures
    assert alex.device().state.get("moving_out") is None
    alex.sync()
    assert "moved" not in sam.sync().stderr
    assert [r["text"] for r in sam.list("journal")] == ["kept on the old phone"]
    later = new.run("sync", check=False)
    assert later.returncode == 1 and "called off" in later.stderr, later.stderr
