// Who sees how my map has changed: my choice (protocol §8.12, `boundary_history` in a
// `visibility` record of my own). Each phone notes the changes it receives; this only
// decides what my partner's app shows.
import { choicesOf, latestOf } from "../../core/visibility.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";

await useWords("boundaries");

const CHOICES = [
  ["both", t("boundaries.history_both"), t("boundaries.history_both_about")],
  ["owner", t("boundaries.history_owner"), t("boundaries.history_owner_about")],
];

/** Whether my partner lets me see how their map has changed (the default: yes). */
export const historyShown = (shown) => choicesOf(shown, false).boundary_history === "both";

export function historyChoice(shown, redraw) {
  const mine = latestOf(shown, true);
  const current = choicesOf(shown, true).boundary_history;
  const error = el("p", { class: "form-error", role: "alert" });
  const group = el("fieldset", { class: "boundary-history-choice" },
    el("legend", {}, t("boundaries.history_legend")),
    CHOICES.map(([value, name, about]) => el("label", { class: "check" },
      el("input", { type: "radio", name: "boundary-history", value, checked: value === current,
        onchange: async () => {
          try {
            await records.put("visibility", { boundary_history: value }, mine?.id ?? null);
            redraw();
          } catch {
            error.textContent = t("boundaries.save_failed");
          }
        } }),
      el("span", {}, el("span", { class: "exp-choice-name" }, name), " ", el("span", { class: "hint" }, about)))),
    error);
  return el("section", { class: "card boundary-section", "aria-labelledby": "sec-history" },
    el("h2", { id: "sec-history" }, t("boundaries.history_title")), group);
}
