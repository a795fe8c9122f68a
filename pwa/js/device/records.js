// The records this phone holds, and the one way to change them: my own changes through
// put(), my partner's through applyOps() as the inbox takes their envelopes in. Views read
// through list(), which draws from an index kept in memory and current with every change,
// so a redraw never rereads a whole history from IndexedDB. The same steps as
// server/hearth/client/device.py's records part; the rules themselves are core/records.js.
import * as rec from "../core/records.js";
import * as db from "../data/db.js";
import { queue } from "../sync/outbox.js";
import { announce, changes } from "./changes.js";
import { fromEarlierPairing, identity, localIdentity, ownIds } from "./identity.js";
import * as noticed from "./noticed.js";

export { changes };

/** The stores a transaction that applies my partner's changes must span (applyOps). */
export const APPLY_STORES = ["records", noticed.STORE];

// ---------- the index ----------

// type -> { records: Map(id -> stored record) once read, in the order this phone first saw
// them; pending: changes committed while they were being read; items: each record as
// list() shows it (null: not shown), and view: list()'s whole answer, both until the record
// (or any record) changes; viewFor: the device they were made for }
const index = new Map();

function entryFor(type) {
  let entry = index.get(type);
  if (!entry) {
    entry = { records: null, reading: null, pending: [], items: new Map(), view: null, viewFor: undefined };
    index.set(type, entry);
  }
  return entry;
}

async function held(type) {
  const entry = entryFor(type);
  if (!entry.records) {
    entry.reading ??= db.recordsOfType(type).then((rows) => {
      entry.records = new Map(rows.map((r) => [r.id, r]));
      for (const r of entry.pending.splice(0)) entry.records.set(r.id, r);
    });
    await entry.reading;
  }
  return entry;
}

// Once a transaction that wrote `records` commits, the index holds them too. Registered
// before the writer's own wait for the commit, so it runs before anyone is told.
export function keepOnCommit(tx, records) {
  tx.done.then(() => {
    for (const r of records) {
      const entry = index.get(r.type);
      if (!entry) continue;   // never read here: nothing to keep current
      entry.view = null;
      entry.items.delete(r.id);
      if (entry.records) entry.records.set(r.id, r);
      else entry.pending.push(r);
    }
  }, () => {});
}

// Another tab changed something: read it again when next asked.
const forget = (type) => (type ? index.delete(type) : index.clear());
changes.addEventListener("records", (e) => { if (e.detail.elsewhere) forget(e.detail.type); });
changes.addEventListener("pairing", (e) => { if (e.detail.elsewhere) forget(); });

// The hlc of a record's last change, by its writer's clock: it orders changes that
// arrived together, in one batch, the way they were made.
const latestClock = (clocks) => Object.values(clocks || {}).reduce((a, b) => (b > a ? b : a), "");

// What a taken-back record leaves behind (§8.11): the flag alone. A new phone can be handed
// one of its own place's (§11.3), whose words stayed on the lost phone.
const onlyTheFlag = (r) => rec.TYPES[r.type].required.some((k) => r.fields[k] === undefined);

// One record as the views show it: its fields, plus who, when, whether mine (written by
// this phone under any id it has had, or by a phone whose place it took) and whether from a
// pairing that ended; null when there is nothing to show (deleted, or taken back).
function shown(r, me, own) {
  const mine = own.has(r.author);
  if (r.fields.deleted || (rec.takenBack(r.type, r.fields) && (!mine || onlyTheFlag(r)))) return null;
  return Object.freeze({ ...r.fields, type: r.type, id: r.id, author: r.author, mine,
    earlier: fromEarlierPairing(me, r.author), at: r.at, updatedAt: r.updatedAt, clock: latestClock(r.clocks) });
}

/** Records of `type` as the views show them, oldest first (the same array until one changes). */
export async function list(type) {
  const [me, entry] = await Promise.all([identity(), held(type)]);
  // Whose records are mine changes with the device and with a place taken (§11.1).
  const viewFor = [me?.device, ...(me?.lineage || []), "|", ...(me?.peerLineage || [])].join(" ");
  if (entry.viewFor !== viewFor) {
    entry.items.clear();
    entry.view = null;
    entry.viewFor = viewFor;
  }
  if (!entry.view) {
    const view = [];
    const own = ownIds(me);
    for (const r of entry.records.values()) {
      let item = entry.items.get(r.id);
      if (item === undefined) {
        item = shown(r, me, own);
        entry.items.set(r.id, item);
      }
      if (item) view.push(item);
    }
    entry.view = Object.freeze(view);
  }
  return entry.view;
}

