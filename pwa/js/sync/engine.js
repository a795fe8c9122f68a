// Keeps this phone in step with the partner's: connects when online, sends the outbox
// (each envelope once per connection), applies what arrives in order, trades receipts, and
// reconnects with backoff. One tab at a time runs it (a Web Lock), so two open tabs never
// send or apply the same thing twice. Once the pairing has ended (§11.2: either phone's
// unpair, or the relay's word at login) it stops for good and never connects again for it.
import { b64u } from "../core/encoding.js";
import { changes } from "../device/changes.js";
import * as ending from "../device/ending.js";
import { deviceKeys, identity, isPaired } from "../device/identity.js";
import { noticesAfterReady, partnerMoved } from "../device/partner-moved.js";
import { ConnectionLost, Session } from "./connection.js";
import { Intake } from "./intake.js";
import { moveIn, moveOut } from "../device/move-state.js";
import * as outbox from "./outbox.js";
import { makeReceipt, readReceipt, settleGaps } from "./receipts.js";

export const status = new EventTarget();   // "change" events; read current()

// Pairing loads only while this phone has none to finish (precached all the same).
const pairing = () => import("../pairing/index.js");

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60000;
const MAX_RETRY_AFTER_S = 3600;   // a relay's retry_after beyond an hour is taken as an hour

let session = null;
let state = { connection: "offline", caughtUp: false, lastSyncAt: null };
let backoff = MIN_BACKOFF_MS;
let retryTimer = null;
let notBefore = 0;         // the relay said not to log in again before this (Date.now() ms)
let started = false;
let stopping = false;      // the pairing just ended: nothing connects while that is being kept
let inFlight = new outbox.InFlight();   // what this connection has sent and the relay not yet taken
let intake = null;         // this connection's deliveries, from arrival to applied (sync/intake.js)
let relayLastSeq = 0;      // what the relay said at login it holds of mine: a claim, for resends only
let receiptDue = false;   // this phone has news for its partner's (a catch-up, a batch applied)
let lastReceiptAt = 0;
let receiptTimer = null;
let judgeTimer = null;
const RECEIPT_EVERY_MS = 3000;   // at most one receipt in this long
const RECEIPT_JUDGE_MS = 10000;  // a live receipt's head is judged this much later (§5.6)
const GAP_RETRY_MS = 10000;      // while something is missing, ask for it again this often
const DELIVERY_BATCH = 200;   // envelopes the relay may put in one "deliveries" frame (§6)
const ENDS = new Set(["unpaired", "replaced", "moved", "moved_unsigned"]);   // this phone's pairing is over

function setState(patch) {
  state = { ...state, ...patch };
  status.dispatchEvent(new Event("change"));
}

/** Where the engine stands now ({ connection, caughtUp, lastSyncAt, … }); shell/status-line.js reads the rest. */
export const current = () => state;

export function start() {
  if (started) return;
  started = true;
  globalThis.addEventListener?.("online", () => connectSoon(0));
  globalThis.addEventListener?.("offline", () => session?.close());
  document.addEventListener?.("visibilitychange", () => { if (!document.hidden) connectSoon(0); });
  changes.addEventListener("records", (e) => { if (e.detail.mine) flush(); });
  // Just paired: a connection already open (the inviter's) starts sending; otherwise connect.
  changes.addEventListener("pairing", () => (session ? flush() : connectSoon(0)));
  // A move begins (§11.4): its own connection takes over from this one.
  changes.addEventListener("move", (e) => { if (e.detail.started) (session ? session.close() : connectSoon(0)); });
  const run = () => connectSoon(0);
  if (navigator.locks) navigator.locks.request("hearth-sync", () => new Promise(() => run()));
  else run();
}

function connectSoon(delay) {
  clearTimeout(retryTimer);
  // Nothing sooner than the relay asked, not even on coming online or into view: a login
  // before then is only refused again, and counts as one more attempt against this address.
  retryTimer = setTimeout(connect, Math.max(delay, notBefore - Date.now()));
}

// A move's connection runs instead of this engine's while one is under way (sync/move-stream.js,
// loaded only then).
async function moveInstead() {
  const [sending, receiving] = await Promise.all([moveOut(), moveIn()]);
  return Boolean(sending || receiving) && (await import("./move-stream.js")).moveInstead();
}

