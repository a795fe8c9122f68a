// An experiment is a proposal until the partner answers (protocol §8.3): "Yes, let's try",
// "Not now" or "Could we change it?". Nothing counts down before both have said yes, and
// either of you can stop it at any time, with no reason asked.
import { format, today } from "../../core/dates.js";
import { consent } from "../../core/experiments.js";
import { answer } from "../../device/experiments.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft } from "../../shell/drafts.js";
import { askFirst } from "../common.js";

const longDate = (iso) => format(iso, "long");
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// A small "are you sure" that never asks why.
export function confirmRow(key, label, question, yes, no, act, rerender) {
  const slot = el("div", { class: "exp-confirm-slot" });
  const open = el("button", { type: "button", class: "button button-small button-quiet", onclick: () => {
    open.hidden = true;
    slot.append(askFirst({ key, label: question, lines: question.split("\n"), yes, no, act, done: rerender }));
    slot.querySelector(".confirm button").focus();
  } }, label);
  slot.append(open);
  return slot;
}

/** Stopping, for either of you, at any time, with no reason asked. */
export function stopControl(exp, rerender) {
  const act = () => (exp.mine ? records.put("experiment", { status: "stopped" }, exp.id) : answer(exp.id, "stop"));
  return confirmRow(`experiment:stop:${exp.id}`, "Stop this", "Stop it for both of you? You don't need to give a reason.",
    "Yes, stop it", "Keep going", act, rerender);
}

function partnerAnswers(exp, rerender) {
  const wrap = el("div", { class: "exp-answer-choices" });
  const error = el("p", { class: "form-error", role: "alert" });
  const send = async (value, note = null) => {
    try {
      await answer(exp.id, value, note);
      rerender();
      return true;
    } catch {
      error.textContent = "That didn't save. Please try again.";
    }
  };
  const key = `experiment:change-note:${exp.id}`;
  const note = el("textarea", { id: `exp-${exp.id}-note`, name: "note", rows: 3, maxlength: 2000 });
  const changeForm = el("form", { class: "exp-change", hidden: true, novalidate: true, dataset: { experiment: exp.id } },
    el("label", { for: note.id }, "What would you change? (optional)"),
    note,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, "Send to your partner"),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); changeForm.hidden = true; } },
        "Cancel")));
  keepDraft(changeForm, key);
  changeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    send("change", note.value.trim() || null).then((sent) => { if (sent) clearDraft(key); });
  });
  wrap.append(
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary", onclick: () => send("yes") }, "Yes, let's try"),
      el("button", { type: "button", class: "button", onclick: () => send("not_now") }, "Not now"),
      opensDraft(el("button", { type: "button", class: "button button-quiet",
        onclick: () => { changeForm.hidden = false; note.focus(); } }, "Could we change it?"), key)),
    el("p", { class: "hint" }, "“Not now” needs no reason. It's about how things are right now, not about the two of you."),
    changeForm, error);
  return wrap;
}

/** A proposal: the partner's to answer, or mine waiting for their answer. */
export function proposalCard(exp, rerender, changeIt) {
  const state = consent(exp);
  const card = el("article", { class: "card exp-proposal", dataset: { consent: state },
    "aria-labelledby": `exp-${exp.id}-title` },
    el("p", { class: "exp-kicker" }, exp.mine ? "Your idea" : "Your partner's idea"),
    el("h2", { id: `exp-${exp.id}-title`, class: "exp-title" }, exp.title),
    exp.description ? el("p", { class: "exp-description" }, exp.description) : null,
    el("p", { class: "exp-when" }, `For ${plural(exp.days ?? 7, "day", "days")}, `
      + (exp.starts_on > today() ? `from ${longDate(exp.starts_on)}, or from the day you've both said yes if that's later.`
        : "from the day you've both said yes.")));
  const theirNote = exp.answer_note ? el("p", { class: "exp-answer-note" }, `“${exp.answer_note}”`) : null;
  if (exp.mine) {
    if (state === "change") {
      card.append(el("div", { class: "notice exp-asked-change", role: "status" },
        el("p", {}, "Your partner asked: could we change it?"), theirNote,
        opensDraft(el("button", { type: "button", class: "button button-small", onclick: () => changeIt(exp) },
          "Change it and ask again"), `experiment:change:${exp.id}`)));
    } else {
      card.append(el("p", { class: "exp-waiting", role: "status" },
        "Waiting for your partner's answer. Nothing starts, and nothing counts down, until you've both said yes."));
    }
    card.append(stopControl(exp, rerender));
  } else {
    if (state === "change") {
      card.append(el("p", { class: "exp-waiting", role: "status" },
        "You asked to change it. Your partner can change it and ask again, or you can still say yes."), theirNote);
    } else {
      card.append(el("p", { class: "exp-waiting" }, "Nothing starts unless you say yes too."));
    }
    card.append(partnerAnswers(exp, rerender));
  }
  return card;
}

/** How a past one that did not run its course reads: gently, never as a failure. */
export function endedWords(exp) {
  const state = consent(exp);
  if (state === "not_now") return exp.mine ? "Your partner said not now. That's about right now, not about you." : "You said not now.";
  const byMe = (exp.status === "stopped") === exp.mine;
  return byMe ? "You stopped this one." : "Your partner stopped this one. No reason needed, and it's all right.";
}
