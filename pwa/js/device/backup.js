// Saving everything on this phone to an encrypted backup, and restoring one onto a phone
// with nothing of Hearth on it (docs/backup.md). What is gathered and written goes through
// the database's own functions (data/db.js, device/records.js, device/noticed.js), never
// raw object stores, so whatever those do to keep data (the app lock) holds here too.
// A restored phone is a new device: its own keys, a fresh chain, nothing of the old
// pairing; the old place's records stand as an ended pairing's would until it rejoins.
import * as b from "../core/backup.js";
import { b64u, unb64u } from "../core/encoding.js";
import * as rec from "../core/records.js";
import { isDeviceId } from "../core/succession.js";
import * as db from "../data/db.js";
import { mergeRecords } from "../sync/history.js";
import { announce } from "./changes.js";
import { identity, localIdentity, oneAtATime } from "./identity.js";
import { LOCAL_PREFERENCES, META_PREFERENCES } from "./move-out.js";
import * as noticed from "./noticed.js";
import * as records from "./records.js";

const TYPES = Object.keys(rec.TYPES);

function localValue(name) {
  try {
    return localStorage.getItem(name);
  } catch {
    return null;
  }
}

const checkinItems = (kept, me) => Object.entries(kept || {}).map(([week, l]) => ({ week,
  author: l.author || me?.device, key: l.key instanceof Uint8Array ? b64u(l.key) : l.key, answers: l.answers,
  released: Boolean(l.released) })).filter((x) => isDeviceId(x.author) && typeof x.key === "string");

/** Everything this phone holds, as a backup's payload (docs/backup.md, "The payload"). */
export async function gather() {
  const me = await identity();
  const [stored, notes, hlc, checkins, former, reminded, ...prefs] = await Promise.all([
    Promise.all(TYPES.map((t) => records.stored(t))), Promise.all(TYPES.map((t) => noticed.notesOn(t))),
    db.getMeta("hlc", [0, 0]), db.getMeta("checkins", {}), db.getMeta("former_checkins", {}), db.getMeta("reminded", {}),
    ...META_PREFERENCES.map((name) => db.getMeta(name, null))]);
  const all = stored.flat().sort((x, y) => x.n - y.n)
    .map((r) => ({ type: r.type, id: r.id, author: r.author, fields: r.fields, clocks: r.clocks }));
  return {
    hearth_backup: b.PAYLOAD_VERSION, made_at: Date.now(), made_by: "app",
    place: { device: me?.device || null, earlier: [...(me?.former || []), ...(me?.lineage || [])] },
    partner: { device: me?.peer?.device || null, earlier: [...(me?.formerPeers || []), ...(me?.peerLineage || [])] },
    hlc, records: all,
    checkins: [...checkinItems(former, me), ...checkinItems(checkins, me)],
    reminders: Object.entries(reminded || {}).map(([key, day]) => ({ key, day })),
    preferences: [...META_PREFERENCES.map((name, i) => ({ name, value: prefs[i] })),
      ...LOCAL_PREFERENCES.map((name) => ({ name, value: localValue(name) }))].filter((p) => p.value != null),
    noticed: TYPES.flatMap((type, i) => notedItems(type, notes[i])),
  };
}

function notedItems(type, { unseen = [], changedFrom = {}, history = {} }) {
  const ids = new Set([...unseen, ...Object.keys(changedFrom), ...Object.keys(history)]);
  return [...ids].map((id) => ({ type, id, ...(history[id] ? { history: history[id] } : {}),
    ...(changedFrom[id] ? { changedFrom: changedFrom[id] } : {}), ...(unseen.includes(id) ? { unseen: true } : {}) }));
}

/**
 * The backup file's bytes, encrypted under `passphrase`. `onStep(name)` hears "gathering",
 * "key" (the slow part), "sealing". Returns { data, count }.
 */
export async function makeBackup(passphrase, { onStep = () => {}, kdf = b.WRITE } = {}) {
  onStep("gathering");
  const payload = await gather();
  const { plaintext, compression } = await b.encodePayload(payload);
  onStep("key");
  const data = await b.sealBackup(passphrase, plaintext, { compression, kdf });
  onStep("sealing");
  return { data, count: payload.records.length };
}

/** Saved (downloaded or shared): kept so Settings can say when the last backup was. */
export const noteSaved = () => db.setMeta("backup_last", Date.now());
export const lastBackup = () => db.getMeta("backup_last", null);
export const reminderOn = async () => Boolean(await db.getMeta("backup_reminder", false));
export const setReminder = (on) => db.setMeta("backup_reminder", Boolean(on));

