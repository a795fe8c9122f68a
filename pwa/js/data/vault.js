// Sealing values at rest while the app lock is on (docs/app-lock.md). One random data key
// seals every value that carries what a person wrote; only wrapped copies of that key are on
// disk (lock/keys.js), so while Hearth is locked the data key exists nowhere.
//
// Sealing must happen inside IndexedDB transactions, where awaiting WebCrypto would let the
// transaction commit: so one value at a time is sealed and opened synchronously (data/gcm.js,
// AES-256-GCM on noble's vendored building blocks). Reading many records at once outside a
// transaction (openMany) uses WebCrypto instead: the same AES-GCM, and faster in bulk; so
// does writing many at once (data/sealed-batches.js): the stored format is the same.
import { b64u, unb64u } from "../core/encoding.js";
import { holdsCryptoKey } from "../core/key-material.js";

// The synchronous AES-GCM loads only once the lock is on (precached all the same): most
// phones never need it.
let GcmKey = null;
let batches = null;   // data/sealed-batches.js, with it

/**
 * The stores whose values are sealed. "keys" holds key bytes (core/key-material.js); a
 * CryptoKey an earlier version made non-extractable cannot be sealed and stays as it is.
 */
export const SEALED_STORES = ["records", "noticed", "outbox", "kept", "held", "meta", "keys"];

// What stays clear in "meta": the lock's own settings (needed to unlock), and what the
// service worker reads to fire a reminder while Hearth is locked (never record text: with
// the lock on, reminders/remind.js keeps only the discreet words).
export const CLEAR_META = new Set(["lock", "reminders", "reminder_schedule", "reminded", "reminders_woke"]);

// The clear parts of a sealed value: what IndexedDB's keys and indexes need.
const CLEAR_FIELDS = { records: ["type", "id", "n"], outbox: ["n"], kept: ["n"] };

export class LockedError extends Error {
  constructor() {
    super("Hearth is locked: unlock it to read or change what it keeps");
    this.name = "LockedError";
  }
}

let on = false;      // the lock is on: new values are sealed
let key = null;      // the data key's bytes, only while unlocked
let cipher = null;   // the same key, ready for sealing (data/gcm.js)
let webKey = null;   // the same key for WebCrypto

export const isOn = () => on;
export const isOpen = () => !on || key !== null;

/** Told by the lock at start and when it changes: is the lock on, and the data key if known. */
export async function use({ lockOn, dataKey = null }) {
  if (lockOn || dataKey) {
    GcmKey ??= (await import("./gcm.js")).GcmKey;
    batches ??= await import("./sealed-batches.js");   // now: a transaction cannot wait for it
  }
  on = Boolean(lockOn);
  key = dataKey;
  cipher = dataKey ? new GcmKey(dataKey) : null;
  webKey = dataKey ? await crypto.subtle.importKey("raw", dataKey, "AES-GCM", false, ["encrypt", "decrypt"]) : null;
}

/** The data key, to wrap it under another key (the phone's screen lock); only while unlocked. */
export function dataKeyCopy() {
  if (!key) throw new LockedError();
  return key.slice();
}

/** Forget the data key (locking): nothing sealed can be read again until unlocked. */
export function forget() {
  key?.fill(0);
  key = null;
  cipher = null;
  webKey = null;
}

// Values become bytes by JSON, with byte arrays tagged so they come back as they were.
const BYTES = "\u0000bytes";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function replacer(_name, value) {
  if (value instanceof Uint8Array) return { [BYTES]: b64u(value) };
  if (value instanceof ArrayBuffer) return { [BYTES]: b64u(new Uint8Array(value)), buffer: true };
  return value;
}

function reviver(_name, value) {
  if (value && typeof value === "object" && typeof value[BYTES] === "string") {
    const bytes = unb64u(value[BYTES]);
    return value.buffer ? bytes.buffer : bytes;
  }
  return value;
}

const isSealed = (value) => Boolean(value) && value.$sealed instanceof Uint8Array;

/** Should a value of `store` (at `name`, for meta) be sealed now? */
export function seals(store, name) {
  return on && SEALED_STORES.includes(store) && !(store === "meta" && CLEAR_META.has(name));
}

/** The value as stored: sealed with a fresh IV while the lock is on, else as it is. */
export function seal(store, value, name) {
  if (value === undefined || !seals(store, name)) return value;
  // JSON would turn a CryptoKey into {}: an earlier version's key is kept as it is instead.
  if (store === "keys" && holdsCryptoKey(value)) return value;
  if (!key) throw new LockedError();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return stored(store, value, iv, cipher.encrypt(iv, plainOf(value)));
}

export const plainOf = (value) => encoder.encode(JSON.stringify(value, replacer));

/** What is stored for `value` of `store`: sealed, with its clear fields. */
export function stored(store, value, iv, sealed) {
  const out = { $sealed: joined(iv, sealed) };
  for (const field of CLEAR_FIELDS[store] || []) if (value[field] !== undefined) out[field] = value[field];
  return out;
}

/** The data key for WebCrypto, to seal with (data/sealed-batches.js). */
export function sealingKey() {
  if (!webKey) throw new LockedError();
  return webKey;
}

export const putSealed = (raw, values, keys) => batches.putSealed(raw, values, keys);

function joined(iv, sealed) {
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return out;
}

function revived(store, plain, stored) {
  const value = JSON.parse(decoder.decode(plain), reviver);
  // An autoincremented key (the outbox's n) is added by IndexedDB to the sealed value only.
  for (const field of CLEAR_FIELDS[store] || []) if (stored[field] !== undefined) value[field] = stored[field];
  return value;
}

/** The value as the app knows it, from what is stored. */
export function open(store, stored) {
  if (!isSealed(stored)) return stored;
  if (!key) throw new LockedError();
  const bytes = stored.$sealed;
  return revived(store, cipher.decrypt(bytes.subarray(0, 12), bytes.subarray(12)), stored);
}

/** Many stored values at once, outside any transaction, in WebCrypto's parallel batches. */
export async function openMany(store, rows, batch = 500) {
  if (!rows.some(isSealed)) return rows;
  if (!webKey) throw new LockedError();
  const out = new Array(rows.length);
  for (let start = 0; start < rows.length; start += batch) {
    const part = rows.slice(start, start + batch);
    const plains = await Promise.all(part.map((row) => (isSealed(row)
      ? crypto.subtle.decrypt({ name: "AES-GCM", iv: row.$sealed.subarray(0, 12) }, webKey, row.$sealed.subarray(12))
      : null)));
    part.forEach((row, i) => { out[start + i] = plains[i] ? revived(store, new Uint8Array(plains[i]), row) : row; });
  }
  return out;
}
