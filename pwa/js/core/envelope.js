// Envelopes (docs/protocol.md §5): sender keys, the header, padding to a bucket, sealing,
// opening and the chain hash. One to one with server/hearth/protocol/envelope.py, under
// camelCase names, byte for byte; docs/test-vectors.json is the referee. The primitives
// underneath (AES-GCM, HKDF, SHA-256) are crypto.js's.
import { CryptoError, NONCE_BYTES, SUITE_P256, TAG_BYTES, VERSION, checkLength, hkdf, openSealed, randomBytes, seal,
  sha256 } from "./crypto.js";
import { assertBytes, canon, concat, lp, readU32, readU64, u32, u64, u8, utf8 } from "./encoding.js";

export { NONCE_BYTES, TAG_BYTES };
export const HEADER_BYTES = 46;
export const MIN_BUCKET = 256;
export const MAX_BUCKET = 32768;
export const MAX_BODY = MAX_BUCKET - 4;
export const ZERO_HASH = new Uint8Array(32);

export function senderKey(root, pairId, epoch, device) {
  const info = canon("hearth/v1/sender-key", utf8(pairId), u32(epoch), utf8(device));
  return hkdf(root, new Uint8Array(0), info, 32);
}

/** The smallest power of two >= 4 + bodyLen, at least 256; RangeError past MAX_BODY. */
export function bucketSize(bodyLen) {
  if (!Number.isSafeInteger(bodyLen) || bodyLen < 0) throw new RangeError("a body length is a non-negative integer");
  if (bodyLen > MAX_BODY) throw new RangeError(`a record body is limited to ${MAX_BODY} bytes`);
  let size = MIN_BUCKET;
  while (size < bodyLen + 4) size *= 2;
  return size;
}

export function pad(body) {
  assertBytes(body, "body");
  const out = new Uint8Array(bucketSize(body.length));
  out.set(u32(body.length), 0);
  out.set(body, 4);
  return out;
}

export function unpad(padded) {
  if (padded.length < 4) throw new CryptoError("padding is malformed");
  const n = readU32(padded);
  if (4 + n > padded.length || padded.subarray(4 + n).some((b) => b !== 0)) {
    throw new CryptoError("padding is malformed");
  }
  return padded.slice(4, 4 + n);
}

/**
 * { version, suite, epoch, seq, prev }. `seq` is a Number: the wire carries it as a JSON
 * number too, so one past 2^53 could never be sent or acknowledged and is refused here.
 */
export function parseHeader(envelope) {
  assertBytes(envelope, "envelope");
  if (envelope.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES) {
    throw new CryptoError("the envelope is too short");
  }
  const seq = readU64(envelope, 6);
  if (seq > BigInt(Number.MAX_SAFE_INTEGER)) throw new CryptoError("the sequence number is out of range");
  return {
    version: envelope[0],
    suite: envelope[1],
    epoch: readU32(envelope, 2),
    seq: Number(seq),
    prev: envelope.slice(14, 46),
  };
}

function packHeader(epoch, seq, prev) {
  return concat(u8(VERSION), u8(SUITE_P256), u32(epoch), u64(seq), checkLength(prev, 32, "prev hash"));
}

let lastAd = null;   // the part before the header for the last pair and sender: a catch-up has one

export function associatedData(pairId, sender, header) {
  if (lastAd?.pairId !== pairId || lastAd?.sender !== sender) {
    const ad = canon("hearth/v1/envelope", utf8(pairId), utf8(sender), new Uint8Array(0));
    lastAd = { pairId, sender, prefix: ad.subarray(0, ad.length - 4) };
  }
  return concat(lastAd.prefix, lp(assertBytes(header, "canon field 3")));
}

/**
 * version, suite, epoch, seq, prev, nonce, then the padded body sealed under `key` (the
 * sender's own sender key, bytes or CryptoKey). `nonce` is passed only by the test vectors.
 */
export async function sealEnvelope(key, pairId, sender, epoch, seq, prev, body, nonce = null) {
  nonce ??= randomBytes(NONCE_BYTES);
  const header = packHeader(epoch, seq, prev);
  const ct = await seal(key, nonce, pad(body), associatedData(pairId, sender, header));
  return concat(header, nonce, ct);
}

/** The body, or CryptoError if anything was altered or moved to another pair, sender or place. */
export async function openEnvelope(key, pairId, sender, envelope) {
  const header = parseHeader(envelope);
  if (header.version !== VERSION || header.suite !== SUITE_P256) {
    throw new CryptoError("unsupported envelope version or suite");
  }
  const nonce = envelope.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const padded = await openSealed(
    key,
    nonce,
    envelope.subarray(HEADER_BYTES + NONCE_BYTES),
    associatedData(pairId, sender, envelope.subarray(0, HEADER_BYTES)),
  );
  return unpad(padded);
}

export function envelopeHash(envelope) {
  return sha256(canon("hearth/v1/envelope-hash", envelope));
}
