// The device's own database in IndexedDB: keys, records, what this phone noticed about
// them, the outbox and sync state.
// History lives here, on the phone; the relay only ever holds ciphertext in transit.
import { openDB, unwrap } from "../../vendor/idb/index.js";
import { revive } from "../core/key-material.js";
import { getAllAsStored, installSealing } from "./sealed-stores.js";
import * as vault from "./vault.js";

// While the app lock is on, values are sealed as they are written and opened as they are
// read (data/sealed-stores.js), in any page that loads this module: every function here
// keeps its shape.
installSealing();

const NAME = "hearth";
const VERSION = 3;

// What this phone noted on a record in versions 1-2, on the record itself; from 3 in "noticed".
const NOTICED_FIELDS = ["unseen", "changedFrom", "history"];

// Append only: each step moves the schema from version n-1 to n, given the database and
// the upgrade transaction.
const MIGRATIONS = [
  (db) => {
    db.createObjectStore("meta");            // small values by name: device, pair, peer, seq state
    db.createObjectStore("keys");            // the device's and pairing's keys (getKey)
    const records = db.createObjectStore("records", { keyPath: ["type", "id"] });
    records.createIndex("byType", ["type", "n"]);
    db.createObjectStore("outbox", { keyPath: "n", autoIncrement: true });
  },
  (db) => {
    // Protocol §5.5-5.6: envelopes handed to the relay stay "kept" until the partner's own
    // receipt confirms them; the partner's envelopes that arrived early wait in "held".
    db.createObjectStore("kept", { keyPath: "n" });
    db.createObjectStore("held");
  },
  async (db, tx) => {
    // What this phone notices about records (unseen, changed from, a boundary's history) is
    // never sent: it moves off the synced record into its own store, one entry per type.
    db.createObjectStore("noticed");
    const noticed = new Map();
    for (let cursor = await tx.objectStore("records").openCursor(); cursor; cursor = await cursor.continue()) {
      const r = cursor.value;
      if (!NOTICED_FIELDS.some((f) => f in r)) continue;
      if (!noticed.has(r.type)) noticed.set(r.type, { unseen: [], changedFrom: {}, history: {} });
      const entry = noticed.get(r.type);
      if (r.unseen) entry.unseen.push(r.id);
      if (r.changedFrom) entry.changedFrom[r.id] = r.changedFrom;
      if (r.history?.length) entry.history[r.id] = r.history;
      for (const f of NOTICED_FIELDS) delete r[f];
      await cursor.update(r);
    }
    for (const [type, entry] of noticed) await tx.objectStore("noticed").put(entry, type);
  },
];

let opening = null;

export function database(name = NAME) {
  opening ??= openDB(name, VERSION, {
    async upgrade(db, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < MIGRATIONS.length; v += 1) {
        const moving = MIGRATIONS[v](db, tx);   // a step that moves data awaits only its own requests
        if (moving) await moving;
      }
    },
    // Another tab opened a newer version: step aside so it can upgrade.
    blocking() { opening?.then((db) => db.close()); opening = null; },
  });
  return opening;
}

export async function getMeta(key, fallback = undefined) {
  const value = await (await database()).get("meta", key);
  return value === undefined ? fallback : value;
}

export async function setMeta(key, value) {
  await (await database()).put("meta", value, key);
}

// Keys are stored as their bytes (sealed while the lock is on; core/key-material.js) and
// come back as non-extractable CryptoKeys; an earlier version's CryptoKey comes back as it is.
export async function getKey(name) {
  return revive(await (await database()).get("keys", name));
}

export async function setKey(name, value) {
  await (await database()).put("keys", value, name);
}

// Records of one type in the order this device first saw them, tombstones included.
// Read as stored and opened in WebCrypto's batches: a whole history, faster than one by one.
export async function recordsOfType(type) {
  const index = unwrap((await database()).transaction("records").objectStore("records").index("byType"));
  const rows = await new Promise((resolve, reject) => {
    const request = getAllAsStored(index, IDBKeyRange.bound([type, 0], [type, Infinity]));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return vault.openMany("records", rows);
}

export async function record(type, id) {
  return (await database()).get("records", [type, id]);
}

export async function outboxCount() {
  return (await database()).count("outbox");
}

// Run `fn(tx)` in one readwrite transaction over `stores`. Only IndexedDB requests may be
// awaited inside: awaiting anything else (WebCrypto, the network) lets it auto-commit.
// If `fn` fails, what it wrote is undone.
export async function write(stores, fn) {
  const db = await database();
  const tx = db.transaction(stores, "readwrite");
  let result;
  try {
    result = await fn(tx);
  } catch (err) {
    tx.done.catch(() => {});   // err says what went wrong
    try { tx.abort(); } catch { /* aborted already */ }
    throw err;
  }
  await tx.done;
  return result;
}

// Many requests in one transaction without a promise apiece: a catch-up reads and writes
// thousands of records at once. getMany resolves with the values in the order of `keys`
// (undefined where there is none); putMany's writes succeed with the transaction or abort
// it (await it: while the lock is on it seals first).
// idb's wrapper hides the store's own requests; a store it never wrapped (the merge
// vectors' in-memory one) is taken to be a plain IDBObjectStore already.
const rawStore = (store) => unwrap(store) ?? store;

export function getMany(store, keys) {
  const raw = rawStore(store);
  return new Promise((resolve, reject) => {
    const values = new Array(keys.length);
    let left = keys.length;
    if (!left) resolve(values);
    keys.forEach((key, i) => {
      const request = raw.get(key);
      request.onsuccess = () => {
        values[i] = request.result;
        if (--left === 0) resolve(values);
      };
      request.onerror = () => reject(request.error);
    });
  });
}

export async function putMany(store, values, keys = null) {
  const raw = rawStore(store);
  if (values.length && raw.name !== "keys" && vault.seals(raw.name, keys?.[0])) return vault.putSealed(raw, values, keys);
  values.forEach((value, i) => (keys ? raw.put(value, keys[i]) : raw.put(value)));
}

/** The ids of the records of `type` this store holds, in one request (inside a transaction). */
export async function idsOfType(store, type) {
  return (await store.getAllKeys(IDBKeyRange.bound([type], [type, []]))).map(([, id]) => id);
}

// The next record position; called inside a transaction that includes "meta".
export async function nextRecordNumber(tx) {
  const meta = tx.objectStore("meta");
  const n = ((await meta.get("record_n")) || 0) + 1;
  await meta.put(n, "record_n");
  return n;
}

export async function forgetEverything(name = NAME) {
  const db = await opening;
  db?.close();
  opening = null;
  const { deleteDB } = await import("../../vendor/idb/index.js");
  await deleteDB(name);
}
