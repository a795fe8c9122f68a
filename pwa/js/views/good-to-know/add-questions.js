// One tap from a "Good to know" note to an appointment's questions: the note's questions
// (all ticked, untick any) go onto the next of your own appointments, or onto new notes.
// A question already on that appointment is not added twice.
import { today } from "../../core/dates.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { MAX_QUESTIONS, arrange, dayLabel, href } from "../appointments/common.js";

const NEW = "new";
export const NEW_TITLE = "Questions to bring";

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
    el("option", { value: NEW }, "New notes: “Questions to bring”"));
  const status = el("p", { class: "hint", role: "status" });
  const form = el("form", { class: "gtk-add", novalidate: true, "aria-label": `Questions about ${note.title.toLowerCase()}` },
    el("h3", {}, "Questions to bring"),
    el("ul", { class: "quiet-list" }, boxes),
    el("label", { for: choice.id }, "Add them to"), choice,
    el("p", { class: "hint" }, "Your partner sees them if those notes are shared; new notes are shared, "
      + "and you can make them yours alone on the notes."),
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-small button-primary" }, "Add to appointment notes")),
    status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll("input[type=checkbox]:checked")].map((b) => b.value);
    if (!chosen.length) {
      status.textContent = "Tick at least one question to add.";
      return;
    }
    try {
      const { id, title, added } = await addTo(choice.value, chosen);
      status.replaceChildren(added ? `Added to “${title}”. ` : `They're already on “${title}”. `,
        el("a", { href: href(id) }, "Open those notes"));
    } catch (err) {
      status.textContent = err.message || "That didn't save. Please try again.";
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
  if (!appt) throw new Error("Those notes aren't here any more. Choose another appointment.");
  const questions = (appt.questions || []).map((q) => ({ text: q.text, answer: q.answer ?? null }));
  const fresh = texts.filter((t) => !questions.some((q) => q.text === t));
  if (questions.length + fresh.length > MAX_QUESTIONS) {
    throw new Error(`An appointment holds up to ${MAX_QUESTIONS} questions. Choose new notes instead.`);
  }
  if (fresh.length) await records.put("appointment", { questions: [...questions, ...fresh.map((text) => ({ text, answer: null }))] }, appt.id);
  return { id: appt.id, title: appt.title, added: fresh.length };
}
