// Looking back on a step of the paced path (protocol §8.14): each of you writes your own,
// and your partner's words show only once you have written yours for the same step, as an
// experiment's look-back does (experiments/look-back.js), so neither anchors the other.
import { revealState } from "../../core/experiments.js";
import { lookBacksFor } from "../../core/paced.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import { saveFrom } from "../common.js";

await useWords("paced");

export const DRAFT_PREFIX = "pace_lookback:";

const friendly = (field) => (field === "felt" ? t("paced.lookback_empty") : "");

function form(step, onDone) {
  const key = `${DRAFT_PREFIX}${step}`;
  const id = `pace-lb-${step}`;
  const felt = el("textarea", { id: `${id}-felt`, name: "felt", rows: 3, maxlength: 2000 });
  const error = el("p", { class: "form-error", role: "alert" });
  const node = el("form", { class: "pace-lookback-form", novalidate: true, dataset: { step: String(step) } },
    el("label", { for: felt.id }, t("paced.lookback_label")),
    felt, error,
    el("div", { class: "form-actions" }, el("button", { type: "submit", class: "button button-primary" }, t("paced.lookback_save"))));
  keepDraft(node, key);
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!felt.value.trim()) { error.textContent = t("paced.lookback_empty"); felt.focus(); return; }
    if (!(await saveFrom({ error, friendly, focus: felt }, "pace_lookback", { step, felt: felt.value.trim() }))) return;
    clearDraft(key);
    onDone();
  });
  return node;
}

const words = (who, lb) => el("section", { class: "pace-lookback-words", "aria-label": who },
  el("h4", {}, who), el("p", {}, lb.felt));

/** The look-back part of a step: a form, a gentle wait, or both of yours side by side. */
export function lookBack(step, lookbacks, rerender) {
  const both = lookBacksFor(step, lookbacks);
  const state = revealState(both);
  const wrap = el("div", { class: "pace-lookback" }, el("h3", {}, t("paced.lookback_title")));
  if (state === "neither" || state === "partner-waiting") {
    wrap.append(el("p", { class: "hint" }, state === "partner-waiting"
      ? t("paced.lookback_partner_first") : t("paced.lookback_private")),
    form(step, rerender));
  } else if (state === "waiting-for-partner") {
    wrap.append(el("p", { class: "hint", role: "status" },
      t("paced.lookback_saved")),
    words(t("paced.you"), both.mine));
  } else {
    wrap.append(el("div", { class: "pace-lookback-both" }, words(t("paced.you"), both.mine), words(t("paced.your_partner"), both.partner)));
  }
  return wrap;
}
