// Many values written at once while the app lock is on (docs/app-lock.md): a catch-up's
// batch, a history handed over, a restore. Sealed one by one with the synchronous cipher
// they cost most of what the lock added to a catch-up; here the whole batch is sealed first
// with WebCrypto, in parallel and off the page's thread, then written as it is. Loaded by
// data/vault.js only once the lock is on, so phones without it never fetch it.
import { putAsStored } from "./sealed-stores.js";
import { LockedError, isOpen, plainOf, seal, seals, sealingKey, stored } from "./vault.js";

// getRandomValues gives at most 65,536 bytes at a time.
const IVS_AT_ONCE = 5461;

// A key none of Hearth's stores uses: asked for to keep a transaction busy, it changes nothing.
const NOTHING = -1;

/**
 * `values` of `store` as stored (`names[i]` is value i's key, for meta), sealed with WebCrypto.
 * Not for the keys store (seal() keeps an earlier version's CryptoKey as it is).
 */
export async function sealMany(store, values, names = []) {
  if (store === "keys") return values.map((value, i) => seal(store, value, names[i]));
  const key = sealingKey();   // the one these values are sealed with, whatever happens meanwhile
  const out = new Array(values.length);
  for (let start = 0; start < values.length; start += IVS_AT_ONCE) {
    const part = values.slice(start, start + IVS_AT_ONCE);
    const ivs = crypto.getRandomValues(new Uint8Array(12 * part.length));
    const iv = (i) => ivs.subarray(12 * i, 12 * i + 12);
    const sealed = await Promise.all(part.map((value, i) => (value !== undefined && seals(store, names[start + i])
      ? crypto.subtle.encrypt({ name: "AES-GCM", iv: iv(i) }, key, plainOf(value))
      : null)));
    part.forEach((value, i) => { out[start + i] = sealed[i] ? stored(store, value, iv(i), new Uint8Array(sealed[i])) : value; });
  }
  if (!isOpen()) throw new LockedError();   // locked meanwhile: write nothing
  return out;
}

/**
 * Seal `values` and put them into `raw`, a store in a readwrite transaction (`keys`: their
 * out-of-line keys). Awaiting WebCrypto would let the transaction commit, so meanwhile it is
 * kept busy with requests that change nothing, and the writes are made from the last one's
 * success, while it is still active. If sealing fails the transaction is aborted.
 */
export async function putSealed(raw, values, keys = null) {
  const sealed = await keptBusyUntil(raw, sealMany(raw.name, values, keys || []));
  sealed.forEach((value, i) => (keys ? putAsStored(raw, value, keys[i]) : putAsStored(raw, value)));
}

// Resolves with what `work` resolves to, from within a success event of `raw`'s transaction.
function keptBusyUntil(raw, work) {
  let outcome = null;
  work.then((value) => { outcome = { value }; }, (error) => { outcome = { error }; });
  return new Promise((resolve, reject) => {
    const step = () => {
      if (outcome?.error) {
        try { raw.transaction.abort(); } catch { /* already over */ }
        reject(outcome.error);
      } else if (outcome) {
        resolve(outcome.value);
      } else {
        const request = raw.getKey(NOTHING);
        request.onsuccess = step;
        request.onerror = () => reject(request.error);
      }
    };
    step();
  });
}
