// Pairing two phones (docs/protocol.md §4), in one place: this module is what the rest of
// the app uses. The joiner stays pending at the relay until the inviter's person has
// compared the six numbers on both screens and tapped "They match"; until then nothing is
// shared and neither phone keeps a root key. The inviter's steps are in inviter.js, the
// joiner's in joiner.js, what both share in common.js, the words for how it ends in
// words.js (link-words.js for a broken link); the QR code (qr-code.js) and the camera
// (scanner.js, decode-worker.js) are here too. Its screens are views/pairing.js.
import * as db from "../data/db.js";
import { forget, now } from "./common.js";
import { isShowing } from "./inviter.js";

export { PairingError } from "./common.js";
export { WORDS, pairingMessage } from "./words.js";
export { cancelInvite, confirmInvite, invite, settleFromReady, stopShowing } from "./inviter.js";
export { cancelJoin, join, resumeJoin, resumePendingJoin } from "./joiner.js";

const STALE_JOIN_MS = 24 * 3600 * 1000;   // the relay forgets a pending joiner far sooner

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
  if (invited?.stage === "accepted") {
    return { role: "inviter", code: invited.code, replace: Boolean(invited.replace), move: Boolean(invited.move) };
  }
  // A code left on screen when the app closed cannot be picked up again: the next code
  // replaces it at the relay, and this phone forgets it now.
  if (invited && !isShowing()) await forget("pending_invite");
  const joined = await db.getKey("pending_join");
  if (joined?.stage === "verified") {
    return { role: "joiner", code: joined.code, replaces: joined.replaces || null, move: Boolean(joined.move) };
  }
  return null;
}
