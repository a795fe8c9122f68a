// Just enough of an IndexedDB transaction for the sync steps that apply records
// (device/records.js applyOps): "records", keyed [type, id], and the phone's own "noticed"
// notes, which they read and write in bulk through the stores' own requests, so these
// answer as a plain IDBObjectStore does: a request whose onsuccess fires later; and "meta",
// which they use through idb's wrapper, so it answers with promises.
import assert from "node:assert/strict";

export function request(result) {
  const req = { result };
  queueMicrotask(() => req.onsuccess?.());
  return req;
}

// A store keyed as the app keys it (`keyOf`), answering get and put with requests.
function memoryStore(name, map, keyOf) {
  return {
    name,
    get: (key) => request(structuredClone(map.get(keyOf(key)))),
    put: (value, key) => {
      map.set(keyOf(key ?? value), structuredClone(value));
      return request(undefined);
    },
  };
}

export function memoryTx(records, meta = new Map()) {
  const recordKey = (k) => (Array.isArray(k) ? `${k[0]}\u0000${k[1]}` : `${k.type}\u0000${k.id}`);
  const store = memoryStore("records", records, recordKey);
  store.getAllKeys = async (range) => [...records.values()].filter((r) => r.type === range.lower[0]).map((r) => [r.type, r.id]);
  const stores = {
    records: store,
    noticed: memoryStore("noticed", new Map(), (k) => k),
    meta: { get: async (k) => structuredClone(meta.get(k)), put: async (v, k) => { meta.set(k, structuredClone(v)); } },
  };
  return { objectStore: (name) => stores[name] ?? assert.fail(`opened ${name}`), done: Promise.resolve(), meta };
}
