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


def whole(rtype: str, rid: str, author: str, fields: dict, clocks: dict) -> bytes:
    """One record as it travels whole: every field with the clock that last set it."""
    return encode({"type": rtype, "id": rid, "author": author, "fields": fields, "clocks": clocks})


def outgoing(device) -> tuple[list[bytes], int]:
    """(the history's parts, how many records were too large for any envelope). Always at
    least one part, so the new phone hears that the history is complete even when empty."""
    st = device.state
    mine = device.mine()
    theirs = device.place_of(st.get("peer")["device"])
    items = []
    for rtype, rid, author, fields, clocks in st.every_record():
        kind = records.TYPES.get(rtype)
        if kind is None:
            continue
        if author in mine and kind.owned and not kind.shared_when(fields):
            continue   # my drafts, and what I took back, were never the lost phone's to have
        if author not in mine and author not in theirs and kind.owned:
            continue   # not of this pair's two places
        items.append(("records", whole(rtype, rid, author, fields, clocks)))
    return pack("history", items)


def pack(label: str, items: list[tuple[str, bytes]], state: dict | None = None) -> tuple[list[bytes], int]:
    """Items in the order given, as many to a part as fit the largest padded body (§5.3):
    `{label: {"part", "parts"}, "records": [...]}`, and for a move `"state": {...}` with
    `state`'s own fields in the first part and each other list of items. Returns (the
    parts, how many items were too large for any part); always at least one part."""
    lists = ["records", *sorted({name for name, _ in items} - {"records"})]
    first = encode(state)[1:-1] if state else b""

    def render(i: int, n: int, group: dict, with_state: bool) -> bytes:
        inner = [b'"%s":[%s]' % (name.encode(), b",".join(group.get(name, []))) for name in lists[1:]]
        if with_state and first:
            inner.append(first)
        tail = b',"state":{%s}' % b",".join(inner) if state is not None else b""
        return b'{"%s":{"part":%d,"parts":%d},"records":[%s]%s}' % (
            label.encode(), i, n, b",".join(group.get("records", [])), tail)

    digits = len(str(max(1, len(items))))
    room = MAX_BODY - len(render(0, 0, {}, True)) - 2 * (digits - 1)
    groups, group, used, too_large = [], {}, 0, 0
    for name, item in items:
        if len(item) + 1 > room:
            too_large += 1
            continue
        if used + 1 + len(item) > room:
            groups.append(group)
            group, used = {}, 0
        used += len(item) + 1   # the comma before it, or its share of the list's brackets
        group.setdefault(name, []).append(item)
    groups.append(group)
    parts = [render(i, len(groups), g, i == 1) for i, g in enumerate(groups, 1)]
    assert all(len(p) <= MAX_BODY for p in parts)
    return parts, too_large


def take_part(device, body: dict, report: dict) -> bool:
    """N's side: merge one part's records as if this phone had always held them (section 8,
    each with its author as given). A record that does not fit is skipped and counted, like
    an operation; a part that is not one is refused (returns False)."""
    place = part_of(body, "history")
    if place is None:
        return False
    merge(device, body["records"])
    device.state.set("history_in", {"part": place[0], "parts": place[1]})
    report["history"] = place
    return True


def part_of(body, label: str) -> tuple[int, int] | None:
    """(part, parts) of a history or move body, or None if it is not one."""
    head = body.get(label) if isinstance(body, dict) else None
    if not isinstance(head, dict) or not isinstance(body.get("records"), list):
        return None
    part, parts = head.get("part"), head.get("parts")
    if not all(type(n) is int for n in (part, parts)) or not 1 <= part <= parts:
        return None
    return part, parts


def merge(device, recs: list) -> None:
    """Merge whole records into this device's, as if it had always held them."""
    st = device.state
    mine, peer = device.mine(), (st.get("peer") or {}).get("device")
    clock = device.clock()
    for rec in recs:
        try:
            seen = _merge(device, rec, mine, peer)
        except (records.RecordError, KeyError, TypeError, ValueError):
            st.set("skipped_ops", st.get("skipped_ops", 0) + 1)
            continue
        clock.observe(seen)
    st.set("hlc", [clock.last_ms, clock.counter])


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
    if kind.owned and peer and owner not in mine and owner != peer:
        # My partner's own earlier phones: R vouches for them as it vouches for everything
        # here, and they let my partner's phone go on changing what it wrote on them.
        theirs = st.get("peer_lineage", [])
        if owner not in theirs:
            st.set("peer_lineage", [*theirs, owner])
    return max(clocks[k] for k in clean)
