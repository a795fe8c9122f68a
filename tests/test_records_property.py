"""The app and hearth-client accept and refuse the same records and operations, with the same
words, for anything Hypothesis can make of records.json: odd unicode (U+001F, lone surrogates,
astral characters, digits of other scripts), huge and fractional numbers, wrong types, extra
fields, bounds ± 1. One node process answers every case (tests/js/records_worker.mjs), so
thousands of cases take seconds."""

import functools
import json
import subprocess

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hearth.client import records
from hearth.protocol import schema
from test_js_modules import ROOT, node_command

CASES = settings(max_examples=200, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Characters where implementations like to differ: what str.strip(), trim() and \s each call
# blank, lone surrogates, astral characters, digits of other scripts, b64u's alphabet.
ODD = ["\u001f", "\u001c", "\u0085", "\ufeff", "\u180e", "\u200b", "\u00a0", "\u3000", "\u2028", "\u2029",
       " ", "\t", "\n", "\r", "\x00", "\ud800", "\udfff", "\U0001F600", "\U0010FFFF", "\uffff", "\u00e9",
       "\u0662", "\uff11", "\u00b2", "a", "Z", "0", "9", "-", "_", "+", "/", "="]

texts = st.one_of(st.text(st.characters(codec=None, exclude_categories=()), max_size=12),
                  st.text(st.sampled_from(ODD), max_size=8))
numbers = st.one_of(st.integers(), st.integers(-10**30, 10**30), st.sampled_from([10**400, -10**400, 2**53 + 1]),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from([7.0, -0.0, 0.5, 1e308, 1e-320, 10.000000000000002, 60.0, 61.0]))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
anything = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                        max_leaves=6)

B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def near(n: int) -> st.SearchStrategy:
    return st.sampled_from(sorted({max(n - 1, 0), n, n + 1}))


def text_values(spec: dict) -> st.SearchStrategy:
    bounds = [spec["max"]] + ([spec["min"]] if spec.get("min") else [])
    padded = st.builds(lambda pad, core, n: pad * n + core + pad * n,
                       st.sampled_from(ODD), st.sampled_from(["", "x", "\u001f", "\U0001F600"]), st.integers(0, 3))
    at_bounds = st.builds(lambda ch, n: ch * n, st.sampled_from(ODD), st.sampled_from(bounds).flatmap(near))
    return st.one_of(texts, padded, at_bounds)


def b64u_text(size: int) -> st.SearchStrategy:
    length = -(-size * 4 // 3)
    return st.text(st.sampled_from(B64U), min_size=length, max_size=length)


def kind_values(spec: dict) -> st.SearchStrategy:
    """Values near what `spec` accepts: valid ones, bounds ± 1, and the same kind gone subtly wrong."""
    kind = spec["kind"]
    if kind == "text":
        return text_values(spec)
    if kind == "bool":
        return st.one_of(st.booleans(), st.sampled_from([0, 1, "true"]))
    if kind in ("choice", "tags"):
        options = schema.CHOICES[spec["choices"]]
        one = st.one_of(st.sampled_from(options), st.sampled_from(options).map(str.upper), texts)
        return one if kind == "choice" else st.lists(st.one_of(st.sampled_from(options), one), max_size=5)
    if kind == "record_id":
        return st.one_of(st.text(st.sampled_from(B64U), min_size=21, max_size=23),
                         st.text(st.sampled_from(ODD), min_size=11, max_size=22))
    if kind == "date":
        return st.one_of(st.dates().map(lambda d: d.isoformat()),
                         st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 120), st.integers(0, 13), st.integers(0, 32)),
                         st.sampled_from(["2024-02-29", "2026-02-29", "1900-02-29", "2000-02-29", "0000-01-01",
                                          "\u0662\u0660\u0662\u0666-11-25", "2026-11-25\n", " 2026-11-25", "2026-1-25"]))
    if kind == "int":
        return st.one_of(st.integers(spec["min"] - 2, spec["max"] + 2), st.integers(spec["min"], spec["max"]).map(float),
                         st.sampled_from([spec["max"] + 0.5, True, 10**400]))
    if kind == "number":
        return st.one_of(st.floats(spec["min"] - 1, spec["max"] + 1), st.integers(spec["min"] - 1, spec["max"] + 1))
    if kind == "list":
        item = st.fixed_dictionaries({}, optional={k: st.one_of(kind_values(s), anything) for k, s in spec["item"].items()})
        extra = st.dictionaries(texts, anything, max_size=1)
        return st.lists(st.one_of(item, st.builds(lambda a, b: {**a, **b}, item, extra), anything),
                        max_size=3) | st.sampled_from([[{"text": "q"}] * (spec["max"] + 1), [{"text": "q"}] * spec["max"]])
    if kind == "week":
        return st.one_of(st.builds("{:04d}-W{:02d}".format, st.integers(0, 2100), st.integers(0, 54)),
                         st.sampled_from(["2026-W53", "2020-W53", "0000-W01", "\u0662\u0660\u0662\u0666-W01",
                                          "2026-W48\n", "2026-w48"]))
    if kind == "b64u":
        sizes = [spec["bytes"]] if "bytes" in spec else [spec["min_bytes"], 200]
        return st.one_of(st.sampled_from(sizes).flatmap(lambda n: near(n).flatmap(b64u_text)),
                         st.sampled_from(sizes).flatmap(b64u_text).map(lambda t: t + "\n"),
                         st.sampled_from(sizes).flatmap(b64u_text).map(lambda t: t[:-1] + "="))
    raise AssertionError(f"no strategy for kind {kind}")


