// The inviting phone (docs/protocol.md §4): it shows a code, checks that whoever joined
// scanned it, and admits them only once its person has compared the six numbers and tapped
// "They match". It keeps only what it needs to retry ("pending_invite" in the keys store)
// and forgets it as soon as the pairing is confirmed, stopped, refused or left to expire.
import * as c from "../core/crypto.js";
import { b64u, unb64u } from "../core/encoding.js";
import { pairingLink } from "../core/pairing-link.js";
import * as db from "../data/db.js";
import { startAfresh } from "../device/ending.js";
import { deviceKeys, identity, isPaired, saveIdentity } from "../device/identity.js";
import { completeMove } from "../device/move-out.js";
import { completeReplacement } from "../device/succession.js";
import { t, useWords } from "../i18n/index.js";
import { RelayError, Session } from "../sync/connection.js";
import { PairingError, checkedPeer, completePairing, forget, now, samePeer } from "./common.js";
import { WORDS, pairingMessage } from "./words.js";

await useWords("pairing");

let showing = null;   // the session of the code on screen

/** Whether a code is on screen now (its session open). */
export const isShowing = () => Boolean(showing);

// Signed in as this phone, registering first if the relay does not know it. A phone that
// never paired may have been forgotten by the relay (it purges them): it registers afresh.
async function signIn(origin, keys) {
  const me = await identity();
  if (me?.pair) {
    const session = await Session.open(origin);
    await session.login(keys, keys.deviceId);
    try {
      const ready = await session.next("ready");
      if (ready.peer && !(await settleFromReady(ready))) {
        session.close();
        throw new PairingError(t("pairing.already_paired"));
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
  }).catch(() => { /* locked as the page leaves: the invite expires on its own */ })
    .finally(() => setTimeout(() => session.close(), 500));
}

// A paired phone signs in as itself to invite its partner's new phone (§11.3), or its own (§11.4).
async function signInPaired(origin, keys) {
  const session = await Session.open(origin);
  try {
    await session.login(keys, keys.deviceId);
    await session.next("ready");
    return session;
  } catch (err) {
    session.close();
    throw err;
  }
}

// Show a code. Calls onLink(link, expiresAt) once the invite exists, and resolves with the
// safety code once someone has joined and proved they scanned it; the person then compares
// and calls confirmInvite() or cancelInvite(). onStopped(message) is called if the partner's
// phone stops the pairing while the numbers are on screen. With `replace`, a paired phone
// invites its partner's new phone into the place of their lost one (§11.3); with `move`, its
// own new phone, to move everything to (§11.4).
export async function invite(origin, { onLink, onStopped = () => {}, replace = false, move = false }) {
  const me = await identity();
  const paired = replace || move;
  if (paired ? !(await isPaired()) : await isPaired()) {
    throw new PairingError(t(paired ? "pairing.not_paired_yet" : "pairing.already_paired"));
  }
  stopShowing();
  await forget("pending_invite");
  if (!paired) await startAfresh();   // after an ended pairing, this phone pairs as a new device (§11.2)
  const keys = await deviceKeys();
  const session = paired ? await signInPaired(me.relay || origin, keys) : await signIn(origin, keys);
  if (!paired && await isPaired()) { session.close(); throw new PairingError(t("pairing.already_paired")); }
  showing = session;
  const secret = c.newSecret();
  const eph = await c.newEphemeralKey();
  const inviteId = await c.inviteId(secret);
  session.send({ type: "invite", invite: inviteId, ...(replace ? { replace: true } : move ? { move: true } : {}) });
  const ok = await session.next("invite_ok");
  const pending = { invite: inviteId, origin, secret, ephPrivate: eph.privateKey, ephPub: eph.pub,
                    ttl: Math.max(60, ok.expires_at - now()), expiresAt: ok.expires_at, stage: "shown",
                    ...(replace ? { replace: true, replaces: me.peer.device } : move ? { move: true } : {}) };
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
    // The relay must be putting the new phone where this phone's partner was, no other.
    if (pending.replace && request.replaces !== pending.replaces) throw new c.CryptoError("another place");
    if (Boolean(pending.move) !== (request.move === true)) throw new c.CryptoError("another kind of pairing");
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
  await session.login(keys, keys.deviceId);
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
    if (await settleFromReady(opened.ready)) {
      if (pending.move) stopShowing();   // the move has a connection of its own (sync/move-stream.js)
      return pending.code;
    }
    const { session } = opened;
    try {
      session.send({ type: "confirm", invite: pending.invite });
      const ok = await session.next("confirm_ok");
      if (!samePeer(await checkedPeer(ok.peer), pending.peer)) throw new c.CryptoError("another device");
      if (pending.move) {
        if (ok.move !== true) throw new c.CryptoError("not a move");
        await completeMove(pending);
        stopShowing();
      } else if (pending.replace) {
        if (ok.replaced !== pending.replaces) throw new c.CryptoError("another phone replaced");
        await completeReplacement(pending, ok.epoch);
        stopShowing();   // nothing left to confirm; the sync engine takes it from here
      } else {
        await completeInvite(pending);
      }
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

async function completeInvite(pending) {
  const keys = await deviceKeys();
  await forget("pending_invite");
  await completePairing(keys, pending.peer, pending.th2, pending.secret, unb64u(pending.peer.dh_pub));
}

// A `ready` that names a partner while this phone waits on a comparison it confirmed: the
// answer to that confirm was lost, and the relay's word that the partner was admitted
// finishes it (§4.6). Returns true if this phone is now paired.
// The same holds for a new phone admitted in place of the partner's lost one (§11.3): the
// `ready` then also carries the pair's new epoch.
// So does my own new phone, held as my mover (§11.4): the `ready` names it while the move is under way.
export async function settleFromReady(ready) {
  const pending = await db.getKey("pending_invite");
  if (pending?.stage !== "accepted") return false;
  if (pending.move) return samePeer(ready?.mover, pending.peer) && ready.mover.invite === pending.invite &&
    completeMove(pending).then(() => true);
  if (!ready?.peer || !samePeer(ready.peer, pending.peer)) return false;
  if (pending.replace) {
    await completeReplacement(pending, ready.epoch);
    return true;
  }
  if (await isPaired()) return false;
  await completeInvite(pending);
  return true;
}
