// pwa/js/core/receipt.js against docs/test-vectors.json and the rules of protocol §5.6.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { fromHex as h, toHex } from "../../pwa/js/core/encoding.js";
import { CryptoError, importAeadKey } from "../../pwa/js/core/crypto.js";
import { checkFields, missingRanges, openReceipt, sealReceipt } from "../../pwa/js/core/receipt.js";

const V = JSON.parse(readFileSync(new URL("../../docs/test-vectors.json", import.meta.url)));
const R = V.receipt;
const PAIR = V.pairing.pair_id;
const key = h(V.sender_keys[R.writer]);

test("a receipt reproduces byte for byte and opens, with a CryptoKey too", async () => {
  assert.equal(toHex(await sealReceipt(key, PAIR, R.writer, R.epoch, R.fields, h(R.nonce))), R.receipt);
  assert.deepEqual(await openReceipt(key, PAIR, R.writer, R.epoch, h(R.receipt)), R.fields);
  const cryptoKey = await importAeadKey(key);
  assert.deepEqual(await openReceipt(cryptoKey, PAIR, R.writer, R.epoch, h(R.receipt)), R.fields);
});

test("a receipt opens only for its writer, pair and epoch, and never as tampered bytes", async () => {
  const blob = h(R.receipt);
  const other = V.device_a.device_id;
  await assert.rejects(openReceipt(key, PAIR, other, R.epoch, blob), CryptoError);
  await assert.rejects(openReceipt(key, "x".repeat(22), R.writer, R.epoch, blob), CryptoError);
  await assert.rejects(openReceipt(key, PAIR, R.writer, R.epoch + 1, blob), CryptoError);
  const bent = blob.slice();
  bent[bent.length - 3] ^= 1;
  await assert.rejects(openReceipt(key, PAIR, R.writer, R.epoch, bent), CryptoError);
});

test("receipt fields are checked exactly", () => {
  const good = R.fields;
  assert.doesNotThrow(() => checkFields(good));
  for (const bad of [{ ...good, n: 0 }, { ...good, extra: 1 }, { ...good, received: -1 }, { ...good, head: "1" },
    { ...good, missing: [[2, 3]] }, { ...good, missing: [[5, 4]] }, { ...good, missing: [[4, 6], [5, 7]] },
    { ...good, received_hash: "AAAA" }]) {
    assert.throws(() => checkFields(bad), TypeError, JSON.stringify(bad));
  }
});

test("missing ranges skip what is held", () => {
  assert.deepEqual(missingRanges(4, [6, 7, 9], 10), [[4, 5], [8, 8], [10, 10]]);
  assert.deepEqual(missingRanges(4, [], 3), []);
  assert.deepEqual(missingRanges(4, [4, 5], 5), []);
});