/** Stored records of `type` (tombstones too), as this phone keeps them. */
export async function stored(type) {
  return [...(await held(type)).records.values()];
}

export const record = (type, id) => db.record(type, id);

// ---------- my own changes ----------

// Validate, merge and store a change of my own; queue it for my partner if it is shared.
// Returns the record id. Throws RecordError (a message fit for the user) and changes nothing.
// The refusals a person can meet carry a key, to be said in the phone's language
// (i18n/record-words.js); a check-in put here or an id that names nothing is a programmer's
// mistake, and stays English.
export async function put(type, fields, id = null) {
  const me = await localIdentity();
  if (type === "checkin") throw new rec.RecordError("a check-in is sealed: answer it through device/checkins.js");
  if (!rec.recordType(type).owned) return putTogether(type, fields, id, me);
  const rid = id || rec.newId();
  const existing = id ? await record(type, id) : null;
  if (id && !existing) throw new rec.RecordError(`there is no ${type} record with id ${id}`);
  if (existing && !ownIds(me).has(existing.author)) return askForCaution(type, rid, fields, existing, me);
  refuseTheirs(type, fields);
  return write(type, rid, rec.validate(type, fields, existing?.fields || null), existing, me);
}

// An answer in my own record is my partner's to give (§8.3, §8.13): writing it would be
// ignored on their phone, so it is refused here, in hearth-client's words, before anything changes.
// No screen offers it (the answer is given in the partner's record, device/experiments.js), so
// it is a programmer's mistake and stays English.
function refuseTheirs(type, fields) {
  const theirs = Object.keys(fields || {}).filter((k) => rec.PARTNER_FIELDS[type]?.has(k)).sort();
  if (theirs.length) {
    throw new rec.RecordError(`'${theirs[0]}' is your partner's to give, not yours; `
      + `to stop, set 'status' to '${type === "agreement" ? "ended" : "stopped"}'`);
  }
}

// A record the two of you share (§8.10): either of you may change it, and the later change wins.
async function putTogether(type, fields, id, me) {
  if (id && id !== rec.COUPLE_ID) throw new rec.RecordError(`the ${type} record's id is always ${rec.COUPLE_ID}`);
  const existing = await record(type, rec.COUPLE_ID);
  return write(type, rec.COUPLE_ID, rec.validate(type, fields, existing?.fields || null), existing, me);
}

// My partner's boundary: I may only ask for more care with a safety field (§8.9).
async function askForCaution(type, rid, fields, existing, me) {
  const safety = rec.SAFETY_FIELDS[type] || {};
  const names = Object.keys(fields);
  if (!names.length || names.some((n) => !Object.hasOwn(safety, n))) {
    throw new rec.RecordError("that belongs to your partner; only they can change it", { key: "partners_record" });
  }
  const clean = rec.validate(type, fields, existing.fields);
  for (const [name, value] of Object.entries(clean)) {
    if (!rec.moreCautious(type, name, value, existing.fields[name])) {
      throw new rec.RecordError("you can ask for more care here, but not for less", { key: "more_care_only" });
    }
  }
  return write(type, rid, clean, existing, me);
}

