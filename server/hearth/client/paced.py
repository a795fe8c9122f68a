"""The paced path (docs/protocol.md §8.14): each partner's own `pace` record says how far
they are ready to go, and the step open to both is the lower of the two, the slower one's
pace. The same reading as the app's pwa/js/core/paced.js; tests/test_merge_vectors.py and
tests/js/merge-vectors.test.mjs hold both to docs/merge-vectors.json."""

import json

from .experiments import agreement_state


def step_of(ready) -> int:
    """`step_N` is N, `not_yet` (or nothing) 0."""
    return int(ready[5:]) if isinstance(ready, str) and ready.startswith("step_") else 0


def latest(paces: list[dict]) -> dict | None:
    """One person's pace record that counts: the one changed last (by its newest clock)."""
    live = [p for p in paces if not p.get("deleted")]
    return max(live, key=lambda p: max(p.get("clocks", {}).values(), default=""), default=None)


def open_step(mine: list[dict], theirs: list[dict]) -> int:
    """The step offered to both: the lower of the two people's readiness (0 until both have one)."""
    a, b = latest(mine), latest(theirs)
    return min(step_of(a["ready"]), step_of(b["ready"])) if a and b else 0


def by_author(records: list[dict]) -> int:
    """The open step from stored `pace` records ({author, fields, clocks}) of exactly two people."""
    people: dict = {}
    for r in records:
        people.setdefault(r["author"], []).append({**r["fields"], "clocks": r["clocks"]})
    return open_step(*people.values()) if len(people) == 2 else 0


def _stored(device, rtype: str) -> list[dict]:
    rows = device.state.db.execute("SELECT author, id, fields, clocks FROM records WHERE type = ? ORDER BY n", (rtype,))
    return [{"author": a, "id": i, "fields": json.loads(f), "clocks": json.loads(c)} for a, i, f, c in rows]


def own_record(device) -> str | None:
    """The id of my own pace record, the first I wrote: `put pace` changes that one (§8.14)."""
    mine = device.mine()
    return next((r["id"] for r in _stored(device, "pace") if r["author"] in mine), None)


def agreement_in_effect(device) -> bool:
    """Whether the pair's latest no-pressure agreement (§8.13) is in effect: the apps offer a
    step only then (§8.14)."""
    agreements = [{**r["fields"], "clocks": r["clocks"]} for r in _stored(device, "agreement")
                  if r["fields"].get("kind") == "no_pressure"]
    current = latest(agreements)
    return bool(current) and agreement_state(current) == "in_effect"


def readable(device, rec: dict) -> dict:
    """A listed pace record with the step it reaches, the step open to both, and whether the
    app would offer it now (only under a no-pressure agreement in effect)."""
    mine = device.mine()
    paces = _stored(device, "pace")
    own = [{**r["fields"], "clocks": r["clocks"]} for r in paces if r["author"] in mine]
    theirs = [{**r["fields"], "clocks": r["clocks"]} for r in paces if r["author"] not in mine]
    return {**rec, "step": step_of(rec.get("ready")), "open_step": open_step(own, theirs),
            "offered": agreement_in_effect(device)}
