// The no-pressure agreement (protocol §8.13): either of you suggests it, it takes effect only
// once the other accepts, and either can end it at any time, no reason asked. The same
// answer machinery as an experiment's: the suggester's record, the partner's answer in it.
import { agreementState } from "../../core/experiments.js";
import { answerAgreement } from "../../device/experiments.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { confirmRow } from "./answer.js";

await useWords("exp");

// The agreement's own words (core/experiments.js AGREEMENT_WORDS keeps them in English for the export).
const AGREEMENT = ["exp.agreement_no_sex", "exp.agreement_pace", "exp.agreement_pain"];
const words = () => el("ul", { class: "agreement-words" }, AGREEMENT.map((key) => el("li", {}, t(key))));

/** The agreement card for the experiments screen: the latest one of either of you, or an invitation. */
export function agreementCard(agreements, rerender) {
  const current = agreements.filter((a) => !a.deleted && !a.earlier && a.kind === "no_pressure")
    .sort((a, b) => (a.clock < b.clock ? 1 : -1))[0] || null;
  const state = current ? agreementState(current) : "none";
  const card = el("section", { class: "card card-soft agreement", dataset: { state }, "aria-labelledby": "agreement-title" },
    el("h2", { id: "agreement-title" }, t("exp.agreement_title")), words());
  const end = (label) => confirmRow("experiment:agreement:end", label, t("exp.agreement_end_question"),
    t("exp.agreement_end_yes"), t("exp.agreement_end_keep"), () => (current.mine ? records.put("agreement", { status: "ended" }, current.id)
      : answerAgreement(current.id, "end")), rerender);
  if (state === "in_effect") {
    card.append(el("p", { class: "agreement-status", role: "status" }, t("exp.agreement_in_effect")),
      end(t("exp.agreement_end")));
  } else if (state === "asked" && current.mine) {
    card.append(el("p", { class: "agreement-status", role: "status" },
      t("exp.agreement_suggested")), end(t("exp.agreement_take_back")));
  } else if (state === "asked") {
    card.append(el("p", { class: "agreement-status", role: "status" },
      t("exp.agreement_partner_suggested")),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary",
        onclick: async () => { await answerAgreement(current.id, "yes"); rerender(); } }, t("exp.agreement_accept")),
      el("button", { type: "button", class: "button",
        onclick: async () => { await answerAgreement(current.id, "not_now"); rerender(); } }, t("exp.agreement_not_now"))));
  } else {
    if (state === "not_now") {
      card.append(el("p", { class: "hint" }, current.mine
        ? t("exp.agreement_partner_not_now") : t("exp.agreement_you_not_now")));
    } else if (state === "ended") {
      card.append(el("p", { class: "hint" }, t("exp.agreement_ended")));
    } else {
      card.append(el("p", { class: "hint" }, t("exp.agreement_invite")));
    }
    card.append(el("button", { type: "button", class: "button button-small", onclick: async () => {
      await records.put("agreement", { kind: "no_pressure" });
      rerender();
    } }, t("exp.agreement_suggest")));
  }
  // The paced path rests on this agreement (§8.14), so it is one tap from here whatever its state.
  card.append(el("p", { class: "agreement-path" }, state === "in_effect"
    ? t("exp.agreement_path_open") : t("exp.agreement_path_closed"),
  el("a", { href: "#/paced" }, t("exp.agreement_path_link"))));
  return card;
}
