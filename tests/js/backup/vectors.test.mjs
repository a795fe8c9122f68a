// The app's backup format (pwa/js/core/backup.js) passes docs/backup-vectors.json, as
// hearth-client's does (tests/test_backup_vectors.py): the exact bytes for fixed inputs, and
// every bad file refused for its own reason.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";

import * as b from "../../../pwa/js/core/backup.js";
import { fromHex, toHex } from "../../../pwa/js/core/encoding.js";

const VECTORS = JSON.parse(readFileSync(new URL("../../../docs/backup-vectors.json", import.meta.url)));
const kdf = (k) => ({ iterations: k.iterations, memoryKiB: k.memory_kib, parallelism: k.parallelism });
const FLOOR = kdf(VECTORS.floor_for_vectors);

for (const v of VECTORS.files) {
  test(`sealing makes the exact bytes: ${v.name}`, async () => {
    const data = await b.sealBackup(v.passphrase, fromHex(v.plaintext),
      { compression: v.compression, kdf: kdf(v.kdf), salt: fromHex(v.salt), nonce: fromHex(v.nonce) });
    assert.equal(toHex(data), v.file);
  });

  test(`opening gives the payload: ${v.name}`, async () => {
    const { header, plaintext } = await b.openBackup(v.passphrase, fromHex(v.file), FLOOR);
    assert.equal(toHex(plaintext), v.plaintext);
    assert.equal(toHex(header.check), v.check);
    assert.deepEqual(await b.decodePayload(plaintext, header.compression), v.payload);
  });
}

for (const v of VECTORS.bad) {
  test(`a bad file fails for its own reason: ${v.name}`, async () => {
    await assert.rejects(async () => {
      const { header, plaintext } = await b.openBackup(v.passphrase, fromHex(v.file), v.real_floor ? b.FLOOR : FLOOR);
      await b.decodePayload(plaintext, header.compression);
    }, (err) => err instanceof b.BackupError && err.kind === v.error && err.message === b.MESSAGES[v.error]);
  });
}

test("what the app gzips, it and Python both read back", async () => {
  const payload = VECTORS.files[0].payload;
  const { plaintext, compression } = await b.encodePayload(payload);
  assert.equal(compression, b.GZIP);
  assert.deepEqual(await b.decodePayload(plaintext, compression), payload);
  const file = await b.sealBackup("pw pw pw pw", plaintext, { kdf: kdf(VECTORS.files[0].kdf) });
  const opened = await b.openBackup("pw pw pw pw", file, FLOOR);
  assert.deepEqual(await b.decodePayload(opened.plaintext, opened.header.compression), payload);
});

test("every backup gets its own salt and nonce", async () => {
  const small = kdf(VECTORS.files[0].kdf);
  const [x, y] = [await b.sealBackup("same", new Uint8Array(3), { kdf: small }), await b.sealBackup("same", new Uint8Array(3), { kdf: small })];
  assert.notEqual(toHex(x.subarray(20, 48)), toHex(y.subarray(20, 48)));
});

test("the written parameters are ones every reader accepts", () => {
  for (const k of ["iterations", "memoryKiB", "parallelism"]) assert.ok(b.FLOOR[k] <= b.WRITE[k] && b.WRITE[k] <= b.CEILING[k]);
});

test("the strength hint is gentle and grows with the passphrase", () => {
  assert.equal(b.strengthHint("").level, 0);
  assert.equal(b.strengthHint("rose").level, 1);
  assert.equal(b.strengthHint("kettle on the windowsill").level, 2);
  assert.equal(b.strengthHint("kettle singing on the windowsill").level, 3);
  assert.match(b.strengthHint("kettle singing on the windowsill").text, /nobody can recover it/);
});

test("the last backup is told in days, weeks or months, and the nudge waits four weeks", () => {
  const now = Date.UTC(2026, 10, 30, 12);
  const ago = (days) => now - days * 86_400_000;
  assert.equal(b.lastBackupLine(null, now), "No backup saved from this phone yet.");
  assert.equal(b.lastBackupLine(ago(0), now), "Last backup: today");
  assert.equal(b.lastBackupLine(ago(3), now), "Last backup: 3 days ago");
  assert.equal(b.lastBackupLine(ago(35), now), "Last backup: 5 weeks ago");
  assert.equal(b.lastBackupLine(ago(95), now), "Last backup: 3 months ago");
  assert.equal(b.gentleNudge(ago(20), now), null);
  assert.match(b.gentleNudge(ago(29), now), /When you have a quiet moment/);
  assert.equal(b.fileName(new Date(2026, 10, 30, 23, 30)), "hearth-backup-2026-11-30.hearth");   // local, not UTC
});
