// Receipts (docs/protocol.md §5.6): a phone's own sealed word on what it has from its
// partner. Only a receipt lets a sender forget an envelope, or asks for one again; the
// relay's "sent" and "ready.last_seq" are claims. Mirrors server/hearth/protocol/receipt.py.
import { CryptoError, SUITE_P256, VERSION, openSealed, randomBytes, seal } from "./crypto.js";
import { NONCE_BYTES, TAG_BYTES, pad, unpad } from "./envelope.js";
import { canon, concat, fromUtf8, readU32, u32, u8, unb64u, utf8 } from "./encoding.js";

export const HEADER_BYTES = 6;
export const MAX_RECEIPT = 2048;
export const MAX_RANGES = 32;
const INT_FIELDS = ["n", "received", "head", "kept_from"];
const FIELDS = ["n", "received", "received_hash", "missing", "head", "kept_from"];   // the wire order

export function associatedData(pairId, writer, header) {
  return canon("hearth/v1/receipt", utf8(pairId), utf8(writer), header);
}

/** `key` is the writer's own sender key (bytes or CryptoKey); `nonce` only for the vectors. */
export async function sealReceipt(key, pairId, writer, epoch, fields, nonce = null) {
  checkFields(fields);
  nonce ??= randomBytes(NONCE_BYTES);
  const header = concat(u8(VERSION), u8(SUITE_P256), u32(epoch));
  const body = utf8(JSON.stringify(Object.fromEntries(FIELDS.map((k) => [k, fields[k]]))));
  return concat(header, nonce, await seal(key, nonce, pad(body), associatedData(pairId, writer, header)));
}

/** The receipt's fields, or CryptoError unless the writer sealed it for this pair and epoch. */
export async function openReceipt(key, pairId, writer, epoch, blob) {
  if (blob.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || blob.length > MAX_RECEIPT) {
    throw new CryptoError("the receipt has the wrong length");
  }
  if (blob[0] !== VERSION || blob[1] !== SUITE_P256 || readU32(blob, 2) !== epoch) {
    throw new CryptoError("the receipt is for another version, suite or epoch");
  }
  const header = blob.subarray(0, HEADER_BYTES);
  const padded = await openSealed(key, blob.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES),
    blob.subarray(HEADER_BYTES + NONCE_BYTES), associatedData(pairId, writer, header));
  let fields;
  try {
    fields = JSON.parse(fromUtf8(unpad(padded)));
    checkFields(fields);
  } catch (err) {
    throw new CryptoError(`the receipt's contents are malformed: ${err.message}`);
  }
  return fields;
}

const whole = (x) => Number.isSafeInteger(x) && x >= 0;

/** Throws unless `fields` is exactly a well-formed receipt. */
export function checkFields(fields) {
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) throw new TypeError("a receipt is an object");
  const names = Object.keys(fields).sort();
  if (names.join() !== [...FIELDS].sort().join()) {
    throw new TypeError("a receipt has exactly the fields n, received, received_hash, missing, head, kept_from");
  }
  for (const name of INT_FIELDS) if (!whole(fields[name])) throw new TypeError(`'${name}' must be a whole number`);
  if (fields.n < 1) throw new TypeError("'n' starts at 1");
  if (typeof fields.received_hash !== "string" || unb64u(fields.received_hash).length !== 32) {
    throw new TypeError("'received_hash' must be 32 bytes");
  }
  const ranges = fields.missing;
  if (!Array.isArray(ranges) || ranges.length > MAX_RANGES) throw new TypeError(`'missing' is a list of at most ${MAX_RANGES} ranges`);
  let low = fields.received;
  for (const r of ranges) {
    if (!Array.isArray(r) || r.length !== 2 || !whole(r[0]) || !whole(r[1]) || !(low < r[0] && r[0] <= r[1])) {
      throw new TypeError("'missing' ranges are [first, last], in order, above 'received'");
    }
    low = r[1];
  }
}

/** The seqs from `next` to `upTo` that are not in `held`, as at most MAX_RANGES [first, last] runs. */
export function missingRanges(next, held, upTo) {
  const runs = [];
  let start = next;
  for (const seq of [...new Set(held)].filter((s) => s >= next && s <= upTo).sort((a, b) => a - b)) {
    if (seq > start) runs.push([start, seq - 1]);
    start = seq + 1;
  }
  if (start <= upTo) runs.push([start, upTo]);
  return runs.slice(0, MAX_RANGES);
}

export const inRanges = (ranges, seq) => ranges.some(([a, b]) => a <= seq && seq <= b);
export const countRanges = (ranges) => ranges.reduce((n, [a, b]) => n + b - a + 1, 0);