@functools.cache
def field_values(type_name: str, name: str) -> st.SearchStrategy:
    """Built once per field: Hypothesis is much faster drawing from a strategy it has seen."""
    spec = schema.TYPES[type_name]["fields"][name]
    return st.one_of(kind_values(spec), kind_values(spec), st.none(), anything)


@st.composite
def fields_of(draw, type_name: str):
    spec = schema.TYPES[type_name]["fields"] if type_name in schema.TYPES else {}
    fields = {}
    for name in spec:
        if draw(st.integers(0, 2)):
            fields[name] = draw(field_values(type_name, name))
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 5)) == 0 else 0):
        fields[draw(st.one_of(texts, st.sampled_from(["id", "__proto__", "constructor", "1", "toString"])))] = draw(anything)
    return fields if draw(st.integers(0, 19)) else draw(anything)


type_names = st.one_of(st.sampled_from(list(schema.TYPES)), st.sampled_from(list(schema.TYPES)),
                       st.sampled_from(["spells", "Journal", "__proto__", "toString"]))


@st.composite
def updates(draw):
    """(type, fields, existing): a new record, or a change to one that is valid (as it would be stored)."""
    type_name = draw(st.sampled_from(list(schema.TYPES)))
    existing = None
    if draw(st.booleans()):
        try:
            existing = schema.validate(type_name, draw(fields_of(type_name)))
        except schema.RecordError:
            existing = None
    return type_name, draw(fields_of(type_name)), existing


OP_IDS = st.one_of(st.text(st.sampled_from(B64U), min_size=22, max_size=22), kind_values({"kind": "record_id"}),
                   st.just(records.COUPLE_ID), anything)
OP_CLOCKS = st.one_of(st.just("1764000000000.0000.alex"), texts, anything)
OP_BASES = st.one_of(st.dictionaries(texts, texts, max_size=2), anything)


@st.composite
def operations(draw):
    type_name = draw(type_names)
    op = {"type": type_name,
          "id": draw(OP_IDS),
          "hlc": draw(OP_CLOCKS),
          "fields": draw(fields_of(type_name))}
    if draw(st.booleans()):
        op["base"] = draw(OP_BASES)
    for key in draw(st.lists(st.sampled_from(list(op)), max_size=1)):   # one key gone wrong, or gone
        if draw(st.booleans()):
            op[key] = draw(anything)
        else:
            del op[key]
    return draw(st.one_of(st.just(op), st.just(op), anything))


