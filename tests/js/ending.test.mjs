// pwa/js/core/ending.js: the words for a pairing that ended (§11.2), on either phone.
import assert from "node:assert/strict";
import test from "node:test";

import { endDay, endedBy, endedWords } from "../../pwa/js/core/ending.js";

const me = { device: "me-device-id-000000000" };
const at = Math.floor(new Date(2026, 10, 30, 18, 5).getTime() / 1000);   // 30 November 2026, evening
const now = new Date(2026, 11, 2, 9);
const day = new Date(at * 1000).toLocaleDateString([], { day: "numeric", month: "long" });

test("who ended it: this phone, the partner's, or only the relay's word", () => {
  assert.equal(endedBy({ by: me.device, at, signed: true }, me), "me");
  assert.equal(endedBy({ by: "partner-device-00000000", at, signed: true }, me), "partner");
  assert.equal(endedBy({ by: null, at, signed: false }, me), "relay");
  // An unsigned claim naming someone is still only the relay's word.
  assert.equal(endedBy({ by: me.device, at, signed: false }, me), "relay");
});

test("the partner's phone says who ended it and when, and that everything is still there", () => {
  const words = endedWords({ by: "partner-device-00000000", at, signed: true }, me, { now });
  assert.equal(words.text, `Your partner ended the pairing on ${day}. Everything you shared is still here to read.`);
  assert.ok(endedWords({ by: "p", at, signed: true }, me, { now, partnerName: "Sam" }).text
    .startsWith(`Sam ended the pairing on ${day}.`));
  assert.match(words.line, /^The pairing has ended\./);
});

test("this phone's own end, and a relay's unsigned claim, in their own words", () => {
  assert.match(endedWords({ by: me.device, at, signed: true }, me, { now }).text, new RegExp(`^You ended the pairing on ${day}\\.`));
  const relay = endedWords({ by: null, at, signed: false }, me, { now });
  assert.match(relay.text, /without your partner's phone's word/);
  assert.doesNotMatch(relay.text, /ended the pairing/);
  assert.match(relay.line, /connection to your partner has ended/);
});

test("the day carries its year only when it is not this one", () => {
  assert.equal(endDay(at, now), day);
  assert.match(endDay(at, new Date(2027, 0, 3)), /2026/);
});
