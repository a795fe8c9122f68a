// "Good to know" (#/good-to-know): short, calm notes on how treatment often changes
// closeness, each folded until opened, with questions that go onto an appointment's notes
// in one tap. The words are help/notes.js; their sources, docs/care-sources.md.
import { NOTES } from "../help/notes.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { addQuestionsForm, ownAppointments } from "./good-to-know/add-questions.js";
import { paragraph } from "./help/words.js";

await useWords("care");

export const title = t("care.gtk_title");

export function render(outlet) {
  const list = el("div", { class: "gtk-notes" });
  outlet.append(
    viewHeader(t("care.gtk_title"), t("care.gtk_lede")),
    list,
    el("p", { class: "hint" }, t("care.gtk_general"),
      el("a", { href: "#/help" }, t("care.gtk_help_link"))),
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
