"""Consent in hearth-client (protocol §8.3): an experiment is a proposal until the partner
answers; the partner's answer is theirs alone, written with `put`; either can stop it; a
stop or a "not now" wins over a crossing yes. Two real clients against a real relay."""

import datetime
import json

import pytest

PROPOSAL = {"title": "A slow hand massage, hands only", "starts_on": "2026-11-20", "days": 7}


def the(client, rid: str) -> dict:
    return next(r for r in client.list("experiment") if r["id"] == rid)


def proposed(sam, alex) -> str:
    rid = sam.put("experiment", PROPOSAL)
    sam.sync()
    alex.sync()
    return rid


def test_list_shows_each_partners_answer_and_the_days_count_from_the_yes(couple):
    alex, sam = couple
    rid = proposed(sam, alex)
    for client in (alex, sam):
        rec = the(client, rid)
        assert rec["answers"] == {"author": "yes", "partner": None}
        assert rec["consent"] == "asked" and rec["begins_on"] is None
    alex.put("experiment", {"id": rid, "answer": "yes"})
    alex.sync()
    sam.sync()
    today = datetime.date.today().isoformat()
    for client in (alex, sam):
        rec = the(client, rid)
        assert rec["answers"] == {"author": "yes", "partner": "yes"}
        assert rec["consent"] == "agreed" and rec["answered_on"] == today
        assert rec["begins_on"] == max(today, PROPOSAL["starts_on"])


def test_a_partner_can_change_their_mind_and_ask_for_a_change_with_a_note(couple):
    alex, sam = couple
    rid = proposed(sam, alex)
    alex.put("experiment", {"id": rid, "answer": "not_now"})
    alex.put("experiment", {"id": rid, "answer": "change", "answer_note": "Could it be feet too?"})
    alex.sync()
    sam.sync()
    rec = the(sam, rid)
    assert (rec["consent"], rec["answer_note"]) == ("change", "Could it be feet too?")


@pytest.mark.parametrize("who_first", ["yes-first", "stop-first"])
def test_a_crossing_yes_and_stop_settle_on_stopped_on_both(couple, who_first):
    alex, sam = couple
    rid = proposed(sam, alex)
    changes = [lambda: alex.put("experiment", {"id": rid, "answer": "yes"}),
               lambda: sam.put("experiment", {"id": rid, "status": "stopped"})]
    for change in changes if who_first == "yes-first" else changes[::-1]:
        change()   # neither has seen the other's
    for client in (alex, sam, alex, sam):
        client.sync()
    for client in (alex, sam):
        rec = the(client, rid)
        assert rec["consent"] == "stopped"
        assert rec["answers"] == {"author": "stop", "partner": "yes"}


def test_only_the_partner_answers_and_the_partner_changes_nothing_else(couple):
    alex, sam = couple
    rid = proposed(sam, alex)
    refused = sam.run("put", "experiment", json.dumps({"id": rid, "answer": "yes"}), check=False)
    assert refused.returncode != 0 and "'answer' is your partner's to give" in refused.stderr
    refused = sam.run("put", "experiment", json.dumps({**PROPOSAL, "answer": "yes"}), check=False)
    assert refused.returncode != 0 and "'answer' is your partner's to give" in refused.stderr
    refused = alex.run("put", "experiment", json.dumps({"id": rid, "title": "Something else"}), check=False)
    assert refused.returncode != 0 and "belongs to your partner" in refused.stderr
    refused = alex.run("put", "experiment", json.dumps({"id": rid, "answer": "maybe"}), check=False)
    assert refused.returncode != 0 and "'answer' must be one of: yes, change, not_now, stop" in refused.stderr
    assert the(alex, rid)["answers"] == {"author": "yes", "partner": None}
    assert len(sam.list("experiment")) == 1


# ---------- check-ins (§8.8) ----------

WEEK = "2026-W48"
ALEX = {"needs": "Quiet evenings, and your patience while I'm slow."}
SAM = {"needs": "To hear what feels okay before we try it."}


def week_of(client, mine: bool) -> dict:
    return next(r for r in client.list("checkin") if r["mine"] == mine and r["week"] == WEEK)


def test_a_skipped_week_opens_nothing_on_either_side(couple):
    alex, sam = couple
    alex.put("checkin", {"week": WEEK, "answers": ALEX})
    alex.sync()
    sam.put("checkin", {"week": WEEK, "skip": True})
    sam.sync()
    alex.sync()
    sam.sync()
    assert week_of(alex, mine=False)["skipped"] is True
    assert week_of(sam, mine=False) == {**week_of(sam, mine=False), "answers": None, "sealed": True}   # Alex's never opens
    held = alex.device().state.record("checkin", week_of(alex, mine=True)["id"])[1]
    assert held.get("key") is None   # Alex released nothing for a skipped week


def test_answers_change_until_the_partner_answers_and_not_after(couple):
    alex, sam = couple
    alex.put("checkin", {"week": WEEK, "answers": ALEX})
    alex.put("checkin", {"week": WEEK, "skip": True})   # sitting it out after all
    changed = {"needs": "Actually: an early night, together."}
    alex.put("checkin", {"week": WEEK, "answers": changed})
    alex.sync()
    sam.sync()
    sam.put("checkin", {"week": WEEK, "answers": SAM})
    sam.sync()
    alex.sync()
    sam.sync()
    assert week_of(sam, mine=False)["answers"] == changed
    assert week_of(alex, mine=False)["answers"] == SAM
    refused = alex.run("put", "checkin", json.dumps({"week": WEEK, "answers": ALEX}), check=False)
    assert refused.returncode != 0 and "can't change now" in refused.stderr
    refused = sam.run("put", "checkin", json.dumps({"week": WEEK, "skip": False}), check=False)
    assert refused.returncode != 0 and "'skip' must be true" in refused.stderr


def test_the_no_pressure_agreement_through_hearth_client(couple):
    alex, sam = couple
    rid = sam.put("agreement", {"kind": "no_pressure"})
    sam.sync()
    alex.sync()
    assert (the_agreement := next(r for r in alex.list("agreement") if r["id"] == rid))["consent"] == "asked"
    assert the_agreement["answers"] == {"author": "yes", "partner": None}
    alex.put("agreement", {"id": rid, "answer": "yes"})
    alex.sync()
    sam.sync()
    assert next(r for r in sam.list("agreement") if r["id"] == rid)["consent"] == "in_effect"
    sam.put("agreement", {"id": rid, "status": "ended"})
    sam.sync()
    alex.sync()
    assert next(r for r in alex.list("agreement") if r["id"] == rid)["consent"] == "ended"
