// What the relay delivers on one connection, from arrival to applied (protocol §6). Frames
// are opened (authenticated and decrypted) as they arrive, a batch ahead, so opening overlaps
// the writing; what is opened is applied in batches (one transaction each, strictly in
// arrival order), then the last cursor of each batch is acknowledged: acks are cumulative.
// Identity and key are read once for the frames that arrive while a batch is written (a read
// of them then would wait for that batch's transaction), and afresh after it.
import * as inbound from "./inbox.js";

const BATCH = 2000;   // envelopes applied in one transaction: each batch redraws the open view once

const isDelivery = (d) => d && Number.isSafeInteger(d.cursor) && typeof d.body === "string";

export class Intake {
  /**
   * `live`: the connection (send, close); `isLive()`: whether it is still the engine's;
   * `applied()` after each batch is acknowledged; `settled()` once the loop stops.
   */
  constructor(live, { isLive, applied, settled }) {
    Object.assign(this, { live, isLive, applied, settled });
    this.frames = [];       // deliveries not yet applied, in arrival order: { items, opening }
    this.running = null;    // the loop applying them, while it runs
    this.receiving = null;  // identity and key, read once for the frames opened meanwhile
  }

  /** Nothing waits to be applied, and nothing is being applied. */
  get idle() {
    return !this.frames.length && !this.running;
  }

  /** A "deliver" or "deliveries" frame from the relay. */
  take(frame) {
    const items = frame.type === "deliver" ? [frame] : frame.envelopes;
    // A malformed frame from the relay is its problem, not a reason to stop listening.
    if (!Array.isArray(items) || !items.length || !items.every(isDelivery)) return;
    this.frames.push({ items, opening: null });
    this.openAhead();
    this.running ??= this.run();
  }

  /** The pairing ended: what has not been applied is dropped, unacknowledged. */
  drop() {
    this.frames = [];
  }

  open(items) {
    this.receiving ??= inbound.receiving();
    const opening = this.receiving.then((ctx) => inbound.openWith(ctx, items.map((f) => f.body)));
    opening.catch(() => {});   // awaited in run(), unless the connection ends first
    return opening;
  }

  // Start opening the frames that make the next batch, no further: a long backlog waits
  // as the relay sent it, not opened all at once.
  openAhead() {
    let count = 0;
    for (const frame of this.frames) {
      if (count >= BATCH) break;
      frame.opening ??= this.open(frame.items);
      count += frame.items.length;
    }
  }

  // Whole frames, up to BATCH envelopes (at least one frame), off the front.
  nextBatch() {
    const batch = [];
    let count = 0;
    while (this.frames.length && (!batch.length || count + this.frames[0].items.length <= BATCH)) {
      count += this.frames[0].items.length;
      batch.push(this.frames.shift());
    }
    return batch;
  }

  async run() {
    await null;   // let take() store this promise before it can finish
    try {
      while (this.frames.length && this.isLive()) {
        this.openAhead();
        await this.frames[0].opening;   // meanwhile more frames may arrive, to join this batch
        const batch = this.nextBatch();
        if (!batch.length || !this.isLive()) break;
        this.openAhead();   // the batch after this one, while this one is written
        const parts = await Promise.all(batch.map((f) => f.opening ?? this.open(f.items)));
        await inbound.apply({ me: parts[0].me, opened: parts.flatMap((p) => p.opened) });
        this.receiving = null;   // what this batch applied may have changed them
        const last = batch[batch.length - 1].items;
        this.live.send({ type: "ack", cursor: last[last.length - 1].cursor });
        this.applied();
      }
    } catch {
      this.live.close();   // unacknowledged envelopes are delivered again at the next login
    } finally {
      this.running = null;
      this.settled();
    }
  }
}
