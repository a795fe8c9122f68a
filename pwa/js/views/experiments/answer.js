// An experiment is a proposal until the partner answers (protocol §8.3): "Yes, let's try",
// "Not now" or "Could we change it?". Nothing counts down before both have said yes, and
// either of you can stop it at any time, with no reason asked.
import { format, today } from "../../core/dates.js";
import { consent } from "../../core/experiments.js";
import { answer } from "../../device/experiments.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft } from "../../shell/drafts.js";
import { askFirst } from "../common.js";

await useWords("exp");

const longDate = (iso) => format(iso, "long");

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
  return confirmRow(`experiment:stop:${exp.id}`, t("exp.stop"), t("exp.stop_question"),
    t("exp.stop_yes"), t("exp.stop_keep"), act, rerender);
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
      error.textContent = t("exp.not_saved");
    }
  };
  const key = `experiment:change-note:${exp.id}`;
  const note = el("textarea", { id: `exp-${exp.id}-note`, name: "note", rows: 3, maxlength: 2000 });
  const changeForm = el("form", { class: "exp-change", hidden: true, novalidate: true, dataset: { experiment: exp.id } },
    el("label", { for: note.id }, t("exp.change_label")),
    note,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, t("exp.change_send")),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); changeForm.hidden = true; } },
        t("exp.cancel"))));
  keepDraft(changeForm, key);
  changeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    send("change", note.value.trim() || null).then((sent) => { if (sent) clearDraft(key); });
  });
  wrap.append(
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary", onclick: () => send("yes") }, t("exp.answer_yes")),
      el("button", { type: "button", class: "button", onclick: () => send("not_now") }, t("exp.answer_not_now")),
      opensDraft(el("button", { type: "button", class: "button button-quiet",
        onclick: () => { changeForm.hidden = false; note.focus(); } }, t("exp.answer_change")), key)),
    el("p", { class: "hint" }, t("exp.not_now_hint")),
    changeForm, error);
  return wrap;
}

/** A proposal: the partner's to answer, or mine waiting for their answer. */
export function proposalCard(exp, rerender, changeIt) {
  const state = consent(exp);
  const card = el("article", { class: "card exp-proposal", dataset: { consent: state },
    "aria-labelledby": `exp-${exp.id}-title` },
    el("p", { class: "exp-kicker" }, exp.mine ? t("exp.idea_mine") : t("exp.idea_partner")),
    el("h2", { id: `exp-${exp.id}-title`, class: "exp-title" }, exp.title),
    exp.description ? el("p", { class: "exp-description" }, exp.description) : null,
    el("p", { class: "exp-when" }, exp.starts_on > today()
      ? t("exp.proposal_when_later", { count: exp.days ?? 7, date: longDate(exp.starts_on) })
      : t("exp.proposal_when", { count: exp.days ?? 7 })));
  const theirNote = exp.answer_note ? el("p", { class: "exp-answer-note" }, `“${exp.answer_note}”`) : null;
  if (exp.mine) {
    if (state === "change") {
      card.append(el("div", { class: "notice exp-asked-change", role: "status" },
        el("p", {}, t("exp.partner_asked_change")), theirNote,
        opensDraft(el("button", { type: "button", class: "button button-small", onclick: () => changeIt(exp) },
          t("exp.change_and_ask")), `experiment:change:${exp.id}`)));
    } else {
      card.append(el("p", { class: "exp-waiting", role: "status" },
        t("exp.waiting_partner")));
    }
    card.append(stopControl(exp, rerender));
  } else {
    if (state === "change") {
      card.append(el("p", { class: "exp-waiting", role: "status" },
        t("exp.you_asked_change")), theirNote);
    } else {
      card.append(el("p", { class: "exp-waiting" }, t("exp.needs_your_yes")));
    }
    card.append(partnerAnswers(exp, rerender));
  }
  return card;
}

/** How a past one that did not run its course reads: gently, never as a failure. */
export function endedWords(exp) {
  const state = consent(exp);
  if (state === "not_now") return exp.mine ? t("exp.partner_said_not_now") : t("exp.you_said_not_now");
  const byMe = (exp.status === "stopped") === exp.mine;
  return byMe ? t("exp.you_stopped") : t("exp.partner_stopped");
}
