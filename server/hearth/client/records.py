"""Record types, their schemas and the per-field merge (docs/protocol.md §8).

Each type is one entry in TYPES, so a new type is a new schema, not new code paths.
"""

import base64
import datetime
import os
import re
import time
from dataclasses import dataclass, field

from hearth.protocol.checkin import check_week, current_week
from hearth.protocol.encoding import unb64u

LEVELS = ("welcome", "ask_first", "not_now", "off_limits")
BOUNDARY_KINDS = ("touch", "body_area", "topic", "fatigue", "pain", "side_effects", "stop_signal")
LEVELLED_KINDS = ("touch", "body_area", "topic")
JOURNAL_TAGS = ("tried", "worked", "didnt", "feelings")
TIMES_OF_DAY = ("morning", "afternoon", "evening", "night")
EXPERIMENT_STATUSES = ("proposed", "active", "finished")
OUTCOMES = ("keep", "adjust", "drop")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# The one record the two of you share rather than own (§8.10): either phone may change any
# field, and the later change wins. Its id is fixed so both phones name the same record.
COUPLE_ID = "couple-settings-record"


class RecordError(ValueError):
    """A record or field that does not fit its schema; the message says which and why."""


def today() -> str:
    return datetime.date.today().isoformat()


def new_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()


def _text(name, value, low, high, optional=False):
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise RecordError(f"'{name}' must be text")
    if not low <= len(value.strip() if low else value) or len(value) > high:
        raise RecordError(f"'{name}' must be {low} to {high} characters" if low else
                          f"'{name}' must be at most {high} characters")
    return value


def _bool(name, value):
    if not isinstance(value, bool):
        raise RecordError(f"'{name}' must be true or false")
    return value


def _choice(name, value, options):
    if value not in options:
        raise RecordError(f"'{name}' must be one of: {', '.join(options)}")
    return value


def _tags(name, value):
    if not isinstance(value, list) or any(t not in JOURNAL_TAGS for t in value):
        raise RecordError(f"'{name}' must be a list drawn from: {', '.join(JOURNAL_TAGS)}")
    if len(set(value)) != len(value):
        raise RecordError(f"'{name}' must not repeat a tag")
    return value


def _record_id(name, value):
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 22:
        raise RecordError(f"'{name}' must be a record id (22 characters) or null")
    return value


def _date(name, value, optional=False):
    if value is None and optional:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise RecordError(f"'{name}' must be a date like 2026-11-25")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise RecordError(f"'{name}' must be a real calendar date") from None
    return value


