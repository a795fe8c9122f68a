// Moving everything on this phone to a new one (docs/protocol.md §11.4), on the old phone.
// Once the relay holds the new phone as this one's mover, this phone stops syncing with
// the partner's (what it took in or confirmed from then on could miss the stream: what it
// has not confirmed, the partner's phone sends the new one instead), and everything it
// holds is sealed, once, into a move stream under a key only the two phones can make. The
// stream is kept ("move_stream") until the new phone's receipts cover all of it, so the
// move goes on after a dropped connection or a closed tab; sync/move-stream.js sends it,
// and retires this phone in the new one's favour.
import * as c from "../core/crypto.js";
import { b64u, fromHex, toHex, unb64u, utf8 } from "../core/encoding.js";
import { ZERO_HASH, envelopeHash, sealEnvelope } from "../core/envelope.js";
import { firstState, packMove } from "../core/moving.js";
import { openReceipt } from "../core/receipt.js";
import * as db from "../data/db.js";
import { announce } from "./changes.js";
import { deviceKeys, identity, oneAtATime } from "./identity.js";
import { moveOut } from "./move-state.js";

// Small settings that travel too ("preferences"): some in the database, some in localStorage.
export const META_PREFERENCES = ["reminders", "checkin_day"];
export const LOCAL_PREFERENCES = ["hearth.gratitude.energy"];

// Asked for here by the modules that make a move; it lives apart, for those that only ask.
export { moveOut };

/**
 * The relay holds the new phone as my mover (`confirm_ok`, or a `ready` naming it after
 * that answer was lost): the move starts. `pending` is the inviter's pending invite ({
 * invite, peer, th2, move }). Runs once however often it is asked.
 */
export async function completeMove(pending) {
  const started = await oneAtATime("hearth-move", async () => {
    if ((await moveOut())?.invite === pending.invite) return false;
    await db.write(["meta", "keys"], async (tx) => {
      const meta = tx.objectStore("meta");
      await meta.put({ invite: pending.invite, peer: pending.peer, th2: pending.th2, received: 0, at: Date.now() },
        "moving_out");
      await meta.delete("move_stopped");
      await tx.objectStore("keys").delete("pending_invite");
    });
    return true;
  });
  // Heard in this tab at once: the sync engine lets go of its connection before anything is read.
  if (started) announce("move", { started: true });
  return started;
}

/**
 * The move under way with its stream, sealed now if it is not yet (always after the sync
 * engine has let go), or null if there is none. Only the sync engine's tab calls it.
 */
export async function ensureStream() {
  return oneAtATime("hearth-move", async () => {
    const out = await moveOut();
    if (!out || out.parts) return out;
    const [me, keys] = await Promise.all([identity(), deviceKeys()]);
    const raw = await c.moveKey(keys.dh, unb64u(out.peer.dh_pub), out.th2, me.pair);
    const key = await c.importAeadKey(raw);
    raw.fill(0);
    const { bodies, skipped } = await whatMoves(me);
    const envelopes = [];
    let prev = ZERO_HASH;
    for (const [i, body] of bodies.entries()) {
      envelopes.push(await sealEnvelope(key, me.pair, me.device, 0, i + 1, prev, utf8(body)));
      prev = await envelopeHash(envelopes[i]);
    }
    const { th2, ...rest } = out;   // the move key is kept instead, as a key that never leaves
    const built = { ...rest, parts: envelopes.length, lastHash: toHex(prev), skipped };
    const kept = await db.write(["meta", "keys"], async (tx) => {
      const meta = tx.objectStore("meta");
      if ((await meta.get("moving_out"))?.invite !== out.invite) return null;   // called off meanwhile
      await meta.put(built, "moving_out");
      await meta.put({ invite: out.invite, envelopes }, "move_stream");
      await tx.objectStore("keys").put(key, "move");
      return built;
    });
    announce("move", {});
    return kept;
  });
}

/** The sealed stream's envelopes, seq 1 first. */
export const streamEnvelopes = async () => (await db.getMeta("move_stream", null))?.envelopes || [];

