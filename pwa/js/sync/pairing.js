// Pairing two phones (docs/protocol.md §4): showing a code, joining with one, and the
// steps that can finish later if a phone loses its connection half-way.
import * as c from "../core/crypto.js";
import { b64u, unb64u } from "../core/encoding.js";
import { pairingLink, parsePairingLink } from "../core/pairing-link.js";
import * as db from "../data/db.js";
import { Session } from "./connection.js";
import * as device from "./device.js";

export class PairingError extends Error {}

async function connectAndSignIn(origin, keys) {
  const session = await Session.open(origin);
  const me = await device.identity();
  if (me?.pair) {
    session.send({ type: "login", device: keys.deviceId, sig: b64u(await keys.signLogin(unb64u(session.challenge))) });
    const ready = await session.next("ready");
    if (ready.peer) {
      session.close();
      throw new PairingError("This phone is already paired.");
    }
  } else {
    session.send({ type: "register", ...keys.publicFrame(), sig: b64u(await keys.signRegister(unb64u(session.challenge))) });
    const reg = await session.next("registered");
    await device.saveIdentity({ relay: origin, device: reg.device, pair: reg.pair, epoch: reg.epoch });
  }
  return session;
}

// Show side. Calls onLink(link, expiresAt) as soon as the invite exists, then resolves with
// the safety code once the partner has joined and been verified.
let showing = null;   // the session of the code on screen, closed when the screen goes

export function stopShowing() {
  showing?.close();
  showing = null;
}

export async function invite(origin, onLink) {
  if (await device.isPaired()) throw new PairingError("This phone is already paired.");
  stopShowing();
  const keys = await device.deviceKeys();
  const session = await connectAndSignIn(origin, keys);
  showing = session;
  try {
    const secret = c.newSecret();
    const eph = await c.newEphemeralKey();
    const inviteId = await c.inviteId(secret);
    session.send({ type: "invite", invite: inviteId });
    const ok = await session.next("invite_ok");
    await db.setKey("pending_invite", { invite: inviteId, secret, ephPrivate: eph.privateKey, ephPub: eph.pub,
                                         expiresAt: ok.expires_at });
    onLink(pairingLink(origin, secret, eph.pub), ok.expires_at);
    const request = await session.next("pair_request");
    return await acceptJoin(session, request);
  } finally {
    session.close();
  }
}

// A partner's join reached us (now, or at a later login): verify it and accept.
export async function acceptJoin(session, request) {
  const pending = await db.getKey("pending_invite");
  if (!pending || pending.invite !== request.invite) throw new PairingError("That pairing request is not for a code this phone showed.");
  const keys = await device.deviceKeys();
  const sigPub = unb64u(request.sig_pub);
  const dhPub = unb64u(request.dh_pub);
  if ((await c.peerDeviceId(request)) !== request.device) {
    throw new PairingError("The joining phone's keys don't match its id, so this phone did not pair.");
  }
  const th1 = await c.transcript1(pending.invite, pending.ephPub, unb64u(request.eph));
  const [kJoin, kAccept] = await c.pairKeys(pending.ephPrivate, unb64u(request.eph), pending.secret, th1);
  try {
    await c.openJoinBox(unb64u(request.box), th1, kJoin, sigPub, dhPub);
  } catch {
    throw new PairingError("The joining phone could not prove it scanned this code, so this phone did not pair.");
  }
  const th2 = await c.transcript2(th1, keys.sigPub, keys.dhPub, sigPub, dhPub);
  const me = await device.identity();
  const box = await c.makeAcceptBox(keys, th1, th2, me.pair, kAccept);
  session.send({ type: "accept", invite: pending.invite, box: b64u(box) });
  await session.next("accept_ok");
  const peer = { device: request.device, suite: request.suite, sig_pub: request.sig_pub, dh_pub: request.dh_pub };
  const code = await device.completePairing(keys, peer, th2, pending.secret, dhPub);
  await db.setKey("pending_invite", null);
  return code;
}

// Join side: read the link, join through the relay, and wait for the partner's phone to
// accept. Resolves with the safety code.
export async function join(link, { here = globalThis.location?.origin } = {}) {
  const { origin, secret, eph } = parsePairingLink(link);
  if (here && origin !== here) {
    throw new PairingError(`This code belongs to a Hearth at ${origin}. Open the link itself on this phone to use that one.`);
  }
  if (await device.isPaired()) throw new PairingError("This phone is already paired.");
  // A phone the relay already knows (it showed its own code first) joins with new keys;
  // one that has only written locally joins with the keys it has.
  const me = await device.identity();
  const registered = Boolean(me?.pair);
  if (registered) await db.setMeta("identity", null);
  const keys = await device.deviceKeys({ fresh: registered });
  const mine = await c.newEphemeralKey();
  const inviteId = await c.inviteId(secret);
  const th1 = await c.transcript1(inviteId, eph, mine.pub);
  const [kJoin, kAccept] = await c.pairKeys(mine.privateKey, eph, secret, th1);
  const session = await Session.open(origin);
  try {
    session.send({
      type: "join", invite: inviteId, ...keys.publicFrame(),
      sig: b64u(await keys.signRegister(unb64u(session.challenge))),
      eph: b64u(mine.pub), box: b64u(await c.makeJoinBox(keys, th1, kJoin)),
    });
    const joined = await session.next("joined");
    await device.saveIdentity({ relay: origin, device: joined.device, pair: joined.pair, epoch: joined.epoch });
    await device.reauthor(me?.device, joined.device);
    await db.setKey("pending_join", { invite: inviteId, th1, kAccept: await c.importAeadKey(kAccept), secret,
                                      peer: joined.peer });
    const accepted = await session.next("pair_accepted");
    return await finishJoin(accepted);
  } finally {
    session.close();
  }
}

// The inviter's answer reached us (now, or at a later login): check it and finish.
export async function finishJoin(accepted) {
  const pending = await db.getKey("pending_join");
  if (!pending || pending.invite !== accepted.invite) throw new PairingError("That answer is not for a code this phone joined.");
  const { peer } = pending;
  if ((await c.peerDeviceId(peer)) !== peer.device) {
    throw new PairingError("Your partner's phone keys don't match its id, so this phone did not pair.");
  }
  const keys = await device.deviceKeys();
  const me = await device.identity();
  let th2;
  try {
    th2 = await c.openAcceptBox(unb64u(accepted.box), pending.th1, pending.kAccept, keys, me.pair,
                                unb64u(peer.sig_pub), unb64u(peer.dh_pub));
  } catch {
    throw new PairingError("Your partner's phone could not prove it showed this code, so this phone did not pair.");
  }
  const code = await device.completePairing(keys, peer, th2, pending.secret, unb64u(peer.dh_pub));
  await db.setKey("pending_join", null);
  return code;
}

// Words for a relay refusal during pairing, written for someone holding two phones.
export function pairingMessage(err) {
  const byCode = {
    invite_expired: "This code has expired. Ask your partner to show a new one; they last ten minutes.",
    invite_used: "This code has already been used. Ask your partner to show a new one.",
    invite_unknown: "Hearth doesn't recognise this code. Ask your partner to show a new one.",
    pair_full: "Your partner's Hearth is already paired with another phone.",
    rate_limited: "Lots of tries in a short time. Please wait a few minutes, then try again.",
  };
  if (err?.code && byCode[err.code]) return byCode[err.code];
  if (err?.name === "ConnectionLost" || err?.constructor?.name === "ConnectionLost") {
    return "Hearth can't reach its server just now. Check your connection and try again.";
  }
  return err?.message || "Something went wrong while pairing. Please try again.";
}
