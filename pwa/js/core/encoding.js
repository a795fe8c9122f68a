// Byte encodings from section 1 of docs/protocol.md (Python: hearth/protocol/encoding.py).
//
// Pure ES module: no DOM, no Node built-ins, so the browser and `node --test` load the
// same file. Every function takes and returns Uint8Array for bytes.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const textEncoder = new TextEncoder();
// fatal: a body that is not valid UTF-8 is an error, not a string full of U+FFFD.
const textDecoder = new TextDecoder("utf-8", { fatal: true });

/** Throw unless `x` is a Uint8Array; the protocol never takes strings where bytes are due. */
export function assertBytes(x, what = "value") {
  if (!(x instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  return x;
}

/** base64url without `=` padding (RFC 4648 section 5). */
export function b64u(bytes) {
  assertBytes(bytes, "b64u input");
  let out = "";
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/**
 * Strict base64url without padding. Rejects `=`, `+`, `/`, whitespace, impossible
 * lengths, and (stricter than RFC 4648 requires) non-zero unused trailing bits, so each
 * byte string has exactly one accepted spelling.
 */
export function unb64u(text) {
  const bad = () => new RangeError("not base64url without padding");
  if (typeof text !== "string" || text.length % 4 === 1) throw bad();
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE[c] : -1;
    if (v < 0) throw bad();
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) throw bad();
  return out;
}

export function utf8(text) {
  if (typeof text !== "string") throw new TypeError("utf8() takes a string");
  return textEncoder.encode(text);
}

/** Decode UTF-8, throwing on invalid sequences. */
export function fromUtf8(bytes) {
  return textDecoder.decode(assertBytes(bytes, "UTF-8 input"));
}

function checkInt(n, max, what) {
  if (typeof n === "bigint") {
    if (n < 0n || n > BigInt(max)) throw new RangeError(`${what} out of range`);
    return;
  }
  if (!Number.isSafeInteger(n) || n < 0 || n > max) throw new RangeError(`${what} out of range`);
}

export function u8(n) {
  checkInt(n, 0xff, "u8");
  return Uint8Array.of(Number(n));
}

export function u32(n) {
  checkInt(n, 0xffffffff, "u32");
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, Number(n));
  return out;
}

/** u64 from a safe-integer Number or a BigInt (Numbers beyond 2^53 would silently round). */
export function u64(n) {
  if (typeof n === "bigint") checkInt(n, 0xffffffffffffffffn, "u64");
  else checkInt(n, Number.MAX_SAFE_INTEGER, "u64");
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

export function readU32(bytes, offset = 0) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}

export function readU64(bytes, offset = 0) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
}

export function concat(...parts) {
  let total = 0;
  for (const p of parts) total += assertBytes(p, "concat part").length;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** `u32(len(x)) || x`. */
export function lp(bytes) {
  return concat(u32(assertBytes(bytes, "lp field").length), bytes);
}

const labels = new Map();   // a label's length-prefixed bytes: there are only a few labels

/** Length-prefixed label and fields: no two field lists share an encoding. */
export function canon(label, ...fields) {
  if (!labels.has(label)) labels.set(label, lp(utf8(label)));
  return concat(labels.get(label), ...fields.map((f, i) => lp(assertBytes(f, `canon field ${i + 1}`))));
}

/** Split bytes made by canon(label, ...) back into exactly `count` fields, or throw. */
export function uncanon(data, label, count) {
  assertBytes(data, "uncanon input");
  const fields = [];
  let pos = 0;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new RangeError("truncated length prefix");
    const n = readU32(data, pos);
    pos += 4;
    if (pos + n > data.length) throw new RangeError("truncated field");
    fields.push(data.subarray(pos, pos + n));
    pos += n;
  }
  if (fields.length !== count + 1 || !bytesEqual(fields[0], utf8(label))) {
    throw new RangeError("unexpected structure");
  }
  return fields.slice(1);
}

/**
 * Equality whose time depends only on the lengths, for comparing tags, hashes and keys
 * without hinting at how many leading bytes matched.
 */
export function bytesEqual(a, b) {
  assertBytes(a, "bytesEqual operand");
  assertBytes(b, "bytesEqual operand");
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export function toHex(bytes) {
  assertBytes(bytes, "toHex input");
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

export function fromHex(text) {
  if (typeof text !== "string" || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new RangeError("not a hex string");
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
