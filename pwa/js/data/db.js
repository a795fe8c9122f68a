// The device's own database in IndexedDB: keys, records, the outbox and sync state.
// History lives here, on the phone; the relay only ever holds ciphertext in transit.
import { openDB } from "../../vendor/idb/index.js";

const NAME = "hearth";
const VERSION = 2;

// Append only: each step moves the schema from version n-1 to n.
const MIGRATIONS = [
  (db) => {
    db.createObjectStore("meta");            // small values by name: device, pair, peer, seq state
    db.createObjectStore("keys");            // non-extractable CryptoKeys, stored as they are
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
];

let opening = null;

export function database(name = NAME) {
  opening ??= openDB(name, VERSION, {
    upgrade(db, oldVersion) {
      for (let v = oldVersion; v < MIGRATIONS.length; v += 1) MIGRATIONS[v](db);
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

export async function getKey(name) {
  return (await database()).get("keys", name);
}

export async function setKey(name, value) {
  await (await database()).put("keys", value, name);
}

// Records of one type in the order this device first saw them, tombstones included.
export async function recordsOfType(type) {
  const db = await database();
  return db.getAllFromIndex("records", "byType", IDBKeyRange.bound([type, 0], [type, Infinity]));
}

export async function record(type, id) {
  return (await database()).get("records", [type, id]);
}

export async function outboxCount() {
  return (await database()).count("outbox");
}

// Run `fn(tx)` in one readwrite transaction over `stores`. Only IndexedDB requests may be
// awaited inside: awaiting anything else (WebCrypto, the network) lets it auto-commit.
export async function write(stores, fn) {
  const db = await database();
  const tx = db.transaction(stores, "readwrite");
  const result = await fn(tx);
  await tx.done;
  return result;
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
