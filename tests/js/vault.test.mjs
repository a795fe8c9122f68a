// The app lock's sealing (pwa/js/data/vault.js): what is stored while the lock is on keeps
// only the clear parts IndexedDB's keys need, comes back exactly as written (bytes too),
// through either path (one by one, or WebCrypto's batches), and nothing opens without the key.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as vault from "../../pwa/js/data/vault.js";

const record = () => ({ type: "journal", id: "abcdefghijklmnopqrstuv", n: 7, author: "x".repeat(22),
  fields: { text: "a walk by the river, just us", shared: true }, clocks: { text: "1.0000.a" }, at: 1 });

test("with the lock on, values are sealed but for their keys, and open as they were", async () => {
  await vault.use({ lockOn: true, dataKey: crypto.getRandomValues(new Uint8Array(32)) });
  const stored = vault.seal("records", record());
  assert.deepEqual(Object.keys(stored).sort(), ["$sealed", "id", "n", "type"]);
  assert.ok(!new TextDecoder().decode(stored.$sealed).includes("river"));
  assert.deepEqual(vault.open("records", stored), record());
  assert.deepEqual((await vault.openMany("records", [stored, stored], 1)), [record(), record()]);

  const envelope = { n: 3, envelope: new Uint8Array([1, 2, 3]), raw: new Uint8Array([9]).buffer };
  const kept = vault.seal("kept", envelope);
  assert.equal(kept.n, 3);
  const back = vault.open("kept", kept);
  assert.deepEqual(back.envelope, new Uint8Array([1, 2, 3]));
  assert.deepEqual(new Uint8Array(back.raw), new Uint8Array([9]));
  // An outbox entry's n is given by IndexedDB to the stored value only: it comes back too.
  assert.equal(vault.open("outbox", { ...vault.seal("outbox", { body: "x" }), n: 12 }).n, 12);

  assert.deepEqual(vault.seal("meta", { on: true }, "reminders"), { on: true });   // sw.js reads it
  assert.ok(vault.seal("meta", { name: "Sam" }, "identity").$sealed);
  assert.ok(vault.seal("meta", 5, "record_n").$sealed);
  assert.equal(vault.open("meta", vault.seal("meta", 5, "record_n")), 5);
  assert.deepEqual(vault.open("keys", vault.seal("keys", { a: 1 })), { a: 1 });   // the keys' bytes too
  const legacy = { sig: (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"])).privateKey };
  assert.equal(vault.seal("keys", legacy), legacy);   // an earlier version's CryptoKey: JSON would lose it

  const changed = { ...stored, $sealed: stored.$sealed.slice() };
  changed.$sealed[20] ^= 1;
  assert.throws(() => vault.open("records", changed), /tag/);

  vault.forget();
  assert.equal(vault.isOpen(), false);
  assert.throws(() => vault.open("records", stored), vault.LockedError);
  assert.throws(() => vault.seal("records", record()), vault.LockedError);
  await assert.rejects(vault.openMany("records", [stored]), vault.LockedError);
});

test("with the lock off, values are stored as they are", async () => {
  await vault.use({ lockOn: false });
  assert.deepEqual(vault.seal("records", record()), record());
  assert.deepEqual(vault.open("records", record()), record());
  assert.equal(vault.isOpen(), true);
});
