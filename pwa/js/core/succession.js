// A new phone in a lost one's place (docs/protocol.md §11.1, §11.3), the pure part: whose
// place a device stands in (its lineage), the succession notice's body, which records the
// phone that remains hands to the new one, and packing them into history envelopes that
// the new phone merges as if it had always held them. No DOM, no IndexedDB: node tests it.
import { REPLACED } from "./crypto.js";
import { utf8 } from "./encoding.js";
import { t } from "../i18n/index.js";
import { MAX_BODY } from "./envelope.js";
import { RecordError, TYPES, checkRecord, cleanFields, defaults, hlcMs, isRecordId, isShared, takenBack } from "./records.js";

const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
export const isDeviceId = (x) => typeof x === "string" && DEVICE_ID.test(x);
const isObject = (x) => Boolean(x) && typeof x === "object" && !Array.isArray(x);

// A lineage is short (one id per phone a person has had in this pair); a long one is not ours.
export const MAX_LINEAGE = 64;

/** The ids that stand in one place (§11.1): a device and the devices it succeeded. */
export const placeOf = (device, lineage = []) => new Set([device, ...(lineage || [])].filter(Boolean));

// ---------- the succession notice's envelope ----------

/**
 * The first envelope of a replacement's epoch (§11.3): `lineage` is the old device's own,
 * `peerLineage` the signer's (the phones the remaining one itself succeeded).
 */
export function successionBody({ old, sig, lineage = [], peerLineage = [] }) {
  return JSON.stringify({ succession: { old, reason: REPLACED, sig, lineage, peer_lineage: peerLineage } });
}

const isLineage = (x) => Array.isArray(x) && x.length <= MAX_LINEAGE && x.every(isDeviceId);

/**
 * { old, reason, sig, lineage, peerLineage } of a body that names a successor, or null if it
 * does not. `peerLineage` is null when an older sender left it out: the history's authors
 * tell it then (§11.3).
 */
export function readSuccession(body) {
  const s = isObject(body) ? body.succession : null;
  if (!isObject(s) || !isDeviceId(s.old) || !Number.isInteger(s.reason) || typeof s.sig !== "string") return null;
  const lineage = s.lineage ?? [];
  const peerLineage = s.peer_lineage ?? null;
  if (!isLineage(lineage) || (peerLineage !== null && !isLineage(peerLineage))) return null;
  return { old: s.old, reason: s.reason, sig: s.sig, lineage, peerLineage };
}

// ---------- the history the remaining phone hands over ----------

/**
 * The records the phone that remains sends the new one, in the order it holds them
 * (`records` sorted by its own `n`): everything of the partner's place, tombstones and
 * taken-back ones too, since the new phone carries on merging exactly as the old one did;
 * of its own, what was ever sent (a private draft stays private); the couple's record;
 * nothing from a pairing that ended (§11.2). `own` and `partner` are place id sets,
 * `earlier(author)` tells an ended pairing's author.
 */
export function handedOver(records, { own, partner, earlier = () => false }) {
  return records.filter((r) => {
    if (!TYPES[r.type]) return false;
    if (!TYPES[r.type].owned) return true;
    if (earlier(r.author)) return false;
    if (partner.has(r.author)) return true;
    return own.has(r.author) && isShared(r.type, r.fields);
  });
}

/** A record as history carries it: type, id, author, fields and each field's clock (§11.3). */
export const historyRecord = (r) => ({ type: r.type, id: r.id, author: r.author, fields: r.fields, clocks: r.clocks });

const byteLength = (text) => utf8(text).length;

/**
 * History envelopes' bodies, each as full as a body may be (§5.3), records in the order
 * given. `parts` is fixed before any is written, so room is kept for its digits. Always at
 * least one part, so the new phone hears that the history is complete even when it is
 * empty. A record too large for an envelope on its own is left out and counted.
 */
