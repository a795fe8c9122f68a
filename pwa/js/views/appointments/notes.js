// One appointment's notes (#/appointments?id=…): the questions (questions.js), with room
// for the answers once given, ideas for what to ask, the next visit and, for the author,
// sharing, renaming and deleting (details.js). Only the author's phone can change them.
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, reopenKept } from "../../shell/drafts.js";
import { coalesce } from "../common.js";
import { t, useWords } from "../../i18n/index.js";
import { MAX_QUESTIONS, arrival, dayLabel, find, friendly, href } from "./common.js";
import { manage, nextSection } from "./details.js";
import { ideasFold, questionItem } from "./questions.js";
import { printSheet } from "./sheet.js";

await useWords("appointments");

function addForm(screen) {
  const { id, addQuestion } = screen;
  const key = `appointment:${id}:new-question`;
  const input = el("input", { id: "appt-add-question", name: "question", maxlength: 500, autocomplete: "off",
    enterkeyhint: "send" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "appt-add", novalidate: true },
    el("label", { for: input.id }, t("appointments.add_label")),
    el("p", { class: "hint", id: "appt-add-hint" }, t("appointments.add_hint")),
    el("div", { class: "appt-add-row" }, input, el("button", { type: "submit", class: "button button-primary" }, t("appointments.add"))),
    error);
  input.setAttribute("aria-describedby", "appt-add-hint");
  form.addEventListener("input", () => { error.textContent = ""; });
  keepDraft(form, key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { error.textContent = t("appointments.add_empty"); input.focus(); return; }
    if ((screen.appt?.questions?.length || 0) >= MAX_QUESTIONS) {
      error.textContent = t("appointments.error_too_many", { max: MAX_QUESTIONS });
      return;
    }
    if (await addQuestion(text, error)) {
      input.value = "";
      clearDraft(key);
      input.focus();
    }
  });
  return form;
}

export function renderNotes(outlet, id) {
  // The heading is there from the first moment, so the router can move focus to it.
  const heading = el("h1", {}, t("appointments.heading"));
  const lede = el("p", { class: "lede" });
  const top = [el("p", { class: "appt-back" }, el("a", { href: "#/appointments" }, t("appointments.all_notes"))),
    el("header", { class: "view-header" }, heading, lede)];
  const head = el("div");
  const status = el("p", { class: "visually-hidden", role: "status" });
  const questionsSlot = el("div");
  const ideasSlot = el("div");
  const addSlot = el("div");
  const nextSlot = el("section", { class: "card appt-next", "aria-labelledby": "appt-next-title" });
  const manageSlot = el("div");
  const sheetSlot = el("div", { class: "appt-print-only" });
  const mainParts = el("div", { class: "appt-notes" });
  const screen = { id, appt: null, status, draw, addQuestion };
  let appt = null;

  // Change this appointment's questions with `change(list)`; false if it did not save.
  async function saveQuestions(change, errorNode = null) {
    const fresh = await find(id);
    if (!fresh) return false;
    const qs = structuredClone(fresh.questions || []);
    change(qs);
    try {
      await records.put("appointment", { questions: qs }, id);
    } catch (err) {
      if (errorNode) errorNode.textContent = friendly(err); else status.textContent = friendly(err);
      return false;
    }
    await draw();
    return true;
  }

  async function addQuestion(text, errorNode) {
    const before = appt?.questions?.length || 0;
    const ok = await saveQuestions((qs) => { qs.push({ text, answer: null }); }, errorNode);
    if (ok) status.textContent = t("appointments.added", { count: before + 1 });
    return ok;
  }

  async function draw() {
    appt = await find(id);
    screen.appt = appt;
    if (!appt) {
      heading.textContent = t("appointments.heading");
      lede.textContent = t("appointments.gone_lede");
      head.replaceChildren();
      mainParts.replaceChildren(el("a", { class: "button", href: "#/appointments" }, t("appointments.back_all")));
      sheetSlot.replaceChildren();
      return;
    }
    const qs = appt.questions || [];
    if (!questionsSlot.parentNode) mainParts.replaceChildren(questionsSlot, ideasSlot, nextSlot, manageSlot);
    heading.textContent = appt.title;
    lede.textContent = appt.mine ? dayLabel(appt.date) : t("appointments.lede_partner", { date: dayLabel(appt.date) });
    head.replaceChildren(
      el("div", { class: "appt-use" },
        el("a", { class: "button button-primary", href: href(id, "show") }, t("appointments.show_at_visit")),
        el("button", { type: "button", class: "button", onclick: () => window.print() }, t("appointments.print"))));
    questionsSlot.replaceChildren(el("section", { class: "card", "aria-labelledby": "appt-questions-title" },
      el("h2", { id: "appt-questions-title" }, appt.mine ? t("appointments.your_questions") : t("appointments.their_questions")),
      appt.mine ? null : el("p", { class: "hint" }, t("appointments.partner_only")),
      qs.length ? el("ol", { class: "appt-questions" }, qs.map((q, i) => questionItem(appt, q, i, saveQuestions)))
        : el("p", { class: "empty" }, appt.mine ? t("appointments.no_questions_mine") : t("appointments.no_questions_end")),
      appt.mine ? addSlot : null));
    if (appt.mine) {
      if (!addSlot.firstChild) addSlot.append(addForm(screen));
      addSlot.querySelector("input").disabled = qs.length >= MAX_QUESTIONS;
      const fold = ideasSlot.querySelector("details");
      const open = fold ? fold.open : false;
      ideasSlot.replaceChildren(el("details", { class: "card appt-ideas-fold", open },
        el("summary", {}, t("appointments.ideas_summary")),
        el("p", { class: "hint" }, t("appointments.ideas_hint")),
        ideasFold(qs, (text) => addQuestion(text, null))));
    } else {
      ideasSlot.replaceChildren();
    }
    nextSlot.replaceChildren(...nextSection(screen).filter(Boolean));
    manageSlot.replaceChildren(...manage(screen));
    sheetSlot.replaceChildren(printSheet(appt));
  }

  mainParts.append(questionsSlot, ideasSlot, nextSlot, manageSlot);
  outlet.append(...top, head, status, mainParts, sheetSlot);
  const redraw = coalesce(draw);
  // Only the author changes a set of notes: a partner's arrive by sync, mine by my own taps
  // (redrawing then would sweep away a half-written answer).
  // Notes not here yet (a link opened before they synced) or taken back may come (back).
  const onChange = (e) => { if (!e.detail.mine && !appt?.mine) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw().then(() => {
    // Only on arriving: each save redraws, and a form just saved must not open again.
    reopenKept(outlet);
    if (arrival.focusQuestion === id && appt?.mine) {
      arrival.focusQuestion = null;
      document.getElementById("appt-add-question")?.focus();
    }
  });
  return () => records.changes.removeEventListener("records", onChange);
}

