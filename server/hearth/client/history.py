"""The history a remaining phone hands its partner's new one (protocol §11.3).

Every shared record R holds, its own and the lost phone's, travels whole: each field with
the clock that last set it, tombstones and taken-back records included, so merging goes on
exactly as it did with the old phone. The parts are ordinary envelopes of the new epoch,
so they are end-to-end encrypted, arrive in order and exactly once, and are kept until the
new phone's receipt confirms them.
"""

import json

from hearth.protocol import schema
from hearth.protocol.envelope import MAX_BODY

from . import records


def encode(body: dict) -> bytes:
    # Not ASCII-escaped: a part holds as many records as fit, and escapes would take six
    # bytes for what UTF-8 says in two or three.
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def outgoing(device) -> tuple[list[bytes], int]:
    """(the history's parts, how many records were too large for any envelope). Always at
    least one part, so the new phone hears that the history is complete even when empty."""
    st = device.state
    mine = device.mine()
    theirs = device.place_of(st.get("peer")["device"])
    whole = []
    for rtype, rid, author, fields, clocks in st.every_record():
        kind = records.TYPES.get(rtype)
        if kind is None:
            continue
        if author in mine and kind.owned and not kind.shared_when(fields):
            continue   # my drafts, and what I took back, were never the lost phone's to have
        if author not in mine and author not in theirs and kind.owned:
            continue   # not of this pair's two places
        whole.append(encode({"type": rtype, "id": rid, "author": author, "fields": fields, "clocks": clocks}))
    return _packed(whole)


def _packed(whole: list[bytes]) -> tuple[list[bytes], int]:
    """Records in the order held, as many to a part as fit the largest padded body (§5.3)."""
    digits = len(str(max(1, len(whole))))
    room = MAX_BODY - len(encode({"history": {"part": 0, "parts": 0}, "records": []})) - 2 * (digits - 1)
    groups, group, used, too_large = [], [], 0, 0
    for rec in whole:
        if len(rec) > room:
            too_large += 1
            continue
        if group and used + 1 + len(rec) > room:
            groups.append(group)
            group, used = [], 0
        used += len(rec) + (1 if group else 0)
        group.append(rec)
    groups.append(group)
    parts = [b'{"history":{"part":%d,"parts":%d},"records":[%s]}' % (i, len(groups), b",".join(g))
             for i, g in enumerate(groups, 1)]
    assert all(len(p) <= MAX_BODY for p in parts)
    return parts, too_large


def take_part(device, body: dict, report: dict) -> bool:
    """N's side: merge one part's records as if this phone had always held them (section 8,
    each with its author as given). A record that does not fit is skipped and counted, like
    an operation; a part that is not one is refused (returns False)."""
    st = device.state
    head, recs = body.get("history"), body.get("records")
    if not isinstance(head, dict) or not isinstance(recs, list):
        return False
    part, parts = head.get("part"), head.get("parts")
    if not all(type(n) is int for n in (part, parts)) or not 1 <= part <= parts:
        return False
    mine, peer = device.mine(), st.get("peer")["device"]
    clock = device.clock()
    for rec in recs:
        try:
            seen = _merge(device, rec, mine, peer)
        except (records.RecordError, KeyError, TypeError, ValueError):
            st.set("skipped_ops", st.get("skipped_ops", 0) + 1)
            continue
        clock.observe(seen)
    st.set("hlc", [clock.last_ms, clock.counter])
    st.set("history_in", {"part": part, "parts": parts})
    report["history"] = (part, parts)
    return True


def _merge(device, rec: dict, mine: set, peer: str) -> str:
    """Merge one whole record; returns its latest clock."""
    st = device.state
    rtype, rid, author, fields, clocks = rec["type"], rec["id"], rec["author"], rec["fields"], rec["clocks"]
    kind = records.record_type(rtype)
    spec = schema.record_type(rtype)
    if not schema.is_record_id(rid) or ("id" in spec and rid != spec["id"]) or not schema.is_record_id(author):
        raise records.RecordError("not a record of this pair")
    clean = schema.clean_fields(rtype, fields)
    if not records.forgotten(clean):
        schema.check_record(rtype, {**kind.defaults, **clean})
    if not isinstance(clocks, dict) or not clean or \
            not all(isinstance(clocks.get(k), str) and schema.hlc_ms(clocks[k]) is not None for k in clean):
        raise records.RecordError("a field without its clock")
    existing = st.record(rtype, rid)
    owner, current, have = existing or (author, {}, {})
    for name, value in clean.items():
        if have.get(name, "") < clocks[name]:
            current[name], have[name] = value, clocks[name]
    if owner not in mine and records.taken_back(kind, current):
        current, have = records.forget_taken_back(current, have)
    st.save_record(rtype, rid, owner, current, have)
    if kind.owned and owner not in mine and owner != peer:
        # My partner's own earlier phones: R vouches for them as it vouches for everything
        # here, and they let my partner's phone go on changing what it wrote on them.
        theirs = st.get("peer_lineage", [])
        if owner not in theirs:
            st.set("peer_lineage", [*theirs, owner])
    return max(clocks[k] for k in clean)
