// A new phone taking a lost one's place (docs/protocol.md §11.3), as its envelopes arrive:
// the succession notice, whose signature is checked before anything of it counts, then the
// shared history, merged record by record as if this phone had always held it. Ordinary
// operations in between go to applyOps as always. Runs inside the inbox's transaction, so
// each batch of envelopes lands whole or not at all.
import * as c from "../core/crypto.js";
import { unb64u } from "../core/encoding.js";
import * as rec from "../core/records.js";
import { checkHistoryRecord, latestOf, mergeWhole, readHistory, readSuccession } from "../core/succession.js";
import * as db from "../data/db.js";
import { ownIds, peerIds } from "../device/identity.js";
import { applyOps, keepOnCommit, storedFor } from "../device/records.js";

// Set on a notice's body by checkNotices, here, after its signature was checked: whatever
// the envelope said under this name is overwritten first.
const CHECKED = "checked_on_this_phone";

const isObject = (x) => Boolean(x) && typeof x === "object" && !Array.isArray(x);
const kindOf = (body) => (!isObject(body) ? "ops" : "succession" in body ? "succession" : "history" in body ? "history" : "ops");

/**
 * Before the transaction (WebCrypto cannot run inside one): does each succession notice
 * among `opened` hold? Only a notice naming this phone, in this pair and epoch, with its
 * keys, in place of the phone it was told it replaces, signed by the partner's phone,
 * counts (§11.3, §11.5). `keys` are this phone's DeviceKeys.
 */
export async function checkNotices(opened, me, keys) {
  for (const item of opened) {
    if (kindOf(item?.body) !== "succession") continue;
    item.body[CHECKED] = false;
    const notice = readSuccession(item.body);
    if (!notice || notice.reason !== c.REPLACED || !me.replaces || notice.old !== me.replaces || !me.peer) continue;
    try {
      const message = c.successionMessage(me.pair, me.epoch, c.REPLACED, notice.old, me.device, keys.sigPub, keys.dhPub);
      item.body[CHECKED] = await c.verify(unb64u(me.peer.sig_pub), unb64u(notice.sig), message);
    } catch {
      // a signature that is not b64u is not a signature
    }
  }
}

/** Whether checkNotices has anything to check in this batch. */
export const hasNotice = (opened) => opened.some((item) => kindOf(item?.body) === "succession");

/** The record types these bodies touch, or null when one of them may touch any (a notice,
 * or a body of another shape), so a screen redraws only for what it shows. */
export function typesIn(bodies) {
  const types = new Set();
  for (const body of bodies) {
    const items = isObject(body) && (Array.isArray(body.ops) ? body.ops : Array.isArray(body.records) ? body.records : null);
    if (!items) return null;
    for (const item of items) types.add(item?.type);
  }
  return [...types];
}

/**
 * Apply the bodies my partner sent, in order, inside `tx` (over APPLY_STORES and "meta"):
 * runs of operations through applyOps, a checked notice by taking the old phone's place,
 * runs of history parts by merging them. Returns the clock after.
 */
export async function applyBodies(tx, bodies, me, clockValue, counter) {
  let clock = clockValue;
  let run = [];
  let kind = null;
  const finish = async () => {
    if (!run.length) return;
    if (kind === "ops") clock = await applyOps(tx, run, me.peer.device, clock, counter, peerIds(me));
    else if (kind === "history") ({ clock, me } = await mergeHistory(tx, run, me, clock, counter));
    else for (const body of run) me = await takePlace(tx, body, me, counter);
    run = [];
  };
  for (const body of bodies) {
    const next = kindOf(body);
    if (next !== kind) await finish();
    kind = next;
    run.push(body);
  }
  await finish();
  return clock;
}

