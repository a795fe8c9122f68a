// Sealing at the one place every read and write of this page passes: IndexedDB itself.
// Installed once, before the database opens: put, add and a cursor's update seal the value
// they are given, and what get, getAll and a cursor's value return is opened (data/vault.js),
// so idb's wrapper, the sync steps' raw requests and every screen keep working as they are,
// and none needs to know the lock exists. Keys and indexes (type, id, n) stay clear.
// The keys store's CryptoKeys become their bytes first, lock or no lock (core/key-material.js),
// so the same values can be sealed when the lock comes on; data/db.js's getKey makes them
// CryptoKeys again.
// (idb 8 does not export its proxy traps, so the methods are wrapped where IDB defines them.)
import { describe } from "../core/key-material.js";
import * as vault from "./vault.js";

const storeOf = (source) => (source instanceof IDBIndex ? source.objectStore.name : source.name);

let rawGetAll = null;

/** An index's getAll as stored, unopened: for opening many at once (vault.openMany). */
export function getAllAsStored(index, range) {
  return (rawGetAll ?? index.getAll).call(index, range);
}

let rawPut = null;

/** Put a value already as it is to be stored (sealed by vault.sealMany), without sealing it again. */
export function putAsStored(store, value, ...key) {
  return (rawPut ?? store.put).call(store, value, ...key);
}

let installed = false;

export function installSealing() {
  if (installed || typeof IDBObjectStore === "undefined") return;
  installed = true;
  const store = IDBObjectStore.prototype;
  const asStored = (name, value, key) => vault.seal(name, name === "keys" ? describe(value) : value, key);
  rawPut = store.put;
  for (const method of ["put", "add"]) {
    const raw = store[method];
    store[method] = function (value, ...key) { return raw.call(this, asStored(this.name, value, key[0]), ...key); };
  }
  const update = IDBCursor.prototype.update;
  IDBCursor.prototype.update = function (value) {
    return update.call(this, asStored(storeOf(this.source), value, this.primaryKey));
  };

  // Which requests answer with values to open, and the opened answer once asked for.
  const toOpen = new WeakMap();   // request -> [store name, many]
  const opened = new WeakMap();   // request -> opened result
  rawGetAll = IDBIndex.prototype.getAll;
  for (const proto of [store, IDBIndex.prototype]) {
    for (const method of ["get", "getAll"]) {
      const raw = proto[method];
      proto[method] = function (...args) {
        // Refused here, where the caller's promise can reject: thrown later from the
        // request's result, inside IndexedDB's success handler, it would never settle.
        const name = storeOf(this);
        if (!vault.isOpen() && vault.seals(name, method === "get" ? args[0] : undefined)) throw new vault.LockedError();
        const request = raw.apply(this, args);
        toOpen.set(request, [name, method === "getAll"]);
        return request;
      };
    }
  }
  const result = Object.getOwnPropertyDescriptor(IDBRequest.prototype, "result").get;
  Object.defineProperty(IDBRequest.prototype, "result", { configurable: true, enumerable: true, get() {
    const value = result.call(this);
    const how = toOpen.get(this);
    if (!how || value === undefined) return value;
    if (!opened.has(this)) {
      const [name, many] = how;
      opened.set(this, many ? value.map((v) => vault.open(name, v)) : vault.open(name, value));
    }
    return opened.get(this);
  } });

  const cursorValue = Object.getOwnPropertyDescriptor(IDBCursorWithValue.prototype, "value").get;
  const openedValues = new WeakMap();   // stored value -> opened (a cursor may be asked twice)
  Object.defineProperty(IDBCursorWithValue.prototype, "value", { configurable: true, enumerable: true, get() {
    const value = cursorValue.call(this);
    if (!value || typeof value !== "object") return value;
    if (!openedValues.has(value)) openedValues.set(value, vault.open(storeOf(this.source), value));
    return openedValues.get(value);
  } });
}
