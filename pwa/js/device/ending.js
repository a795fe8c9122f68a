// A pairing that ends (docs/protocol.md §11.2), on this phone: the signed notice it sends,
// checking the notice the relay passes on, keeping the end (meta "ended"), starting afresh
// to pair again, and erasing everything. The same rules as server/hearth/client/unpair.py.
// A phone whose place a new one took (§11.3: the relay's `replaced`), or that moved to a
// new one (§11.4), ends the same way.
//
// Once ended, nothing is sent again: the sender keys go and the outbox empties, so nothing
// written later can be queued. Every record stays, readable.
import * as c from "../core/crypto.js";
import { b64u } from "../core/encoding.js";
import { noticeHolds } from "../core/ending.js";
import * as db from "../data/db.js";
import { unregisterWake } from "../reminders/wake.js";
import { announce } from "./changes.js";
import { deviceKeys, identity, keyRecord, oneAtATime } from "./identity.js";

/** How this phone's pairing ended ({ by, at, signed }), or null while it has not. */
export const ended = () => db.getMeta("ended", null);

/** The `unpair` frame that ends this phone's pairing now (§11.2). */
export async function signedNotice(nowMs = Date.now()) {
  const [me, keys] = await Promise.all([identity(), deviceKeys()]);
  const at = Math.floor(nowMs / 1000);
  const sig = await c.sign(keys.sig, c.unpairMessage(me.pair, me.epoch, me.device, at));
  return { type: "unpair", at, sig: b64u(sig) };
}

// Everything this phone kept to sync with one partner; none of it means anything after.
const SYNC_STATE = ["own_seq", "own_prev", "own_head", "peer_next_seq", "peer_last_hash", "peer_unchained", "lost",
  "rejected", "gaps", "receipt_n", "peer_receipt_n", "peer_head", "peer_kept_from", "last_received_at", "skipped_ops",
  "notices_seen", "pending_invite", "peer_received", "history_out", "history_in", "move_stopped"];
const SYNC_STORES = ["outbox", "kept", "held"];

/**
 * The relay says the pairing ended (or this phone ended it): keep what the notice proves,
 * and stop for good. A signed end stands over an unsigned one; otherwise the first word
 * stands. Returns the end as kept.
 */
export async function recordEnd(notice) {
  const [me, keys, moving] = await Promise.all([identity(), deviceKeys(), db.getMeta("moving_out", null)]);
  const signed = await noticeHolds(notice, me, keys.sigPub);
  const at = Math.floor(Date.now() / 1000);
  // Replaced (§11.3) or moved (§11.4): nothing is signed for this phone, so it is the
  // relay's word, kept with who it names; "moved" only for a move this phone began. A move
  // of my partner's that their phone did not sign stops syncing too. This phone never
  // syncs again either way.
  const code = notice?.code;
  const end = signed ? { by: notice.by, at: notice.at, signed }
    : code === "replaced" ? { by: null, at, signed, replaced: { by: notice.by ?? null, device: notice.device ?? null } }
      : code === "moved" && moving && notice.device === moving.peer.device ? { by: null, at, signed, moved: { device: notice.device } }
        : code === "moved_unsigned" ? { by: null, at, signed, movedUnsigned: true } : { by: null, at, signed };
  const kept = await db.write(["meta", "keys", ...SYNC_STORES], async (tx) => {
    const meta = tx.objectStore("meta");
    const before = await meta.get("ended");
    if (before && (before.signed || !end.signed)) return before;
    await meta.put(end, "ended");
    // Nothing can be sealed for the ended pair again, and nothing waits to go.
    for (const name of ["send", "receive", "move"]) await tx.objectStore("keys").delete(name);
    for (const name of ["moving_out", "move_stream"]) await meta.delete(name);
    for (const store of SYNC_STORES) await tx.objectStore(store).clear();
    return end;
  });
  announce("pairing", { ended: true });
  return kept;
}

/**
 * Pairing again after an end: the relay refuses the old keys, so this phone becomes a new
 * device, and keeps its old id (and its old partner's) so what each wrote stays theirs on
 * its screens (§11.1). Nothing of the ended pairing will be sent to the next partner.
 * Does nothing unless the pairing ended.
 */
export async function startAfresh() {
  return oneAtATime("hearth-device-keys", async () => {
    if (!(await ended())) return;
    const fresh = await c.DeviceKeys.generate();
    await db.write(["meta", "keys", ...SYNC_STORES], async (tx) => {
      const meta = tx.objectStore("meta");
      const keyStore = tx.objectStore("keys");
      const me = (await meta.get("identity")) || {};
      // Every id of each place in the ended pair, the phones either side succeeded too (§11.1).
      const add = (list, ...ids) => [...new Set([...(list || []), ...ids.filter(Boolean)])];
      await meta.put({ device: fresh.deviceId, former: add(me.former, ...(me.lineage || []), me.device),
                       formerPeers: add(me.formerPeers, ...(me.peerLineage || []), me.peer?.device) }, "identity");
      // My sealed check-in answers belonged to the ended pair; kept, but never released.
      const checkins = await meta.get("checkins");
      if (checkins) await meta.put({ ...((await meta.get("former_checkins")) || {}), ...checkins }, "former_checkins");
      for (const key of ["ended", "checkins", ...SYNC_STATE]) await meta.delete(key);
      for (const name of ["send", "receive", "pending_invite", "pending_join"]) await keyStore.delete(name);
      await keyStore.put(keyRecord(fresh), "device");
      for (const store of SYNC_STORES) await tx.objectStore(store).clear();
    });
    announce("pairing", { afresh: true });
  });
}

/** Erase everything Hearth keeps on this phone: the app opens as if for the first time. */
export async function eraseEverything() {
  await db.forgetEverything();
  try {
    localStorage.clear();   // small preferences (the gratitude idea's energy, storage asked)
    sessionStorage.clear();
  } catch {
    // storage the browser refuses to touch holds nothing of ours
  }
  // Reminders: none shown stays on screen, and the browser stops waking Hearth to check.
  // The service worker's caches hold only the app's own files, none of the person's.
  const reg = await navigator.serviceWorker?.getRegistration?.().catch(() => null);
  for (const shown of (await reg?.getNotifications?.().catch(() => [])) || []) shown.close();
  await unregisterWake();
  announce("pairing", { erased: true });
}
