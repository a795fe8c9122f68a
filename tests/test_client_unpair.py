"""`hearth-client unpair` (protocol §11.2), as the issue's contract says: exit 0, then `sync`
on either device exits 1 with a message containing "unpaired", and records stay."""

import json

from client_helpers import Client, pair


def test_unpair_ends_it_for_both_and_each_keeps_its_records(couple):
    alex, sam = couple
    alex.put("journal", {"text": "Our first slow morning in weeks.", "shared": True})
    alex.sync()
    sam.sync()
    sam.put("journal", {"text": "Written just before the end, never sent.", "shared": True})

    done = alex.run("unpair")
    assert done.returncode == 0 and "unpaired" in done.stderr

    for device, who in ((alex, "you ended it"), (sam, "your partner ended it")):
        failed = device.run("sync", check=False)
        assert failed.returncode == 1 and "unpaired" in failed.stderr and who in failed.stderr, failed.stderr
        again = device.run("sync", check=False)   # the same words every time, without asking the relay
        assert again.returncode == 1 and again.stderr == failed.stderr
    assert [r["text"] for r in sam.list("journal")] == ["Our first slow morning in weeks.",
                                                       "Written just before the end, never sent."]
    assert [r["text"] for r in alex.list("journal")] == ["Our first slow morning in weeks."]


def test_a_second_unpair_and_pairing_again_in_the_same_state_say_what_to_do(couple, any_relay):
    alex, sam = couple
    alex.run("unpair")
    for args in (("unpair",), ("invite", any_relay.url, "--timeout", "1")):
        done = alex.run(*args, check=False)
        assert done.returncode == 1 and "unpaired" in done.stderr, done.stderr


def test_either_can_pair_again_with_someone_new(couple, any_relay, tmp_path):
    alex, sam = couple
    sam.run("unpair")
    robin = Client(tmp_path / "robin")
    pair(any_relay.url, Client(tmp_path / "sam-again"), robin)   # sam, as a new device
    assert robin.list("journal") == []


def test_a_relay_that_claims_an_unsigned_end_is_not_taken_for_the_partner(hostile_couple, hostile):
    alex, sam = hostile_couple
    forged = {"type": "error", "code": "unpaired", "message": "This pairing has ended.", "in": "login",
              "by": alex.device_id, "at": 1764500000, "sig": "A" * 86}
    hostile.rewrite("ready", device=sam.device_id, fn=lambda frame: forged)
    failed = sam.run("sync", check=False)
    assert failed.returncode == 1 and "did not sign" in failed.stderr, failed.stderr
    assert "your partner ended" not in failed.stderr
    state = json.loads(json.dumps(sam.device().state.get("ended")))
    assert state["signed"] is False and state["by"] is None
