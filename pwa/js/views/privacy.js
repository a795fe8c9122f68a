// "How your privacy works" (#/privacy), reachable from the welcome and from Settings: what
// stays on this phone, what travels and how, and what the server that passes it on can
// and cannot see, in plain words that match docs/protocol.md.
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { WHAT_IS_SHARED } from "./home.js";

await useWords("privacy");

export const title = t("privacy.title");

const PARTS = [
  [t("privacy.phone_title"), [t("privacy.phone_kept"), WHAT_IS_SHARED]],
  [t("privacy.between_title"), [t("privacy.between_locked"), t("privacy.between_server"), t("privacy.between_sees")]],
  [t("privacy.else_title"), [t("privacy.else_nothing")]],
  [t("privacy.safe_title"), [t("privacy.safe_backup"), t("privacy.safe_copy"), t("privacy.safe_hide")]],
];

export function render(outlet) {
  outlet.append(
    viewHeader(title, t("privacy.lede")),
    ...PARTS.map(([heading, lines], i) => el("section", { class: "card", "aria-labelledby": `privacy-${i}` },
      el("h2", { id: `privacy-${i}` }, heading), ...lines.map((line) => el("p", {}, line)))));
}
