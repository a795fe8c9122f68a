// Who this phone is to the protocol: its device keys, and what the relay knows it as
// ({ relay, device, pair, epoch }, and `peer`, `safetyCode`, `pairedAt` once paired; after a
// pairing ended, `former` and `formerPeers` name the devices of the pairings before; after
// a phone took another's place in this pair (§11.3), `lineage` and `peerLineage` name the
// devices whose place this phone, and its partner's, now stand in).
// hearth-client keeps the same in its state (server/hearth/client/state.py).
import * as c from "../core/crypto.js";
import * as db from "../data/db.js";

export const oneAtATime = (name, fn) => (globalThis.navigator?.locks ? navigator.locks.request(name, fn) : fn());

// A fresh phone's first two writes can come at once (or from two tabs): both must find
// the same keys, or the earlier record would belong to a device this phone no longer is.
let keysLoading = null;

export async function deviceKeys({ fresh = false } = {}) {
  if (fresh) return newDeviceKeys();
  keysLoading ??= oneAtATime("hearth-device-keys", async () => {
    const stored = await db.getKey("device");
    return stored ? c.DeviceKeys.fromKeys(stored.sig, stored.dh, stored.sigPub, stored.dhPub, stored.suite) : newDeviceKeys();
  }).finally(() => { keysLoading = null; });
  return keysLoading;
}

async function newDeviceKeys() {
  const keys = await c.DeviceKeys.generate();
  await db.setKey("device", keyRecord(keys));
  return keys;
}

/** How device keys are kept in the keys store (as "device"). */
export const keyRecord = (keys) => ({ sig: keys.sig, dh: keys.dh, sigPub: keys.sigPub, dhPub: keys.dhPub, suite: keys.suite });

export const identity = () => db.getMeta("identity", null);

// Every id whose records are this phone's own (§11.1): its own id, the ids it had in
// pairings that ended (`former`), and the devices whose place it took in this pair
// (`lineage`, learned only from a succession notice it verified).
export const ownIds = (me) => new Set([me?.device, ...(me?.former || []), ...(me?.lineage || [])].filter(Boolean));

// The partner's place in this pair: their phone now and the phones it succeeded. Their
// operations on a record any of these wrote are the owner's (§11.1). Never an ended
// pairing's partner: that is `formerPeers`.
export const peerIds = (me) => new Set([me?.peer?.device, ...(me?.peerLineage || [])].filter(Boolean));

// Records of a pairing that ended, by either side: they stay here to read, and nothing
// about them is ever sent to a later partner (§11.2). A phone replaced within this pair is
// not an ended pairing: its records carry on as its successor's.
export const fromEarlierPairing = (me, author) => Boolean(me?.former?.includes(author) || me?.formerPeers?.includes(author));

export const isPaired = async () => Boolean((await identity())?.peer && (await db.getKey("send")));

export async function saveIdentity(fields) {
  const now = { ...((await identity()) || {}), ...fields };
  await db.setMeta("identity", now);
  return now;
}

// Before pairing, this phone is still itself: its id comes from its own keys, so what is
// written now keeps its author once the relay knows the device.
export async function localIdentity() {
  const me = await identity();
  if (me?.device) return me;
  const { deviceId } = await deviceKeys();
  return oneAtATime("hearth-identity", async () => (await identity())?.device ? identity() : saveIdentity({ device: deviceId }));
}
