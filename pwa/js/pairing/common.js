// What both sides of a pairing share (docs/protocol.md §4): the words for how a pairing
// ends, checking the partner's keys, and keeping the pairing once it is confirmed. The
// inviter's steps are in inviter.js, the joiner's in joiner.js.
import * as c from "../core/crypto.js";
import { unb64u } from "../core/encoding.js";
import { senderKey } from "../core/envelope.js";
import * as db from "../data/db.js";
import { announce } from "../device/changes.js";
import { identity, saveIdentity } from "../device/identity.js";
import { ConnectionLost } from "../sync/connection.js";

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

export const forget = async (name) => (await db.database()).delete("keys", name);
export const now = () => Math.floor(Date.now() / 1000);

// A partner device named by the relay, once its keys are points on P-256 and its id is
// theirs. The relay checks keys too, but only for itself (§4.7).
export async function checkedPeer(peer) {
  if (!peer || peer.suite !== c.SUITE_P256) throw new c.CryptoError("unknown suite");
  const sigPub = unb64u(peer.sig_pub);
  const dhPub = unb64u(peer.dh_pub);
  await c.loadPublic(sigPub);
  await c.loadPublic(dhPub, { name: "ECDH", namedCurve: "P-256" });
  if ((await c.deviceId(sigPub, dhPub, peer.suite)) !== peer.device) throw new c.CryptoError("id mismatch");
  return { device: peer.device, suite: peer.suite, sig_pub: peer.sig_pub, dh_pub: peer.dh_pub };
}

export const samePeer = (a, b) => Boolean(a && b) && a.device === b.device && a.sig_pub === b.sig_pub && a.dh_pub === b.dh_pub;

// The pairing is complete: keep the two sender keys as non-extractable AES keys and
// forget the root bytes, which never leave this function.
export async function completePairing(keys, peer, th2, secret, peerDhPub) {
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