// Merge my own clean change into a record, keep it, and queue it for my partner if shared.
export async function write(type, rid, clean, existing, me) {
  const [ms, counter] = await db.getMeta("hlc", [0, 0]);
  const hlcClock = new rec.Clock(me.device, ms, counter);
  const hlc = hlcClock.tick();
  await db.write(["records", noticed.STORE, "outbox", "meta"], async (tx) => {
    const now = existing ? structuredClone(existing) : {
      type, id: rid, author: me.device, fields: {}, clocks: {}, n: await db.nextRecordNumber(tx), at: Date.now(),
    };
    const wasShared = Boolean(existing) && rec.isShared(type, existing.fields);
    // The clocks of the safety values I am replacing: I have seen them (§8.9).
    const base = Object.fromEntries(Object.keys(rec.SAFETY_FIELDS[type] || {})
      .filter((k) => k in clean && k in now.clocks).map((k) => [k, now.clocks[k]]));
    const before = { ...now.fields };
    rec.mergeSafely(type, now.fields, now.clocks, clean, hlc, base, ownIds(me).has(now.author) || !rec.TYPES[type].owned);
    now.updatedAt = Date.now();
    await tx.objectStore("records").put(now);
    keepOnCommit(tx, [now]);
    const history = historyOf(now, before, me.device);
    if (history.length) await noticed.note(tx, [{ type, id: rid, history }]);
    await tx.objectStore("meta").put([hlcClock.lastMs, hlcClock.counter], "hlc");
    // Once a pairing has ended nothing is sent for it, and what it held is never sent to a
    // later partner (§11.2): such changes stay on this phone.
    // (The couple's one shared record is not one pairing's: the next couple's settings go on in it.)
    const sendable = !(await tx.objectStore("meta").get("ended"))
      && !(rec.TYPES[type].owned && fromEarlierPairing(me, now.author));
    if (sendable && rec.isShared(type, now.fields)) {
      // A draft shared for the first time sends everything the partner has not seen.
      const op = { type, id: rid, hlc, fields: wasShared ? clean : now.fields };
      if (Object.keys(base).length) op.base = base;
      await queue(tx, op);
    } else if (sendable && wasShared) {
      // Taken back (§8.11): the partner's phone forgets everything but this.
      await queue(tx, { type, id: rid, hlc, fields: { shared: false } });
    }
  });
  announce("records", { type, id: rid, mine: true });
  return rid;
}

// The couple's settings with their defaults, and who last chose each: "me", "partner" or null.
const COUPLE_DEFAULTS = { checkin_day: "sunday" };

export async function coupleSettings() {
  const [me, found, older] = await Promise.all([identity(), record("couple", rec.COUPLE_ID),
    db.getMeta("checkin_day", null)]);
  // Earlier versions kept the day on this phone alone (0 = Sunday): it stands until you choose again.
  const kept = Number.isInteger(older) && !found ? { checkin_day: rec.weekdayName(older) } : {};
  const settings = { ...COUPLE_DEFAULTS, ...kept, ...(found?.fields || {}), chosenBy: {} };
  const own = [...ownIds(me)];
  for (const [name, hlc] of Object.entries(found?.clocks || {})) {
    settings.chosenBy[name] = own.some((id) => hlc.endsWith(`.${id}`)) ? "me" : "partner";
  }
  return settings;
}

// A phone that registered with the relay and then joined a partner's code instead starts
// over with new keys; what it wrote before keeps belonging to it under the new id.
export async function reauthor(oldId, newId) {
  if (!oldId || oldId === newId) return;
  await db.write(["records"], async (tx) => {
    let cursor = await tx.objectStore("records").openCursor();
    while (cursor) {
      if (cursor.value.author === oldId) await cursor.update({ ...cursor.value, author: newId });
      cursor = await cursor.continue();
    }
  });
  forget();
}

// ---------- what this phone notices (device/noticed.js keeps it, apart from the records) ----------

// A gentle history of how a boundary changed: what, from, to, when, by whom.
const HISTORY_FIELDS = ["level", "label", "note", "deleted"];

function historyOf(record, before, by) {
  if (record.type !== "boundary" || !Object.keys(before).length) return [];
  const at = Date.now();
  return HISTORY_FIELDS.filter((f) => before[f] !== record.fields[f])
    .map((field) => ({ at, by, field, from: before[field] ?? null, to: record.fields[field] ?? null }));
}

/** The ids of records of `type` my partner changed since they were last looked at (not deleted). */
export async function unseen(type) {
  const [notes, entry] = await Promise.all([noticed.notesOn(type), held(type)]);
  return new Set(notes.unseen.filter((id) => entry.records.has(id) && !entry.records.get(id).fields.deleted));
}