async function connect() {
  if (session || navigator.onLine === false || stopping) return;
  if (await ending.ended()) {
    setState({ connection: "ended" });
    return;
  }
  if (await moveInstead()) return setState({ connection: "moving" });   // nothing else syncs meanwhile
  const me = await identity();
  if (!me?.pair) {   // nothing to sign in with until the relay knows this phone...
    pairing().then((p) => p.resumePendingJoin());   // ...but a join left waiting for "They match" goes on
    return;
  }
  setState({ connection: "connecting" });
  try {
    session = await Session.open(me.relay || location.origin);
    const keys = await deviceKeys();
    await session.login(keys, me.device, { batch: DELIVERY_BATCH });
    const ready = await session.next("ready");
    // My partner moved (§11.4): the signed notices that follow bring this phone into the new epoch.
    if ((await isPaired()) && ready.epoch > me.epoch) await noticesAfterReady(session, ready.epoch);
    // A confirm whose answer was lost (§4.6), a new phone admitted in place of the partner's
    // lost one (§11.3), or my own as my mover (§11.4): the relay's word finishes what I began.
    if ((ready.peer && (!(await isPaired()) || ready.epoch !== (await identity()).epoch)) || ready.mover) {
      await (await pairing()).settleFromReady(ready);
    }
    if (await moveInstead()) throw Object.assign(new Error("moving"), { code: "moving" });
    if (ready.mover) session.send({ type: "cancel", invite: ready.mover.invite });   // a move this phone forgot: off
    // Never judge envelopes of an epoch this phone does not hold the keys of: they would be
    // acknowledged as damaged and lost. Try again once it does.
    if ((await isPaired()) && ready.epoch !== (await identity()).epoch) throw Object.assign(new Error("epoch"), { code: "epoch" });
    backoff = MIN_BACKOFF_MS;
    inFlight = new outbox.InFlight();
    setState({ connection: "online", caughtUp: false });
    const live = session;
    intake = new Intake(live, {
      isLive: () => session === live,
      applied: () => { receiptDue = true; },
      settled: settle,
    });
    live.listen((frame) => onFrame(live, frame));
    if (await isPaired()) {
      // A claim, never a reason to delete: what the relay says it holds waits in "kept"
      // until my partner's own receipt confirms it (protocol §5.6).
      const claimed = Number.isSafeInteger(ready.last_seq) && ready.last_seq > 0 ? ready.last_seq : 0;
      relayLastSeq = claimed;
      if (claimed) await outbox.handedOver(claimed);
      receiptDue = true;
      for (const item of await outbox.keptAbove(claimed)) live.send({ type: "send", seq: item.seq, body: b64u(item.envelope) });
      await flush();
    }
  } catch (err) {
    session?.close();
    session = null;
    // The relay says the pairing ended (§11.2), that a new phone took this one's place
    // (§11.3, §11.4), or moved my partner without their word: keep what that proves, and stop.
    if (ENDS.has(err.code)) {
      await stop(err.frame);
      return;
    }
    setState({ connection: "offline", error: err.code || null });
    // A phone that never paired and that the relay has forgotten has nothing to sync; it
    // registers afresh when its person next starts pairing.
    if (err.code === "login_failed" && !(await isPaired())) return;
    if (err.code === "rate_limited" && err.retryAfter > 0) {
      // Too many logins, or a relay busy with a crowd of them (§7): at least as long as it
      // said, and a little more at random, so the phones it turned away come back spread out.
      const wait = Math.min(err.retryAfter, MAX_RETRY_AFTER_S) * 1000;
      notBefore = Date.now() + wait;
      connectSoon(wait * (1 + Math.random() * 0.2));
      return;
    }
    connectSoon(backoff * (0.8 + Math.random() * 0.4));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

function onFrame(live, frame) {
  switch (frame.type) {
    case "deliver":
    case "deliveries":
      if (session === live) intake.take(frame);
      break;
    case "sent":
      // My receipt's head tells my partner's phone what to expect (§5.6).
      if (Number.isSafeInteger(frame.seq)) {
        inFlight.taken(frame.seq);
        outbox.handedOver(frame.seq).then(() => { receiptDue = true; settle(); });
      }
      break;
    case "receipt":
      onReceipt(live, frame).catch(() => {});
      break;
    case "unpaired":   // my partner ended the pairing just now
      stop(frame);
      break;
    case "succession":   // my partner moved just now (§11.4): log in again under the new epoch
      partnerMoved(frame).then((r) => r === "applied" && live.close(), (err) => stop(err.frame));
      break;
    case "error":
      if (ENDS.has(frame.code)) {   // found on my next frame, or as the relay lets go
        stop(frame);
        break;
      }
      // The relay refused something: say so instead of "Sending…" for ever, and send what
      // it has not taken again with the next change.
      if (frame.in === "send") {
        inFlight.clear();
        setState({ refused: typeof frame.code === "string" ? frame.code : "refused" });
      }
      break;
    case "caught_up":
      setState({ caughtUp: true });
      settle();
      break;
    case "_closed":
      if (session === live) {
        session = null;
        setState({ connection: "offline", caughtUp: false });
        if (stopping) break;   // the relay closes both phones' sockets as the pairing ends
        connectSoon(backoff * (0.8 + Math.random() * 0.4));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      break;
    default:
      break;   // pong, and frames a newer relay may add
  }
}

// My partner's receipt: forget what their phone confirms, send again what it asks for, and
// look again in a while at what their head says should be here by now (protocol §5.6).
async function onReceipt(live, frame) {
  if (typeof frame.body !== "string") return;
  const { resend, resealed } = await navigatorLock(() => readReceipt(frame.body));
  for (const item of resend) live.send({ type: "send", seq: item.seq, body: b64u(item.envelope), resend: true });
  if (resealed) inFlight.clear();
  await flush();   // anything sealed again after an older copy was restored
  if (state.caughtUp) {
    clearTimeout(judgeTimer);
    judgeTimer = setTimeout(() => { receiptDue = true; settle(); }, RECEIPT_JUDGE_MS);
  }
}

// Once caught up with nothing left to apply: settle what is missing, then tell my partner's
// phone what this one has, at most every few seconds.
async function sendReceipt(live) {
  const wait = lastReceiptAt + RECEIPT_EVERY_MS - Date.now();
  if (wait > 0) {
    clearTimeout(receiptTimer);
    receiptTimer = setTimeout(() => settle(), wait);
    return;
  }
  receiptDue = false;
  lastReceiptAt = Date.now();
  const gaps = await settleGaps();
  if (session === live) live.send({ type: "receipt", body: await makeReceipt() });
  setState({ gaps });
  // Something is still missing: ask again in a while, in case the answer was lost too.
  if (gaps.length) {
    clearTimeout(judgeTimer);
    judgeTimer = setTimeout(() => { receiptDue = true; settle(); }, GAP_RETRY_MS);
  }
}

async function settle() {
  const idle = state.connection === "online" && state.caughtUp && nothingToApply();
  if (idle && receiptDue && session && (await isPaired())) sendReceipt(session).catch(() => {});
  if (idle && (await outbox.waiting()) === 0) {
    setState({ lastSyncAt: Date.now(), refused: null });
  } else {
    setState({});
  }
}

// Seal what is waiting and send what this connection has not sent yet, if connected;
// otherwise it waits in the outbox.
export async function flush() {
  if (!session || !(await isPaired())) {
    setState({});
    return;
  }
  const live = session;
  await navigatorLock(() => outbox.seal());
  const sealed = await outbox.sealed();
  if (live !== session) return;   // a new connection sends everything anew
  const sending = inFlight;
  const fresh = sending.take(sealed);
  for (const [i, item] of fresh.entries()) {
    try {
      // Sealed again after an older copy of this phone was restored (§5.6): at or below what
      // the relay holds, only a resend is stored rather than taken for a repeat.
      const frame = { type: "send", seq: item.seq, body: b64u(item.envelope) };
      if (item.seq <= relayLastSeq) frame.resend = true;
      live.send(frame);
    } catch {
      sending.untake(fresh.slice(i));
      return;   // the connection dropped; the next login resends from the outbox
    }
  }
  setState({});
}

/**
 * Resolves true once this phone is connected and has applied everything the relay held for
 * it, or false after `ms`. The phone that remains syncs before it invites its partner's new
 * phone (§11.3), so what the lost phone sent in time reaches it before the relay lets go.
 */
export function syncedNow(ms = 10000) {
  if (!session && started) connectSoon(0);
  return new Promise((resolve) => {
    const done = (value) => {
      clearTimeout(timer);
      status.removeEventListener("change", check);
      resolve(value);
    };
    const check = () => {
      if (state.connection === "online" && state.caughtUp && nothingToApply()) done(true);
    };
    const timer = setTimeout(() => done(false), ms);
    status.addEventListener("change", check);
    check();
  });
}

// Nothing delivered waits to be applied.
const nothingToApply = () => !intake || intake.idle;

function navigatorLock(fn) {
  return navigator.locks ? navigator.locks.request("hearth-seal", fn) : fn();
}

// ---------- the end of the pairing (protocol §11.2) ----------

// The pairing ended, by `notice`: keep that (device/ending.js checks whose word it is),
// close the connection and stop every timer; nothing reconnects for this pairing. Pairing
// again later ("pairing" event) starts the engine afresh.
async function stop(notice) {
  stopping = true;
  const live = session;
  session = null;
  live?.close();
  for (const timer of [retryTimer, receiptTimer, judgeTimer]) clearTimeout(timer);
  intake?.drop();
  try {
    await ending.recordEnd(notice);
  } finally {
    stopping = false;
    setState({ connection: "ended", caughtUp: false });
  }
}

const UNPAIR_WAIT_MS = 20000;

/**
 * End the pairing for both phones (§11.2): sign the notice and send it on this tab's
 * connection, or on one opened for it. Resolves with the end as kept; rejects when the
 * relay cannot be reached (then nothing has changed, and the person can try again).
 */
export async function unpair() {
  const me = await identity();
  if (await ending.ended()) return ending.ended();
  if (!(await isPaired())) throw new Error("not paired");
  let live = session;
  let own = null;
  let timer;
  const inTime = (promise) => Promise.race([promise, new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new ConnectionLost("the relay did not answer in time")), UNPAIR_WAIT_MS);
  })]).finally(() => clearTimeout(timer));
  try {
    if (!live) {
      own = live = await Session.open(me.relay || location.origin);
      await live.login(await deviceKeys(), me.device);
      await inTime(live.next("ready"));
    }
    const notice = await ending.signedNotice();
    live.send(notice);
    await inTime(live.next("unpair_ok"));
    stopping = true;   // before the relay's close of this socket is heard: no reconnecting
    await stop({ by: me.device, at: notice.at, sig: notice.sig });
  } catch (err) {
    if (err.code !== "unpaired") throw err;
    await stop(err.frame);   // it had already ended, by my partner or by an earlier try of mine
  } finally {
    own?.close();
  }
  return ending.ended();
}
