// What is wrong with a pairing link, in the person's language: core/pairing-link.js names
// the reason (and says it in English for the reference client and its tests).
import { t, useWords } from "../i18n/index.js";

await useWords("pairing");

/** The reason a PairingLinkError gives, as a clause for "This pairing link can't be used: …". */
export function linkReason(err) {
  return err?.reason ? t(`pairing.link_${err.reason}`) : String(err?.message ?? "");
}