// A notice that holds: from now on the old phone's records, and its lineage's, are mine, and
// those of the phones my partner's succeeded are theirs to change. One that does not
// changes nothing and is counted as an update that did not fit.
async function takePlace(tx, body, me, counter) {
  const notice = readSuccession(body);
  if (body[CHECKED] !== true || !notice) {
    counter.skipped = (counter.skipped || 0) + 1;
    return me;
  }
  const meta = tx.objectStore("meta");
  const now = (await meta.get("identity")) || me;
  const theirs = peerIds(now);
  const taken = [...notice.lineage, notice.old].filter((id) => id !== now.device && !theirs.has(id));
  const lineage = [...new Set([...(now.lineage || []), ...taken])];
  const known = (notice.peerLineage || []).filter((id) => id !== now.device && !lineage.includes(id));
  const peerLineage = [...new Set([...(now.peerLineage || []), ...known])];
  const { replaces, ...rest } = now;
  const after = { ...rest, lineage, peerLineage, succeeded: { old: replaces, at: Date.now() } };
  // A phone restored from a backup held the old place as an ended pairing's (device/backup.js):
  // the notice makes it this pair's again, mine and my partner's, to change and to send.
  const partner = new Set([now.peer?.device, ...peerLineage]);
  if (now.former) after.former = now.former.filter((id) => !lineage.includes(id));
  if (now.formerPeers) after.formerPeers = now.formerPeers.filter((id) => !partner.has(id));
  await meta.put(after, "identity");
  if (!(await meta.get("history_in"))) await meta.put({ part: 0, parts: null }, "history_in");
  return after;
}

// History parts: every record checked, then merged whole into what this phone holds (the
// author as given), read and written in bulk, as a catch-up is. Nothing is "new to me":
// these are things this phone is taken to have always had. An author that is neither of
// my place nor my partner's phone is one of my partner's earlier phones: the partner
// vouches for it as for everything here, and may go on changing what it wrote (as
// hearth-client does; the notice names only the lost phone's lineage, §11.3).
async function mergeHistory(tx, bodies, me, clockValue, counter) {
  const meta = tx.objectStore("meta");
  const incoming = [];
  let progress = null;
  for (const body of bodies) {
    const part = readHistory(body);
    if (!part) {
      counter.skipped = (counter.skipped || 0) + 1;
      continue;
    }
    for (const r of part.records) incoming.push(r);
    progress = { part: part.part, parts: part.parts };
  }
  const done = await mergeRecords(tx, incoming, me, clockValue, counter);
  if (progress) {
    const before = (await meta.get("history_in")) || {};
    await meta.put({ ...before, part: Math.max(before.part || 0, progress.part), parts: progress.parts }, "history_in");
  }
  return done;
}

/**
 * Whole records, as history (§11.3) or a move stream (§11.4) carries them, each checked and
 * merged into what this phone holds, in bulk, inside `tx` (over APPLY_STORES and "meta").
 * With `learnEarlier`, an owned record's author outside both places is taken as one of my
 * partner's earlier phones (a history's word); a move names every place itself. Returns
 * { clock, me } after.
 */
export async function mergeRecords(tx, records, me, clockValue, counter, { learnEarlier = true } = {}) {
  const store = tx.objectStore("records");
  const meta = tx.objectStore("meta");
  const hlc = new rec.Clock(null, ...clockValue);
  const incoming = [];
  for (const r of records) {
    try {
      incoming.push(checkHistoryRecord(r));
    } catch {
      counter.skipped = (counter.skipped || 0) + 1;
    }
  }
  const found = await storedFor(store, incoming.map((r) => [r.type, r.id]));
  const mine = ownIds(me);
  const theirs = peerIds(me);
  const earlier = new Set();
  const changed = new Map();
  incoming.forEach((r, i) => {
    const key = `${r.type}\u0000${r.id}`;
    let held = changed.get(key) || (found[i] && structuredClone(found[i]));
    if (!held) {
      const clocks = Object.values(r.clocks).sort();
      held = { type: r.type, id: r.id, author: r.author, fields: {}, clocks: {}, n: (counter.n += 1),
               at: rec.hlcMs(clocks[0]) ?? Date.now() };
    }
    if (mergeWhole(held, r)) {
      if (!mine.has(held.author) && rec.takenBack(held.type, held.fields)) {
        Object.assign(held, { fields: { shared: false }, clocks: { shared: held.clocks.shared } });
      }
      held.updatedAt = rec.hlcMs(latestOf(held.clocks)) ?? Date.now();
      changed.set(key, held);
    }
    if (learnEarlier && rec.TYPES[held.type].owned && !mine.has(held.author) && !theirs.has(held.author)) earlier.add(held.author);
    hlc.observe(latestOf(r.clocks));
  });
  let after = me;
  if (earlier.size) {
    const now = (await meta.get("identity")) || me;
    after = { ...now, peerLineage: [...new Set([...(now.peerLineage || []), ...earlier])] };
    await meta.put(after, "identity");
  }
  const writes = [...changed.values()];
  await db.putMany(store, writes);
  keepOnCommit(tx, writes);
  return { clock: [hlc.lastMs, hlc.counter], me: after };
}
