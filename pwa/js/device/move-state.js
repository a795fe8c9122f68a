// Whether a move is under way on this phone, and how far it has come (docs/protocol.md
// §11.4), read from what device/move-out.js and move-in.js keep. Apart from them so that
// Home, the status line and the sync engine can ask at every start without loading the
// code of a move, which most phones never make.
import * as db from "../data/db.js";

/**
 * The move under way from this phone ({ invite, peer, parts, received, complete, … }: `peer`
 * is the new phone), or null.
 */
export const moveOut = () => db.getMeta("moving_out", null);

/**
 * The move coming to this phone ({ from: the old phone, epoch, next, last, part, parts,
 * partner }), or null.
 */
export const moveIn = () => db.getMeta("moving_in", null);

/** How the move stands on this phone: { sending, done, parts, complete }, or null. */
export async function progress() {
  const [sending, receiving] = await Promise.all([moveOut(), moveIn()]);
  if (sending) return { sending: true, done: sending.received || 0, parts: sending.parts || null, complete: Boolean(sending.complete) };
  if (receiving) {
    const done = receiving.next - 1;
    return { sending: false, done, parts: receiving.parts, complete: Boolean(receiving.parts) && done >= receiving.parts };
  }
  return null;
}
