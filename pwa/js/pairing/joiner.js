// The joining phone (docs/protocol.md §4): it answers a partner's code, checks that the
// partner's phone showed it, shows the same six numbers, and waits, pending at the relay,
// for the partner's "They match". It keeps only what it needs to retry ("pending_join" in
// the keys store) and forgets it as soon as the pairing is confirmed, stopped or refused.
import * as c from "../core/crypto.js";
import { b64u, unb64u } from "../core/encoding.js";
import { parsePairingLink } from "../core/pairing-link.js";
import { isDeviceId } from "../core/succession.js";
import * as db from "../data/db.js";
import { startAfresh } from "../device/ending.js";
import { deviceKeys, identity, isPaired, saveIdentity } from "../device/identity.js";
import { startMoveIn } from "../device/move-in.js";
import { reauthor } from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { RelayError, Session } from "../sync/connection.js";
import { PairingError, checkedPeer, completePairing, forget, samePeer } from "./common.js";
import { WORDS, pairingMessage } from "./words.js";
import { stopShowing } from "./inviter.js";

await useWords("pairing");

let joining = null;   // { session, stopped } of the join under way

async function checkedLink(link, here) {
  const { origin, secret, eph } = parsePairingLink(link);
  if (here && origin !== here) {
    throw new PairingError(t("pairing.link_elsewhere", { origin }));
  }
  try {
    await c.loadPublic(eph, { name: "ECDH", namedCurve: "P-256" });
  } catch {
    throw new PairingError(t("pairing.link_damaged"));
  }
  return { origin, secret, eph };
}

// Join with a partner's link. Calls onCode(code, { replaces, move }) once the partner's phone
// has proved it showed the code (`replaces` names the lost phone this one is to take the
// place of, §11.3, or is null; `move` says everything of my other phone is to come here,
// §11.4), then resolves with the code when the partner confirms, or rejects
// with a PairingError (stopped: true) if either phone stops the pairing.
export function join(link, options = {}) {
  const run = { session: null, stopped: false };
  joining = run;
  run.promise = joinSteps(link, run, options).finally(() => { if (joining === run) joining = null; });
  return run.promise;
}

async function joinSteps(link, run, { here = globalThis.location?.origin, onCode = () => {} }) {
  const { origin, secret, eph } = await checkedLink(link, here);
  if (await isPaired()) throw new PairingError(t("pairing.already_paired"));
  stopShowing();
  await forget("pending_invite");
  await forget("pending_join");
  await startAfresh();   // after an ended pairing, this phone pairs as a new device (§11.2)
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
  // Taking a lost phone's place (§11.3): `epoch` is the one the pair will have once confirmed.
  const replaces = isDeviceId(joined.replaces) ? joined.replaces : null;
  const move = joined.move === true;
  const pending = { invite: inviteId, origin, device: joined.device, pair: joined.pair, epoch: joined.epoch,
                    peer, secret, replaces, move, stage: "joined", at: Date.now() };
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
  onCode(code, { replaces, move });
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
        await session.login(keys, pending.device);
        const answer = await session.next("ready", "joined");
        if (answer.type === "ready") {
          session.close();
          if (samePeer(answer.peer, pending.peer)) return completeJoin(pending, answer.epoch);
          await forget("pending_join");
          throw new PairingError(WORDS.partnerStopped, { stopped: true });
        }
      }
      const frame = await session.next("pair_confirmed", "pair_cancelled");
      if (frame.type === "pair_confirmed") {
        setTimeout(() => session.close(), 0);
        return completeJoin(pending, frame.epoch);
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

// `epoch` is the relay's word at confirmation (§11.3 names it there); both phones derive the
// root from the same one, so a relay that lies about it only stops them talking.
// A move's new phone is not in the pair yet: my other phone's stream comes first (§11.4).
async function completeJoin(pending, epoch) {
  if (await isPaired()) return pending.code;
  if (pending.move) {
    await startMoveIn(pending);
    return pending.code;
  }
  await saveIdentity({ relay: pending.origin, device: pending.device, pair: pending.pair,
    epoch: Number.isSafeInteger(epoch) ? epoch : pending.epoch,
    // Whose place this phone takes: only the partner's signed notice makes it so (§11.3).
    ...(pending.replaces ? { replaces: pending.replaces } : {}) });
  if (pending.replaces) await db.setMeta("history_in", { part: 0, parts: null });
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
      await session.login(keys, pending.device);
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
