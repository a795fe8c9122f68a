// Pairing two phones (docs/protocol.md §4). The joiner stays pending at the relay until
// the inviter's person has compared the six numbers on both screens and tapped "They
// match"; until then nothing is shared and neither phone keeps a root key. Each side keeps
// only what it needs to retry ("pending_invite", "pending_join" in IndexedDB) and forgets
// it as soon as the pairing is confirmed, stopped, refused or left to expire.
import * as c from "../core/crypto.js";
import { b64u, unb64u } from "../core/encoding.js";
import { senderKey } from "../core/envelope.js";
import { pairingLink, parsePairingLink } from "../core/pairing-link.js";
import * as db from "../data/db.js";
import { announce } from "../device/changes.js";
import { deviceKeys, identity, isPaired, saveIdentity } from "../device/identity.js";
import { reauthor } from "../device/records.js";
import { ConnectionLost, RelayError, Session } from "./connection.js";

export class PairingError extends Error {
  constructor(message, { stopped = false } = {}) {
    super(message);
    this.stopped = stopped;   // the pairing is over: show a way to start again
  }
}

export const WORDS = {
  mismatch: "If the numbers are different, someone else may have used this code. Nothing has been shared. " +
    "You can start again with a new code whenever you're ready.",
  partnerStopped: "The pairing was stopped on your partner's phone, so nothing has been shared. " +
    "When you're both ready, one of you can show a new code.",
  joinerUnproven: "The phone that answered couldn't prove it scanned this code, so nothing has been shared. " +
    "Show a new code to try again.",
  inviterUnproven: "Your partner's phone couldn't prove it showed this code, so nothing has been shared. " +
    "Ask your partner to show a new code.",
  lost: "The connection dropped before the pairing finished, so nothing has been shared. Please start again with a new code.",
  expired: "This pairing took longer than the code lasts, so nothing has been shared. Please start again with a new code.",
};

const forget = async (name) => (await db.database()).delete("keys", name);
const now = () => Math.floor(Date.now() / 1000);
const STALE_JOIN_MS = 24 * 3600 * 1000;   // the relay forgets a pending joiner far sooner

// A partner device named by the relay, once its keys are points on P-256 and its id is
// theirs. The relay checks keys too, but only for itself (§4.7).
async function checkedPeer(peer) {
  if (!peer || peer.suite !== c.SUITE_P256) throw new c.CryptoError("unknown suite");
  const sigPub = unb64u(peer.sig_pub);
  const dhPub = unb64u(peer.dh_pub);
  await c.loadPublic(sigPub);
  await c.loadPublic(dhPub, { name: "ECDH", namedCurve: "P-256" });
  if ((await c.deviceId(sigPub, dhPub, peer.suite)) !== peer.device) throw new c.CryptoError("id mismatch");
  return { device: peer.device, suite: peer.suite, sig_pub: peer.sig_pub, dh_pub: peer.dh_pub };
}

const samePeer = (a, b) => Boolean(a && b) && a.device === b.device && a.sig_pub === b.sig_pub && a.dh_pub === b.dh_pub;

// A pending pairing that can no longer finish is forgotten: an invite past its time, a
// join far older than any invite lives.
export async function forgetStalePairing() {
  const invited = await db.getKey("pending_invite");
  if (invited && invited.expiresAt < now()) await forget("pending_invite");
  const joined = await db.getKey("pending_join");
  if (joined && Date.now() - joined.at > STALE_JOIN_MS) await forget("pending_join");
}

// What the pair screen should show when it opens: a pairing under way, or nothing.
export async function pendingPairing() {
  await forgetStalePairing();
  const invited = await db.getKey("pending_invite");
  if (invited?.stage === "accepted") return { role: "inviter", code: invited.code };
  // A code left on screen when the app closed cannot be picked up again: the next code
  // replaces it at the relay, and this phone forgets it now.
  if (invited && !showing) await forget("pending_invite");
  const joined = await db.getKey("pending_join");
  if (joined?.stage === "verified") return { role: "joiner", code: joined.code };
  return null;
}

// --- the inviter ---------------------------------------------------------------------------

let showing = null;   // the session of the code on screen

