"""Check-ins on this device: seal my answers, release my key when it is fair, open theirs.

The wire record is `checkin` (docs/protocol.md §8.8); the sealing is §10. My own answers and
keys stay in this device's state and never travel except as the sealed box and, later,
the key.
"""

from hearth.protocol.checkin import check_answers, checkin_id, current_week, open_answers, seal_answers
from hearth.protocol.encoding import b64u
from hearth.protocol.primitives import CryptoError

from .records import RecordError, week_field


def _partner_sealed(device, week: str) -> bool:
    """Whether my partner's sealed answers for `week` are here (§8.8): not skipped, not taken back."""
    st = device.state
    peer = (st.get("peer") or {}).get("device")
    for x in device.place_of(peer) if peer else ():
        found = st.record("checkin", checkin_id(x, week))
        if found and not found[1].get("deleted") and not found[1].get("skipped"):
            return True
    return False


def prepare(device, fields: dict) -> tuple[str, dict]:
    """Turn {"week", "answers"} into a sealed record, or {"week", "skip": true} into a skipped
    one (§8.8); returns (record id, wire fields). Either replaces what I gave for the week
    before, until my partner's sealed answers are here."""
    st = device.state
    if not st.get("root"):
        raise RecordError("pair first: a check-in is sealed for your partner")
    unknown = sorted(set(fields) - {"week", "answers", "skip"})
    if unknown:
        raise RecordError(f"unknown field '{unknown[0]}' for checkin; give 'week' and 'answers', or 'week' and 'skip'")
    week = week_field("week", fields.get("week") or current_week())
    if fields.get("skip") is not None and (fields["skip"] is not True or "answers" in fields):
        raise RecordError("'skip' must be true, and comes without 'answers'")
    mine = st.get("checkins", {})
    author = mine.get(week, {}).get("author") or st.get("device")
    rid = checkin_id(author, week)
    existing = st.record("checkin", rid)
    # Sealed answers of mine have opened once my partner's are here too; a skip or answers
    # taken back opened nothing, so those can still change.
    if existing and not existing[1].get("deleted") and not existing[1].get("skipped") and _partner_sealed(device, week):
        raise RecordError("your partner has answered this week too, so your answers can't change now")
    # Answering again, or after skipping or taking back, replaces what was there; an ordinary
    # answer never names `skipped`, which an older app would not know.
    again = {"key": None} if existing else {}
    if existing and existing[1].get("deleted"):
        again["deleted"] = False
    if fields.get("skip") is not None:
        mine[week] = {"skipped": True, "released": True, "author": author}
        st.set("checkins", mine)
        return rid, {"week": week, "skipped": True, "sealed": None, "commitment": None, "key": None, **again}
    if existing and existing[1].get("skipped"):
        again["skipped"] = False
    try:
        answers = check_answers(fields.get("answers"))
    except ValueError as exc:
        raise RecordError(str(exc)) from None
    # A week my old phone answered before it moved here is still one record, mine (§11.4).
    key, wire = seal_answers(answers, st.get("pair"), author, week)
    mine[week] = {"key": b64u(key), "answers": answers, "released": False, "author": author}
    st.set("checkins", mine)
    return rid, {**wire, **again}


def releases(device) -> list[tuple[str, dict]]:
    """Key releases now due: my sealed week for which my partner's sealed answers are here,
    from their phone or one it succeeded (§11.1). Whether my key went is read from my record,
    not the note beside it, so a device stopped between the two still sends it."""
    st = device.state
    mine = st.get("checkins", {})
    due = []
    for week, local in mine.items():
        # Only sealed answers release mine: a skipped or taken-back week opens nothing (§8.8).
        if not local.get("key") or local.get("skipped"):
            continue
        rid = checkin_id(local.get("author") or st.get("device"), week)
        sealed = st.record("checkin", rid)
        if not sealed or sealed[1].get("deleted") or sealed[1].get("key"):
            continue
        if _partner_sealed(device, week):
            local["released"] = True
            due.append((rid, {"key": local["key"]}))
    if due:
        st.set("checkins", mine)
    return due


def readable(device, rec: dict) -> dict:
    """A listed check-in: mine with my answers; my partner's with theirs only once released.
    One my lost phone sealed (§11.3) is mine, but its answers and key stayed on that phone:
    it opens only if the key was released before it was lost."""
    st = device.state
    out = {k: rec[k] for k in ("type", "id", "author", "mine", "week")}
    local = st.get("checkins", {}).get(rec["week"], {})
    if rec.get("skipped"):
        return {**out, "answers": None, "sealed": False, "skipped": True}
    if rec["mine"] and (local.get("author") or st.get("device")) == rec["author"]:
        return {**out, "answers": local.get("answers"), "sealed": False}
    if not rec.get("key"):
        return {**out, "answers": None, "sealed": True}
    try:
        return {**out, "answers": open_answers(rec, st.get("pair"), rec["author"]), "sealed": False}
    except (CryptoError, ValueError):
        return {**out, "answers": None, "sealed": False, "damaged": True}
