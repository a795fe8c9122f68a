// An appointment's questions to take to the visit: a page to print (?mode=print, and the
// same page tucked into the notes for printing from there) and large text to hold up
// (?mode=show).
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { coalesce, concerns } from "../common.js";
import { t, useWords } from "../../i18n/index.js";
import { arrival, dayLabel, find, href } from "./common.js";

await useWords("appointments");

// The clean page: title, date, numbered questions with room for answers, the next date.
function sheetBody(appt) {
  const qs = appt.questions || [];
  const lines = (n) => el("div", { class: "sheet-lines", "aria-hidden": "true" }, Array.from({ length: n }, () => el("span")));
  return [
    el("p", { class: "sheet-date" }, appt.date ? dayLabel(appt.date, { withYear: true }) : t("appointments.sheet_date")),
    appt.date ? null : lines(1),
    qs.length ? el("ol", { class: "sheet-questions" }, qs.map((q) => el("li", { class: "sheet-question" },
      el("p", { class: "sheet-question-text" }, q.text),
      q.answer ? el("p", { class: "sheet-answer" }, q.answer) : null,
      lines(q.answer ? 1 : 3))))
      : el("p", {}, t("appointments.sheet_none")),
    el("div", { class: "sheet-next" },
      el("p", {}, t("appointments.sheet_next", { date: appt.next_date ? dayLabel(appt.next_date, { withYear: true }) : "" })),
      appt.next_date ? null : lines(1)),
  ];
}

// Tucked inside the notes (hidden on screen), so printing from there gives the same page.
export function printSheet(appt) {
  return el("article", { class: "appt-sheet" }, el("h2", { class: "sheet-title" }, appt.title), sheetBody(appt));
}

export function renderPrint(outlet, id) {
  const controls = el("div", { class: "appt-print-controls no-print" });
  // The heading is there from the first moment, so the router can move focus to it.
  const heading = el("h1", { class: "sheet-title" }, t("appointments.print_heading"));
  const body = el("div");
  const paper = el("article", { class: "appt-sheet appt-paper" }, heading, body);
  outlet.append(controls, paper);
  (async () => {
    const appt = await find(id);
    if (!appt) {
      heading.textContent = t("appointments.gone");
      controls.replaceChildren(el("a", { class: "button", href: "#/appointments" }, t("appointments.back_all")));
      return;
    }
    heading.textContent = appt.title;
    controls.replaceChildren(
      el("p", { class: "hint" }, t("appointments.print_hint")),
      el("div", { class: "form-actions" },
        el("button", { type: "button", class: "button button-primary", onclick: () => window.print() }, t("appointments.print")),
        el("a", { class: "button button-quiet", href: href(id) }, t("appointments.back_notes"))));
    body.replaceChildren(...sheetBody(appt).filter(Boolean));
    if (arrival.print === id) {
      arrival.print = null;
      window.print();
    }
  })();
  return () => { arrival.print = null; };
}

// ---------- show at the appointment ----------

export function renderShow(outlet, id) {
  const heading = el("h1", { class: "show-title" }, t("appointments.your_questions"));
  const date = el("p", { class: "show-date" });
  const body = el("div");
  const view = el("div", { class: "appt-show" },
    el("p", { class: "show-top" }, el("a", { href: href(id) }, t("appointments.back_notes"))),
    heading, date, body,
    el("div", { class: "show-bar" }, el("a", { class: "button show-back", href: href(id) }, t("appointments.back_notes"))));
  outlet.append(view);
  async function draw() {
    const appt = await find(id);
    if (!appt) {
      heading.textContent = t("appointments.gone");
      date.textContent = "";
      body.replaceChildren();
      return;
    }
    const qs = appt.questions || [];
    heading.textContent = appt.title;
    date.textContent = dayLabel(appt.date);
    body.replaceChildren(qs.length
      ? el("ol", { class: "show-questions" }, qs.map((q) => el("li", { class: `show-question${q.answer ? " is-answered" : ""}` },
        el("p", { class: "show-question-text" }, q.text),
        q.answer ? el("p", { class: "show-answer" }, el("span", { class: "show-answer-label" }, t("appointments.answer_prefix")), q.answer) : null)))
      : el("p", { class: "show-question-text" }, t("appointments.no_questions_end")));
  }
  const redraw = coalesce(draw);
  const onChange = (e) => { if (!e.detail.mine && concerns(e.detail, ["appointment"])) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw();
  return () => records.changes.removeEventListener("records", onChange);
}