def _int(name, value, low, high, optional=False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RecordError(f"'{name}' must be a whole number from {low} to {high}")
    return value


def _number(name, value, low, high, optional=False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise RecordError(f"'{name}' must be a number from {low} to {high}")
    return value


def _questions(name, value):
    if not isinstance(value, list) or len(value) > 50:
        raise RecordError(f"'{name}' must be a list of at most 50 questions")
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) - {"text", "answer"} or "text" not in item:
            raise RecordError(f"'{name}[{i}]' must be an object with 'text' and, once you have one, 'answer'")
        _text(f"{name}[{i}].text", item["text"], 1, 500)
        _text(f"{name}[{i}].answer", item.get("answer"), 0, 2000, optional=True)
    return value


@dataclass(frozen=True)
class RecordType:
    name: str
    fields: dict            # field -> validator(name, value)
    required: tuple
    defaults: dict
    example: dict
    owned: bool = True      # only the author may change it; False: either partner may (§8.10)
    check: object = None    # whole-record rule, after fields
    shared_when: object = field(default=lambda fields: True)

    def validate(self, fields: dict, existing: dict | None = None) -> dict:
        """Validate an update (or a new record if `existing` is None); return clean fields."""
        if not isinstance(fields, dict):
            raise RecordError("a record must be a JSON object of fields")
        unknown = sorted(set(fields) - set(self.fields) - {"id"})
        if unknown:
            raise RecordError(f"unknown field '{unknown[0]}' for {self.name}; allowed: {', '.join(self.fields)}")
        clean = {k: self.fields[k](k, v) for k, v in fields.items() if k != "id"}
        merged = {**self.defaults, **(existing or {}), **clean}
        missing = [k for k in self.required if merged.get(k) is None]
        if missing:
            raise RecordError(f"'{missing[0]}' is required for {self.name}")
        if self.check:
            self.check(merged)
        return clean if existing is not None else {**self.defaults, **clean}


def _check_period(rec: dict) -> None:
    if rec.get("ends_on") and rec["ends_on"] < rec["starts_on"]:
        raise RecordError("'ends_on' must not be before 'starts_on'")


def _check_boundary(rec: dict) -> None:
    levelled = rec["kind"] in LEVELLED_KINDS
    if levelled and rec.get("level") is None:
        raise RecordError(f"'level' is required for a {rec['kind']} boundary")
    if not levelled and rec.get("level") is not None:
        raise RecordError(f"a {rec['kind']} boundary has a note, not a level")


TYPES = {
    "journal": RecordType(
        name="journal",
        fields={"text": lambda n, v: _text(n, v, 1, 10_000),
                "tags": _tags,
                "feeling_after": lambda n, v: _text(n, v, 0, 200, optional=True),
                "shared": _bool,
                "reply_to": _record_id,
                "deleted": _bool},
        required=("text",),
        defaults={"tags": [], "shared": False},
        example={"text": "We tried a slow evening walk and held hands. It felt easy and close.",
                 "tags": ["tried", "worked"], "feeling_after": "calm", "shared": True},
        shared_when=lambda rec: rec.get("shared") is True,
    ),
    "boundary": RecordType(
        name="boundary",
        fields={"kind": lambda n, v: _choice(n, v, BOUNDARY_KINDS),
                "label": lambda n, v: _text(n, v, 1, 200),
                "level": lambda n, v: None if v is None else _choice(n, v, LEVELS),
                "note": lambda n, v: _text(n, v, 0, 2000, optional=True),
                "during": _record_id,
                "deleted": _bool},
        required=("kind", "label"),
        defaults={},
        example={"kind": "touch", "label": "a hand on my back", "level": "welcome",
                 "note": "Gentle is best while the scar heals."},
        check=_check_boundary,
    ),
    "period": RecordType(
        name="period",
        fields={"label": lambda n, v: _text(n, v, 1, 100),
                "starts_on": _date,
                "ends_on": lambda n, v: _date(n, v, optional=True),
                "note": lambda n, v: _text(n, v, 0, 500, optional=True),
                "deleted": _bool},
        required=("label", "starts_on"),
        defaults={},
        example={"label": "chemo week", "starts_on": today(), "ends_on": None,
                 "note": "Tired and sore; gentle is everything."},
        check=lambda rec: _check_period(rec),
    ),
    "experiment": RecordType(
        name="experiment",
        fields={"title": lambda n, v: _text(n, v, 1, 200),
                "description": lambda n, v: _text(n, v, 0, 2000, optional=True),
                "starts_on": _date,
                "days": lambda n, v: _int(n, v, 1, 60),
                "status": lambda n, v: _choice(n, v, EXPERIMENT_STATUSES),
                "outcome": lambda n, v: None if v is None else _choice(n, v, OUTCOMES),
                "deleted": _bool},
        required=("title", "starts_on"),
        defaults={"days": 7, "status": "proposed"},
        example={"title": "Ten minutes of lying close before sleep, no expectations",
                 "description": "Phones away, lights low. Just closeness.", "starts_on": today(),
                 "days": 7, "status": "active"},
    ),
    "energy": RecordType(
        name="energy",
        fields={"date": _date,
                "time_of_day": lambda n, v: _choice(n, v, TIMES_OF_DAY),
                **{k: (lambda n, v: _int(n, v, 0, 10, optional=True)) for k in ("energy", "pain", "fatigue", "mood")},
                "sleep_hours": lambda n, v: _number(n, v, 0, 24, optional=True),
                "note": lambda n, v: _text(n, v, 0, 500, optional=True),
                "shared": _bool,
                "deleted": _bool},
        required=("date", "time_of_day"),
        defaults={"shared": False},
        example={"date": today(), "time_of_day": "evening", "energy": 6, "pain": 2, "fatigue": 4,
                 "mood": 7, "sleep_hours": 7.5, "shared": True},
        shared_when=lambda rec: rec.get("shared") is True,
    ),
    "appointment": RecordType(
        name="appointment",
        fields={"title": lambda n, v: _text(n, v, 1, 200),
                "date": lambda n, v: _date(n, v, optional=True),
                "questions": _questions,
                "next_date": lambda n, v: _date(n, v, optional=True),
                "shared": _bool,
                "deleted": _bool},
        required=("title",),
        defaults={"questions": [], "shared": True},
        example={"title": "Check-up with the oncology nurse", "date": "2026-12-02",
                 "questions": [{"text": "Is it safe to be intimate during this cycle?", "answer": None},
                               {"text": "What helps with vaginal dryness from the medication?"}],
                 "shared": True},
        shared_when=lambda rec: rec.get("shared") is True,
    ),
    "gratitude": RecordType(
        name="gratitude",
        fields={"text": lambda n, v: _text(n, v, 1, 2000),
                "date": _date,
                "shared": _bool,
                "deleted": _bool},
        required=("text", "date"),
        defaults={"shared": True},
        example={"text": "You made tea without being asked and sat with me.", "date": today(),
                 "shared": True},
        shared_when=lambda rec: rec.get("shared") is True,
    ),
    "reassessment": RecordType(
        name="reassessment",
        fields={"experiment": _record_id,
                "felt": lambda n, v: _text(n, v, 0, 2000, optional=True),
                "comfort": lambda n, v: _int(n, v, 0, 10, optional=True),
                "decision": lambda n, v: _choice(n, v, OUTCOMES),
                "deleted": _bool},
        required=("experiment", "decision"),
        defaults={},
        example={"experiment": "q3Vf8kT2mLx0bN7wZpR4cA",
                 "felt": "Easier than I expected. The second night I fell asleep holding your hand.",
                 "comfort": 8, "decision": "keep"},
    ),
    "couple": RecordType(
        name="couple",
        fields={"checkin_day": lambda n, v: _choice(n, v, WEEKDAYS)},
        required=(),
        # No defaults: a new record would otherwise send them and undo the partner's choice.
        defaults={},
        example={"checkin_day": "sunday"},
        owned=False,
    ),
}


def record_type(name: str) -> RecordType:
    if name not in TYPES:
        raise RecordError(f"unknown record type '{name}'; known types: {', '.join(TYPES)}")
    return TYPES[name]


MAX_SKEW_MS = 86_400_000


class Clock:
    """Hybrid logical clock: wall milliseconds, a counter, and the device id (§8)."""

    def __init__(self, device: str, last_ms: int = 0, counter: int = 0):
        self.device, self.last_ms, self.counter = device, last_ms, counter

    def tick(self) -> str:
        now = int(time.time() * 1000)
        if now > self.last_ms:
            self.last_ms, self.counter = now, 0
        else:
            self.counter += 1
        return f"{self.last_ms:013d}.{self.counter:04d}.{self.device}"

    def observe(self, hlc: str) -> None:
        """Follow a partner's clock, but at most a day past our own wall clock (§8)."""
        try:
            ms = min(int(hlc.split(".", 1)[0]), int(time.time() * 1000) + MAX_SKEW_MS)
        except (ValueError, AttributeError):
            return
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


# Safety fields (protocol §8.9): when two writes meet without one having seen the other,
# or when the partner writes, the more cautious value wins until the owner decides.
SAFETY_FIELDS = {"boundary": {"level": LEVELS}}


def more_cautious(rtype: str, name: str, new, old) -> bool:
    order = SAFETY_FIELDS[rtype][name]
    return old is None or (new is not None and order.index(new) > order.index(old))


def merge_safely(rtype: str, fields: dict, clocks: dict, update: dict, hlc: str, base: dict,
                 by_owner: bool) -> bool:
    """Merge an operation that may touch safety fields; returns whether anything changed.

    The owner's write wins as usual when it was made having seen the value it replaces
    (`base` names that value's clock). Otherwise, and always for the partner, a safety
    field only moves towards caution. The partner may change nothing else.
    """
    safety = SAFETY_FIELDS.get(rtype, {})
    changed = False
    for name, value in update.items():
        stored = clocks.get(name, "")
        if name not in safety or name not in fields:
            if by_owner and stored < hlc:
                fields[name], clocks[name] = value, hlc
                changed = True
            continue
        if by_owner and base.get(name, "") >= stored:
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
    try:
        return check_week(value)
    except ValueError as exc:
        raise RecordError(str(exc)) from None


def _b64u_bytes(size: int | None, optional: bool = False):
    def check(name, value):
        if value is None and optional:
            return None
        try:
            raw = unb64u(value)
        except ValueError:
            raw = None
        if raw is None or (len(raw) != size if size else not 28 <= len(raw) <= 20_000):
            raise RecordError(f"'{name}' must be base64url of the right size")
        return value
    return check


TYPES["checkin"] = RecordType(
    name="checkin",
    fields={"week": week_field, "sealed": _b64u_bytes(None), "commitment": _b64u_bytes(32),
            "key": _b64u_bytes(32, optional=True), "deleted": _bool},
    required=("week", "sealed", "commitment"),
    defaults={},
    example={"week": current_week(),
             "answers": {"needs": "More time just lying close, without it having to lead anywhere.",
                         "felt_good": "Your hand on my back on Sunday morning.",
                         "try_next": "A slow bath together one evening.",
                         "i_statement": "I feel shy when we rush, and I'd like us to take our time."}},
)
