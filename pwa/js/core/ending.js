// A pairing that ended (docs/protocol.md §11.2): whether the relay's notice holds, and the
// words for it in one place, so Home, Settings and the status line say the same thing.
// Pure: `end` is what the phone kept, { by, at (unix seconds), signed }, and `me` its
// identity ({ device, pair, epoch, peer }).
import { unpairMessage, verify } from "./crypto.js";
import { unb64u } from "./encoding.js";
import { format } from "./dates.js";
import { t } from "../i18n/index.js";

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

/**
 * { title, text, line }: a heading, the kind sentence for Home and Settings, and the short
 * one for the status line. `partnerName` if the app ever knows one; else "Your partner".
 */
export function endedWords(end, me, { now = new Date(), partnerName = null } = {}) {
  const day = endDay(end.at, now);
  switch (endedBy(end, me)) {
    case "me":
      return { title: t("ended.me_title"), text: t("ended.me_text", { day }), line: t("ended.line") };
    case "partner":
      return { title: t("ended.partner_title"),
        text: partnerName ? t("ended.partner_named_text", { name: partnerName, day }) : t("ended.partner_text", { day }),
        line: t("ended.line") };
    case "replaced":
      return { title: t("ended.replaced_title"), text: t("ended.replaced_text"), line: t("ended.replaced_line") };
    case "moved":
      return { title: t("ended.moved_title"), text: t("ended.moved_text"), line: t("ended.moved_line") };
    case "unsigned-move":
      return { title: t("ended.unsigned_move_title"), text: t("ended.unsigned_move_text"), line: t("ended.unsigned_move_line") };
    default:
      return { title: t("ended.relay_title"), text: t("ended.relay_text", { day }), line: t("ended.relay_line") };
  }
}
