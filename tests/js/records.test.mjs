// The app's record rules agree with hearth-client's (server/hearth/client/records.py).
import assert from "node:assert/strict";
import test from "node:test";

import { checkOp, Clock, isBlank, merge, newId, opFits, opsIn, RecordError, validate } from "../../pwa/js/core/records.js";

test("a new journal entry gets defaults and stays a private draft", () => {
  assert.deepEqual(validate("journal", { text: "a slow walk" }), { tags: [], shared: false, text: "a slow walk" });
});

test("bad fields are refused with the message hearth-client gives", () => {
  const cases = [
    ["journal", { text: "" }, "'text' must be 1 to 10000 characters"],
    ["journal", { text: "hi", mood: 3 }, "unknown field 'mood'"],
    ["journal", { text: "hi", tags: ["tried", "tried"] }, "'tags' must not repeat a tag"],
    ["journal", { text: "hi", tags: ["great"] }, "'tags' must be a list drawn from"],
    ["journal", { text: "hi", reply_to: "short" }, "'reply_to' must be a record id"],
    ["boundary", { kind: "touch", label: "hugs" }, "'level' is required for a touch boundary"],
    ["boundary", { kind: "stop_signal", label: "pause", level: "welcome" }, "has a note, not a level"],
    ["boundary", { kind: "hug", label: "x", level: "welcome" }, "'kind' must be one of"],
    ["spells", {}, "unknown record type 'spells'"],
  ];
  for (const [type, fields, message] of cases) {
    assert.throws(() => validate(type, fields), (err) => err instanceof RecordError && err.message.includes(message),
      `${type} ${JSON.stringify(fields)}`);
  }
});

test("an update names only what changed and is checked against the whole record", () => {
  const existing = { kind: "touch", label: "hugs", level: "welcome" };
  assert.deepEqual(validate("boundary", { level: "ask_first" }, existing), { level: "ask_first" });
  assert.throws(() => validate("boundary", { level: null }, existing), /'level' is required/);
});

test("ids are 22 url-safe characters", () => {
  const id = newId();
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  assert.notEqual(id, newId());
});

test("the clock moves forward even when the wall clock does not", () => {
  let now = 1_700_000_000_000;
  const clock = new Clock("DEV", 0, 0, () => now);
  const a = clock.tick();
  const b = clock.tick();
  assert.equal(a, "1700000000000.0000.DEV");
  assert.equal(b, "1700000000000.0001.DEV");
  clock.observe("1700000060000.0003.OTHER");     // a partner's phone a minute ahead
  now += 5;
  assert.equal(clock.tick(), "1700000060000.0001.DEV");
});

test("a clock from far in the future moves this one at most a day ahead", () => {
  const now = 1_700_000_000_000;
  const clock = new Clock("DEV", 0, 0, () => now);
  clock.observe("9999999999999.0000.OTHER");
  assert.equal(clock.tick(), `${now + 86_400_000}.0001.DEV`);
});

test("merge is per field, last writer wins, whatever the arrival order", () => {
  const early = "1700000000000.0000.A";
  const late = "1700000000001.0000.B";
  const one = { fields: {}, clocks: {} };
  merge(one.fields, one.clocks, { text: "first", tags: [] }, early);
  merge(one.fields, one.clocks, { text: "second" }, late);
  const two = { fields: {}, clocks: {} };
  merge(two.fields, two.clocks, { text: "second" }, late);
  assert.equal(merge(two.fields, two.clocks, { text: "first", tags: [] }, early), true);
  assert.deepEqual(one.fields, { text: "second", tags: [] });
  assert.deepEqual(two.fields, one.fields);
});

test("blank is Unicode White_Space: U+001F and U+FEFF are text, U+0085 and U+3000 are not", () => {
  assert.deepEqual(validate("journal", { text: "\u001f" }), { tags: [], shared: false, text: "\u001f" });
  assert.deepEqual(validate("journal", { text: "\ufeff" }), { tags: [], shared: false, text: "\ufeff" });
  for (const blank of ["\u0085", "\u3000\u00a0", " \t\n\u2028"]) {
    assert.ok(isBlank(blank));
    assert.throws(() => validate("journal", { text: blank }), /'text' must be 1 to 10000 characters/);
  }
});

test("lengths count characters, not UTF-16 units, and record ids are 22 b64u characters", () => {
  assert.deepEqual(validate("gratitude", { text: "\u{1F600}".repeat(2000), date: "2026-11-25" }).text.length, 4000);
  assert.throws(() => validate("journal", { text: "hi", reply_to: "\u{1F600}".repeat(11) }), /record id/);
  assert.throws(() => validate("journal", { text: "hi", reply_to: "walkTogether000000000\u00e9" }), /record id/);
});

test("an operation that does not fit is refused in words, and counted when receiving", () => {
  const good = { type: "journal", id: "walkTogether0000000000", hlc: "1764000000001.0000.alex", fields: { text: "hi" } };
  assert.equal(checkOp(good), undefined);
  const cases = [
    [{ ...good, hlc: 1764000000001 }, "an update's 'hlc' must be a clock, as text"],
    [{ ...good, id: ["walkTogether0000000000"] }, "an update's 'id' must be a record id (22 characters)"],
    [{ ...good, type: "spells" }, "unknown record type 'spells'"],
    [{ ...good, type: "couple", fields: {} }, "the couple record's id is always couple-settings-record"],
    [{ ...good, base: "seen" }, "an update's 'base' must be an object of clocks, as text"],
    [{ ...good, fields: { text: "hi", mood: 3 } }, "unknown field 'mood' for journal"],
    [{ type: "journal", id: good.id, hlc: good.hlc }, "an update must be a JSON object with"],
  ];
  const tally = {};
  for (const [op, words] of cases) {
    assert.throws(() => checkOp(op), (err) => err instanceof RecordError && err.message.startsWith(words), words);
    assert.equal(opFits(op, tally), false);
  }
  assert.equal(opFits(good, tally), true);
  assert.equal(tally.skipped, cases.length);
  assert.deepEqual(opsIn({ ops: [good] }), [good]);
  assert.deepEqual(opsIn({ ops: "not a list" }), [{ ops: "not a list" }]);
});