// Signed in as this phone, registering first if the relay does not know it. A phone that
// never paired may have been forgotten by the relay (it purges them): it registers afresh.
async function signIn(origin, keys) {
  const me = await identity();
  if (me?.pair) {
    const session = await Session.open(origin);
    session.send({ type: "login", device: keys.deviceId, sig: b64u(await keys.signLogin(unb64u(session.challenge))) });
    try {
      const ready = await session.next("ready");
      if (ready.peer && !(await settleFromReady(ready))) {
        session.close();
        throw new PairingError("This phone is already paired.");
      }
      return session;
    } catch (err) {
      session.close();
      if (err.code !== "login_failed") throw err;
      await saveIdentity({ relay: null, pair: null, epoch: null });
    }
  }
  const session = await Session.open(origin);
  session.send({ type: "register", ...keys.publicFrame(), sig: b64u(await keys.signRegister(unb64u(session.challenge))) });
  const reg = await session.next("registered");
  await saveIdentity({ relay: origin, device: reg.device, pair: reg.pair, epoch: reg.epoch });
  return session;
}

// Leaving the code screen withdraws the code (or the comparison under way): nothing is
// shared, and the relay drops whoever joined.
export function stopShowing() {
  const session = showing;
  showing = null;
  if (!session) return;
  db.getKey("pending_invite").then(async (pending) => {
    if (pending) {
      try { session.send({ type: "cancel", invite: pending.invite }); } catch { /* it expires on its own */ }
      await forget("pending_invite");
    }
  }).finally(() => setTimeout(() => session.close(), 500));
}

// Show a code. Calls onLink(link, expiresAt) once the invite exists, and resolves with the
// safety code once someone has joined and proved they scanned it; the person then compares
// and calls confirmInvite() or cancelInvite(). onStopped(message) is called if the partner's
// phone stops the pairing while the numbers are on screen.
export async function invite(origin, { onLink, onStopped = () => {} }) {
  if (await isPaired()) throw new PairingError("This phone is already paired.");
  stopShowing();
  await forget("pending_invite");
  const keys = await deviceKeys();
  const session = await signIn(origin, keys);
  if (await isPaired()) { session.close(); throw new PairingError("This phone is already paired."); }
  showing = session;
  const secret = c.newSecret();
  const eph = await c.newEphemeralKey();
  const inviteId = await c.inviteId(secret);
  session.send({ type: "invite", invite: inviteId });
  const ok = await session.next("invite_ok");
  const pending = { invite: inviteId, origin, secret, ephPrivate: eph.privateKey, ephPub: eph.pub,
                    ttl: Math.max(60, ok.expires_at - now()), expiresAt: ok.expires_at, stage: "shown" };
  await db.setKey("pending_invite", pending);
  onLink(pairingLink(origin, secret, eph.pub), ok.expires_at);
  const request = await session.next("pair_request");
  const code = await acceptJoin(session, request, pending, keys);
  // Frames nobody waits for: the partner's phone may stop the pairing while we compare.
  session.listen(async (frame) => {
    if (frame.type !== "pair_cancelled" || frame.invite !== inviteId || showing !== session) return;
    await forget("pending_invite");
    onStopped(WORDS.partnerStopped);
  });
  return code;
}

// Check the joiner's box and answer it. A joiner that cannot prove it scanned the code is
// refused: the pairing is called off and the invite is spent.
async function acceptJoin(session, request, pending, keys) {
  let peer;
  let th1;
  try {
    if (request.invite !== pending.invite) throw new c.CryptoError("another invite");
    peer = await checkedPeer(request);
    const ephB = unb64u(request.eph);
    await c.loadPublic(ephB, { name: "ECDH", namedCurve: "P-256" });
    th1 = await c.transcript1(pending.invite, pending.ephPub, ephB);
    const [kJoin, kAccept] = await c.pairKeys(pending.ephPrivate, ephB, pending.secret, th1);
    await c.openJoinBox(unb64u(request.box), th1, kJoin, unb64u(peer.sig_pub), unb64u(peer.dh_pub));
    pending.kAccept = kAccept;
  } catch {
    try { session.send({ type: "cancel", invite: pending.invite }); } catch { /* expires on its own */ }
    await forget("pending_invite");
    throw new PairingError(WORDS.joinerUnproven, { stopped: true });
  }
  const th2 = await c.transcript2(th1, keys.sigPub, keys.dhPub, unb64u(peer.sig_pub), unb64u(peer.dh_pub));
  const me = await identity();
  const box = await c.makeAcceptBox(keys, th1, th2, me.pair, pending.kAccept);
  const code = await c.safetyCode(th2, pending.secret);
  // Kept before the box leaves: whatever happens next, this phone knows where it stands.
  const { kAccept, ...rest } = pending;
  await db.setKey("pending_invite", { ...rest, stage: "accepted", peer, th2, code, expiresAt: now() + pending.ttl });
  session.send({ type: "accept", invite: pending.invite, box: b64u(box) });
  await session.next("accept_ok");
  return code;
}

