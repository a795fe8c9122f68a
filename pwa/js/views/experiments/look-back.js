// Looking back on an experiment: each of you answers privately (a reassessment of your
// own); once both have, the answers sit side by side and the author records what you decided.
import { agreedDecision, revealState } from "../../core/experiments.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import { saveFrom } from "../common.js";

await useWords("exp");

const DECISIONS = [
  ["keep", t("exp.decision_keep"), t("exp.decision_keep_about")],
  ["adjust", t("exp.decision_adjust"), t("exp.decision_adjust_about")],
  ["drop", t("exp.decision_drop"), t("exp.decision_drop_about")],
];

export const DECISION_NAMES = Object.fromEntries(DECISIONS.map(([v, name]) => [v, name]));

const FIELD_ERRORS = { title: "exp.error_title", days: "exp.error_days", starts_on: "exp.error_starts",
  decision: "exp.error_decision", comfort: "exp.error_comfort" };

/** A refused field in the experiment forms' own words (views/common.js saveFrom). */
export const friendly = (field) => (FIELD_ERRORS[field] ? t(FIELD_ERRORS[field]) : "");

function reassessForm(exp, onDone) {
  const key = `reassessment:${exp.id}`;
  const base = `ra-${exp.id}`;
  const felt = el("textarea", { id: `${base}-felt`, name: "felt", rows: 3, maxlength: 2000 });
  const comfort = el("select", { id: `${base}-comfort`, name: "comfort" },
    el("option", { value: "" }, t("exp.comfort_unsaid")),
    Array.from({ length: 11 }, (_, n) => el("option", { value: n },
      n === 0 ? t("exp.comfort_none") : n === 10 ? t("exp.comfort_full") : String(n))));
  const choices = DECISIONS.map(([value, name, about]) => el("label", { class: "check exp-choice" },
    el("input", { type: "radio", name: `${base}-decision`, value }),
    el("span", {}, el("span", { class: "exp-choice-name" }, name), el("span", { class: "exp-choice-about" }, about))));
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "exp-reassess", novalidate: true, "aria-labelledby": `${base}-title`,
    dataset: { experiment: exp.id } },
    el("h3", { id: `${base}-title` }, t("exp.your_look_back")),
    el("p", { class: "hint" }, t("exp.private_hint")),
    el("label", { for: felt.id }, t("exp.felt_label")),
    felt,
    el("label", { for: comfort.id }, t("exp.comfort_label")),
    comfort,
    el("fieldset", {}, el("legend", {}, t("exp.decision_legend")), choices),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, t("exp.save_answer"))));
  keepDraft(form, key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector(`input[name="${base}-decision"]:checked`);
    const fields = { experiment: exp.id, decision: picked?.value ?? null };
    if (felt.value.trim()) fields.felt = felt.value.trim();
    if (comfort.value !== "") fields.comfort = Number(comfort.value);
    if (!(await saveFrom({ error, friendly }, "reassessment", fields))) return;
    clearDraft(key);
    onDone();
  });
  return form;
}

function answerCard(who, answer) {
  return el("section", { class: "exp-answer", "aria-label": who },
    el("h4", { class: "exp-answer-who" }, who),
    el("p", { class: "exp-answer-decision" }, DECISION_NAMES[answer.decision]),
    answer.comfort !== null && answer.comfort !== undefined
      ? el("p", { class: "exp-answer-comfort" }, t("exp.comfort_said", { comfort: answer.comfort })) : null,
    answer.felt ? el("p", { class: "exp-answer-felt" }, answer.felt) : null);
}

function outcomeForm(exp, both, onDone) {
  const base = `oc-${exp.id}`;
  const agreed = agreedDecision(both);
  const choices = DECISIONS.map(([value, name]) => el("label", { class: "check" },
    el("input", { type: "radio", name: `${base}-outcome`, value, checked: value === agreed }), name));
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "exp-outcome", novalidate: true },
    el("fieldset", {}, el("legend", {}, t("exp.outcome_legend")), choices),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, t("exp.record_outcome"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector(`input[name="${base}-outcome"]:checked`);
    if (!picked) { error.textContent = t("exp.outcome_missing"); return; }
    if (!(await saveFrom({ error, friendly }, "experiment", { outcome: picked.value, status: "finished" }, exp.id))) return;
    onDone();
  });
  return form;
}

export function lookBack(exp, both, me, rerender) {
  const state = revealState(both);
  const wrap = el("div", { class: "exp-lookback" });
  if (state === "neither" || state === "partner-waiting") {
    if (state === "partner-waiting") {
      wrap.append(el("p", { class: "exp-waiting" },
        t("exp.partner_looked")));
    }
    wrap.append(reassessForm(exp, rerender));
    return wrap;
  }
  if (state === "waiting-for-partner") {
    wrap.append(el("p", { class: "exp-waiting", role: "status" },
      t("exp.answer_saved")),
    el("div", { class: "exp-answers" }, answerCard(t("exp.you"), both.mine)));
    return wrap;
  }
  const agreed = agreedDecision(both);
  wrap.append(
    el("h3", {}, t("exp.both_looked")),
    el("div", { class: "exp-answers" }, answerCard(t("exp.you"), both.mine), answerCard(t("exp.your_partner"), both.partner)),
    el("p", { class: "exp-agree" }, agreed
      ? t("exp.both_said", { decision: DECISION_NAMES[agreed].toLowerCase() })
      : t("exp.see_differently")));
  if (exp.mine) wrap.append(outcomeForm(exp, both, rerender));
  else wrap.append(el("p", { class: "hint" }, t("exp.partner_records")));
  return wrap;
}