/** What this phone noted of records of `type`: { changedFrom, history } by id. */
export async function notes(type) {
  const { changedFrom, history } = await noticed.notesOn(type);
  const ids = new Set([...Object.keys(changedFrom), ...Object.keys(history)]);
  return new Map([...ids].map((id) => [id, { changedFrom: changedFrom[id], history: history[id] || [] }]));
}

/** Looked at: nothing of `type` is new any more. */
export const markSeen = (type) => noticed.markSeen(type);

// ---------- my partner's changes ----------

// Merge the operations of `bodies`, in order, into the records they name, inside the
// inbox's transaction (over APPLY_STORES). Reads every record first and writes each
// changed one once; returns the clock after observing them. `place` is the sender's
// place (§11.1): its id and the devices it succeeded, whose records it may change.
export async function applyOps(tx, bodies, sender, clockValue, counter, place = new Set([sender])) {
  const store = tx.objectStore("records");
  const hlcClock = new rec.Clock(null, ...clockValue);
  const ops = bodies.flatMap(rec.opsIn).filter((op) => rec.opFits(op, counter));   // a misfit is counted, skipped
  const keys = [...new Set(ops.map((op) => `${op.type}\u0000${op.id}`))];
  const found = await storedFor(store, keys.map((k) => k.split("\u0000")));
  const records = new Map(keys.map((k, i) => [k, found[i]]));
  const changed = new Set();
  const notes = [];
  for (const op of ops) {
    const k = `${op.type}\u0000${op.id}`;
    const existing = records.get(k);
    const owned = rec.TYPES[op.type].owned;
    if (!owned && op.id !== rec.COUPLE_ID) continue;
    const byOwner = !existing || place.has(existing.author) || !owned;
    let clean;
    try {
      // Only the author may change a record; the partner may only ask for more care (§8.9).
      if (!byOwner && !rec.SAFETY_FIELDS[op.type]) continue;
      clean = rec.validate(op.type, op.fields, existing?.fields || null);
    } catch {
      counter.skipped = (counter.skipped || 0) + 1;
      continue;  // a malformed op: skip it, keep the rest
    }
    const base = op.base && typeof op.base === "object" ? op.base : {};
    const now = existing || { type: op.type, id: op.id, author: sender, fields: {}, clocks: {}, n: (counter.n += 1), at: Date.now() };
    const before = { ...now.fields };
    if (rec.mergeSafely(op.type, now.fields, now.clocks, clean, op.hlc, base, byOwner)) {
      now.updatedAt = Date.now();
      const takenBack = rec.takenBack(op.type, now.fields);
      if (takenBack) Object.assign(now, { fields: { shared: false }, clocks: { shared: now.clocks.shared } });
      notes.push({ type: op.type, id: op.id, history: historyOf(now, before, sender),
        changedFrom: op.type === "boundary" && existing ? before : undefined,   // for the gentle notice
        unseen: !takenBack });   // nothing to show, so nothing new
      records.set(k, now);
      changed.add(k);
    }
    hlcClock.observe(op.hlc);
  }
  const writes = [...changed].map((k) => records.get(k));
  // The notes' read is asked for before the records' writes, not queued behind them, so
  // with the lock on both batches are sealed at once rather than one after the other.
  const noting = notes.length ? noticed.note(tx, notes) : null;
  await Promise.all([db.putMany(store, writes), noting]);
  keepOnCommit(tx, writes);
  return [hlcClock.lastMs, hlcClock.counter];
}

// The stored records for `keys` ([type, id]), undefined where there is none. A type with
// many in one batch is first asked which ids it holds, so new records (most of a
// catch-up) cost no request each.
const MANY = 64;

export async function storedFor(store, keys) {
  const byType = new Map();
  for (const [type, id] of keys) {
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type).push(id);
  }
  const holds = new Map();
  await Promise.all([...byType].filter(([, ids]) => ids.length >= MANY)
    .map(async ([type]) => holds.set(type, new Set(await db.idsOfType(store, type)))));
  const asked = keys.filter(([type, id]) => !holds.has(type) || holds.get(type).has(id));
  const values = await db.getMany(store, asked);
  const found = new Map(asked.map(([type, id], i) => [`${type}\u0000${id}`, values[i]]));
  return keys.map(([type, id]) => found.get(`${type}\u0000${id}`));
}
