"""The record schema (docs/protocol.md §8): records.json, read and applied.

records.json describes every record type once: its fields, their kinds and bounds, defaults,
ownership, when it is sent, its safety fields and its cross-field checks. This module is a
small interpreter of it; pwa/js/core/records.js is the same interpreter in JavaScript, fed
the same file through the generated pwa/js/core/records-schema.js. Both must give the same
answer, and the same words, for every input (tests/test_records_property.py).

    python -m hearth.protocol.schema js       # the app's copy: > pwa/js/core/records-schema.js
    python -m hearth.protocol.schema docs     # rewrites the generated tables in docs/protocol.md
"""

import json
import re
import sys
from importlib import resources
from pathlib import Path

SCHEMA = json.loads(resources.files(__package__).joinpath("records.json").read_text(encoding="utf-8"))
TYPES: dict = SCHEMA["types"]
CHOICES: dict = SCHEMA["choices"]
MESSAGES: dict = SCHEMA["messages"]

BLANK = "".join(chr(int(cp[2:], 16)) for cp in SCHEMA["blank"]["code_points"])

_ASCII_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ASCII_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_B64U = re.compile(r"[A-Za-z0-9_-]*")
_RECORD_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class RecordError(ValueError):
    """A record or field that does not fit its schema; the message says which and why."""


def message(key: str, **params) -> str:
    """A message of records.json with its {placeholders} filled in, in one pass."""
    return fill(MESSAGES[key], **params)


def fill(template: str, **params) -> str:
    return _PLACEHOLDER.sub(lambda m: str(params[m.group(1)]), template)


def strip_blank(text: str) -> str:
    """`text` without blank characters (Unicode White_Space) at either end."""
    return text.strip(BLANK)


def is_blank(text: str) -> bool:
    return not strip_blank(text)


def choices(spec: dict) -> list:
    return CHOICES[spec["choices"]]


# --- kinds ---------------------------------------------------------------------------------

