// "Good to know" (#/good-to-know): short, calm notes on how treatment often changes
// closeness, each folded until opened, with questions that go onto an appointment's notes
// in one tap. The words are help/notes.js; their sources, docs/care-sources.md.
import { NOTES } from "../help/notes.js";
import { el, viewHeader } from "../shell/dom.js";
import { addQuestionsForm, ownAppointments } from "./good-to-know/add-questions.js";
import { paragraph } from "./help/words.js";

export const title = "Good to know";

export function render(outlet) {
  const list = el("div", { class: "gtk-notes" });
  outlet.append(
    viewHeader("Good to know",
      "Short notes on changes many couples meet after treatment. Read only what's useful to you; every body and every couple is different."),
    list,
    el("p", { class: "hint" }, "These notes are general. Your care team knows your treatment, so bring them your questions. ",
      el("a", { href: "#/help" }, "When to call, and who can help")),
  );
  let live = true;
  ownAppointments().then((appointments) => {
    if (!live) return;
    list.replaceChildren(...NOTES.map((note) => el("details", { class: "card gtk-note", id: `gtk-${note.id}` },
      el("summary", {}, el("h2", { class: "gtk-title" }, note.title)),
      paragraph(note.says),
      addQuestionsForm(note, appointments))));
  });
  return () => { live = false; };
}