// Everything this phone holds, read in one transaction so the parts agree with each other.
async function whatMoves(me) {
  const tx = (await db.database()).transaction(["records", "noticed", "outbox", "kept", "meta"], "readonly");
  const meta = tx.objectStore("meta");
  const [records, notes, types, queued, kept, hlc, checkins, reminded, ...prefs] = await Promise.all([
    tx.objectStore("records").getAll(), tx.objectStore("noticed").getAll(), tx.objectStore("noticed").getAllKeys(),
    tx.objectStore("outbox").getAll(), tx.objectStore("kept").getAll(), meta.get("hlc"), meta.get("checkins"),
    meta.get("reminded"), ...META_PREFERENCES.map((name) => meta.get(name))]);
  const lists = {
    checkins: Object.entries(checkins || {}).map(([week, l]) => ({ week, author: l.author || me.device,
      key: b64u(l.key), answers: l.answers, released: Boolean(l.released) })),
    // What my partner's phone has not confirmed, for the new phone to send again (§11.4).
    unsent: [...queued, ...kept].sort((a, b) => a.n - b.n).map((o) => JSON.parse(o.body)).filter((b) => !b.succession),
    reminders: Object.entries(reminded || {}).map(([key, day]) => ({ key, day })),
    preferences: [...META_PREFERENCES.map((name, i) => ({ name, value: prefs[i] })),
      ...LOCAL_PREFERENCES.map((name) => ({ name, value: localValue(name) }))].filter((p) => p.value != null),
    noticed: notes.flatMap((entry, i) => notedItems(types[i], entry)),
  };
  return packMove(records.sort((a, b) => a.n - b.n), firstState(me, hlc), lists);
}

function localValue(name) {
  try {
    return localStorage.getItem(name);
  } catch {
    return null;
  }
}

// What this phone noticed of one type's records, one item per record (device/noticed.js).
function notedItems(type, { unseen = [], changedFrom = {}, history = {} }) {
  const ids = new Set([...unseen, ...Object.keys(changedFrom), ...Object.keys(history)]);
  return [...ids].map((id) => ({ type, id, ...(history[id] ? { history: history[id] } : {}),
    ...(changedFrom[id] ? { changedFrom: changedFrom[id] } : {}), ...(unseen.includes(id) ? { unseen: true } : {}) }));
}

/**
 * The new phone's receipt (§11.4: under the move key, epoch 0): keep how far it has come.
 * Returns { complete, missing } for a new one, null for one that is not (my partner's, an
 * old one, one the relay garbled).
 */
export async function takeReceipt(bodyB64) {
  const [me, out, key] = await Promise.all([identity(), moveOut(), db.getKey("move")]);
  if (!out?.parts || !key) return null;
  let fields;
  try {
    fields = await openReceipt(key, me.pair, out.peer.device, 0, unb64u(bodyB64));
  } catch {
    return null;
  }
  const complete = fields.received === out.parts && fields.received_hash === b64u(fromHex(out.lastHash));
  const fresh = await db.write(["meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    const now = await meta.get("moving_out");
    if (now?.invite !== out.invite || fields.n <= (now.receiptN || 0)) return false;
    await meta.put({ ...now, receiptN: fields.n, received: Math.min(fields.received, now.parts),
                     complete: Boolean(now.complete || complete) }, "moving_out");
    return true;
  });
  if (!fresh) return null;
  announce("move", {});
  return { complete, missing: fields.missing };
}

/** The whole stream has gone out once: from now on, sending it again is a resend (§6). */
export const sentOnce = (invite) => db.write(["meta"], async (tx) => {
  const meta = tx.objectStore("meta");
  const now = await meta.get("moving_out");
  if (now?.invite === invite) await meta.put({ ...now, sentOnce: true }, "moving_out");
});

/** The `retire` frame (§11.4 step 3): my signature handing my place to the new phone. */
export async function retireFrame() {
  const [me, out, keys] = await Promise.all([identity(), moveOut(), deviceKeys()]);
  const notice = c.successionMessage(me.pair, me.epoch + 1, c.MOVED, me.device, out.peer.device,
    unb64u(out.peer.sig_pub), unb64u(out.peer.dh_pub));
  return { type: "retire", succession: b64u(await c.sign(keys.sig, notice)) };
}

/** A move that stopped before it finished, on either phone ({ at, here }), until it is said. */
export const moveStopped = () => db.getMeta("move_stopped", null);
export const moveStoppedSaid = () => db.setMeta("move_stopped", null);

/**
 * The move was called off (by either phone, or it ran out of time): nothing changed for my
 * partner, and this phone syncs again as before.
 */
export async function calledOff() {
  await db.write(["meta", "keys"], async (tx) => {
    const meta = tx.objectStore("meta");
    if (!(await meta.get("moving_out"))) return;
    await meta.delete("moving_out");
    await meta.delete("move_stream");
    await meta.put({ at: Date.now() }, "move_stopped");
    await tx.objectStore("keys").delete("move");
  });
  announce("move", { stopped: true });
  announce("pairing", { moveStopped: true });
}