/**
 * Whether this phone holds anything of Hearth: a pairing (now or ended), or any record.
 * Every way a record is stored counts it in "record_n", so no record need be read.
 */
export async function holdsHearth() {
  const [me, n] = await Promise.all([identity(), db.getMeta("record_n", 0)]);
  return Boolean(me?.pair || me?.peer || me?.former?.length || n > 0);
}

/** The payload of a backup file, or a BackupError (kind and message) before anything changes. */
export async function readBackup(data, passphrase, { floor = b.FLOOR } = {}) {
  const { header, plaintext } = await b.openBackup(passphrase, data, floor);
  return b.decodePayload(plaintext, header.compression);
}

const ids = (place) => [...(place.earlier || []), place.device].filter(isDeviceId);
const union = (...lists) => [...new Set(lists.flat().filter(Boolean))];
const later = (x, y) => x[0] > y[0] || (x[0] === y[0] && x[1] > y[1]);
const isClock = (h) => Array.isArray(h) && h.length === 2 && h.every((n) => Number.isSafeInteger(n) && n >= 0);

/**
 * Put a decoded backup's `payload` onto this phone, which must hold nothing of Hearth yet,
 * in one transaction. Returns { count, skipped }. Records merge by type and id, so a
 * second restore changes nothing.
 */
export async function restore(payload) {
  return oneAtATime("hearth-restore", async () => {
    if (await holdsHearth()) throw new b.BackupError("not_empty");
    const me = await localIdentity();   // this phone's own new keys, never the old phone's
    const mine = ids(payload.place);
    const theirs = ids(payload.partner).filter((id) => !mine.includes(id));
    const counter = { n: 0, skipped: 0 };
    const result = await db.write([...records.APPLY_STORES, "meta"], async (tx) => {
      const meta = tx.objectStore("meta");
      const now = { ...((await meta.get("identity")) || me) };
      // As after an ended pairing (§11.2): shown as whose they were, sent to nobody, until a
      // replacement's signed notice makes the old place this phone's again (sync/history.js).
      now.former = union(now.former, mine.filter((id) => id !== now.device));
      now.formerPeers = union(now.formerPeers, theirs);
      now.restored = { from: isDeviceId(payload.place.device) ? payload.place.device : null,
        madeAt: Number.isSafeInteger(payload.made_at) ? payload.made_at : null, at: Date.now() };
      await meta.put(now, "identity");
      counter.n = (await meta.get("record_n")) || 0;
      let clock = (await meta.get("hlc")) || [0, 0];
      if (isClock(payload.hlc) && later(payload.hlc, clock)) clock = payload.hlc;
      const done = await mergeRecords(tx, payload.records, now, clock, counter, { learnEarlier: false });
      const count = payload.records.length - counter.skipped;
      const kept = (await meta.get("former_checkins")) || {};
      for (const x of payload.checkins) {
        if (!x || typeof x.week !== "string" || !isDeviceId(x.author) || typeof x.key !== "string") { counter.skipped += 1; continue; }
        try {
          kept[x.week] = { key: unb64u(x.key), answers: x.answers, released: Boolean(x.released), author: x.author, at: Date.now() };
        } catch { counter.skipped += 1; }
      }
      const reminded = (await meta.get("reminded")) || {};
      for (const r of payload.reminders) if (r && typeof r.key === "string" && typeof r.day === "string") reminded[r.key] = r.day;
      for (const p of payload.preferences) if (p && META_PREFERENCES.includes(p.name)) await meta.put(p.value, p.name);
      await Promise.all([meta.put(done.clock, "hlc"), meta.put(counter.n, "record_n"), meta.put(kept, "former_checkins"),
        meta.put(reminded, "reminded")]);
      const notes = payload.noticed.filter((x) => x && rec.TYPES[x.type] && rec.isRecordId(x.id))
        .map((x) => ({ type: x.type, id: x.id, history: Array.isArray(x.history) ? x.history : [],
          changedFrom: x.changedFrom && typeof x.changedFrom === "object" ? x.changedFrom : undefined,
          unseen: x.unseen === true ? true : undefined }));
      if (notes.length) await noticed.note(tx, notes);
      return { count, skipped: counter.skipped };
    });
    for (const p of payload.preferences) {
      if (p && LOCAL_PREFERENCES.includes(p.name) && typeof p.value === "string") {
        try { localStorage.setItem(p.name, p.value); } catch { /* private mode: just not remembered */ }
      }
    }
    announce("records", { mine: false });
    announce("pairing", { restored: true });
    return result;
  });
}