// The session to confirm or cancel on: the one that showed the code, or a fresh login.
// `ready` is that login's answer (null for the open session).
async function inviterSession(pending) {
  if (showing && !showing.closed) return { session: showing, ready: null };
  const session = await Session.open(pending.origin);
  const keys = await deviceKeys();
  session.send({ type: "login", device: keys.deviceId, sig: b64u(await keys.signLogin(unb64u(session.challenge))) });
  try {
    const ready = await session.next("ready");
    showing = session;
    return { session, ready };
  } catch (err) {
    session.close();
    throw err;
  }
}

// "They match": the relay admits the partner's phone, and this phone keeps the pairing.
export async function confirmInvite() {
  const pending = await db.getKey("pending_invite");
  if (pending?.stage !== "accepted") throw new PairingError(WORDS.lost, { stopped: true });
  for (let attempt = 0; ; attempt += 1) {
    let opened;
    try {
      opened = await inviterSession(pending);
    } catch (err) {
      throw new PairingError(pairingMessage(err));
    }
    // A `ready` naming the partner means an earlier confirm arrived and its answer did not.
    if (await settleFromReady(opened.ready)) return pending.code;
    const { session } = opened;
    try {
      session.send({ type: "confirm", invite: pending.invite });
      const ok = await session.next("confirm_ok");
      if (!samePeer(await checkedPeer(ok.peer), pending.peer)) throw new c.CryptoError("another device");
      await completeInvite(pending);
      return pending.code;
    } catch (err) {
      if (err instanceof RelayError) {
        await forget("pending_invite");
        throw new PairingError(err.code === "invite_expired" ? WORDS.expired : WORDS.partnerStopped, { stopped: true });
      }
      if (err instanceof c.CryptoError) {
        await forget("pending_invite");
        throw new PairingError(WORDS.lost, { stopped: true });
      }
      session.close();
      showing = null;
      if (attempt > 0) throw new PairingError(pairingMessage(err));
    }
  }
}

// "They're different", or giving up: the relay drops the joiner; this phone forgets it all.
export async function cancelInvite() {
  const pending = await db.getKey("pending_invite");
  await forget("pending_invite");
  const session = showing;
  showing = null;
  if (!pending) { session?.close(); return; }
  try {
    const live = session && !session.closed ? session : (await inviterSession(pending)).session;
    showing = null;
    if (live === session) live.listen(() => {});
    live.send({ type: "cancel", invite: pending.invite });
    await live.next("cancel_ok").catch(() => {});
    live.close();
  } catch {
    // Offline: the relay forgets the joiner when the invite expires, and this phone has already.
  }
}

// The pairing is complete: keep the two sender keys as non-extractable AES keys and
// forget the root bytes, which never leave this function.
async function completePairing(keys, peer, th2, secret, peerDhPub) {
  const me = await identity();
  const root = await c.rootKey(keys.dh, peerDhPub, th2, me.pair, me.epoch);
  const rootKey = await c.importRootKey(root);
  const send = await c.importAeadKey(await senderKey(rootKey, me.pair, me.epoch, me.device));
  const receive = await c.importAeadKey(await senderKey(rootKey, me.pair, me.epoch, peer.device));
  root.fill(0);
  const safetyCode = await c.safetyCode(th2, secret);
  await db.setKey("send", send);
  await db.setKey("receive", receive);
  await saveIdentity({ peer, safetyCode, pairedAt: Date.now() });
  await db.setMeta("pending_invite", null);
  announce("pairing", { paired: true });
  return safetyCode;
}

async function completeInvite(pending) {
  const keys = await deviceKeys();
  await forget("pending_invite");
  await completePairing(keys, pending.peer, pending.th2, pending.secret, unb64u(pending.peer.dh_pub));
}

// A `ready` that names a partner while this phone waits on a comparison it confirmed: the
// answer to that confirm was lost, and the relay's word that the partner was admitted
// finishes it (§4.6). Returns true if this phone is now paired.
export async function settleFromReady(ready) {
  if (!ready?.peer || (await isPaired())) return false;
  const pending = await db.getKey("pending_invite");
  if (pending?.stage !== "accepted" || !samePeer(ready.peer, pending.peer)) return false;
  await completeInvite(pending);
  return true;
}

