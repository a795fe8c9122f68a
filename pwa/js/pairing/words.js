// The words for how a pairing ends or is refused, said alike on both phones in the person's
// language (i18n/<code>/pairing.js). Apart from common.js, which the first screen loads
// (device/move-in.js checks keys with it), so only pairing waits for these words.
import { t, useWords } from "../i18n/index.js";
import { ConnectionLost } from "../sync/connection.js";
import { PairingError } from "./common.js";
import { linkReason } from "./link-words.js";

await useWords("pairing");

export const WORDS = {
  mismatch: t("pairing.mismatch"),
  partnerStopped: t("pairing.partner_stopped"),
  joinerUnproven: t("pairing.joiner_unproven"),
  inviterUnproven: t("pairing.inviter_unproven"),
  lost: t("pairing.lost"),
  expired: t("pairing.expired"),
};

// Words for a relay refusal during pairing, written for someone holding two phones.
export function pairingMessage(err) {
  const byCode = {
    invite_expired: "pairing.invite_expired",
    invite_used: "pairing.invite_used",
    invite_unknown: "pairing.invite_unknown",
    invite_cancelled: "pairing.partner_stopped",
    pair_full: "pairing.pair_full",
    rate_limited: "pairing.rate_limited",
  };
  if (err?.code && byCode[err.code]) return t(byCode[err.code]);
  if (err instanceof PairingError) return err.message;
  if (err?.name === "PairingLinkError") return t("pairing.link_unusable", { reason: linkReason(err) });
  if (err?.name === "VersionError") return t("pairing.other_version");
  if (err instanceof ConnectionLost || err?.name === "ConnectionLost" || err?.constructor?.name === "ConnectionLost") {
    return t("pairing.unreachable");
  }
  return t("pairing.went_wrong");
}
