"""Check-ins on this device: seal my answers, release my key when it is fair, open theirs.

The wire record is `checkin` (docs/protocol.md §8.8); the sealing is §10. My own answers and
keys stay in this device's state and never travel except as the sealed box and, later,
the key.
"""

from hearth.protocol.checkin import check_answers, checkin_id, current_week, open_answers, seal_answers
from hearth.protocol.encoding import b64u
from hearth.protocol.primitives import CryptoError

from .records import RecordError, week_field


def prepare(device, fields: dict) -> tuple[str, dict]:
    """Turn {"week", "answers"} into a sealed record; returns (record id, wire fields)."""
    st = device.state
    if not st.get("root"):
        raise RecordError("pair first: a check-in is sealed for your partner")
    unknown = sorted(set(fields) - {"week", "answers"})
    if unknown:
        raise RecordError(f"unknown field '{unknown[0]}' for checkin; give 'week' and 'answers'")
    week = week_field("week", fields.get("week") or current_week())
    try:
        answers = check_answers(fields.get("answers"))
    except ValueError as exc:
        raise RecordError(str(exc)) from None
    mine = st.get("checkins", {})
    # A week my old phone answered before it moved here is still one record, mine (§11.4).
    author = mine.get(week, {}).get("author") or st.get("device")
    key, wire = seal_answers(answers, st.get("pair"), author, week)
    mine[week] = {"key": b64u(key), "answers": answers, "released": False, "author": author}
    st.set("checkins", mine)
    return checkin_id(author, week), wire


def releases(device) -> list[tuple[str, dict]]:
    """Key releases now due: my sealed week for which my partner's sealed answers are here,
    from their phone or one it succeeded (§11.1)."""
    st = device.state
    peer = (st.get("peer") or {}).get("device")
    theirs = device.place_of(peer) if peer else set()
    mine = st.get("checkins", {})
    due = []
    for week, local in mine.items():
        if not local["released"] and any(st.record("checkin", checkin_id(x, week)) for x in theirs):
            local["released"] = True
            due.append((checkin_id(local.get("author") or st.get("device"), week), {"key": local["key"]}))
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
    if rec["mine"] and (local.get("author") or st.get("device")) == rec["author"]:
        return {**out, "answers": local.get("answers"), "sealed": False}
    if not rec.get("key"):
        return {**out, "answers": None, "sealed": True}
    try:
        return {**out, "answers": open_answers(rec, st.get("pair"), rec["author"]), "sealed": False}
    except (CryptoError, ValueError):
        return {**out, "answers": None, "sealed": False, "damaged": True}
