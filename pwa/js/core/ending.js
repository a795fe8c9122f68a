// A pairing that ended (docs/protocol.md §11.2): whether the relay's notice holds, and the
// words for it in one place, so Home, Settings and the status line say the same thing.
// Pure: `end` is what the phone kept, { by, at (unix seconds), signed }, and `me` its
// identity ({ device, pair, epoch, peer }).
import { unpairMessage, verify } from "./crypto.js";
import { unb64u } from "./encoding.js";
import { format } from "./dates.js";

/**
 * Did my partner's phone (or this one, `mySigPub`: an older copy of it may have ended it)
 * sign this end of this pair at this epoch? The relay's word alone cannot be told from a
 * relay that just refuses service. Never throws.
 */
export async function noticeHolds(notice, me, mySigPub) {
  const { by, at, sig } = notice || {};
  if (!Number.isSafeInteger(at) || at < 0 || typeof sig !== "string") return false;
  try {
    const key = by === me.device ? mySigPub : by && by === me.peer?.device ? unb64u(me.peer.sig_pub) : null;
    return Boolean(key) && await verify(key, unb64u(sig), unpairMessage(me.pair, me.epoch, by, at));
  } catch {
    return false;   // not b64u: not a signature
  }
}

/** "30 November", with the year when it is not this one. */
export function endDay(at, now = new Date()) {
  const day = new Date(at * 1000);
  return format(day, day.getFullYear() === now.getFullYear() ? "dayMonth" : "dayMonthYear");
}

/**
 * Who ended it, as this phone can tell: "me", "partner", "replaced" (a new phone took this
 * one's place, §11.3), "moved" (this phone moved everything to a new one, §11.4),
 * "unsigned-move" (the relay said my partner moved, without their phone's word), or
 * "relay" (a claim nobody signed).
 */
export function endedBy(end, me) {
  if (!end?.signed) return end?.replaced ? "replaced" : end?.moved ? "moved" : end?.movedUnsigned ? "unsigned-move" : "relay";
  return end.by === me?.device ? "me" : "partner";
}

const STILL_HERE = "Everything you shared is still here to read.";

/**
 * { title, text, line }: a heading, the kind sentence for Home and Settings, and the short
 * one for the status line. `partnerName` if the app ever knows one; else "Your partner".
 */
export function endedWords(end, me, { now = new Date(), partnerName = null } = {}) {
  const day = endDay(end.at, now);
  const partner = partnerName || "Your partner";
  switch (endedBy(end, me)) {
    case "me":
      return { title: "You ended the pairing",
        text: `You ended the pairing on ${day}. ${STILL_HERE} Nothing more travels between your phones.`,
        line: "The pairing has ended. Everything stays on this phone." };
    case "partner":
      return { title: "The pairing has ended",
        text: `${partner} ended the pairing on ${day}. ${STILL_HERE}`,
        line: "The pairing has ended. Everything stays on this phone." };
    case "replaced":
      return { title: "This phone has been replaced",
        text: "A new phone has taken this one's place in your pairing, so this phone no longer syncs with your " +
          `partner's. ${STILL_HERE} If you don't need it any more, you can erase it from this phone.`,
        line: "This phone has been replaced by a new one. What's here stays readable." };
    case "moved":
      return { title: "Everything is on your new phone",
        text: "Everything from this phone, private things and settings included, is now on your new phone, which " +
          "has taken this one's place in your pairing. This phone no longer syncs. What's here stays readable, and " +
          "if you don't need it any more, you can erase it from this phone.",
        line: "This phone has moved to your new one. What's here stays readable." };
    case "unsigned-move":
      return { title: "Syncing has stopped",
        text: "The Hearth server says your partner moved to a new phone, but their phone didn't sign that, so this " +
          "phone hasn't taken it in and has stopped syncing through that server. When you're together, you can " +
          `check with each other and pair again if you'd like. ${STILL_HERE}`,
        line: "Syncing has stopped: the server changed your partner's phone without their word." };
    default:
      return { title: "The connection has ended",
        text: `On ${day} the Hearth server stopped carrying anything between your phones, without your ` +
          `partner's phone's word that they ended it. Hearth can't sync through it any more. ${STILL_HERE}`,
        line: "The connection to your partner has ended. Everything stays on this phone." };
  }
}
