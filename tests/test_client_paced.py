"""The paced path in hearth-client (protocol §8.14): each partner's own readiness in one
record of theirs, the step open to both the lower of the two, a step back winning over a
crossing ready on both sides, and steps offered only under a no-pressure agreement. Two
real clients against a real relay."""

import json


def path(client) -> dict:
    """What `list pace` says of my own record (the one `put pace` changes)."""
    mine = [r for r in client.list("pace") if r["mine"]]
    assert len(mine) == 1, mine
    return mine[0]


def synced(*clients) -> None:
    for client in (*clients, *clients):
        client.sync()


def test_put_pace_changes_my_one_record_and_the_open_step_is_the_slower_ones(couple):
    alex, sam = couple
    first = sam.put("pace", {"ready": "step_1"})
    assert sam.put("pace", {"ready": "step_3"}) == first   # changed in place, never a second record
    synced(sam, alex)
    assert (path(sam)["step"], path(sam)["open_step"]) == (3, 0)   # alex has said nothing yet
    alex.put("pace", {"ready": "step_2"})
    synced(alex, sam)
    for client in (alex, sam):
        assert path(client)["open_step"] == 2
        assert len(client.list("pace")) == 2


def test_a_crossing_ready_and_step_back_settle_on_the_step_back_on_both(couple):
    alex, sam = couple
    sam.put("pace", {"ready": "step_2"})
    alex.put("pace", {"ready": "step_2"})
    synced(sam, alex)
    sam.put("pace", {"ready": "step_3"})    # neither has seen the other's change
    alex.put("pace", {"ready": "step_1"})
    synced(alex, sam)
    for client in (alex, sam):
        assert path(client)["open_step"] == 1


def test_steps_are_offered_only_while_a_no_pressure_agreement_is_in_effect(couple):
    alex, sam = couple
    sam.put("pace", {"ready": "step_1"})
    alex.put("pace", {"ready": "step_1"})
    agreement = sam.put("agreement", {"kind": "no_pressure"})
    synced(sam, alex)
    assert not path(sam)["offered"] and path(sam)["open_step"] == 1   # both ready, but no agreement yet
    alex.put("agreement", {"id": agreement, "answer": "yes"})
    synced(alex, sam)
    assert path(sam)["offered"] and path(alex)["offered"]
    sam.put("agreement", {"id": agreement, "status": "ended"})
    synced(sam, alex)
    assert not path(alex)["offered"]


def test_my_partner_cannot_raise_my_readiness(couple):
    alex, sam = couple
    rid = sam.put("pace", {"ready": "step_1"})
    synced(sam, alex)
    refused = alex.run("put", "pace", json.dumps({"id": rid, "ready": "step_5"}), check=False)
    assert refused.returncode != 0 and "more careful, not less" in refused.stderr
    refused = alex.run("put", "pace", json.dumps({"ready": "step_7"}), check=False)
    assert refused.returncode != 0 and "'ready' must be one of" in refused.stderr
    assert path(sam)["step"] == 1
