// What this phone has for its partner, owned by the sync engine (docs/protocol.md §5.5-5.6).
// A change of mine is queued in the transaction that stores it; the engine seals the queue
// into the chain and sends each envelope once per connection. What the relay says it holds
// moves to "kept" until my partner's own receipt confirms it, so it can go again if lost.
import { fromHex, toHex, utf8 } from "../core/encoding.js";
import { ZERO_HASH, envelopeHash, sealEnvelope } from "../core/envelope.js";
import * as db from "../data/db.js";
import { identity } from "../device/identity.js";

const MAX_KEPT = 10000;   // envelopes kept for resending until my partner's receipt (§5.6)

/** Queue one operation for my partner, inside the transaction (over "outbox") that makes it. */
export const queue = (tx, op) => tx.objectStore("outbox").add({ body: JSON.stringify({ ops: [op] }) });

/** Changes not yet handed to the relay, sealed or not. */
export const waiting = () => db.outboxCount();

// Give every queued body its sequence number and chain link. Runs under the seal lock.
export async function seal() {
  const me = await identity();
  const key = await db.getKey("send");
  const unsealed = (await (await db.database()).getAll("outbox")).filter((o) => !o.envelope);
  if (!unsealed.length) return;
  let seq = await db.getMeta("own_seq", 0);
  let prev = fromHex(await db.getMeta("own_prev", toHex(ZERO_HASH)));
  const sealed = [];
  for (const item of unsealed) {
    seq += 1;
    const envelope = await sealEnvelope(key, me.pair, me.device, me.epoch, seq, prev, utf8(item.body));
    prev = await envelopeHash(envelope);
    sealed.push({ ...item, seq, envelope });
  }
  await db.write(["outbox", "meta"], async (tx) => {
    for (const item of sealed) await tx.objectStore("outbox").put(item);
    await tx.objectStore("meta").put(seq, "own_seq");
    await tx.objectStore("meta").put(toHex(prev), "own_prev");
  });
}

export async function sealed() {
  return (await (await db.database()).getAll("outbox")).filter((o) => o.envelope).sort((a, b) => a.seq - b.seq);
}

// The relay says it holds everything up to `seq`. That is only a claim (protocol §5.6):
// those envelopes leave the outbox for "kept", where they stay until my partner's own
// receipt confirms them, so one can be sent again if it never arrives.
export async function handedOver(seq) {
  await db.write(["outbox", "kept", "meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    const ownSeq = (await meta.get("own_seq")) || 0;
    const upTo = Math.min(seq, ownSeq);
    const kept = tx.objectStore("kept");
    let cursor = await tx.objectStore("outbox").openCursor();
    while (cursor) {
      if (cursor.value.seq !== undefined && cursor.value.seq <= upTo) {
        await kept.put(cursor.value);
        await cursor.delete();
      }
      cursor = await cursor.continue();
    }
    if (upTo > ((await meta.get("own_head")) || 0)) await meta.put(upTo, "own_head");
    let extra = (await kept.count()) - MAX_KEPT;
    for (let c = await kept.openCursor(); c && extra > 0; c = await c.continue(), extra -= 1) await c.delete();
  });
}

// Kept envelopes the relay does not claim to have (a relay that lost them, or lied before):
// they go out again at login like anything new.
export async function keptAbove(seq) {
  return (await (await db.database()).getAll("kept")).filter((o) => o.seq > seq).sort((a, b) => a.seq - b.seq);
}

/**
 * What one connection has sent and the relay has not yet taken: each sealed envelope goes
 * out once, so a burst of n writes is n frames rather than every waiting one again on
 * every write. What the relay has taken ("sent") stays out even while it is still being
 * moved to "kept". A new connection starts empty (the relay may have lost anything
 * unconfirmed).
 */
export class InFlight {
  #seqs = new Set();
  #taken = 0;

  /** The sealed envelopes not yet sent on this connection, marked as sent from now. */
  take(items) {
    const fresh = items.filter((item) => item.seq > this.#taken && !this.#seqs.has(item.seq));
    for (const item of fresh) this.#seqs.add(item.seq);
    return fresh;
  }

  /** Not sent after all (the socket refused them): the next flush tries them again. */
  untake(items) {
    for (const item of items) this.#seqs.delete(item.seq);
  }

  /** The relay holds everything up to `seq` ("sent"). */
  taken(seq) {
    this.#taken = Math.max(this.#taken, seq);
    for (const s of this.#seqs) if (s <= seq) this.#seqs.delete(s);
  }

  /** Send everything again: the relay refused something, or the chain was sealed anew. */
  clear() {
    this.#seqs.clear();
    this.#taken = 0;
  }
}
