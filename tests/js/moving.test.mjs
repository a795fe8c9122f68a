// Moving to a new phone (docs/protocol.md §11.4), the pure part (pwa/js/core/moving.js): the
// move stream's bodies as both clients read them, their `state` checked item by item, and
// the words for how far a move has come.
import assert from "node:assert/strict";
import test from "node:test";

import { utf8 } from "../../pwa/js/core/encoding.js";
import { MAX_BODY } from "../../pwa/js/core/envelope.js";
import { firstState, moveLine, packMove, readMove, readState } from "../../pwa/js/core/moving.js";

const OLD = "oldPhone00000000000000";
const PARTNER = { device: "partnerPhone0000000000", suite: 1, sig_pub: "c2ln", dh_pub: "ZGg" };
const id = (n) => `rec${String(n).padStart(19, "0")}`;
const clock = (n) => `${String(1764000000000 + n).padStart(13, "0")}.0000.${OLD}`;
const journal = (n, extra = {}) => ({ type: "journal", id: id(n), author: OLD, n,
  fields: { text: `entry ${n} ${"é".repeat(n % 200)}`, tags: [], shared: n % 3 === 0, ...extra },
  clocks: Object.fromEntries(["text", "tags", "shared", ...Object.keys(extra)].map((f) => [f, clock(n)])) });
const me = { device: OLD, peer: PARTNER, lineage: ["olderPhone000000000000"], peerLineage: [], former: ["endedPhone000000000000"] };
const KEY = "A".repeat(43);

test("the first part's state names the partner's phone, both lineages, the clock and what ended before", () => {
  assert.deepEqual(firstState(me, [1764000000000, 3]), { peer: PARTNER, lineage: ["olderPhone000000000000"], peer_lineage: [],
    hlc: [1764000000000, 3], former: ["endedPhone000000000000"] });
  assert.deepEqual(firstState({ device: OLD, peer: PARTNER }, null).hlc, [0, 0]);
});

test("the stream packs every record, drafts too, and each list, as full as a body may be, state in every part", () => {
  const records = Array.from({ length: 900 }, (_, i) => journal(i));
  const lists = {
    checkins: [{ week: "2026-W10", author: OLD, key: KEY, answers: { needs: "quiet" }, released: false }],
    unsent: [{ ops: [{ type: "journal", id: id(1), hlc: clock(1), fields: { text: "again" } }] }],
    reminders: [{ key: "checkin:2026-W10", day: "2026-03-08" }],
    preferences: [{ name: "reminders", value: { on: true, detailed: false } }],
  };
  const first = firstState(me, [1, 0]);
  const { bodies, skipped } = packMove(records, first, lists);
  assert.equal(skipped, 0);
  assert.ok(bodies.length > 3, `${bodies.length} parts`);
  const parts = bodies.map((b) => readMove(JSON.parse(b)));
  parts.forEach((p, i) => {
    assert.deepEqual([p.part, p.parts], [i + 1, bodies.length]);
    assert.ok(utf8(bodies[i]).length <= MAX_BODY, `part ${i + 1} is ${utf8(bodies[i]).length} bytes`);
    assert.equal(typeof p.state, "object");
  });
  assert.deepEqual(parts.flatMap((p) => p.records), records.map(({ n, ...wire }) => wire));
  assert.equal(parts[0].state.lineage[0], "olderPhone000000000000");
  assert.deepEqual(parts.slice(1).map((p) => p.state.peer), parts.slice(1).map(() => undefined));
  const last = readState(parts[parts.length - 1].state);
  for (const name of Object.keys(lists)) assert.deepEqual(parts.flatMap((p) => readState(p.state)[name]), lists[name], name);
  assert.equal(last.peer, null);
  // Nothing at all still makes one part, with the state in it.
  const empty = packMove([], first).bodies.map((b) => JSON.parse(b));
  assert.deepEqual(empty, [{ move: { part: 1, parts: 1 }, records: [], state: first }]);
  // Too large for any part: left out and counted; tight bodies never outgrow their room.
  const huge = journal(1, { feeling_after: "x".repeat(200) });
  assert.equal(packMove([huge], first, {}, 600).skipped, 1);
  const tight = packMove(records.slice(0, 30), first, lists, 1200);
  assert.ok(tight.bodies.every((b) => utf8(b).length <= 1200));
});

test("a move body and its state are read with every field checked; what does not fit is left out and counted", () => {
  assert.equal(readMove({ move: { part: 2, parts: 1 }, records: [], state: {} }), null);
  assert.equal(readMove({ move: { part: 1, parts: 1 }, records: [] }), null);   // no state: not a move part
  assert.equal(readMove({ history: { part: 1, parts: 1 }, records: [], state: {} }), null);
  const state = readState({ peer: { ...PARTNER, device: "short" }, lineage: ["not an id"], hlc: [1, -1],
    checkins: [{ week: "2026-W10", author: OLD, key: "short", answers: {}, released: false },
      { week: "2026-W11", author: OLD, key: KEY, answers: { needs: "x" }, released: true }],
    unsent: [{ succession: {} }, { ops: [] }, "text"], reminders: [{ key: 1 }], preferences: [{ name: "x" }],
    noticed: [{ type: "boundary", id: id(1), history: [] }], someday: [1, 2, 3] });
  assert.equal(state.peer, null);
  assert.deepEqual(state.lineage, []);
  assert.equal(state.hlc, null);
  assert.deepEqual(state.checkins.map((c) => c.week), ["2026-W11"]);
  assert.deepEqual(state.unsent, [{ ops: [] }]);
  assert.deepEqual([state.reminders, state.preferences, state.noticed.length], [[], [], 1]);
  assert.equal(state.skipped, 5);
  // What hearth-client writes reads the same (its own fields beyond these are ignored).
  const fromClient = readState({ peer: PARTNER, lineage: [], peer_lineage: [], hlc: [5, 1], succeeded: { old: OLD },
    history_in: null });
  assert.deepEqual([fromClient.peer, fromClient.hlc, fromClient.skipped], [PARTNER, [5, 1], 0]);
});

test("how far a move has come, on either phone", () => {
  assert.equal(moveLine({ sending: true, done: 0, parts: null, complete: false }), "Getting everything ready to move to your new phone…");
  assert.equal(moveLine({ sending: true, done: 3, parts: 12, complete: false }), "Moving to your new phone: 3 of 12");
  assert.match(moveLine({ sending: true, done: 12, parts: 12, complete: true }), /^Everything has reached your new phone/);
  assert.equal(moveLine({ sending: false, done: 0, parts: null, complete: false }), "Waiting for everything from your other phone…");
  assert.equal(moveLine({ sending: false, done: 3, parts: 12, complete: false }), "Moving everything here: 3 of 12");
  assert.match(moveLine({ sending: false, done: 12, parts: 12, complete: true }), /^Everything from your other phone is here/);
});
