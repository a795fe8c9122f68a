// The phone that remains welcomes its partner's new phone in place of the lost one
// (docs/protocol.md §11.3), on this phone: once the relay confirms, one transaction makes
// the new phone the partner and the pair's new epoch current, and queues the signed
// succession notice and the whole shared history as ordinary envelopes. Being outbox
// envelopes, they survive a dropped connection or a closed tab, wait in "kept" until the
// new phone's own receipt confirms them, and go again when it reports one missing (§5.6).
import * as c from "../core/crypto.js";
import { b64u, unb64u } from "../core/encoding.js";
import { senderKey } from "../core/envelope.js";
import { handedOver, packHistory, successionBody } from "../core/succession.js";
import * as db from "../data/db.js";
import { announce } from "./changes.js";
import { deviceKeys, fromEarlierPairing, identity, oneAtATime, ownIds, peerIds } from "./identity.js";

// What this phone kept to sync with the lost phone; none of it holds for the new one. The
// receipt counter stays: it only ever moves forward.
export const CHAIN_STATE = ["own_seq", "own_prev", "own_head", "peer_next_seq", "peer_last_hash", "peer_unchained", "lost", "gaps",
  "peer_receipt_n", "peer_head", "peer_kept_from", "peer_received", "last_received_at", "history_in"];
const SYNC_STORES = ["outbox", "kept", "held"];

/**
 * The keys both phones that stay in a pair after a move hold from `notice` on (§11.4): my
 * sending and receiving keys under the root made from my DH key and theirs and the notice,
 * and the safety code the two can compare.
 */
export async function movedKeys(myDh, theirDhPub, notice, me, epoch, theirDevice) {
  const root = await c.movedRoot(myDh, theirDhPub, notice, me.pair, epoch);
  const rootKey = await c.importRootKey(root);
  root.fill(0);
  const send = await c.importAeadKey(await senderKey(rootKey, me.pair, epoch, me.device));
  const receive = await c.importAeadKey(await senderKey(rootKey, me.pair, epoch, theirDevice));
  return { send, receive, safetyCode: await c.movedSafetyCode(notice) };
}
const FIRST_PART_SEQ = 2;   // the notice is the new epoch's first envelope, the history follows

/**
 * The relay admitted the new phone (`confirm_ok`, or a `ready` naming it after that answer
 * was lost) at `epoch`: take it as the partner. `pending` is the inviter's pending invite
 * ({ replace, replaces, peer, th2, secret }). Runs once however often it is asked (the sync
 * engine may hear of it too); returns whether it ran now.
 */
export async function completeReplacement(pending, epoch) {
  return oneAtATime("hearth-replace", async () => {
    const me = await identity();
    const peer = pending.peer;
    if (me?.peer?.device === peer.device && me.epoch === epoch) return false;
    if (me?.peer?.device !== pending.replaces || !Number.isSafeInteger(epoch) || epoch <= me.epoch) {
      throw new c.CryptoError("the relay's confirmation does not match the phone being replaced");
    }
    // WebCrypto first: nothing but IndexedDB may be awaited inside the transaction.
    const keys = await deviceKeys();
    const root = await c.rootKey(keys.dh, unb64u(peer.dh_pub), pending.th2, me.pair, epoch);
    const rootKey = await c.importRootKey(root);
    root.fill(0);
    const send = await c.importAeadKey(await senderKey(rootKey, me.pair, epoch, me.device));
    const receive = await c.importAeadKey(await senderKey(rootKey, me.pair, epoch, peer.device));
    const notice = c.successionMessage(me.pair, epoch, c.REPLACED, pending.replaces, peer.device,
      unb64u(peer.sig_pub), unb64u(peer.dh_pub));
    const sig = b64u(await c.sign(keys.sig, notice));
    const safetyCode = await c.safetyCode(pending.th2, pending.secret);
    await db.write(["meta", "keys", "records", ...SYNC_STORES], async (tx) => {
      const meta = tx.objectStore("meta");
      const now = await meta.get("identity");
      const held = (await tx.objectStore("records").getAll()).sort((a, b) => a.n - b.n);
      const { bodies, skipped } = packHistory(handedOver(held, { own: ownIds(now), partner: peerIds(now),
        earlier: (author) => fromEarlierPairing(now, author) }));
      const lineage = now.peerLineage || [];   // the lost phone's own, as this phone knows it
      await meta.put({ ...now, epoch, peer, peerLineage: [...lineage, pending.replaces], safetyCode, pairedAt: Date.now() },
        "identity");
      const keyStore = tx.objectStore("keys");
      await keyStore.put(send, "send");
      await keyStore.put(receive, "receive");
      await keyStore.delete("pending_invite");
      for (const key of CHAIN_STATE) await meta.delete(key);
      for (const store of SYNC_STORES) await tx.objectStore(store).clear();
      const outbox = tx.objectStore("outbox");
      await outbox.add({ body: successionBody({ old: pending.replaces, sig, lineage, peerLineage: now.lineage || [] }) });
      for (const body of bodies) await outbox.add({ body });
      await meta.put({ parts: bodies.length, first: FIRST_PART_SEQ, skipped, at: Date.now() }, "history_out");
    });
    announce("pairing", { replaced: true });
    return true;
  });
}

/**
 * How the hand-over of the history stands, on either end: { sending, done, parts, complete },
 * `sending` on the phone that remains (`done` counted from the new phone's receipts, §5.6),
 * not on the new phone (counted as parts are merged; `parts` is null until the first
 * arrives). Null when this phone has none.
 */
export async function handOver() {
  const [out, into] = await Promise.all([db.getMeta("history_out", null), db.getMeta("history_in", null)]);
  if (out) {
    const received = await db.getMeta("peer_received", 0);
    const done = Math.min(out.parts, Math.max(0, received - out.first + 1));
    return { sending: true, done, parts: out.parts, complete: done >= out.parts };
  }
  if (into) return { sending: false, done: into.part || 0, parts: into.parts, complete: Boolean(into.parts) && into.part >= into.parts };
  return null;
}
