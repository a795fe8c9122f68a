// Appointment notes: questions for the care team, jotted down whenever they come to mind,
// then shown on screen in large text or printed for the visit, with room for the answers.
// Notes belong to the person who wrote them: a partner can read, show and print them, and
// only the author's phone can change them.
//
// Routes: #/appointments (the list), ?id=<id> (one appointment's notes),
// ?id=<id>&mode=show (large text to hold up at the visit), ?id=<id>&mode=print (a page to print).
import { t, useWords } from "../i18n/index.js";
import { renderList } from "./appointments/list.js";
import { renderNotes } from "./appointments/notes.js";
import { renderPrint, renderShow } from "./appointments/sheet.js";

await useWords("appointments");

export const title = t("appointments.title");

export function render(outlet, { params }) {
  const id = params.get("id");
  if (!id) return renderList(outlet);
  const mode = params.get("mode");
  if (mode === "show") return renderShow(outlet, id);
  if (mode === "print") return renderPrint(outlet, id);
  return renderNotes(outlet, id);
}
