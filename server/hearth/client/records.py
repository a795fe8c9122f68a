"""Record types, their schemas and the per-field merge (docs/protocol.md §8).

The types are not written here: server/hearth/protocol/records.json describes each one, and
hearth.protocol.schema interprets it, exactly as the app's pwa/js/core/records.js does. A new
type is an entry in that file (docs/records.md), not new code paths.
"""

import base64
import datetime
import json
import os
import time
from dataclasses import dataclass

from hearth.protocol import schema
from hearth.protocol.checkin import current_week

RecordError = schema.RecordError   # a record or field that does not fit; the message says why
check_op = schema.check_op         # does an operation from an envelope fit? (§5.4, §8)
ops_in = schema.ops_in             # the operations of an envelope's body

C = schema.CHOICES
LEVELS = tuple(C["levels"])
BOUNDARY_KINDS = tuple(C["boundary_kinds"])
LEVELLED_KINDS = tuple(C["levelled_kinds"])
JOURNAL_TAGS = tuple(C["journal_tags"])
TIMES_OF_DAY = tuple(C["times_of_day"])
EXPERIMENT_STATUSES = tuple(C["experiment_statuses"])
OUTCOMES = tuple(C["outcomes"])
WEEKDAYS = tuple(C["weekdays"])

# The one record the two of you share rather than own (§8.10): either phone may change any
# field, and the later change wins. Its id is fixed so both phones name the same record.
COUPLE_ID = schema.TYPES["couple"]["id"]


def read_body(plaintext: bytes):
    """An envelope's body (§5.4). JSON nested deeper than Python's parser goes (a modified
    app's, as no record nests more than a few levels) is a body that does not fit, skipped
    and counted like any such update, rather than an error that would refuse the envelope
    at every sync. Not JSON at all: ValueError, as before."""
    try:
        return json.loads(plaintext)
    except RecursionError:
        return None


def today() -> str:
    return datetime.date.today().isoformat()


def new_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()


@dataclass(frozen=True)
class RecordType:
    """One type of records.json, as the client uses it."""
    name: str
    fields: dict            # field -> its spec in records.json
    required: tuple
    defaults: dict
    example: dict           # for `hearth-client example`; a check-in's is what `put` takes
    owned: bool = True      # only the author may change it; False: either partner may (§8.10)

    def validate(self, fields: dict, existing: dict | None = None) -> dict:
        """Validate an update (or a new record if `existing` is None); return clean fields."""
        return schema.validate(self.name, fields, existing)

    def shared_when(self, fields: dict) -> bool:
        return schema.is_sent(self.name, fields)


def _example(value):
    """records.json's examples name today and this week rather than a fixed day."""
    return {"$today": today(), "$this_week": current_week()}.get(value, value) if isinstance(value, str) else value


TYPES = {
    name: RecordType(name=name, fields=kind["fields"],
                     required=tuple(k for k, s in kind["fields"].items() if s.get("required")),
                     defaults=schema.defaults(name),
                     example={k: _example(v) for k, v in kind["example"].items()},
                     owned=kind["owned"])
    for name, kind in schema.TYPES.items()
}


def record_type(name: str) -> RecordType:
    schema.record_type(name)   # the unknown type's message
    return TYPES[name]


MAX_SKEW_MS = 86_400_000


class Clock:
    """Hybrid logical clock: wall milliseconds, a counter, and the device id (§8)."""

    def __init__(self, device: str, last_ms: int = 0, counter: int = 0, now=None):
        self.device, self.last_ms, self.counter = device, last_ms, counter
        self.now = now or (lambda: int(time.time() * 1000))

    def tick(self) -> str:
        now = self.now()
        if now > self.last_ms:
            self.last_ms, self.counter = now, 0
        else:
            self.counter += 1
        return f"{self.last_ms:013d}.{self.counter:04d}.{self.device}"

    def observe(self, hlc: str) -> None:
        """Follow a partner's clock, but at most a day past our own wall clock (§8)."""
        seen = schema.hlc_ms(hlc)
        if seen is None:
            return
        ms = min(seen, self.now() + MAX_SKEW_MS)
        if ms > self.last_ms:
            self.last_ms, self.counter = ms, 0


def merge(fields: dict, clocks: dict, update: dict, hlc: str) -> bool:
    """Per-field last-writer-wins; returns whether anything changed."""
    changed = False
    for name, value in update.items():
        if clocks.get(name, "") < hlc:
            fields[name], clocks[name] = value, hlc
            changed = True
    return changed


def taken_back(kind: RecordType, fields: dict) -> bool:
    """A partner's record its author has stopped sharing (§8.11): nothing of it is shown."""
    return "shared" in kind.fields and not kind.shared_when(fields)


def forget_taken_back(fields: dict, clocks: dict) -> tuple[dict, dict]:
    """Keep only the flag, and its clock, so sharing again later brings it all back."""
    return {"shared": False}, {"shared": clocks["shared"]}


def forgotten(fields: dict) -> bool:
    """All that is left of a record taken back, on the partner's side: the flag alone."""
    return set(fields) == {"shared"}


# Safety fields (protocol §8.9): when two writes meet without one having seen the other,
# or when the partner writes, the more cautious value wins until the owner decides.
SAFETY_FIELDS = schema.safety_fields()


def more_cautious(rtype: str, name: str, new, old) -> bool:
    order = SAFETY_FIELDS[rtype][name]
    return old is None or (new is not None and order.index(new) > order.index(old))


# Fields the partner writes into the author's record, and only they do (§8.3): their answer.
PARTNER_FIELDS = schema.partner_fields()


def merge_safely(rtype: str, fields: dict, clocks: dict, update: dict, hlc: str, base: dict,
                 by_owner: bool) -> bool:
    """Merge an operation that may touch safety fields; returns whether anything changed.

    The owner's write wins as usual when it was made having seen the value it replaces
    (`base` names that value's clock). Otherwise, and always for the partner, a safety
    field only moves towards caution. The partner may change nothing else, but for the
    fields that are theirs (§8.3), where the roles turn round and the author changes nothing.
    """
    safety = SAFETY_FIELDS.get(rtype, {})
    theirs = PARTNER_FIELDS.get(rtype, frozenset())
    changed = False
    for name, value in update.items():
        stored = clocks.get(name, "")
        holder = (not by_owner) if name in theirs else by_owner   # whose field this is
        if name in theirs and not holder:
            continue
        if name not in safety or name not in fields:
            if holder and stored < hlc:
                fields[name], clocks[name] = value, hlc
                changed = True
            continue
        if holder and base.get(name, "") >= stored:
            if stored < hlc:
                fields[name], clocks[name] = value, hlc
                changed = True
        elif more_cautious(rtype, name, value, fields[name]):
            fields[name], clocks[name] = value, max(stored, hlc)
            changed = True
    return changed


# Check-ins are sealed (protocol §10): the record carries the box, a commitment to its key,
# and later the key. What `put` accepts ({"week", "answers"}) is checkins.prepare's business.

def week_field(name, value):
    return schema.check_value(TYPES["checkin"].fields["week"], name, value)
