// The prompts and closeness ideas: enough of them, well grouped, and a prompt of the day
// that two phones agree on without talking to each other.
import assert from "node:assert/strict";
import test from "node:test";

import { dayNumber, today as localDate } from "../../pwa/js/core/dates.js";
import {
  ENERGY_LEVELS, group, KINDS, nextInGroup, promptById, PROMPTS, promptOfTheDay,
} from "../../pwa/js/core/prompts.js";

const LEVELS = ENERGY_LEVELS.map((e) => e.value);

test("there are at least 60 items, each well formed", () => {
  assert.ok(PROMPTS.length >= 60, `only ${PROMPTS.length} items`);
  for (const p of PROMPTS) {
    assert.deepEqual(Object.keys(p).sort(), ["energy", "id", "kind", "text"]);
    assert.ok(LEVELS.includes(p.energy), p.id);
    assert.ok(Object.hasOwn(KINDS, p.kind), p.id);
    assert.ok(p.text.trim().length >= 20 && p.text.length <= 200, p.id);
    assert.equal(p.text, p.text.trim(), p.id);
    assert.ok(Object.isFrozen(p));
  }
  assert.ok(Object.isFrozen(PROMPTS));
});

test("every energy level has writing prompts and closeness ideas", () => {
  assert.deepEqual(LEVELS, ["low", "some", "more"]);
  for (const energy of LEVELS) {
    assert.ok(group(energy).length > 0, energy);
    for (const kind of Object.keys(KINDS)) assert.ok(group(energy, kind).length >= 5, `${energy} ${kind}`);
  }
  assert.equal(LEVELS.reduce((n, e) => n + group(e).length, 0), PROMPTS.length);
  assert.throws(() => group("frantic"), RangeError);
  assert.throws(() => group("low", "dare"), RangeError);
});

test("no duplicate ids or texts, even with case and punctuation aside", () => {
  assert.equal(new Set(PROMPTS.map((p) => p.id)).size, PROMPTS.length);
  const squash = (t) => t.toLowerCase().replace(/[^a-z]/g, "");
  assert.equal(new Set(PROMPTS.map((p) => squash(p.text))).size, PROMPTS.length);
  for (const p of PROMPTS) assert.equal(promptById(p.id), p);
  assert.equal(promptById("nope"), null);
});

test("the words stay gentle: no pressure, no scores, no dares", () => {
  const pushy = /\b(must|should|have to|you need to|streaks?|scores?|points|dares?|challenges?|sex\w*|orgasms?)\b/i;
  for (const p of PROMPTS) {
    // "nobody keeps score" is the one welcome mention of scoring.
    const text = p.text.replace("nobody keeps score", "");
    assert.doesNotMatch(text, pushy, p.id);
  }
});

test("local dates and day numbers", () => {
  assert.equal(localDate(new Date(2026, 10, 5, 23, 59)), "2026-11-05");
  assert.equal(localDate(new Date(2026, 0, 1, 0, 0)), "2026-01-01");
  assert.equal(dayNumber("1970-01-01"), 0);
  assert.equal(dayNumber("1970-01-02"), 1);
  assert.equal(dayNumber("2026-03-01") - dayNumber("2026-02-28"), 1);   // no 29 February in 2026
  assert.equal(dayNumber(new Date(2026, 2, 29, 1, 30)), dayNumber("2026-03-29"));  // a clock change
  assert.throws(() => dayNumber("29/03/2026"), RangeError);
});

test("the prompt of the day is deterministic and stays in its group", () => {
  for (const energy of [null, ...LEVELS]) {
    const a = promptOfTheDay("2026-11-25", energy);
    assert.equal(promptOfTheDay("2026-11-25", energy), a);
    assert.equal(promptOfTheDay(new Date(2026, 10, 25, 7, 0), energy), a);   // morning
    assert.equal(promptOfTheDay(new Date(2026, 10, 25, 23, 30), energy), a);  // late evening
    if (energy) assert.equal(a.energy, energy);
  }
  assert.equal(promptOfTheDay("2026-11-25", "low", "together").kind, "together");
});

test("day after day, a whole cycle shows every item of a group once", () => {
  for (const energy of LEVELS) {
    const items = group(energy);
    const start = dayNumber("2026-01-01");
    const seen = new Set();
    for (let d = 0; d < items.length; d += 1) {
      const date = new Date(Date.UTC(1970, 0, 1 + start + d));
      seen.add(promptOfTheDay(date.toISOString().slice(0, 10), energy).id);
    }
    assert.equal(seen.size, items.length, energy);
    const today = promptOfTheDay("2026-01-01", energy);
    assert.notEqual(promptOfTheDay("2026-01-02", energy), today);
    assert.notEqual(promptOfTheDay("2026-01-02", energy), nextInGroup(today));  // tomorrow isn't just "another"
  }
  // Dates before 1970 still land on an item.
  assert.ok(promptOfTheDay("1969-12-31", "low"));
});

test("another idea rotates through the whole group and wraps round", () => {
  for (const energy of LEVELS) {
    const items = group(energy);
    let current = promptOfTheDay("2026-11-25", energy);
    const seen = [current.id];
    for (let i = 1; i < items.length; i += 1) {
      current = nextInGroup(current);
      assert.equal(current.energy, energy);
      seen.push(current.id);
    }
    assert.equal(new Set(seen).size, items.length);
    assert.equal(nextInGroup(current).id, seen[0]);
    assert.equal(nextInGroup(current.id).id, seen[0]);   // an id works as well as the item
    assert.equal(nextInGroup(nextInGroup(current), null, null, -1), current);
  }
  const last = group("low").at(-1);
  assert.equal(nextInGroup(last), group("low")[0]);
  // Moving to another energy level starts that group afresh.
  assert.equal(nextInGroup(group("low")[3], "more"), group("more")[0]);
  // Within one kind, "another" stays that kind.
  const writing = group("some", "write");
  assert.equal(nextInGroup(writing[0], "some", "write"), writing[1]);
  assert.equal(nextInGroup("unknown", "some"), group("some")[0]);
});