// --- the joiner ----------------------------------------------------------------------------

let joining = null;   // { session, stopped } of the join under way

async function checkedLink(link, here) {
  const { origin, secret, eph } = parsePairingLink(link);
  if (here && origin !== here) {
    throw new PairingError(`This code belongs to a Hearth at ${origin}. Open the link itself on this phone to use that one.`);
  }
  try {
    await c.loadPublic(eph, { name: "ECDH", namedCurve: "P-256" });
  } catch {
    throw new PairingError("This pairing link is damaged, so it can't be used. Ask your partner to show a new code.");
  }
  return { origin, secret, eph };
}

// Join with a partner's link. Calls onCode(code) once the partner's phone has proved it
// showed the code, then resolves with the code when the partner confirms, or rejects with
// a PairingError (stopped: true) if either phone stops the pairing.
export function join(link, options = {}) {
  const run = { session: null, stopped: false };
  joining = run;
  run.promise = joinSteps(link, run, options).finally(() => { if (joining === run) joining = null; });
  return run.promise;
}

async function joinSteps(link, run, { here = globalThis.location?.origin, onCode = () => {} }) {
  const { origin, secret, eph } = await checkedLink(link, here);
  if (await isPaired()) throw new PairingError("This phone is already paired.");
  stopShowing();
  await forget("pending_invite");
  await forget("pending_join");
  // A phone the relay already knows (it showed its own code first) joins with new keys;
  // what it wrote before keeps belonging to it under the new id.
  const me = await identity();
  let keys;
  if (me?.pair) {
    keys = await deviceKeys({ fresh: true });
    await reauthor(me.device, keys.deviceId);
    await saveIdentity({ device: keys.deviceId, relay: null, pair: null, epoch: null });
  } else {
    keys = await deviceKeys();
  }
  const mine = await c.newEphemeralKey();
  const inviteId = await c.inviteId(secret);
  const th1 = await c.transcript1(inviteId, eph, mine.pub);
  const [kJoin, kAccept] = await c.pairKeys(mine.privateKey, eph, secret, th1);
  const session = await Session.open(origin);
  run.session = session;
  session.send({
    type: "join", invite: inviteId, ...keys.publicFrame(),
    sig: b64u(await keys.signRegister(unb64u(session.challenge))),
    eph: b64u(mine.pub), box: b64u(await c.makeJoinBox(keys, th1, kJoin)),
  });
  let joined;
  try {
    joined = await session.next("joined");
  } catch (err) {
    session.close();
    throw err;
  }
  const callOff = async (message) => {
    try { session.send({ type: "cancel", invite: inviteId }); } catch { /* forgotten at expiry anyway */ }
    await forget("pending_join");
    setTimeout(() => session.close(), 500);
    throw new PairingError(message, { stopped: true });
  };
  let peer;
  try {
    peer = await checkedPeer(joined.peer);
  } catch {
    return callOff(WORDS.inviterUnproven);
  }
  const pending = { invite: inviteId, origin, device: joined.device, pair: joined.pair, epoch: joined.epoch,
                    peer, secret, stage: "joined", at: Date.now() };
  await db.setKey("pending_join", pending);
  const answer = await session.next("pair_accepted", "pair_cancelled").catch((err) => {
    session.close();
    return forget("pending_join").then(() => { throw run.stopped ? new PairingError(WORDS.mismatch, { stopped: true }) : err; });
  });
  if (answer.type === "pair_cancelled") {
    await forget("pending_join");
    session.close();
    throw new PairingError(WORDS.partnerStopped, { stopped: true });
  }
  let th2;
  try {
    th2 = await c.openAcceptBox(unb64u(answer.box), th1, await c.importAeadKey(kAccept), keys, joined.pair,
                                unb64u(peer.sig_pub), unb64u(peer.dh_pub));
  } catch {
    return callOff(WORDS.inviterUnproven);
  }
  const code = await c.safetyCode(th2, secret);
  Object.assign(pending, { stage: "verified", th2, code });
  await db.setKey("pending_join", pending);
  onCode(code);
  return waitForConfirmation(run);
}

let waitingInBackground = null;

