// The app lock's synchronous AES-256-GCM (pwa/js/data/gcm.js) against WebCrypto's, both
// ways, at every length around the block size and beyond; and a changed byte is refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GcmKey } from "../../pwa/js/data/gcm.js";

const random = (n) => crypto.getRandomValues(new Uint8Array(n));
const LENGTHS = [0, 1, 3, 4, 15, 16, 17, 31, 32, 33, 100, 255, 1000, 4099];

async function webKey(raw) {
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

test("what gcm.js seals, WebCrypto opens, byte for byte the same", async () => {
  const raw = random(32);
  const [mine, theirs] = [new GcmKey(raw), await webKey(raw)];
  for (const n of LENGTHS) {
    const iv = random(12);
    const plain = random(n);
    const sealed = mine.encrypt(iv, plain);
    const expected = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, theirs, plain));
    assert.deepEqual(sealed, expected, `length ${n}`);
    assert.deepEqual(new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, theirs, sealed)), plain);
  }
});

test("what WebCrypto seals, gcm.js opens, also from an unaligned view", async () => {
  const raw = random(32);
  const [mine, theirs] = [new GcmKey(raw), await webKey(raw)];
  for (const n of LENGTHS) {
    const iv = random(12);
    const plain = random(n);
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, theirs, plain));
    assert.deepEqual(mine.decrypt(iv, sealed), plain, `length ${n}`);
    const offset = new Uint8Array(sealed.length + 1);
    offset.set(sealed, 1);
    assert.deepEqual(mine.decrypt(iv, offset.subarray(1)), plain, `length ${n}, unaligned`);
  }
});

test("a changed byte, a wrong IV or a wrong key is refused", () => {
  const raw = random(32);
  const key = new GcmKey(raw);
  const iv = random(12);
  const sealed = key.encrypt(iv, new TextEncoder().encode("a private note"));
  for (const i of [0, 5, sealed.length - 1]) {
    const bad = sealed.slice();
    bad[i] ^= 1;
    assert.throws(() => key.decrypt(iv, bad), /tag/);
  }
  assert.throws(() => key.decrypt(random(12), sealed), /tag/);
  assert.throws(() => new GcmKey(random(32)).decrypt(iv, sealed), /tag/);
  assert.throws(() => new GcmKey(random(16)), /32 bytes/);
});
