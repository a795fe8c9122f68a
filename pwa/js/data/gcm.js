// AES-256-GCM (96-bit IV, no additional data), synchronous, for one data key used for
// thousands of small values. noble's gcm() expands the AES key and builds its GHASH table
// afresh for every value (most of its cost: about 200 µs a record in Chromium); here both
// are made once per key, and each value pays only for its own blocks. The steps are noble's
// own (vendor/noble-ciphers/aes.js, gcm), through the building blocks it exports;
// tests/js/gcm.test.mjs checks the result against WebCrypto's AES-GCM both ways.
import { GHASH } from "../../vendor/noble-ciphers/_polyval.js";
import { unsafe } from "../../vendor/noble-ciphers/aes.js";
import { u64Lengths } from "../../vendor/noble-ciphers/utils.js";

const TAG = 16;

const aligned = (bytes) => (bytes.byteOffset % 4 === 0 ? bytes : bytes.slice());

export class GcmKey {
  constructor(key) {
    if (!(key instanceof Uint8Array) || key.length !== 32) throw new TypeError("an AES-256 key is 32 bytes");
    this.xk = unsafe.expandKeyLE(key);
    const authKey = new Uint8Array(16);
    unsafe.ctr32(this.xk, false, new Uint8Array(16), new Uint8Array(16), authKey);   // H = E(0)
    this.ghash = new GHASH(authKey, 1024);   // its table, shared by every value's own state
    authKey.fill(0);
  }

  // The counter block J0 = iv || 1; returns E(J0) (the tag's mask), leaving J0 + 1 for the data.
  start(iv) {
    if (!(iv instanceof Uint8Array) || iv.length !== 12) throw new TypeError("the IV is 12 bytes");
    const counter = new Uint8Array(16);
    counter[15] = 1;
    counter.set(iv);
    return [counter, unsafe.ctr32(this.xk, false, counter, new Uint8Array(16))];
  }

  tag(mask, sealed) {
    const h = Object.create(this.ghash);   // the shared table, a fresh running state
    h.s0 = 0; h.s1 = 0; h.s2 = 0; h.s3 = 0; h.finished = false;
    h.update(sealed);
    h.update(u64Lengths(8 * sealed.length, 0, false));
    const out = new Uint8Array(TAG);
    h.digestInto(out);
    for (let i = 0; i < TAG; i++) out[i] ^= mask[i];
    return out;
  }

  /** ciphertext || tag */
  encrypt(iv, plain) {
    const [counter, mask] = this.start(iv);
    const out = new Uint8Array(plain.length + TAG);
    const body = out.subarray(0, plain.length);
    if (plain.length) unsafe.ctr32(this.xk, false, counter, aligned(plain), body);
    out.set(this.tag(mask, body), plain.length);
    return out;
  }

  /** The plaintext; throws if the tag does not match. */
  decrypt(iv, sealed) {
    if (sealed.length < TAG) throw new Error("aes/gcm: too short");
    const [counter, mask] = this.start(iv);
    const body = aligned(sealed.subarray(0, sealed.length - TAG));
    const expected = this.tag(mask, body);
    const given = sealed.subarray(sealed.length - TAG);
    let diff = 0;
    for (let i = 0; i < TAG; i++) diff |= expected[i] ^ given[i];
    if (diff) throw new Error("aes/gcm: the tag does not match");
    return body.length ? unsafe.ctr32(this.xk, false, counter, body) : new Uint8Array(0);
  }
}
