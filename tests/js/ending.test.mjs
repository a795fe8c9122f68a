// pwa/js/core/ending.js: the words for a pairing that ended (§11.2), on either phone.
import assert from "node:assert/strict";
import test from "node:test";

import { readFileSync } from "node:fs";

import { DeviceKeys } from "../../pwa/js/core/crypto.js";
import { b64u, fromHex as h } from "../../pwa/js/core/encoding.js";
import { endDay, endedBy, endedWords, noticeHolds } from "../../pwa/js/core/ending.js";

const V = JSON.parse(readFileSync(new URL("../../docs/test-vectors.json", import.meta.url), "utf8"));
const device = (d) => DeviceKeys.fromScalars(h(d.sig_d), h(d.sig_pub), h(d.dh_d), h(d.dh_pub));
const A = await device(V.device_a);
const B = await device(V.device_b);

test("the relay's unpaired notice counts only if the partner (or this phone) signed this pair's end", async () => {
  const u = V.unpair;
  const notice = { by: u.device, at: u.at, sig: b64u(h(u.signature)) };
  const peerOf = (keys) => ({ device: keys.deviceId, suite: 1, sig_pub: b64u(keys.sigPub), dh_pub: b64u(keys.dhPub) });
  const sam = { device: B.deviceId, pair: u.pair_id, epoch: u.epoch, peer: peerOf(A) };   // A's partner
  assert.equal(await noticeHolds(notice, sam, B.sigPub), true);
  // This phone's own word, as an older copy of it would have sent it.
  assert.equal(await noticeHolds(notice, { device: A.deviceId, pair: u.pair_id, epoch: u.epoch, peer: peerOf(B) }, A.sigPub), true);
  for (const [why, changed, me] of [
    ["another time", { ...notice, at: u.at + 1 }, sam],
    ["another pair", notice, { ...sam, pair: "another-pair-id-000000" }],
    ["another epoch", notice, { ...sam, epoch: u.epoch + 1 }],
    ["a device that is neither of us", { ...notice, by: "someone-else-000000000" }, sam],
    ["a peer with other keys", notice, { ...sam, peer: { ...peerOf(B), device: A.deviceId } }],
    ["no signature", { ...notice, sig: undefined }, sam],
    ["a signature that is not b64u", { ...notice, sig: "not b64u!" }, sam],
    ["a forged signature", { ...notice, sig: "A".repeat(86) }, sam],
    ["a time that is not a whole number", { ...notice, at: String(u.at) }, sam],
    ["no notice at all", null, sam],
    ["before pairing (no peer)", notice, { ...sam, peer: null }],
  ]) {
    assert.equal(await noticeHolds(changed, me, B.sigPub), false, why);
  }
});

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

test("a phone replaced or moved, and a partner's move nobody signed, in their own words", () => {
  assert.equal(endedBy({ by: null, at, signed: false, replaced: { by: "x", device: "y" } }, me), "replaced");
  assert.equal(endedBy({ by: null, at, signed: false, moved: { device: "y" } }, me), "moved");
  assert.equal(endedBy({ by: null, at, signed: false, movedUnsigned: true }, me), "unsigned-move");
  const moved = endedWords({ by: null, at, signed: false, moved: { device: "y" } }, me, { now });
  assert.equal(moved.title, "Everything is on your new phone");
  assert.match(moved.text, /private things and settings included/);
  assert.match(moved.text, /you can erase it/);
  const unsigned = endedWords({ by: null, at, signed: false, movedUnsigned: true }, me, { now });
  assert.match(unsigned.text, /your partner moved to a new phone, but their phone didn't sign that/);
  assert.match(unsigned.line, /without their word/);
});

test("the day carries its year only when it is not this one", () => {
  assert.equal(endDay(at, now), day);
  assert.match(endDay(at, new Date(2027, 0, 3)), /2026/);
});
