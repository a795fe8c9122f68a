// docs/merge-vectors.json through the app's own applyOps (pwa/js/device/records.js), on an
// in-memory stand-in for its IndexedDB transaction: the same vectors hearth-client runs
// through Device.apply (tests/test_merge_vectors.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";

import { memoryTx } from "./idb-stand-in.mjs";

// The device modules talk to other tabs over a BroadcastChannel, which would keep node running.
delete globalThis.BroadcastChannel;
const { applyOps } = await import("../../pwa/js/device/records.js");
const { agreementState, consent } = await import("../../pwa/js/core/experiments.js");
const { openStepByAuthor } = await import("../../pwa/js/core/paced.js");

const VECTORS = JSON.parse(readFileSync(new URL("../../docs/merge-vectors.json", import.meta.url), "utf8"));

const held = (records) => [...records.values()]
  .map(({ type, id, author, fields, clocks }) => ({ type, id, author, fields, clocks }))
  .sort((a, b) => (a.type === b.type ? (a.id < b.id ? -1 : 1) : a.type < b.type ? -1 : 1));

for (const vector of VECTORS.vectors) {
  test(`the app reaches the merge vector's final records: ${vector.name}`, async () => {
    const records = new Map(vector.start.map((r) => [`${r.type}\u0000${r.id}`, { ...structuredClone(r), n: 0 }]));
    const counter = { n: 0 };
    for (const item of vector.receive) {
      await applyOps(memoryTx(records), [structuredClone(item.body)], item.from, [0, 0], counter);
    }
    const expected = [...vector.expect.records].sort((a, b) => (a.type === b.type ? (a.id < b.id ? -1 : 1) : a.type < b.type ? -1 : 1));
    assert.deepEqual(held(records), expected);
    assert.equal(counter.skipped || 0, vector.expect.skipped);
    // What each experiment is once merged (§8.3): hearth-client derives it alike.
    if (vector.expect.consent) {
      const settled = Object.fromEntries(held(records).filter((r) => r.type === "experiment").map((r) => [r.id, consent(r.fields)]));
      assert.deepEqual(settled, vector.expect.consent);
    }
    const agreed = Object.fromEntries(held(records).filter((r) => r.type === "agreement").map((r) => [r.id, agreementState(r.fields)]));
    assert.deepEqual(agreed, vector.expect.agreement ?? {});
    // The step of the paced path open to both (§8.14): hearth-client derives it alike.
    assert.equal(openStepByAuthor(held(records).filter((r) => r.type === "pace")), vector.expect.paced ?? 0);
  });
}
