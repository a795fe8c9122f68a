// Receipts (docs/protocol.md §5.6-5.7): my sealed word to my partner on what this phone has
// of theirs, and theirs on what they have of mine. Only a receipt lets a sender forget a
// kept envelope, or asks for one again; after a catch-up, what my partner can no longer
// send is given up and what is still missing is named. As server/hearth/client/device.py's
// receipts part.
import { b64u, fromHex, toHex, unb64u } from "../core/encoding.js";
import { ZERO_HASH, envelopeHash } from "../core/envelope.js";
import { inRanges, missingRanges, openReceipt, sealReceipt } from "../core/receipt.js";
import * as db from "../data/db.js";
import { announce } from "../device/changes.js";
import { identity, isPaired } from "../device/identity.js";
import { APPLY_STORES } from "../device/records.js";
import { advance, readChain, saveChain } from "./inbox.js";
import { sealed } from "./outbox.js";

// After a catch-up (§5.6 step 4, §5.7): give up what my partner can no longer send again,
// then name what is still missing below their head. Returns the missing ranges.
export async function settleGaps() {
  if (!(await isPaired())) return [];
  const me = await identity();
  let changed = false;
  const gaps = await db.write([...APPLY_STORES, "meta", "held"], async (tx) => {
    const meta = tx.objectStore("meta");
    const held = tx.objectStore("held");
    const chain = await readChain(meta, held);
    const keptFrom = (await meta.get("peer_kept_from")) || 1;
    if (keptFrom > chain.next) {
      const seqs = [...chain.held].sort((a, b) => a - b);
      chain.lost = [...chain.lost, ...missingRanges(chain.next, seqs, keptFrom - 1)];
      for (const seq of seqs.filter((s) => s < keptFrom)) {
        chain.accepted.push((await held.get(seq)).body);
        chain.held.delete(seq);
        await held.delete(seq);
      }
      chain.next = keptFrom;
      chain.unchained = keptFrom;
      await meta.put(keptFrom, "peer_unchained");
      if (chain.held.has(keptFrom)) {
        const first = await held.get(keptFrom);
        chain.held.delete(keptFrom);
        await held.delete(keptFrom);
        if (!(await advance(chain, first, held))) chain.newlyRejected += 1;
      }
      changed = true;
    }
    const seqs = [...chain.held];
    const top = Math.max((await meta.get("peer_head")) || 0, ...seqs);
    const missing = missingRanges(chain.next, seqs, top);
    await meta.put(missing, "gaps");
    await saveChain(tx, chain, me);
    return missing;
  });
  if (changed) announce("records", { mine: false });
  return gaps;
}

// My receipt for my partner (§5.6), sealed with my own sender key; b64u for the frame.
export async function makeReceipt() {
  const me = await identity();
  const sendKey = await db.getKey("send");
  const fields = await db.write(["meta", "outbox", "kept"], async (tx) => {
    const meta = tx.objectStore("meta");
    const [n, next, last, gaps, head, ownSeq] = await Promise.all(
      ["receipt_n", "peer_next_seq", "peer_last_hash", "gaps", "own_head", "own_seq"].map((k) => meta.get(k)));
    const seqs = [...(await tx.objectStore("kept").getAll()), ...(await tx.objectStore("outbox").getAll())]
      .filter((o) => o.seq !== undefined).map((o) => o.seq);
    // Past the clock as well as the last one, so a restored older copy of this phone still
    // writes receipts its partner takes as new (§5.6).
    const counter = Math.max((n || 0) + 1, Date.now());
    await meta.put(counter, "receipt_n");
    return { n: counter, received: (next || 1) - 1, received_hash: b64u(fromHex(last || toHex(ZERO_HASH))),
             missing: gaps || [], head: Math.min(head || 0, ownSeq || 0),
             kept_from: seqs.length ? Math.min(...seqs) : (ownSeq || 0) + 1 };
  });
  return b64u(await sealReceipt(sendKey, me.pair, me.device, me.epoch, fields));
}

// Take in my partner's receipt: forget what it confirms, and return the kept envelopes it
// asks for again, and whether my outbox was sealed anew (then all of it goes again). A
// receipt that does not open, or is not new, changes nothing.
export async function readReceipt(bodyB64) {
  const me = await identity();
  const receiveKey = await db.getKey("receive");
  let fields;
  try {
    fields = await openReceipt(receiveKey, me.pair, me.peer.device, me.epoch, unb64u(bodyB64));
  } catch {
    return { resend: [], resealed: false };   // the relay can drop or garble a receipt, never forge one
  }
  const all = [...(await (await db.database()).getAll("kept")), ...(await sealed())];
  const mine = all.find((o) => o.seq === fields.received);
  const theirHash = toHex(unb64u(fields.received_hash));
  const ourHash = mine ? toHex(await envelopeHash(mine.envelope)) : null;
  return db.write(["meta", "outbox", "kept"], async (tx) => {
    const meta = tx.objectStore("meta");
    if (fields.n <= ((await meta.get("peer_receipt_n")) || 0)) return { resend: [], resealed: false };
    await meta.put(fields.n, "peer_receipt_n");
    await meta.put(fields.received, "peer_received");   // how far a hand-over has reached (§11.3)
    await meta.put(Math.max((await meta.get("peer_head")) || 0, fields.head), "peer_head");
    await meta.put(Math.max((await meta.get("peer_kept_from")) || 1, fields.kept_from), "peer_kept_from");
    const ownSeq = (await meta.get("own_seq")) || 0;
    const ownPrev = (await meta.get("own_prev")) || toHex(ZERO_HASH);
    const ours = fields.received === ownSeq ? ownPrev : ourHash;
    const outbox = tx.objectStore("outbox");
    const kept = tx.objectStore("kept");
    if (fields.received > ownSeq || (fields.received > 0 && ours !== null && ours !== theirHash)) {
      // My partner has seen more of me than this phone holds (an older copy was restored):
      // continue from their word, and seal everything I keep again after it.
      for (const item of await kept.getAll()) await outbox.put(item);
      await kept.clear();
      for (const item of await outbox.getAll()) {
        const { seq, envelope, ...unsealed } = item;
        await outbox.put(unsealed);
      }
      await meta.put(fields.received, "own_seq");
      await meta.put(theirHash, "own_prev");
      await meta.put(fields.received, "own_head");
      return { resend: [], resealed: true };
    }
    for (const store of [kept, outbox]) {
      for (let cur = await store.openCursor(); cur; cur = await cur.continue()) {
        if (cur.value.seq !== undefined && cur.value.seq <= fields.received) await cur.delete();
      }
    }
    const resend = (await kept.getAll()).filter((o) => inRanges(fields.missing, o.seq)).sort((a, b) => a.seq - b.seq);
    return { resend, resealed: false };
  });
}
