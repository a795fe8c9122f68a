// "Getting help" (#/help): when to call the care team, who helps with intimacy after
// treatment and how to ask, support groups, and the couple's own contacts. Reachable in
// one tap from Home, Settings and the stop-signal card, and offered after a hard energy
// note. Every claim here rests on a public source (docs/care-sources.md).
import { CALL, GROUPS, INTRO, REFERRAL, WHO } from "../help/getting-help.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { coalesce } from "./common.js";
import { contactsCard } from "./help/contacts.js";
import { paragraph } from "./help/words.js";

await useWords("care");

export const title = t("care.help_title");

const section = (id, heading, ...body) => el("section", { class: "card", "aria-labelledby": id },
  el("h2", { id }, heading), ...body);

export function render(outlet) {
  const contacts = contactsCard();
  outlet.append(
    viewHeader(t("care.help_title"), INTRO.map((s) => s.text).join(" ")),
    section("help-call-title", CALL.title,
      el("ul", { class: "help-list" }, CALL.items.map((sentences) => el("li", {}, paragraph(sentences))))),
    contacts.card,
    section("help-who-title", WHO.title,
      WHO.items.map((item) => el("div", { class: "help-who-item" }, el("h3", {}, item.name), paragraph(item.says)))),
    section("help-referral-title", REFERRAL.title, paragraph(REFERRAL.says)),
    section("help-groups-title", GROUPS.title, paragraph(GROUPS.says)),
    el("section", { class: "card card-soft", "aria-labelledby": "help-gtk-title" },
      el("h2", { id: "help-gtk-title" }, t("care.gtk_title")),
      el("p", {}, t("care.gtk_card_text")),
      el("a", { class: "button button-small", href: "#/good-to-know" }, t("care.gtk_card_link"))),
    el("p", { class: "hint" }, t("care.no_advice")),
  );
  const onChange = coalesce(() => contacts.draw());
  // Inbound changes name their `types`, this phone's own a `type`; either may be the couple's.
  const listen = ({ detail: d = {} }) => {
    if ((!d.type && !d.types) || d.type === "couple" || d.types?.includes("couple")) onChange();
  };
  records.changes.addEventListener("records", listen);
  return () => records.changes.removeEventListener("records", listen);
}
