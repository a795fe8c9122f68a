// Receiving everything from my other phone (docs/protocol.md §11.4), on the new phone:
// held by the relay as the old phone's mover, this phone takes the move stream in, part by
// part, each applied whole in one transaction (records in bulk, as a catch-up is; the
// lineages, clock, check-ins, what my partner has not yet confirmed, reminders and
// preferences), and confirms it with receipts under the move key. When the old phone
// retires, this phone logs in as a device of the pair and takes its place under a root
// the old phone cannot compute. sync/move-stream.js runs the connection.
import * as c from "../core/crypto.js";
import { b64u, fromHex, toHex, unb64u } from "../core/encoding.js";
import { ZERO_HASH } from "../core/envelope.js";
import { readMove, readState } from "../core/moving.js";
import { missingRanges, sealReceipt } from "../core/receipt.js";
import * as rec from "../core/records.js";
import * as db from "../data/db.js";
import { checkedPeer, samePeer } from "../pairing/common.js";
import { mergeRecords } from "../sync/history.js";
import { announce } from "./changes.js";
import { deviceKeys, identity } from "./identity.js";
import { LOCAL_PREFERENCES, META_PREFERENCES } from "./move-out.js";
import { moveIn } from "./move-state.js";
import * as noticed from "./noticed.js";
import { APPLY_STORES } from "./records.js";
import { CHAIN_STATE, movedKeys } from "./succession.js";

// Asked for here by the modules that make a move; it lives apart, for those that only ask.
export { moveIn };

/**
 * My other phone confirmed: this phone is its mover (§11.4), not yet in the pair. `pending`
 * is the joiner's pending join ({ origin, device, pair, epoch, peer: the old phone, th2 }).
 */
export async function startMoveIn(pending) {
  const keys = await deviceKeys();
  const raw = await c.moveKey(keys.dh, unb64u(pending.peer.dh_pub), pending.th2, pending.pair);
  const key = await c.importAeadKey(raw);
  raw.fill(0);
  await db.write(["meta", "keys"], async (tx) => {
    const meta = tx.objectStore("meta");
    const me = (await meta.get("identity")) || {};
    await meta.put({ ...me, relay: pending.origin, device: pending.device, pair: pending.pair, epoch: pending.epoch }, "identity");
    await meta.put({ invite: pending.invite, from: pending.peer, epoch: pending.epoch, next: 1, last: toHex(ZERO_HASH), part: 0, parts: null,
                     partner: null, at: Date.now() }, "moving_in");
    await meta.delete("move_stopped");
    await tx.objectStore("keys").put(key, "move");
    await tx.objectStore("keys").delete("pending_join");
  });
  announce("move", { started: true });
}

const later = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
const union = (...lists) => [...new Set(lists.flat().filter(Boolean))];

// The first part's state: the old phone's place becomes mine (its lineage, then itself),
// my partner's lineage and the pairings that ended are as the old phone knew them.
function takeState(me, state, old) {
  return { ...me, lineage: union(me.lineage || [], state.lineage, [old]).filter((id) => id !== me.device),
    peerLineage: union(me.peerLineage || [], state.peer_lineage), former: union(me.former || [], state.former),
    formerPeers: union(me.formerPeers || [], state.former_peers) };
}

function keepPreference(meta, { name, value }) {
  if (META_PREFERENCES.includes(name)) return meta.put(value, name);
  if (LOCAL_PREFERENCES.includes(name) && typeof value === "string") {
    try { localStorage.setItem(name, value); } catch { /* private mode: just not remembered */ }
  }
  return null;
}

const noted = (x) => rec.TYPES[x.type] && rec.isRecordId(x.id) ? [{ type: x.type, id: x.id,
  history: Array.isArray(x.history) ? x.history : [], changedFrom: x.changedFrom && typeof x.changedFrom === "object" ? x.changedFrom : undefined,
  unseen: x.unseen === true ? true : undefined }] : [];

/**
 * Apply parts of the stream, `items` ([{ seq, prev, hash, body }], each linked to the one
 * before, in order), in one transaction, and move the chain on past them, link by link as
 * it stands in the database. Returns the move after.
 */
