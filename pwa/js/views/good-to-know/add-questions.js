// One tap from a "Good to know" note to an appointment's questions: the note's questions
// (all ticked, untick any) go onto the next of your own appointments, or onto new notes.
// A question already on that appointment is not added twice.
import { today } from "../../core/dates.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { recordWords } from "../../i18n/record-words.js";
import { el } from "../../shell/dom.js";
import { MAX_QUESTIONS, arrange, dayLabel, href } from "../appointments/common.js";

await useWords("care");

const NEW = "new";
// The title new notes are given, in the language of the phone that makes them.
export const NEW_TITLE = t("care.new_notes_title");

/** My own appointments I can add to, the next one first. */
export async function ownAppointments() {
  const all = (await records.list("appointment")).filter((a) => a.mine && !a.earlier);
  const { upcoming, past } = arrange(all, today());
  return [...upcoming, ...past];
}

export function addQuestionsForm(note, appointments) {
  const boxes = note.questions.map((text, i) => {
    const input = el("input", { type: "checkbox", id: `gtk-${note.id}-q${i}`, value: text, checked: true });
    return el("li", {}, el("label", { class: "check", for: input.id }, input, el("span", { class: "gtk-q" }, text)));
  });
  const choice = el("select", { id: `gtk-${note.id}-appt`, name: "appointment" },
    appointments.map((a) => el("option", { value: a.id }, `${a.title} (${dayLabel(a.date)})`)),
    el("option", { value: NEW }, t("care.gtk_new_notes", { title: NEW_TITLE })));
  const status = el("p", { class: "hint", role: "status" });
  const form = el("form", { class: "gtk-add", novalidate: true, "aria-label": t("care.gtk_questions_about", { topic: note.title.toLowerCase() }) },
    el("h3", {}, t("care.gtk_questions_title")),
    el("ul", { class: "quiet-list" }, boxes),
    el("label", { for: choice.id }, t("care.gtk_add_to")), choice,
    el("p", { class: "hint" }, t("care.gtk_shared_hint")),
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-small button-primary" }, t("care.gtk_add"))),
    status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll("input[type=checkbox]:checked")].map((b) => b.value);
    if (!chosen.length) {
      status.textContent = t("care.gtk_tick_one");
      return;
    }
    try {
      const { id, title, added } = await addTo(choice.value, chosen);
      status.replaceChildren(t(added ? "care.gtk_added" : "care.gtk_already", { title }),
        el("a", { href: href(id) }, t("care.gtk_open_notes")));
    } catch (err) {
      status.textContent = recordWords(err) || err.message || t("care.not_saved");
    }
  });
  return form;
}

async function addTo(target, texts) {
  if (target === NEW) {
    const id = await records.put("appointment", { title: NEW_TITLE, date: null,
      questions: texts.map((text) => ({ text, answer: null })) });
    return { id, title: NEW_TITLE, added: texts.length };
  }
  const appt = (await records.list("appointment")).find((a) => a.id === target);
  if (!appt) throw new Error(t("care.gtk_gone"));
  const questions = (appt.questions || []).map((q) => ({ text: q.text, answer: q.answer ?? null }));
  const fresh = texts.filter((text) => !questions.some((q) => q.text === text));
  if (questions.length + fresh.length > MAX_QUESTIONS) {
    throw new Error(t("care.gtk_too_many", { count: MAX_QUESTIONS }));
  }
  if (fresh.length) await records.put("appointment", { questions: [...questions, ...fresh.map((text) => ({ text, answer: null }))] }, appt.id);
  return { id: appt.id, title: appt.title, added: fresh.length };
}
