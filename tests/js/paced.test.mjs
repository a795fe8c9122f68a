// The paced path's reading (pwa/js/core/paced.js): the open step is the slower one's, a step
// waits for my answer only when my partner is ready beyond me, and steps are offered only
// under a no-pressure agreement in effect.
import assert from "node:assert/strict";
import test from "node:test";
import { agreementInEffect, lookBacksFor, openStep, pathOf, readyFor, stepOf } from "../../pwa/js/core/paced.js";

const pace = (mine, ready, clock, more = {}) => ({ type: "pace", mine, ready, clock, ...more });

test("step_N is N and not_yet or nothing is 0, both ways", () => {
  assert.deepEqual(["step_1", "step_6", "not_yet", undefined].map(stepOf), [1, 6, 0, 0]);
  assert.deepEqual([0, 1, 6].map(readyFor), ["not_yet", "step_1", "step_6"]);
});

test("the open step is the lower of the two latest, and nothing opens until both have said", () => {
  assert.equal(openStep([pace(true, "step_3", "2")], []), 0);
  assert.equal(openStep([pace(true, "step_3", "2")], [pace(false, "step_1", "1")]), 1);
  // A place with two phones' records: the one changed last counts.
  assert.equal(openStep([pace(true, "step_1", "1"), pace(true, "step_4", "5")], [pace(false, "step_5", "1")]), 4);
  assert.equal(openStep([pace(true, "step_4", "5", { deleted: true })], [pace(false, "step_5", "1")]), 0);
});

test("a step waits for my answer only when my partner is ready beyond me, and nobody is told who stepped back", () => {
  assert.deepEqual(pathOf([pace(true, "step_1", "1"), pace(false, "step_2", "2")]),
    { me: 1, open: 1, asked: 2, waitingForPartner: false });
  assert.deepEqual(pathOf([pace(true, "step_3", "3"), pace(false, "step_2", "2")]),
    { me: 3, open: 2, asked: 0, waitingForPartner: true });
  // A pairing that ended is not this couple's path.
  assert.equal(pathOf([pace(true, "step_3", "3"), pace(false, "step_3", "2", { earlier: true })]).open, 0);
});

test("steps are offered only while the latest no-pressure agreement is in effect", () => {
  const agreement = (answer, clock, more = {}) => ({ kind: "no_pressure", status: "proposed", answer, clock, ...more });
  assert.equal(agreementInEffect([]), false);
  assert.equal(agreementInEffect([agreement(null, "1")]), false);
  assert.equal(agreementInEffect([agreement("yes", "1")]), true);
  assert.equal(agreementInEffect([agreement("yes", "1"), agreement(null, "2")]), false);   // a newer suggestion, not yet accepted
  assert.equal(agreementInEffect([agreement("yes", "1", { status: "ended" })]), false);
});

test("each partner's look-back on a step is theirs, the latest counting", () => {
  const lb = (mine, step, felt, clock) => ({ mine, step, felt, clock });
  const both = lookBacksFor(2, [lb(true, 1, "a", "1"), lb(true, 2, "b", "2"), lb(true, 2, "c", "3"), lb(false, 3, "d", "4")]);
  assert.equal(both.mine.felt, "c");
  assert.equal(both.partner, null);
});
