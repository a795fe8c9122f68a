"""The app and hearth-client agree on every record type: what is valid, and what is not."""

import json
import subprocess
from pathlib import Path

import pytest

from hearth.client import records

ROOT = Path(__file__).resolve().parent.parent
CHECK = """
import { validate } from "./pwa/js/core/records.js";
const cases = JSON.parse(process.argv[1]);
console.log(JSON.stringify(cases.map(([type, fields]) => {
  try { return { ok: validate(type, fields) }; } catch (err) { return { error: err.message }; }
})));
"""

BAD = [
    ("period", {"label": "chemo week", "starts_on": "2026-11-25", "ends_on": "2026-11-20"}),
    ("period", {"label": "", "starts_on": "2026-11-25"}),
    ("boundary", {"kind": "touch", "label": "hugs", "level": "welcome", "during": "not-an-id"}),
    ("checkin", {"week": "2026-W54", "sealed": "A" * 40, "commitment": "A" * 43}),
    ("checkin", {"week": "2026-W48", "sealed": "A" * 40, "commitment": "too-short"}),
    ("checkin", {"week": "2026-W48", "sealed": "A" * 40, "commitment": "A" * 43, "key": "!" * 43}),
    ("experiment", {"title": "x", "starts_on": "2026-02-30"}),
    ("experiment", {"title": "x", "starts_on": "2026-11-25", "days": 0}),
    ("experiment", {"title": "x", "starts_on": "2026-11-25", "outcome": "maybe"}),
    ("energy", {"date": "2026-11-25", "time_of_day": "noon"}),
    ("energy", {"date": "2026-11-25", "time_of_day": "evening", "pain": 11}),
    ("energy", {"date": "2026-11-25", "time_of_day": "evening", "sleep_hours": 25}),
    ("appointment", {"title": "x", "questions": [{"answer": "no question"}]}),
    ("appointment", {"title": "x", "questions": [{"text": "q", "extra": 1}]}),
    ("gratitude", {"text": "", "date": "2026-11-25"}),
    ("gratitude", {"text": "thanks", "date": "25/11/2026"}),
    ("reassessment", {"experiment": "q3Vf8kT2mLx0bN7wZpR4cA", "decision": "maybe"}),
    ("reassessment", {"experiment": "too-short", "decision": "keep"}),
    ("reassessment", {"experiment": "q3Vf8kT2mLx0bN7wZpR4cA", "decision": "drop", "comfort": 11}),
    ("reassessment", {"felt": "fine", "decision": "adjust"}),
]


def run_node(cases):
    done = subprocess.run(["node", "--input-type=module", "-e", CHECK, json.dumps(cases)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_example_is_valid_in_both_and_cleans_to_the_same_fields():
    # A check-in's example is what `put` takes (week and answers), not its sealed record.
    cases = [(name, kind.example) for name, kind in records.TYPES.items() if name != "checkin"]
    for (name, fields), result in zip(cases, run_node(cases)):
        assert result == {"ok": records.TYPES[name].validate(fields)}, name


def test_both_refuse_the_same_bad_records_with_the_same_words():
    for (name, fields), result in zip(BAD, run_node(BAD)):
        with pytest.raises(records.RecordError) as python:
            records.TYPES[name].validate(fields)
        assert result == {"error": str(python.value)}, (name, fields)
