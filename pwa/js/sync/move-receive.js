// The new phone's side of a move's connection (docs/protocol.md §11.4), run by
// move-stream.js in the sync engine's place: it takes the old phone's stream in, in order
// and exactly once, confirms it with receipts, and when the relay closes the connection
// (the old phone retired) logs in again as a device of the pair, in the old one's place.
import { fromUtf8, toHex, unb64u } from "../core/encoding.js";
import { envelopeHash, openEnvelope, parseHeader } from "../core/envelope.js";
import * as db from "../data/db.js";
import { identity } from "../device/identity.js";
import * as into from "../device/move-in.js";

const DELIVERY_BATCH = 200;
const RECEIPT_AGAIN_MS = 10000;   // while connected, the new phone repeats its word this often
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Receive the move until this phone has taken the old one's place, or the move was called
 * off. `signIn(extra)` opens the move's connection; `stopping()` says to let go.
 */
export async function receiveMove(signIn, stopping) {
  let backoff = 500;
  while (!stopping()) {
    if (!(await into.moveIn())) return;
    let session = null;
    try {
      let ready;
      ({ session, ready } = await signIn({ batch: DELIVERY_BATCH }));
      if (!ready.move) {   // the old phone retired: this phone is in its place now
        session.close();
        await into.movedIn(ready);
        return;
      }
      // Having it all, this phone lets go and looks again, less and less often, until the old
      // phone has retired; otherwise it stays for what is still to come.
      if (!(await takeStream(session))) backoff = 500;
    } catch (err) {
      // The relay has forgotten this phone: the move was called off, or ran out of time.
      if (err.code === "login_failed") return void (await into.stoppedIn());
      if (err instanceof into.MoveError) backoff = 30000;
    } finally {
      session?.close();
    }
    await sleep(backoff);
    backoff = Math.min(backoff * 2, 30000);
  }
}

// Take what arrives on this connection until it closes; resolves true if this phone let go
// having all of it. Early envelopes wait here, for this connection only: the old phone sends
// again what my receipt says is missing. Once my receipt covering all of it is with the relay,
// I close the connection myself rather than be closed as the old phone retires (the relay
// then drops it mid-stride, and a browser may see the end of it as damage), and log in again.
function takeStream(session) {
  let complete = false;
  return new Promise((resolve) => {
    const held = new Map();
    let caughtUp = false;
    let steps = Promise.resolve();
    const receipt = async () => {
      session.send({ type: "receipt", body: await into.moveReceipt([...held.keys()], caughtUp) });
      const move = await into.moveIn();
      complete = Boolean(move?.parts) && move.next > move.parts;
    };
    const timer = setInterval(() => { steps = steps.then(receipt).catch(() => {}); }, RECEIPT_AGAIN_MS);
    session.listen((frame) => {
      if (frame.type === "_closed") {
        clearInterval(timer);
        steps.finally(() => resolve(complete));
        return;
      }
      // My other phone stopped the move: the next login hears that the relay has let me go.
      if (frame.type === "pair_cancelled") {
        session.close();
        return;
      }
      if (frame.type === "receipt_ok") {
        steps = steps.then(() => complete && session.close());
        return;
      }
      steps = steps.then(async () => {
        if (frame.type === "deliver" || frame.type === "deliveries") {
          const items = frame.type === "deliver" ? [frame] : frame.envelopes;
          if (!Array.isArray(items) || !items.length) return;
          await takeIn(items.map((d) => d.body), held);
          session.send({ type: "ack", cursor: items[items.length - 1].cursor });
          await receipt();
        } else if (frame.type === "caught_up") {
          caughtUp = true;
          await receipt();
        }
      }).catch(() => session.close());   // unacknowledged envelopes come again at the next login
    });
  });
}

// Authenticate each envelope first (§5.5), then apply those that follow on, link by link.
async function takeIn(bodies, held) {
  const [move, me, key] = await Promise.all([into.moveIn(), identity(), db.getKey("move")]);
  if (!move) return;
  for (const item of await Promise.all(bodies.map((b) => openPart(b, move, me, key)))) {
    if (item && item.seq >= move.next && !held.has(item.seq)) held.set(item.seq, item);
  }
  const run = [];
  let last = move.last;
  for (let seq = move.next; held.has(seq); seq += 1) {
    const item = held.get(seq);
    held.delete(seq);
    if (item.prev !== last) break;   // not the link the stream has: asked for again, as missing
    run.push(item);
    last = item.hash;
  }
  if (run.length) await into.takeParts(run);
}

async function openPart(bodyB64, move, me, key) {
  try {
    const envelope = unb64u(bodyB64);
    const header = parseHeader(envelope);
    if (header.epoch !== 0) return null;
    const body = JSON.parse(fromUtf8(await openEnvelope(key, me.pair, move.from.device, envelope)));
    return { seq: header.seq, prev: toHex(header.prev), hash: toHex(await envelopeHash(envelope)), body };
  } catch {
    return null;   // not the old phone's: asked for again, intact, once it is missing
  }
}
