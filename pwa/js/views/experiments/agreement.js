// The no-pressure agreement (protocol §8.13): either of you suggests it, it takes effect only
// once the other accepts, and either can end it at any time, no reason asked. The same
// answer machinery as an experiment's: the suggester's record, the partner's answer in it.
import { AGREEMENT_WORDS, agreementState } from "../../core/experiments.js";
import { answerAgreement } from "../../device/experiments.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { confirmRow } from "./answer.js";


const words = () => el("ul", { class: "agreement-words" }, AGREEMENT_WORDS.map((w) => el("li", {}, w)));

/** The agreement card for the experiments screen: the latest one of either of you, or an invitation. */
export function agreementCard(agreements, rerender) {
  const current = agreements.filter((a) => !a.deleted && !a.earlier && a.kind === "no_pressure")
    .sort((a, b) => (a.clock < b.clock ? 1 : -1))[0] || null;
  const state = current ? agreementState(current) : "none";
  const card = el("section", { class: "card card-soft agreement", dataset: { state }, "aria-labelledby": "agreement-title" },
    el("h2", { id: "agreement-title" }, "A no-pressure agreement"), words());
  const end = (label) => confirmRow("experiment:agreement:end", label, "End the agreement for both of you? You don't need to give a reason.",
    "Yes, end it", "Keep it", () => (current.mine ? records.put("agreement", { status: "ended" }, current.id)
      : answerAgreement(current.id, "end")), rerender);
  if (state === "in_effect") {
    card.append(el("p", { class: "agreement-status", role: "status" }, "You've both agreed. It holds until either of you ends it."),
      end("End the agreement"));
  } else if (state === "asked" && current.mine) {
    card.append(el("p", { class: "agreement-status", role: "status" },
      "You suggested it. It takes effect once your partner accepts too."), end("Take the suggestion back"));
  } else if (state === "asked") {
    card.append(el("p", { class: "agreement-status", role: "status" },
      "Your partner suggested this. It takes effect only if you accept too."),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary",
        onclick: async () => { await answerAgreement(current.id, "yes"); rerender(); } }, "Accept it"),
      el("button", { type: "button", class: "button",
        onclick: async () => { await answerAgreement(current.id, "not_now"); rerender(); } }, "Not now")));
  } else {
    if (state === "not_now") {
      card.append(el("p", { class: "hint" }, current.mine
        ? "Your partner said not now. That's about right now, not about you." : "You said not now. Either of you can suggest it again."));
    } else if (state === "ended") {
      card.append(el("p", { class: "hint" }, "The last one was ended. Either of you can suggest it again, whenever you like."));
    } else {
      card.append(el("p", { class: "hint" }, "Many couples find it easier to be close once neither feels anything is expected. "
        + "Either of you can suggest it; it takes effect only when you both accept."));
    }
    card.append(el("button", { type: "button", class: "button button-small", onclick: async () => {
      await records.put("agreement", { kind: "no_pressure" });
      rerender();
    } }, "Suggest it"));
  }
  // The paced path rests on this agreement (§8.14), so it is one tap from here whatever its state.
  card.append(el("p", { class: "agreement-path" }, state === "in_effect"
    ? "With it in place, you can take a paced path of touch and closeness, one step at a time: "
    : "A paced path of touch and closeness opens once you both have it: ",
  el("a", { href: "#/paced" }, "A paced path")));
  return card;
}
