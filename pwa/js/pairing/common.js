// What both sides of a pairing share (docs/protocol.md §4): checking the partner's keys,
// and keeping the pairing once it is confirmed. The inviter's steps are in inviter.js, the
// joiner's in joiner.js, the words for how a pairing ends in words.js (kept apart, since
// the first screen reaches this module through device/move-in.js and shouldn't wait for them).
import * as c from "../core/crypto.js";
import { unb64u } from "../core/encoding.js";
import { senderKey } from "../core/envelope.js";
import * as db from "../data/db.js";
import { announce } from "../device/changes.js";
import { identity, saveIdentity } from "../device/identity.js";

export class PairingError extends Error {
  constructor(message, { stopped = false } = {}) {
    super(message);
    this.stopped = stopped;   // the pairing is over: show a way to start again
  }
}

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
