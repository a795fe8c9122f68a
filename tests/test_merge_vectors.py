"""docs/merge-vectors.json through hearth-client's own Device.apply: the same vectors the app
runs through its applyOps (tests/js/merge-vectors.test.mjs)."""

import json
from pathlib import Path

import pytest

from hearth.client.device import Device
from hearth.client.experiments import agreement_state, consent
from hearth.client.paced import by_author
from hearth.client.state import State

VECTORS = json.loads((Path(__file__).resolve().parent.parent / "docs" / "merge-vectors.json").read_text())


def held(state: State) -> list[dict]:
    rows = state.db.execute("SELECT type, id, author, fields, clocks FROM records ORDER BY type, id")
    return [{"type": t, "id": i, "author": a, "fields": json.loads(f), "clocks": json.loads(c)} for t, i, a, f, c in rows]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_hearth_client_reaches_each_merge_vectors_final_records(vector, tmp_path):
    state = State(str(tmp_path / "device"))
    device = Device(state)
    for r in vector["start"]:
        state.save_record(r["type"], r["id"], r["author"], r["fields"], r["clocks"])
    for item in vector["receive"]:
        with state.transaction():
            device.apply(json.loads(json.dumps(item["body"])), item["from"])
    expected = sorted(vector["expect"]["records"], key=lambda r: (r["type"], r["id"]))
    assert held(state) == expected
    assert state.get("skipped_ops", 0) == vector["expect"]["skipped"]
    # What each experiment is once merged (§8.3): the app derives it alike (core/experiments.js).
    assert {r["id"]: consent(r["fields"]) for r in held(state) if r["type"] == "experiment"} \
        == vector["expect"].get("consent", {r["id"]: consent(r["fields"]) for r in expected if r["type"] == "experiment"})
    assert {r["id"]: agreement_state(r["fields"]) for r in held(state) if r["type"] == "agreement"} \
        == vector["expect"].get("agreement", {})
    # The step of the paced path open to both (§8.14): the app's core/paced.js derives it alike.
    assert by_author([r for r in held(state) if r["type"] == "pace"]) == vector["expect"].get("paced", 0)


def test_the_vectors_cover_every_merge_rule_of_section_8():
    ops = [op for v in VECTORS["vectors"] for item in v["receive"] if isinstance(item["body"], dict)
           for op in item["body"]["ops"] if isinstance(op, dict)]
    assert any("base" in op for op in ops)                                            # cautious safety fields
    assert any(op.get("fields") == {"deleted": True} for op in ops)                   # tombstones
    assert any(op.get("fields") == {"shared": False} for op in ops)                   # take-backs (§8.11)
    assert any(op.get("type") == "couple" for op in ops)                              # the couple record
    assert any(r["author"] != item["from"] for v in VECTORS["vectors"] for r in v["start"]
               for item in v["receive"])                                             # the partner on an owned record
    assert any(v["expect"]["skipped"] for v in VECTORS["vectors"])                    # ops that do not fit
    settled = [c for v in VECTORS["vectors"] for c in v["expect"].get("consent", {}).values()]
    assert {"stopped", "not_now", "agreed", "change"} <= set(settled)                 # experiments' answers (§8.3)
    paces = [op for op in ops if op.get("type") == "pace"]
    assert any(op.get("base") for op in paces) and any(not op.get("base") for op in paces)   # the paced path (§8.14)