export function packHistory(records, maxBody = MAX_BODY) {
  const digits = "9".repeat(String(Math.max(1, records.length)).length);
  const overhead = byteLength(`{"history":{"part":${digits},"parts":${digits}},"records":[]}`);
  const groups = [[]];
  let size = overhead;
  let skipped = 0;
  for (const r of records) {
    const text = JSON.stringify(historyRecord(r));
    const bytes = byteLength(text);
    if (overhead + bytes > maxBody) {
      skipped += 1;
      continue;
    }
    let group = groups[groups.length - 1];
    if (group.length && size + 1 + bytes > maxBody) {
      group = [];
      groups.push(group);
      size = overhead;
    }
    size += (group.length ? 1 : 0) + bytes;
    group.push(text);
  }
  const parts = groups.length;
  const bodies = groups.map((g, i) => `{"history":{"part":${i + 1},"parts":${parts}},"records":[${g.join(",")}]}`);
  return { bodies, skipped };
}

/** { part, parts, records } of a history body, or null if the body is not one. */
export function readHistory(body) {
  const h = isObject(body) ? body.history : null;
  if (!isObject(h) || !Array.isArray(body.records)) return null;
  const { part, parts } = h;
  if (!Number.isSafeInteger(parts) || parts < 1 || !Number.isSafeInteger(part) || part < 1 || part > parts) return null;
  return { part, parts, records: body.records };
}

/**
 * One record of a history part, checked as the phone that receives it would check an
 * operation (§8): a known type, a record id, its author's device id, at least one field,
 * each fitting the type and carrying a clock. A whole record must also pass the type's own
 * checks (with its defaults, as hearth-client checks it), unless it is what a taken-back
 * record leaves (only `shared: false`). RecordError if not.
 */
export function checkHistoryRecord(r) {
  if (!isObject(r) || typeof r.type !== "string" || !Object.hasOwn(TYPES, r.type)) throw new RecordError("unknown record");
  const type = TYPES[r.type];
  if (!isRecordId(r.id) || ("id" in type.spec && r.id !== type.spec.id)) throw new RecordError("bad record id");
  if (!isDeviceId(r.author)) throw new RecordError("bad author");
  if (!isObject(r.clocks)) throw new RecordError("no clocks");
  const fields = cleanFields(r.type, r.fields);
  if (!Object.keys(fields).length) throw new RecordError("no fields");
  const clocks = {};
  for (const name of Object.keys(fields)) {
    if (hlcMs(r.clocks[name]) === null) throw new RecordError(`no clock for ${name}`);
    clocks[name] = r.clocks[name];
  }
  if (type.owned && !takenBack(r.type, fields)) checkRecord(r.type, { ...defaults(r.type), ...fields });
  return { type: r.type, id: r.id, author: r.author, fields, clocks };
}

/**
 * Merge a whole record into what this phone holds of it, field by field, the later clock
 * winning (§8), as if each write had arrived on its own. Mutates `held`; returns whether
 * anything changed. Safety fields need no caution here: these are settled values, not a
 * crossing edit.
 */
export function mergeWhole(held, incoming) {
  let changed = false;
  for (const [name, value] of Object.entries(incoming.fields)) {
    const clock = incoming.clocks[name];
    if ((held.clocks[name] || "") < clock) {
      held.fields[name] = value;
      held.clocks[name] = clock;
      changed = true;
    }
  }
  return changed;
}

/** The latest clock of a record's fields: the new phone's clock must move past it. */
export const latestOf = (clocks) => Object.values(clocks).reduce((a, b) => (b > a ? b : a), "");

/**
 * The hand-over in a sentence, on either phone: `h` is { sending, done, parts, complete }
 * (device/succession.js handOver()).
 */
export function handOverLine(h) {
  if (h.sending) {
    return h.complete ? t("hand_over.sent") : t("hand_over.sending", { done: h.done, parts: h.parts });
  }
  if (h.complete) return t("hand_over.arrived");
  return h.parts ? t("hand_over.receiving", { done: h.done, parts: h.parts }) : t("hand_over.waiting");
}
