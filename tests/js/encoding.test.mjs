// pwa/js/core/encoding.js against docs/test-vectors.json ("b64u") and section 1 of the doc.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  b64u,
  bytesEqual,
  canon,
  concat,
  fromHex,
  fromUtf8,
  lp,
  toHex,
  u32,
  u64,
  u8,
  unb64u,
  uncanon,
  utf8,
} from "../../pwa/js/core/encoding.js";

const V = JSON.parse(readFileSync(new URL("../../docs/test-vectors.json", import.meta.url), "utf8"));

test("b64u vectors encode and decode", () => {
  assert.ok(V.b64u.length >= 5);
  for (const c of V.b64u) {
    assert.equal(b64u(fromHex(c.hex)), c.b64u);
    assert.deepEqual(unb64u(c.b64u), fromHex(c.hex));
  }
});

test("b64u round-trips every length and byte value", () => {
  for (let n = 0; n < 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 0xff);
    const text = b64u(bytes);
    assert.equal(text, Buffer.from(bytes).toString("base64url"));
    assert.deepEqual(unb64u(text), bytes);
  }
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(unb64u(b64u(all)), all);
});

test("b64u decoding is strict", () => {
  // The same cases tests/test_vectors.py rejects, and more.
  for (const bad of ["AA==", "A", "a+b/", "é", "AA=", "AA A", " AA", "AA\n", "AAAAA", "+/", "AB", "AAF"]) {
    assert.throws(() => unb64u(bad), RangeError, JSON.stringify(bad));
  }
  for (const bad of [null, undefined, 42, new Uint8Array(2)]) {
    assert.throws(() => unb64u(bad), RangeError);
  }
  assert.deepEqual(unb64u(""), new Uint8Array(0));
  assert.deepEqual(unb64u("-_8"), Uint8Array.of(0xfb, 0xff));
});

test("integers are big-endian and range-checked", () => {
  assert.equal(toHex(u8(0)), "00");
  assert.equal(toHex(u8(255)), "ff");
  assert.equal(toHex(u32(1)), "00000001");
  assert.equal(toHex(u32(0xdeadbeef)), "deadbeef");
  assert.equal(toHex(u64(2)), "0000000000000002");
  assert.equal(toHex(u64(Number.MAX_SAFE_INTEGER)), "001fffffffffffff");
  assert.equal(toHex(u64(0xffffffffffffffffn)), "ffffffffffffffff");
  for (const [f, n] of [[u8, 256], [u8, -1], [u8, 1.5], [u32, 2 ** 32], [u64, 2 ** 53], [u64, -1n], [u64, 2n ** 64n], [u32, "1"]]) {
    assert.throws(() => f(n), RangeError);
  }
});

test("lp and canon follow section 1", () => {
  assert.equal(toHex(lp(Uint8Array.of(1, 2))), "000000020102");
  assert.equal(toHex(canon("ab", new Uint8Array(0), Uint8Array.of(9))), "000000026162" + "00000000" + "0000000109");
  // Different field lists never collide.
  assert.notDeepEqual(canon("x", utf8("ab"), utf8("c")), canon("x", utf8("a"), utf8("bc")));
  assert.throws(() => canon("x", "not bytes"), TypeError);
  const fields = uncanon(canon("hearth/v1/t", utf8("a"), new Uint8Array(0)), "hearth/v1/t", 2);
  assert.deepEqual(fields.map(fromUtf8), ["a", ""]);
  assert.throws(() => uncanon(canon("hearth/v1/t", utf8("a")), "hearth/v1/t", 2), RangeError);
  assert.throws(() => uncanon(canon("hearth/v1/u", utf8("a")), "hearth/v1/t", 1), RangeError);
  assert.throws(() => uncanon(concat(canon("hearth/v1/t", utf8("a")), Uint8Array.of(0, 0)), "hearth/v1/t", 1), RangeError);
  assert.throws(() => uncanon(concat(canon("hearth/v1/t"), u32(5), utf8("abc")), "hearth/v1/t", 1), RangeError);
});

test("utf8, hex and equality helpers", () => {
  assert.deepEqual(utf8("é"), Uint8Array.of(0xc3, 0xa9));
  assert.equal(fromUtf8(Uint8Array.of(0xc3, 0xa9)), "é");
  assert.throws(() => fromUtf8(Uint8Array.of(0xc3)));
  assert.deepEqual(fromHex("00ff10"), Uint8Array.of(0, 255, 16));
  assert.throws(() => fromHex("0"), RangeError);
  assert.ok(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)));
  assert.ok(!bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3)));
  assert.ok(!bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1)));
});