// Wait for the partner's "They match" (or their "They're different"), logging in again
// as a pending joiner whenever the connection drops.
async function waitForConfirmation(run) {
  let session = run.session;
  let backoff = 1000;
  for (;;) {
    const pending = await db.getKey("pending_join");
    if (!pending || run.stopped) {
      session?.close();
      throw new PairingError(WORDS.mismatch, { stopped: true });
    }
    try {
      if (!session) {
        session = await Session.open(pending.origin);
        run.session = session;
        const keys = await deviceKeys();
        session.send({ type: "login", device: pending.device, sig: b64u(await keys.signLogin(unb64u(session.challenge))) });
        const answer = await session.next("ready", "joined");
        if (answer.type === "ready") {
          session.close();
          if (samePeer(answer.peer, pending.peer)) return completeJoin(pending);
          await forget("pending_join");
          throw new PairingError(WORDS.partnerStopped, { stopped: true });
        }
      }
      const frame = await session.next("pair_confirmed", "pair_cancelled");
      if (frame.type === "pair_confirmed") {
        setTimeout(() => session.close(), 0);
        return completeJoin(pending);
      }
      session.close();
      await forget("pending_join");
      throw new PairingError(WORDS.partnerStopped, { stopped: true });
    } catch (err) {
      if (err instanceof PairingError) throw err;
      session?.close();
      session = null;
      if (err instanceof RelayError) {
        if (err.code === "login_failed") {   // stopped or expired: the relay has forgotten this phone
          await forget("pending_join");
          throw new PairingError(WORDS.partnerStopped, { stopped: true });
        }
        throw new PairingError(pairingMessage(err));
      }
      if (run.stopped) continue;
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 30000);
    }
  }
}

async function completeJoin(pending) {
  if (await isPaired()) return pending.code;
  await saveIdentity({ relay: pending.origin, device: pending.device, pair: pending.pair, epoch: pending.epoch });
  await forget("pending_join");
  await completePairing(await deviceKeys(), pending.peer, pending.th2, pending.secret,
                               unb64u(pending.peer.dh_pub));
  return pending.code;
}

// The pair screen opened on a join that is waiting for the partner: wait again.
export function resumeJoin() {
  if (joining) return joining.promise;
  const run = { session: null, stopped: false };
  joining = run;
  run.promise = waitForConfirmation(run).finally(() => { if (joining === run) joining = null; });
  return run.promise;
}

// Called by the sync engine while this phone has no pair: a join left waiting when the app
// closed finishes (or is forgotten) without anyone opening the pair screen.
export function resumePendingJoin() {
  if (joining || waitingInBackground) return;
  waitingInBackground = db.getKey("pending_join").then((pending) => (pending?.stage === "verified" ? resumeJoin() : null))
    .catch(() => null).finally(() => { waitingInBackground = null; });
}

// "They're different" on the joining phone: the relay drops this phone; it forgets it all.
export async function cancelJoin() {
  const pending = await db.getKey("pending_join");
  await forget("pending_join");
  const run = joining;
  joining = null;
  if (run) run.stopped = true;
  let session = run?.session && !run.session.closed ? run.session : null;
  try {
    if (!session && pending) {
      session = await Session.open(pending.origin);
      const keys = await deviceKeys();
      session.send({ type: "login", device: pending.device, sig: b64u(await keys.signLogin(unb64u(session.challenge))) });
      await session.next("joined");
    }
    if (session && pending) {
      session.send({ type: "cancel", invite: pending.invite });
      await session.next("cancel_ok").catch(() => {});
    }
  } catch {
    // Offline: the relay forgets this phone when the invite expires.
  } finally {
    session?.close();
  }
}

// Words for a relay refusal during pairing, written for someone holding two phones.
export function pairingMessage(err) {
  const byCode = {
    invite_expired: "This code has expired. Ask your partner to show a new one; they last ten minutes.",
    invite_used: "This code has already been used. Ask your partner to show a new one.",
    invite_unknown: "Hearth doesn't recognise this code. Ask your partner to show a new one.",
    invite_cancelled: WORDS.partnerStopped,
    pair_full: "Your partner's Hearth is already paired with another phone.",
    rate_limited: "Lots of tries in a short time. Please wait a few minutes, then try again.",
  };
  if (err?.code && byCode[err.code]) return byCode[err.code];
  if (err instanceof PairingError) return err.message;
  if (err?.name === "PairingLinkError") return `This pairing link can't be used: ${err.message}. Ask your partner to show a new code.`;
  if (err?.name === "VersionError") return err.message;
  if (err instanceof ConnectionLost || err?.name === "ConnectionLost" || err?.constructor?.name === "ConnectionLost") {
    return "Hearth can't reach its server just now. Check your connection and try again.";
  }
  return "Something went wrong while pairing, so nothing has been shared. Please try again.";
}