def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _weeks_in_year(year: int) -> int:
    p = lambda y: (y + y // 4 - y // 100 + y // 400) % 7  # noqa: E731
    return 53 if p(year) == 4 or p(year - 1) == 3 else 52


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(spec, name, value):
    if not isinstance(value, str):
        raise RecordError(message("text", name=name))
    low, high = spec.get("min", 0), spec["max"]
    if (low and len(strip_blank(value)) < low) or len(value) > high:
        raise RecordError(message("text_range" if low else "text_max", name=name, min=low, max=high))
    return value


def _bool(spec, name, value):
    if not isinstance(value, bool):
        raise RecordError(message("bool", name=name))
    return value


def _choice(spec, name, value):
    if not isinstance(value, str) or value not in choices(spec):
        raise RecordError(message("choice", name=name, choices=", ".join(choices(spec))))
    return value


def _tags(spec, name, value):
    if not isinstance(value, list) or any(not isinstance(t, str) or t not in choices(spec) for t in value):
        raise RecordError(message("tags", name=name, choices=", ".join(choices(spec))))
    if len(set(value)) != len(value):
        raise RecordError(message("tags_repeat", name=name))
    return value


def _record_id(spec, name, value):
    if not is_record_id(value):
        raise RecordError(message("record_id", name=name))
    return value


def _date(spec, name, value):
    match = _ASCII_DATE.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise RecordError(message("date", name=name))
    year, month, day = (int(g) for g in match.groups())
    if year < 1 or not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        raise RecordError(message("date_real", name=name))
    return value


def _int(spec, name, value):
    # A JSON number with no fraction is whole, however it is written: 7, 7.0 and 7e0 are the
    # same number, and JavaScript cannot tell them apart.
    if _is_number(value) and isinstance(value, float) and value.is_integer():
        value = int(value)
    if not _is_number(value) or isinstance(value, float) or not spec["min"] <= value <= spec["max"]:
        raise RecordError(message("int", name=name, min=spec["min"], max=spec["max"]))
    return value


def _number(spec, name, value):
    if not _is_number(value) or not spec["min"] <= value <= spec["max"]:   # NaN fails the comparison
        raise RecordError(message("number", name=name, min=spec["min"], max=spec["max"]))
    return value


def _list(spec, name, value):
    if not isinstance(value, list) or len(value) > spec["max"]:
        raise RecordError(message("list", name=name, max=spec["max"], noun=spec["noun"]))
    items = spec["item"]
    clean = []
    for i, item in enumerate(value):
        if (not isinstance(item, dict) or set(item) - set(items)
                or any(k not in item for k, s in items.items() if s.get("required"))):
            raise RecordError(message("list_item", name=name, i=i, shape=spec["shape"]))
        clean.append({k: check_value(s, f"{name}[{i}].{k}", item.get(k)) for k, s in items.items() if k in item})
    return clean


def _week(spec, name, value):
    match = _ASCII_WEEK.fullmatch(value) if isinstance(value, str) else None
    if not match or int(match.group(1)) < 1 or not 1 <= int(match.group(2)) <= _weeks_in_year(int(match.group(1))):
        raise RecordError(message("week", name=name))
    return value


def _b64u(spec, name, value):
    ok = isinstance(value, str) and _B64U.fullmatch(value) and len(value) % 4 != 1
    size = len(value) * 3 // 4 if ok else -1
    if not ok or (size != spec["bytes"] if "bytes" in spec else not spec["min_bytes"] <= size <= spec["max_bytes"]):
        raise RecordError(message("b64u", name=name))
    return value


KINDS = {"text": _text, "bool": _bool, "choice": _choice, "tags": _tags, "record_id": _record_id,
         "date": _date, "int": _int, "number": _number, "list": _list, "week": _week, "b64u": _b64u}


def check_value(spec: dict, name: str, value):
    """One field's value, checked against its spec; returns it clean or raises RecordError."""
    if value is None and spec.get("null"):
        return None
    return KINDS[spec["kind"]](spec, name, value)


def is_record_id(value) -> bool:
    return isinstance(value, str) and _RECORD_ID.fullmatch(value) is not None


# --- whole records ---------------------------------------------------------------------------

def record_type(name) -> dict:
    if not isinstance(name, str) or name not in TYPES:
        raise RecordError(message("unknown_type", type=name, types=", ".join(TYPES)))
    return TYPES[name]


def clean_fields(type_name: str, fields) -> dict:
    """Each field checked on its own: unknown fields and values that do not fit are refused."""
    spec = record_type(type_name)["fields"]
    if not isinstance(fields, dict):
        raise RecordError(message("not_object"))
    unknown = sorted(set(fields) - set(spec) - {"id"})
    if unknown:
        raise RecordError(message("unknown_field", field=unknown[0], type=type_name, allowed=", ".join(spec)))
    return {k: check_value(spec[k], k, v) for k, v in fields.items() if k != "id"}


def _only_when(check, rec):
    value = rec.get(check["when"])
    allowed = value in CHOICES[check["in"]]
    if allowed and rec.get(check["field"]) is None:
        raise RecordError(fill(check["missing"], value=value))
    if not allowed and rec.get(check["field"]) is not None:
        raise RecordError(fill(check["present"], value=value))


def _not_before(check, rec):
    later, earlier = rec.get(check["field"]), rec.get(check["other"])
    if later is not None and earlier is not None and later < earlier:
        raise RecordError(check["message"])


def _required_unless(check, rec):
    """`field` is required unless `when` is true, and absent when it is."""
    if rec.get(check["when"]) is True:
        if rec.get(check["field"]) is not None:
            raise RecordError(check["present"])
    elif rec.get(check["field"]) is None:
        raise RecordError(check["missing"])


CHECKS = {"only_when": _only_when, "not_before": _not_before, "required_unless": _required_unless}


def check_record(type_name: str, rec: dict) -> None:
    """The rules on a whole record: required fields, then its named cross-field checks."""
    kind = record_type(type_name)
    for name, spec in kind["fields"].items():
        if spec.get("required") and rec.get(name) is None:
            raise RecordError(message("required", field=name, type=type_name))
    for check in kind.get("checks", []):
        CHECKS[check["check"]](check, rec)


def defaults(type_name: str) -> dict:
    return {k: json.loads(json.dumps(s["default"])) for k, s in record_type(type_name)["fields"].items()
            if "default" in s}


def validate(type_name: str, fields, existing: dict | None = None) -> dict:
    """Validate an update (or a new record if `existing` is None); return the clean fields to
    write. A new record gets the type's defaults."""
    clean = clean_fields(type_name, fields)
    check_record(type_name, {**defaults(type_name), **(existing or {}), **clean})
    return clean if existing is not None else {**defaults(type_name), **clean}


def check_op(op) -> None:
    """Does an operation from an envelope fit (§5.4, §8)? Raises RecordError saying why not.
    Its fields are checked one by one here; against the record they change, by validate()."""
    if not isinstance(op, dict) or not all(k in op for k in ("type", "id", "hlc", "fields")):
        raise RecordError(message("op"))
    if not isinstance(op["type"], str):
        raise RecordError(message("op_type"))
    kind = record_type(op["type"])
    if not is_record_id(op["id"]):
        raise RecordError(message("op_id"))
    if "id" in kind and op["id"] != kind["id"]:
        raise RecordError(message("op_fixed_id", type=op["type"], id=kind["id"]))
    if not isinstance(op["hlc"], str):
        raise RecordError(message("op_hlc"))
    base = op.get("base")
    if base is not None and (not isinstance(base, dict) or not all(isinstance(v, str) for v in base.values())):
        raise RecordError(message("op_base"))
    clean_fields(op["type"], op["fields"])


def ops_in(body) -> list:
    """The operations of an envelope's body, {"ops": [...]}. A body of any other shape is one
    update that does not fit."""
    if isinstance(body, dict) and isinstance(body.get("ops"), list):
        return body["ops"]
    return [body]


def hlc_ms(hlc) -> int | None:
    """The wall-clock part of a clock, if it is one: ASCII digits before the first dot."""
    head = hlc.split(".", 1)[0] if isinstance(hlc, str) else ""
    return int(head) if head and head.isascii() and head.isdigit() else None


def is_sent(type_name: str, fields: dict) -> bool:
    """Whether a record goes to the partner now (§8.11): always, or while `shared` is true."""
    return record_type(type_name)["sent"] == "always" or fields.get("shared") is True


def safety_fields() -> dict:
    """{type: {field: caution order}} for every field that merges cautiously (§8.9)."""
    return {name: {f: tuple(choices(s)) for f, s in kind["fields"].items() if s.get("merge") == "cautious"}
            for name, kind in TYPES.items()
            if any(s.get("merge") == "cautious" for s in kind["fields"].values())}


def partner_fields() -> dict:
    """{type: {field, ...}} for the fields of an owned record that are the partner's to write,
    and only theirs (`"by": "partner"`, §8.3): an answer beside the author's record, inside it."""
    return {name: frozenset(f for f, s in kind["fields"].items() if s.get("by") == "partner")
            for name, kind in TYPES.items() if any(s.get("by") == "partner" for s in kind["fields"].values())}


# --- what is generated from it ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
JS_MODULE = ROOT / "pwa" / "js" / "core" / "records-schema.js"
PROTOCOL = ROOT / "docs" / "protocol.md"
JS_COMMAND = "python -m hearth.protocol.schema js > pwa/js/core/records-schema.js"
DOCS_COMMAND = "python -m hearth.protocol.schema docs"


def _compact(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def js_module() -> str:
    """records.json as an ES module: compact, one line per part and per record type, so the
    phone downloads no indentation and a change to one type is a one-line diff."""
    parts = [f" {_compact(key)}:{_compact(value)}" for key, value in SCHEMA.items() if key != "types"]
    types = ",\n".join(f"  {_compact(name)}:{_compact(spec)}" for name, spec in SCHEMA["types"].items())
    parts.append(f' "types":{{\n{types}\n }}')
    body = ",\n".join(parts)
    return ("// Generated from server/hearth/protocol/records.json: do not edit. After changing that file,\n"
            f"// run `{JS_COMMAND}` (tests/test_records_schema.py checks this copy is current).\n"
            f"export const SCHEMA = {{\n{body}\n}};\n"
            "export default SCHEMA;\n")


def _n(number) -> str:
    """A bound as the protocol prose writes it: 10 000, 2000."""
    return f"{number:,}".replace(",", " ") if abs(number) >= 10_000 else str(number)


def _code(values) -> str:
    return ", ".join(f"`{v}`" for v in values)


def shape(spec: dict) -> str:
    """A field's kind in the words of the §8 tables."""
    kind = spec["kind"]
    if kind == "text":
        low = spec.get("min", 0)
        text = f"string, {_n(low)}–{_n(spec['max'])} chars" if low else f"string ≤ {_n(spec['max'])} chars"
    elif kind == "bool":
        text = "boolean"
    elif kind == "choice":
        text = _code(choices(spec))
    elif kind == "tags":
        text = f"list of {_code(choices(spec))}, none repeated"
    elif kind == "record_id":
        text = "record id (22 chars)"
    elif kind == "date":
        text = "date `YYYY-MM-DD`"
    elif kind in ("int", "number"):
        text = f"{'integer' if kind == 'int' else 'number'} {_n(spec['min'])}–{_n(spec['max'])}"
    elif kind == "list":
        inner = "; ".join(f"`{k}`{'' if s.get('required') else ' (optional)'}: {shape(s)}"
                          for k, s in spec["item"].items())
        text = f"list of at most {spec['max']} objects: {inner}"
    elif kind == "week":
        text = "ISO week `YYYY-Www`"
    elif kind == "b64u":
        size = _n(spec["bytes"]) if "bytes" in spec else f"{_n(spec['min_bytes'])}–{_n(spec['max_bytes'])}"
        text = f"b64u, {size} bytes"
    else:  # pragma: no cover - records.json names only the kinds above
        raise ValueError(f"unknown kind {kind}")
    # A required field that accepts null in its kind still refuses it as missing.
    return text + (" or `null`" if spec.get("null") and not spec.get("required") else "")


def _notes(name: str, spec: dict) -> str:
    parts = []
    if spec.get("required"):
        parts.append("required")
    if "default" in spec:
        default = spec["default"]
        parts.append(f"default `{default if isinstance(default, str) else json.dumps(default)}`")
    if spec.get("doc"):
        parts.append(spec["doc"])
    return "; ".join(parts) or "optional"


def table(type_name: str) -> str:
    """The §8 table of one type, and a line on who may change it and when it is sent. Fields
    alike in every way share a row, as `energy`, `pain`, `fatigue`, `mood` do."""
    kind = record_type(type_name)
    rows: list[list] = []
    for name, spec in kind["fields"].items():
        cells = (shape(spec), _notes(name, spec))
        if rows and rows[-1][1:] == list(cells):
            rows[-1][0].append(name)
        else:
            rows.append([[name], *cells])
    lines = ["| field | type | notes |", "| --- | --- | --- |"]
    lines += [f"| {', '.join(f'`{n}`' for n in names)} | {kind_text} | {notes} |" for names, kind_text, notes in rows]
    about = []
    if kind["owned"]:
        about.append("Owned: only its author changes it")
    else:
        about.append(f"Shared: either device changes any field, the later change wins; its id is always `{kind['id']}`")
    about.append("sent while `shared` is `true`" if kind["sent"] == "while_shared" else "always sent")
    theirs = [f"`{f}`" for f, s in kind["fields"].items() if s.get("by") == "partner"]
    if theirs:
        about.append(f"but {', '.join(theirs[:-1])} and {theirs[-1]} are the partner's: only the partner writes them")
    for spec_name, spec in kind["fields"].items():
        if spec.get("merge") == "cautious":
            about.append(f"`{spec_name}` is a safety field (8.9), in caution order "
                         + " < ".join(f"`{c}`" for c in choices(spec)))
    for check in kind.get("checks", []):
        if check["doc"]:   # a check stated with another needs no words of its own
            about.append(check["doc"])
    return "\n".join(lines) + "\n\n" + "; ".join(about) + "."


def op_table() -> str:
    lines = ["| key | type | notes |", "| --- | --- | --- |"]
    lines += [f"| `{k}` | {v['shape']} | {v['doc']} |" for k, v in SCHEMA["op"]["keys"].items()]
    return "\n".join(lines)


def kinds_table() -> str:
    lines = ["| kind | accepts |", "| --- | --- |"]
    lines += [f"| `{k}` | {v} |" for k, v in SCHEMA["kinds"].items()]
    return ("\n".join(lines) + "\n\nA field marked `or null` also accepts `null`. A text field's length counts "
            "Unicode code points; its minimum does not count **blank** characters at either end, which are the "
            f"{SCHEMA['blank']['name']} characters: " + ", ".join(SCHEMA["blank"]["code_points"]) + ".")


def generated_parts() -> dict:
    """What docs/protocol.md holds between `<!-- records.json: NAME -->` and `<!-- /records.json -->`."""
    return {"op": op_table(), "kinds": kinds_table(), **{name: table(name) for name in TYPES}}


# A region may be empty (a new type's, before its first generation): its content and the
# newline before the closing marker are optional, and tried as absent first, so an empty
# region never runs on to the next region's end.
_REGION = re.compile(r"(<!-- records\.json: (\S+) -->\n)(?:(.*?)\n)??(<!-- /records\.json -->)", re.S)


def regions(text: str) -> dict:
    return {m.group(2): m.group(3) or "" for m in _REGION.finditer(text)}


def with_generated_parts(text: str) -> str:
    parts = generated_parts()
    return _REGION.sub(lambda m: m.group(1) + parts.get(m.group(2), m.group(3) or "") + "\n" + m.group(4), text)


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["js"]:
        sys.stdout.write(js_module())
    elif args == ["docs"]:
        PROTOCOL.write_text(with_generated_parts(PROTOCOL.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(f"usage: {JS_COMMAND}\n       {DOCS_COMMAND}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
