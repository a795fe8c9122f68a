// The keys store's keys as bytes (pwa/js/core/key-material.js): every key core/crypto.js
// makes is non-extractable in memory yet describable, a described key revives into one that
// works the same, a value round-trips through the vault's sealing, and an earlier
// version's non-extractable CryptoKey is left as it is (and said to be).
import assert from "node:assert/strict";
import { test } from "node:test";
import * as c from "../../pwa/js/core/crypto.js";
import * as km from "../../pwa/js/core/key-material.js";
import * as vault from "../../pwa/js/data/vault.js";

const KEY = "$key";
const text = new TextEncoder().encode("a walk by the river");

test("device keys are non-extractable, yet stored as bytes that revive into the same keys", async () => {
  const keys = await c.DeviceKeys.generate();
  assert.equal(keys.sig.extractable, false);
  assert.equal(keys.dh.extractable, false);
  const stored = km.describe({ sig: keys.sig, dh: keys.dh, sigPub: keys.sigPub, dhPub: keys.dhPub, suite: keys.suite });
  assert.equal(stored.sig[KEY].format, "jwk");
  assert.deepEqual(stored.sig[KEY].algorithm, { name: "ECDSA", namedCurve: "P-256" });
  assert.deepEqual(stored.dh[KEY].usages, ["deriveBits"]);
  assert.equal(stored.sigPub, keys.sigPub);
  assert.equal(km.holdsCryptoKey(stored), false);

  const back = await km.revive(stored);
  assert.equal(back.sig.extractable, false);
  const again = await c.DeviceKeys.fromKeys(back.sig, back.dh, back.sigPub, back.dhPub, back.suite);
  assert.equal(again.deviceId, keys.deviceId);
  assert.ok(await c.verify(keys.sigPub, await c.sign(back.sig, text), text));
  const other = await c.DeviceKeys.generate();
  assert.deepEqual(await c.ecdh(back.dh, other.dhPub), await c.ecdh(other.dh, keys.dhPub));
  // What revived is described again (written back) without exporting anything.
  assert.deepEqual(km.describe(back.sig), stored.sig);
  // A DeviceKeys given whole is kept by its fields, its keys as bytes all the same.
  const whole = km.describe(keys);
  assert.equal(km.holdsCryptoKey(whole), false);
  assert.equal(whole.deviceId, keys.deviceId);
  assert.deepEqual(whole.sig, stored.sig);
});

test("a sender key keeps its bytes; an ephemeral key and a fixed scalar their JWKs", async () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const send = await c.importAeadKey(bytes);
  assert.equal(send.extractable, false);
  assert.deepEqual(km.materialOf(send).data, bytes);
  const nonce = new Uint8Array(12);
  const sealed = await c.seal(send, nonce, text, new Uint8Array(0));
  const revived = await km.revive(km.describe(send));
  assert.deepEqual(await c.openSealed(revived, nonce, sealed, new Uint8Array(0)), text);

  const eph = await c.newEphemeralKey();
  assert.equal(eph.privateKey.extractable, false);
  assert.equal(km.materialOf(eph.privateKey).format, "jwk");

  const made = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const d = Buffer.from((await crypto.subtle.exportKey("jwk", made.privateKey)).d, "base64url");
  const pub = await c.publicRaw(made.publicKey);
  const scalar = await c.importPrivateScalar(new Uint8Array(d), pub, "ecdsa");
  const fromJwk = await km.revive(km.describe(scalar));
  assert.equal(km.materialOf(fromJwk).format, "jwk");
  assert.ok(await c.verify(pub, await c.sign(fromJwk, text), text));
});

test("sealed under the lock's data key, the keys store's value holds none of the key's bytes", async () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const pending = { secret: crypto.getRandomValues(new Uint8Array(32)), ephPrivate: (await c.newEphemeralKey()).privateKey,
                    stage: "shown", send: await c.importAeadKey(bytes) };
  await vault.use({ lockOn: true, dataKey: crypto.getRandomValues(new Uint8Array(32)) });
  try {
    const stored = vault.seal("keys", km.describe(pending));
    assert.deepEqual(Object.keys(stored), ["$sealed"]);
    const hex = (b) => Buffer.from(b).toString("hex");
    assert.ok(!hex(stored.$sealed).includes(hex(bytes)));
    const back = await km.revive(vault.open("keys", stored));
    assert.deepEqual(back.secret, pending.secret);
    assert.equal(back.stage, "shown");
    assert.deepEqual(km.materialOf(back.send).data, bytes);
    assert.deepEqual(km.materialOf(back.ephPrivate).data, km.materialOf(pending.ephPrivate).data);
  } finally {
    await vault.use({ lockOn: false });
  }
});

test("an earlier version's non-extractable CryptoKey stays as it is, and is said to", async () => {
  const old = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"])).privateKey;
  const value = { sig: old, sigPub: new Uint8Array(65) };
  const stored = km.describe(value);
  assert.equal(stored.sig, old);
  assert.equal(km.holdsCryptoKey(stored), true);
  assert.equal((await km.revive(stored)).sig, old);
  assert.equal(await km.revive(undefined), undefined);
});
