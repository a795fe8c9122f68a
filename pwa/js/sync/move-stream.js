// The connection of a move (docs/protocol.md §11.4), on either phone, while one is under
// way: the sync engine stands aside (moveInstead) and this runs in its place, in the tab
// that holds the engine's lock. The old phone sends its stream, sends again what the new
// phone's receipts say is missing, and retires once a receipt covers every part; the new
// phone takes the stream in, in order and exactly once, confirms it, and logs in again as
// a device of the pair when the relay closes its connection. Either picks up after a
// dropped connection or a closed tab from what it kept (device/move-out.js, move-in.js).
// The new phone's side is move-receive.js.
import { b64u } from "../core/encoding.js";
import { changes } from "../device/changes.js";
import { recordEnd } from "../device/ending.js";
import { deviceKeys, identity } from "../device/identity.js";
import * as into from "../device/move-in.js";
import * as out from "../device/move-out.js";
import { RelayError, Session } from "./connection.js";
import { receiveMove } from "./move-receive.js";

const RESEND_AFTER_MS = 4000;     // the old phone sends a part again once it has been on its way this long
const ENDS = new Set(["moved", "unpaired", "replaced"]);   // the relay's word that this phone's pairing is over

let running = null;
let live = null;       // the move's connection now
let stopping = false;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Another tab called the move off: this one lets go of its connection and looks again.
changes.addEventListener("move", (e) => { if (e.detail.stopped) live?.close(); });

/**
 * If a move is under way on this phone, make sure its connection runs, and say so: the sync
 * engine then does not connect for itself.
 */
export async function moveInstead() {
  const [sending, receiving] = await Promise.all([out.moveOut(), into.moveIn()]);
  if (!sending && !receiving) return false;
  running ??= (sending ? sendMove() : receiveMove(signIn, () => stopping)).catch(() => {}).finally(() => { running = null; live = null; });
  return true;
}

// Log in as this phone on a connection of the move's own. `extra` joins the login frame.
async function signIn(extra = {}) {
  const me = await identity();
  const session = await Session.open(me.relay || location.origin);
  live = session;
  try {
    await session.login(await deviceKeys(), me.device, extra);
    return { session, ready: await session.next("ready"), me };
  } catch (err) {
    session.close();
    throw err;
  }
}

// ---------- the old phone ----------

async function sendMove() {
  let backoff = 1000;
  while (!stopping) {
    const move = await out.ensureStream();
    if (!move) return;
    let session = null;
    try {
      let ready;
      ({ session, ready } = await signIn());
      // The relay names my mover while the move is under way; without it, it was called off.
      if (ready.mover?.device !== move.peer.device) {
        await out.calledOff();
        return;
      }
      backoff = 1000;
      await streamTo(session, move);
      return;
    } catch (err) {
      if (ENDS.has(err.code)) return void (await recordEnd(err.frame));
      if (err.code === "not_moving") return void (await out.calledOff());
    } finally {
      session?.close();
    }
    await sleep(backoff * (0.8 + Math.random() * 0.4));
    backoff = Math.min(backoff * 2, 30000);
  }
}

// Send the stream (above what the new phone has confirmed) and answer its receipts until
// the relay says this phone is retired; rejects when the connection ends first.
function streamTo(session, move) {
  let timer = null;
  return new Promise((resolve, reject) => {
    let steps = Promise.resolve();
    const then = (fn) => { steps = steps.then(fn).catch(reject); };
    let envelopes = [];
    const sentAt = new Map();
    const send = (seq, resend) => {
      sentAt.set(seq, Date.now());
      session.send({ type: "send", seq, body: b64u(envelopes[seq - 1]), ...(resend ? { resend } : {}) });
    };
    // A receipt names as missing what is still on its way too: only what went a while ago
    // goes again, and the rest once that while has passed, if the latest receipt still lacks it.
    let missing = [];
    const sendMissing = () => {
      timer = null;
      let wait = false;
      for (const [a, b] of missing) {
        for (let s = Math.max(a, 1); s <= Math.min(b, envelopes.length); s += 1) {
          if (Date.now() - (sentAt.get(s) || 0) >= RESEND_AFTER_MS) send(s, true);
          else wait = true;
        }
      }
      if (wait) timer = setTimeout(sendMissing, RESEND_AFTER_MS);
    };
    const retire = async () => {
      missing = [];
      session.send(await out.retireFrame());
    };
    session.listen((frame) => {
      if (frame.type === "_closed") return then(() => reject(frame.error));
      // A retire refused (the pair moved on meanwhile, say) is tried again after logging in afresh.
      if (frame.type === "error" && (ENDS.has(frame.code) || frame.code === "not_moving" || frame.in === "retire")) {
        return then(() => reject(new RelayError(frame)));
      }
      return then(async () => {
        if (frame.type === "receipt") {
          const heard = await out.takeReceipt(frame.body);
          if (heard?.complete) await retire();
          else if (heard) {
            missing = heard.missing;
            if (!timer) sendMissing();
          }
        } else if (frame.type === "retire_ok") {
          await recordEnd({ code: "moved", device: frame.device });
          resolve();
        }
      });
    });
    then(async () => {
      envelopes = await out.streamEnvelopes();
      const now = await out.moveOut();
      if (now.complete) return retire();
      // Again after a closed tab or a lost connection: the relay takes what it already holds for
      // what it is, and the new phone a repeat for a repeat.
      for (let seq = (now.received || 0) + 1; seq <= envelopes.length; seq += 1) send(seq, Boolean(now.sentOnce));
      if (!now.sentOnce) await out.sentOnce(now.invite);
      return null;
    });
  }).finally(() => clearTimeout(timer));
}

/**
 * Call the move off from this phone, before it has finished (§11.4): the relay forgets the
 * new phone and the stream, and this phone syncs again as before. Rejects if the relay
 * cannot be reached (then nothing has changed); "moved" if it had finished after all.
 */
export async function cancelMove() {
  const move = await out.moveOut();
  if (!move) return null;
  stopping = true;   // the move's own connection lets go, and does not come back for it
  live?.close();
  let session = null;
  try {
    ({ session } = await signIn());
    session.send({ type: "cancel", invite: move.invite });
    await session.next("cancel_ok");
  } catch (err) {
    if (ENDS.has(err.code)) return (await recordEnd(err.frame)) && "moved";
    if (!(err instanceof RelayError)) throw err;
    // The relay no longer knows this move (it ran out of time): called off all the same.
  } finally {
    session?.close();
    stopping = false;
  }
  await out.calledOff();
  return "stopped";
}