export async function takeParts(items) {
  const after = await db.write([...APPLY_STORES, "meta", "outbox"], async (tx) => {
    const meta = tx.objectStore("meta");
    let into = await meta.get("moving_in");
    if (!into) return null;
    let me = await meta.get("identity");
    const counter = { n: (await meta.get("record_n")) || 0, skipped: 0 };
    let clock = (await meta.get("hlc")) || [0, 0];
    const [checkins, reminded] = [(await meta.get("checkins")) || {}, (await meta.get("reminded")) || {}];
    const records = [];
    const notes = [];
    for (const item of items) {
      if (item.seq < into.next) continue;   // another tab took it in first
      if (item.seq !== into.next || item.prev !== into.last) break;
      into = { ...into, next: item.seq + 1, last: item.hash };
      const part = readMove(item.body);
      if (!part) {
        counter.skipped += 1;
        continue;
      }
      const state = readState(part.state);
      counter.skipped += state.skipped;
      into.part = Math.max(into.part, part.part);
      into.parts = part.parts;
      if (state.peer) {
        into.partner = state.peer;
        me = takeState(me, state, into.from.device);
        if (state.hlc && later(state.hlc, clock)) clock = state.hlc;
      }
      for (const r of part.records) records.push(r);
      for (const x of state.checkins) {
        checkins[x.week] = { key: unb64u(x.key), answers: x.answers, released: x.released, at: Date.now(),
                             ...(x.author !== me.device ? { author: x.author } : {}) };
      }
      // What my partner's phone never confirmed: sent again from here, under the new epoch.
      for (const body of state.unsent) await tx.objectStore("outbox").add({ body: JSON.stringify(body) });
      for (const r of state.reminders) reminded[r.key] = r.day;
      for (const p of state.preferences) await keepPreference(meta, p);
      for (const x of state.noticed) notes.push(...noted(x));
    }
    await meta.put(me, "identity");
    // Whose each record is, as the old phone saw it: its place is now mine, its partner's theirs.
    const done = await mergeRecords(tx, records, { ...me, peer: into.partner }, clock, counter, { learnEarlier: false });
    if (notes.length) await noticed.note(tx, notes);
    await Promise.all([meta.put(done.clock, "hlc"), meta.put(counter.n, "record_n"), meta.put(checkins, "checkins"),
      meta.put(reminded, "reminded"), meta.put(into, "moving_in")]);
    if (counter.skipped) await meta.put(((await meta.get("skipped_ops")) || 0) + counter.skipped, "skipped_ops");
    return into;
  });
  announce("records", { mine: false });
  announce("move", {});
  return after;
}

/**
 * My receipt for the old phone (§11.4: under the move key, epoch 0): what arrived in order,
 * and what is missing below what is `held` (early, this connection) or, once `caughtUp`
 * (the relay has given me all it holds), below the last part.
 */
export async function moveReceipt(held, caughtUp) {
  const [me, into, key] = await Promise.all([identity(), moveIn(), db.getKey("move")]);
  const top = Math.max(0, ...held, caughtUp && into.parts ? into.parts : 0);
  const n = await db.write(["meta"], async (tx) => {
    const counter = Math.max(((await tx.objectStore("meta").get("receipt_n")) || 0) + 1, Date.now());
    await tx.objectStore("meta").put(counter, "receipt_n");
    return counter;
  });
  const fields = { n, received: into.next - 1, received_hash: b64u(fromHex(into.last)),
    missing: missingRanges(into.next, held, top), head: 0, kept_from: 1 };
  return b64u(await sealReceipt(key, me.pair, me.device, 0, fields));
}

export class MoveError extends Error {}

/**
 * The old phone retired and the relay put this phone in its place (`ready` with the new
 * epoch and my partner as peer): from now on my partner is my peer, under a root made from
 * our own agreement and the notice, which this phone can rebuild (§11.4).
 */
export async function movedIn(ready) {
  const [me, into, keys] = await Promise.all([identity(), moveIn(), deviceKeys()]);
  if (!into?.partner || !into.parts || into.next - 1 < into.parts) {
    throw new MoveError("the relay says the move finished, but not all of it reached this phone");
  }
  const partner = await checkedPeer(into.partner);
  const epoch = ready.epoch;
  if (!samePeer(ready.peer, partner) || epoch !== into.epoch + 1) throw new MoveError("the relay put this phone in another pair");
  const notice = c.successionMessage(me.pair, epoch, c.MOVED, into.from.device, me.device, keys.sigPub, keys.dhPub);
  const { send, receive, safetyCode } = await movedKeys(keys.dh, unb64u(partner.dh_pub), notice, me, epoch, partner.device);
  await db.write(["meta", "keys"], async (tx) => {
    const meta = tx.objectStore("meta");
    const now = await meta.get("identity");
    await meta.put({ ...now, peer: partner, epoch, safetyCode, pairedAt: Date.now(),
                     movedIn: { from: into.from.device, at: Date.now() } }, "identity");
    for (const name of [...CHAIN_STATE, "moving_in"]) await meta.delete(name);
    const keyStore = tx.objectStore("keys");
    await keyStore.put(send, "send");
    await keyStore.put(receive, "receive");
    await keyStore.delete("move");
  });
  announce("move", { done: true });
  announce("pairing", { paired: true, movedIn: true });
}

/**
 * The move was called off before it finished (the relay has forgotten this phone): it is
 * not in any pair. What arrived stays here; the old phone still has all of it.
 */
export async function stoppedIn() {
  await db.write(["meta", "keys"], async (tx) => {
    const meta = tx.objectStore("meta");
    const me = await meta.get("identity");
    await meta.put({ ...me, relay: null, pair: null, epoch: null }, "identity");
    await meta.delete("moving_in");
    await meta.put({ at: Date.now(), here: true }, "move_stopped");
    await tx.objectStore("keys").delete("move");
  });
  announce("move", { stopped: true });
  announce("pairing", { moveStopped: true });
}
