// What this phone notices about records, kept apart from them and never sent: which of my
// partner's changes I have not looked at yet ("unseen"), what a partner's boundary was
// before it changed ("changedFrom", for the gentle notice), and each boundary's history.
// One entry per record type in the "noticed" store (data/db.js).
import * as db from "../data/db.js";

export const STORE = "noticed";
const HISTORY_LIMIT = 50;

const blank = () => ({ unseen: [], changedFrom: {}, history: {} });

/** This phone's notes on records of `type`: { unseen: [id], changedFrom: { id: fields }, history: { id: [change] } }. */
export async function notesOn(type) {
  return (await (await db.database()).get(STORE, type)) || blank();
}

/**
 * Inside a transaction over STORE, note changes to records: each of `notes` is
 * { type, id, history: [change], changedFrom, unseen } where history entries are added,
 * changedFrom is kept unless one is already noted, and unseen true or false marks the
 * record new to me or not (left alone when undefined).
 */
export async function note(tx, notes) {
  const store = tx.objectStore(STORE);
  const byType = new Map();
  for (const n of notes) {
    if (!byType.has(n.type)) byType.set(n.type, []);
    byType.get(n.type).push(n);
  }
  const types = [...byType.keys()];
  const entries = await db.getMany(store, types);
  // Written together: with the lock on, putMany seals them with WebCrypto rather than one
  // by one on the page's thread (an entry lists up to every record of its type).
  await db.putMany(store, types.map((type, i) => {
    const entry = entries[i] || blank();
    const some = byType.get(type);
    const unseen = new Set(entry.unseen);
    for (const n of some) {
      if (n.history?.length) entry.history[n.id] = [...(entry.history[n.id] || []), ...n.history].slice(-HISTORY_LIMIT);
      if (n.changedFrom && !entry.changedFrom[n.id]) entry.changedFrom[n.id] = n.changedFrom;
      if (n.unseen === true) unseen.add(n.id);
      else if (n.unseen === false) unseen.delete(n.id);
    }
    entry.unseen = [...unseen];
    return entry;
  }), types);
}

/** Looked at: nothing of `type` is new any more, and its "changed from" notes go. */
export async function markSeen(type) {
  await db.write([STORE], async (tx) => {
    const store = tx.objectStore(STORE);
    const entry = await store.get(type);
    if (!entry || (!entry.unseen.length && !Object.keys(entry.changedFrom).length)) return;
    await store.put({ ...entry, unseen: [], changedFrom: {} }, type);
  });
}
