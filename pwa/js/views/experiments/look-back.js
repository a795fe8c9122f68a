// Looking back on an experiment: each of you answers privately (a reassessment of your
// own); once both have, the answers sit side by side and the author records what you decided.
import { agreedDecision, revealState } from "../../core/experiments.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import { saveFrom } from "../common.js";

const DECISIONS = [
  ["keep", "Keep it", "It did us good; let's carry on."],
  ["adjust", "Adjust it", "Something in it worked; change a part and try again."],
  ["drop", "Let it go", "Not for us right now, and that's fine."],
];

export const DECISION_NAMES = Object.fromEntries(DECISIONS.map(([v, name]) => [v, name]));

export function friendly(message) {
  if (message.startsWith("'title' must be")) return "Give it a short name first, up to 200 characters.";
  if (message.startsWith("'days'")) return "Choose a length from 1 to 60 days.";
  if (message.startsWith("'starts_on'")) return "Choose a start date.";
  if (message.startsWith("'decision'")) return "Choose keep, adjust or let it go. You can talk it over after.";
  if (message.startsWith("'comfort'")) return "Comfort is a number from 0 to 10, or leave it out.";
  return message;
}

function reassessForm(exp, onDone) {
  const key = `reassessment:${exp.id}`;
  const base = `ra-${exp.id}`;
  const felt = el("textarea", { id: `${base}-felt`, name: "felt", rows: 3, maxlength: 2000 });
  const comfort = el("select", { id: `${base}-comfort`, name: "comfort" },
    el("option", { value: "" }, "Rather not say"),
    Array.from({ length: 11 }, (_, n) => el("option", { value: n },
      n === 0 ? "0: not comfortable at all" : n === 10 ? "10: completely at ease" : String(n))));
  const choices = DECISIONS.map(([value, name, about]) => el("label", { class: "check exp-choice" },
    el("input", { type: "radio", name: `${base}-decision`, value }),
    el("span", {}, el("span", { class: "exp-choice-name" }, name), el("span", { class: "exp-choice-about" }, about))));
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "exp-reassess", novalidate: true, "aria-labelledby": `${base}-title`,
    dataset: { experiment: exp.id } },
    el("h3", { id: `${base}-title` }, "Your look back"),
    el("p", { class: "hint" }, "Just for you to write. Your partner sees it only once they've added theirs, "
      + "and you'll see theirs the same way."),
    el("label", { for: felt.id }, "How did it feel for you? (optional)"),
    felt,
    el("label", { for: comfort.id }, "How comfortable were you, from 0 to 10? (optional)"),
    comfort,
    el("fieldset", {}, el("legend", {}, "What would you like to do with it?"), choices),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, "Save my answer")));
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
      ? el("p", { class: "exp-answer-comfort" }, `Comfort: ${answer.comfort} of 10`) : null,
    answer.felt ? el("p", { class: "exp-answer-felt" }, answer.felt) : null);
}

function outcomeForm(exp, both, onDone) {
  const base = `oc-${exp.id}`;
  const agreed = agreedDecision(both);
  const choices = DECISIONS.map(([value, name]) => el("label", { class: "check" },
    el("input", { type: "radio", name: `${base}-outcome`, value, checked: value === agreed }), name));
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "exp-outcome", novalidate: true },
    el("fieldset", {}, el("legend", {}, "What did you decide together?"), choices),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, "Record it and finish")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector(`input[name="${base}-outcome"]:checked`);
    if (!picked) { error.textContent = "Choose what you decided first."; return; }
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
        "Your partner has looked back. Their answer will show here once you've added yours."));
    }
    wrap.append(reassessForm(exp, rerender));
    return wrap;
  }
  if (state === "waiting-for-partner") {
    wrap.append(el("p", { class: "exp-waiting", role: "status" },
      "Your answer is saved. Your partner's will appear here once they've looked back too; no hurry."),
    el("div", { class: "exp-answers" }, answerCard("You", both.mine)));
    return wrap;
  }
  const agreed = agreedDecision(both);
  wrap.append(
    el("h3", {}, "You've both looked back"),
    el("div", { class: "exp-answers" }, answerCard("You", both.mine), answerCard("Your partner", both.partner)),
    el("p", { class: "exp-agree" }, agreed
      ? `You both said: ${DECISION_NAMES[agreed].toLowerCase()}.`
      : "You see it a little differently. That's normal, and worth a gentle talk."));
  if (exp.mine) wrap.append(outcomeForm(exp, both, rerender));
  else wrap.append(el("p", { class: "hint" }, "Once you've talked it over, your partner can record what you decided."));
  return wrap;
}