class Worker:
    """tests/js/records_worker.mjs, asked a JSON line of questions at a time."""

    def __init__(self):
        self.proc = subprocess.Popen(node_command() + ["tests/js/records_worker.mjs"], cwd=ROOT, text=True,
                                     encoding="utf-8", stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(self, questions: list[dict]) -> list[dict]:
        self.proc.stdin.write(json.dumps(questions) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "the node worker stopped"
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def app():
    worker = Worker()
    yield worker
    worker.close()


def wire(value):
    """What both clients see of a value: JSON, as it travels (10**400 stays exact in Python,
    is Infinity in JavaScript, as it would be after the envelope)."""
    return json.loads(json.dumps(value))


def python_says(fn, *args) -> dict:
    try:
        return {"ok": wire(fn(*args))}
    except schema.RecordError as exc:
        return {"error": str(exc)}


def agree(app, questions: list[dict], answers: list[dict]) -> None:
    """Every answer of the app is the Python one; the first that is not is the one shown."""
    for question, said, expected in zip(questions, app.ask(questions), answers):
        assert said == expected, question


# Hypothesis draws a batch of cases per example, so one round trip to node answers many;
# when a batch fails it shrinks it to the one case that shows the difference.
batches = functools.partial(st.lists, min_size=1, max_size=30)

KNOWN = [  # each a difference the two clients once had
    ("journal", {"text": "\u001f"}, None),                      # str.strip() called it blank, trim() did not
    ("journal", {"text": "\ufeff"}, None),                      # trim() called it blank, str.strip() did not
    ("journal", {"text": "\u0085"}, None),                      # str.strip() called it blank, trim() did not
    ("journal", {"text": "\u00a0\u3000\u2028"}, None),
    ("period", {"label": "x", "starts_on": "0050-01-01"}, None),  # Date.UTC reads year 50 as 1950
    ("period", {"label": "x", "starts_on": "\u0662\u0660\u0662\u0666-11-25"}, None),   # Python's \d is Unicode
    ("reassessment", {"experiment": "Z" * 20 + "\U0001F600", "decision": "keep"}, None),   # UTF-16 units
    ("reassessment", {"experiment": "q3Vf8kT2mLx0bN7wZpR4cA", "decision": "keep", "comfort": 7.0}, None),
    ("journal", {"text": "hi", "\uffff": 1, "\U0001F600": 2}, None),   # sort() orders by UTF-16 unit
    ("checkin", {"week": "0000-W01", "sealed": "A" * 40, "commitment": "A" * 43}, None),
    ("checkin", {"week": "2026-W48", "sealed": "A" * 40, "commitment": "A" * 43 + "\n"}, None),   # re's $
    ("boundary", None, None),                                                 # the words differed
]


@CASES
@given(cases=batches(updates()))
@example(cases=KNOWN)
def test_both_clients_accept_and_refuse_the_same_records_with_the_same_words(app, cases):
    cases = wire(cases)
    agree(app, [{"do": "validate", "type": t, "fields": f, "existing": e} for t, f, e in cases],
          [python_says(schema.validate, t, f, e) for t, f, e in cases])
    for type_name, fields, existing in cases:   # hearth-client's own API says the same
        if existing is None and type_name in records.TYPES:
            assert python_says(records.TYPES[type_name].validate, fields) == python_says(schema.validate, type_name, fields)


@CASES
@given(ops=batches(operations()))
@example(ops=[{"type": "journal", "id": "walkTogether0000000000", "hlc": 1764000000001, "fields": {"text": "hi"}},
              {"type": "journal", "id": ["walkTogether0000000000"], "hlc": "1", "fields": {"text": "hi"}},
              {"type": "boundary", "id": "walkTogether0000000000", "hlc": "1", "fields": {}, "base": []},
              {"type": ["journal"], "id": "walkTogether0000000000", "hlc": "1", "fields": {}},
              {"type": "couple", "id": "walkTogether0000000000", "hlc": "1", "fields": {}}])
def test_both_clients_skip_the_same_operations_with_the_same_words(app, ops):
    ops = wire(ops)
    agree(app, [{"do": "checkOp", "op": op} for op in ops], [python_says(schema.check_op, op) for op in ops])


NOW = 1_764_000_000_000


def python_follows(hlc, last_ms) -> dict:
    clock = records.Clock("me", last_ms, 0, now=lambda: NOW)
    clock.observe(hlc)
    return {"ok": [clock.last_ms, clock.counter]}


@CASES
@given(cases=batches(st.tuples(st.one_of(texts, st.builds("{}.{}".format, st.integers(0, 10**20), texts), anything),
                               st.integers(0, 2 * NOW))))
@example(cases=[("1764000000001abc.0000.x", 0), ("\u0661\u0662.0000.x", 0), (" 12.0000.x", 0), ("+12.0000.x", 0),
                ("1_2.0000.x", 0), ("9" * 400 + ".0000.x", 0)])
def test_both_clients_follow_a_partners_clock_the_same_way(app, cases):
    cases = wire(cases)
    agree(app, [{"do": "observe", "hlc": h, "lastMs": last, "now": NOW} for h, last in cases],
          [python_follows(h, last) for h, last in cases])
