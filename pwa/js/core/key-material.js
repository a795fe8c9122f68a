// What each of the app's own CryptoKeys is made of, held beside it in this page's memory,
// so the keys store can keep key bytes rather than CryptoKeys: bytes can be sealed under
// the app lock's data key (data/vault.js), and a CryptoKey cannot be, since WebCrypto only
// exports one asynchronously, and sealing happens inside IndexedDB transactions, which an
// await outside IndexedDB would commit. Chromium writes a stored CryptoKey's material into
// its files in the clear, extractable or not (docs/app-lock.md).
//
// core/crypto.js remembers the material of every key it makes; the keys store's values are
// described (CryptoKeys to bytes) as they are written and revived (bytes to non-extractable
// CryptoKeys, remembered again) as data/db.js's getKey reads them. A key an earlier version
// made non-extractable has no known material: it is stored as the CryptoKey it is.
// Pure: only globalThis.crypto, so it runs in Node's tests too.

const KEY = "$key";
const material = new WeakMap();   // CryptoKey -> { format, data }: raw bytes, or a JWK object

const isCryptoKey = (value) => typeof CryptoKey !== "undefined" && value instanceof CryptoKey;
// An object whose fields are walked: a plain one, or a class's (a DeviceKeys given whole is
// kept by its fields, as IndexedDB's own copy would keep it); never bytes, nor a key.
const isPlain = (value) => value !== null && typeof value === "object" && !Array.isArray(value) &&
  !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer) && !isCryptoKey(value);
const isDescribed = (value) => isPlain(value) && isPlain(value[KEY]);

/** Note what `key` is made of ("raw" bytes or a "jwk" object); returns the key. */
export function remember(key, format, data) {
  material.set(key, { format, data: data instanceof ArrayBuffer ? new Uint8Array(data) : data });
  return key;
}

/** { format, data } for a key made or read by this page; null for one whose material is unknown. */
export const materialOf = (key) => material.get(key) ?? null;

// Only what importKey needs back: the name, and the curve of an EC key.
function algorithmOf(key) {
  const { name, namedCurve } = key.algorithm;
  return namedCurve ? { name, namedCurve } : { name };
}

/** A copy of `value` with each CryptoKey of known material as bytes; synchronous. */
export function describe(value) {
  if (isCryptoKey(value)) {
    const known = material.get(value);
    if (!known) return value;   // an earlier version's non-extractable key: only the CryptoKey exists
    return { [KEY]: { format: known.format, data: known.data, algorithm: algorithmOf(value), usages: [...value.usages] } };
  }
  if (Array.isArray(value)) return value.map(describe);
  if (isPlain(value) && !isDescribed(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, describe(v)]));
  }
  return value;
}

/** Does `value` still hold a CryptoKey (one whose material is unknown, so kept as it is)? */
export function holdsCryptoKey(value) {
  if (isCryptoKey(value)) return true;
  if (Array.isArray(value)) return value.some(holdsCryptoKey);
  if (isPlain(value)) return Object.values(value).some(holdsCryptoKey);
  return false;
}

/** Import `data` as a non-extractable key and remember what it is made of. */
export async function held(format, data, algorithm, usages) {
  const key = await globalThis.crypto.subtle.importKey(format, data, algorithm, false, usages);
  return remember(key, format, data);
}

/** `value` as the app uses it: each described key a non-extractable CryptoKey again. */
export async function revive(value) {
  if (isDescribed(value)) {
    const { format, data, algorithm, usages } = value[KEY];
    return held(format, data, algorithm, usages);
  }
  if (Array.isArray(value)) return Promise.all(value.map(revive));
  if (isPlain(value)) {
    const entries = await Promise.all(Object.entries(value).map(async ([name, v]) => [name, await revive(v)]));
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * A new key pair whose private half is non-extractable in memory with its material known:
 * generated extractable only to export the private key once, as a JWK (which every engine
 * imports EC keys from; PKCS #8 has had gaps).
 */
export async function generatePair(algorithm, usages) {
  const s = globalThis.crypto.subtle;
  const pair = await s.generateKey(algorithm, true, usages);
  const jwk = await s.exportKey("jwk", pair.privateKey);
  return { privateKey: await held("jwk", jwk, algorithm, pair.privateKey.usages), publicKey: pair.publicKey };
}
