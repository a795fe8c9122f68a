// The questions on one appointment's notes, each with room for the answer once given, and
// ideas for what to ask.
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft } from "../../shell/drafts.js";
import { askFirst } from "../common.js";
import { t, useWords } from "../../i18n/index.js";

await useWords("appointments");

// Plain questions many people want to ask and few feel able to. Each is phrased so it can be
// read out as it stands, in this phone's language (an idea added becomes the person's own words).
const idea = (name) => t(`appointments.idea_${name}`);
export const IDEAS = [
  [t("appointments.ideas_closeness"), ["safe_intimate", "sex_again", "desire", "body_image"].map(idea)],
  [t("appointments.ideas_side_effects"), ["dryness", "erections", "tired", "medicines", "touch_hurts"].map(idea)],
  [t("appointments.ideas_practical"), ["contraception", "partner_care", "who_to_talk", "in_writing", "who_to_call"].map(idea)],
];

export function questionItem(appt, q, index, save) {
  const item = el("li", { class: "appt-question" });
  const textId = `q-${appt.id}-${index}`;
  const parts = [el("p", { class: "appt-question-text", id: textId }, q.text)];
  if (q.answer) {
    parts.push(el("div", { class: "appt-answer" }, el("p", { class: "appt-answer-label" }, t("appointments.what_we_heard")),
      el("p", { class: "appt-answer-text" }, q.answer)));
  }
  if (!appt.mine) {
    item.append(...parts);
    return item;
  }
  const actions = el("div", { class: "appt-question-actions" });
  const slot = el("div", { class: "appt-question-slot" });
  // By its words, not its place: removing another question must not move an answer here.
  const key = `appointment:${appt.id}:answer:${q.text}`;
  const close = () => { clearDraft(key); slot.replaceChildren(); actions.hidden = false; actions.querySelector("button")?.focus(); };

  const openForm = () => {
    const questionInput = el("input", { id: `${textId}-edit`, name: "text", maxlength: 500, value: q.text, autocomplete: "off" });
    const answer = el("textarea", { id: `${textId}-answer`, name: "answer", rows: 4, maxlength: 2000 }, q.answer || "");
    const error = el("p", { class: "form-error", role: "alert" });
    const form = el("form", { class: "appt-answer-form", novalidate: true },
      el("label", { for: answer.id }, t("appointments.answer_label")),
      el("p", { class: "hint" }, t("appointments.answer_hint")),
      answer,
      el("details", { class: "appt-fold" }, el("summary", {}, t("appointments.reword")),
        el("label", { for: questionInput.id }, t("appointments.question_label")), questionInput),
      error,
      el("div", { class: "form-actions" },
        el("button", { type: "submit", class: "button button-primary button-small" }, t("appointments.save")),
        el("button", { type: "button", class: "button button-quiet button-small", onclick: close }, t("appointments.cancel"))));
    keepDraft(form, key);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ok = await save((qs) => {
        qs[index] = { text: questionInput.value.trim(), answer: answer.value.trim() || null };
      }, error);
      if (ok) clearDraft(key);
    });
    slot.replaceChildren(form);
    actions.hidden = true;
    answer.focus();
  };

  actions.append(
    opensDraft(el("button", { type: "button", class: "button button-small", "aria-describedby": textId, onclick: openForm },
      q.answer ? t("appointments.change_answer") : t("appointments.write_answer")), key),
    el("button", { type: "button", class: "button button-small button-quiet", "aria-describedby": textId, onclick: () => {
      const remove = () => save((qs) => { qs.splice(index, 1); });
      if (!q.answer) { remove(); return; }
      // An answer took effort to get: ask once before it goes.
      slot.replaceChildren(askFirst({ key: `${key}:remove`, label: t("appointments.remove_ask"),
        lines: [t("appointments.remove_ask_answer")], yes: t("appointments.remove_yes"), no: t("appointments.remove_keep"),
        act: remove, done: close }));
      actions.hidden = true;
      slot.querySelector(".confirm button:last-of-type").focus();   // the safe answer first
    } }, t("appointments.remove")));
  item.append(...parts, actions, slot);
  return item;
}

export function ideasFold(existing, add) {
  const have = new Set(existing.map((q) => q.text));
  const groups = IDEAS.map(([heading, ideas], i) => {
    const left = ideas.filter((text) => !have.has(text));
    if (!left.length) return null;
    return el("div", { class: "appt-idea-group" },
      el("h3", { id: `appt-ideas-${i}` }, heading),
      el("ul", { class: "appt-ideas", "aria-labelledby": `appt-ideas-${i}` }, left.map((text) => el("li", {},
        el("button", { type: "button", class: "appt-idea", onclick: () => add(text) },
          el("span", { class: "visually-hidden" }, t("appointments.idea_add")), text)))));
  }).filter(Boolean);
  return groups.length ? groups : [el("p", { class: "hint" }, t("appointments.ideas_all_added"))];
}
