// My partner moved to a new phone (docs/protocol.md §11.4), on my phone: the relay's
// `succession` frame, checked against the key I already trust (their old phone's), makes
// the new phone my peer under a root their old phone cannot compute, and what the old one
// had not confirmed is sealed again for the new one. A notice their phone did not sign is
// never taken in; the relay has moved the pair on regardless, so this phone stops syncing.
import * as c from "../core/crypto.js";
import { unb64u } from "../core/encoding.js";
import * as db from "../data/db.js";
import { checkedPeer } from "../pairing/common.js";
import { announce } from "./changes.js";
import { deviceKeys, identity, oneAtATime, saveIdentity } from "./identity.js";
import { CHAIN_STATE, movedKeys } from "./succession.js";

/** A notice that does not hold: the sync engine keeps it as the end it is (device/ending.js). */
export class UnsignedMove extends Error {
  constructor() {
    super("the relay changed my partner's phone without their phone's word");
    this.code = "moved_unsigned";
    this.frame = { code: "moved_unsigned" };
  }
}

/**
 * Take in one `succession` frame: "applied" (my partner's new phone is my peer now),
 * "known" (applied before, the relay repeats it after every login for a while, or about
 * this phone itself); throws UnsignedMove if it does not verify.
 */
export async function partnerMoved(frame) {
  // Under the seal lock: nothing may be sealed under the old keys while they change.
  return oneAtATime("hearth-seal", async () => {
    const [me, keys] = await Promise.all([identity(), deviceKeys()]);
    if (!me?.peer) return "known";
    const heard = new Set([me.peer.device, me.device, ...(me.peerLineage || []), ...(me.lineage || [])]);
    if (heard.has(frame?.device) || (frame?.old !== me.peer.device && heard.has(frame?.old))) return "known";
    let notice = null;
    let newcomer = null;
    let sig = null;
    try {
      newcomer = await checkedPeer(frame);
      sig = unb64u(frame.sig);
      if (frame.reason === c.MOVED && frame.old === me.peer.device && frame.epoch === me.epoch + 1) {
        notice = c.successionMessage(me.pair, frame.epoch, c.MOVED, frame.old, newcomer.device,
          unb64u(newcomer.sig_pub), unb64u(newcomer.dh_pub));
      }
    } catch {
      notice = null;   // keys that are not keys, a signature that is not b64u
    }
    if (!notice || !(await c.verify(unb64u(me.peer.sig_pub), sig, notice).catch(() => false))) throw new UnsignedMove();
    const epoch = frame.epoch;
    const { send, receive, safetyCode } = await movedKeys(keys.dh, unb64u(newcomer.dh_pub), notice, me, epoch, newcomer.device);
    await db.write(["meta", "keys", "outbox", "kept", "held"], async (tx) => {
      const meta = tx.objectStore("meta");
      const now = await meta.get("identity");
      await meta.put({ ...now, peer: newcomer, epoch, safetyCode,
                       peerLineage: [...new Set([...(now.peerLineage || []), frame.old])],
                       partnerMoved: { old: frame.old, device: newcomer.device, at: Date.now() } }, "identity");
      await tx.objectStore("keys").put(send, "send");
      await tx.objectStore("keys").put(receive, "receive");
      for (const name of CHAIN_STATE) await meta.delete(name);
      await tx.objectStore("held").clear();
      // Everything the old phone had not confirmed goes to the new one, sealed anew from seq 1.
      const outbox = tx.objectStore("outbox");
      const kept = tx.objectStore("kept");
      for (const item of [...(await kept.getAll()), ...(await outbox.getAll())]) {
        const { seq, envelope, ...unsealed } = item;
        await outbox.put(unsealed);
      }
      await kept.clear();
    });
    announce("pairing", { partnerMoved: true });
    return "applied";
  });
}

/**
 * After a `ready` whose epoch is ahead of mine: the notices that follow it (each move of my
 * partner's, oldest first) until this phone stands in that epoch. Resolves when none comes
 * in `ms`; the sync engine then judges the epoch as ever.
 */
export async function noticesAfterReady(session, epoch, ms = 5000) {
  while ((await identity()).epoch < epoch) {
    const frame = await session.nextWithin(ms, "succession");
    if (!frame) return;
    await partnerMoved(frame);
  }
}

/** The new safety code after a move (either side's) was compared: nothing more to say of it. */
export async function movedCodeCompared() {
  await saveIdentity({ partnerMoved: null, movedIn: null });
  announce("pairing", { compared: true });
}
