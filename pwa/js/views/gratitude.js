// Gratitude and ideas: one short note of thanks a day (shared unless you choose otherwise),
// the notes between you, and a gentle idea of the day (something to write, or a nonsexual
// way to be close) matched to how much energy you have. The stop signal sits at the top,
// because ideas for closeness belong next to the easy way to pause.
// Today's note is gratitude/note.js, the idea of the day gratitude/idea.js.
import { relativeDay, today as localDate } from "../core/dates.js";
import { identity } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { reopenKept } from "../shell/drafts.js";
import { authorName, coalesce } from "./common.js";
import { ideaCard } from "./gratitude/idea.js";
import { noteForm, todayNote } from "./gratitude/note.js";

export const title = "Gratitude";

const PAGE = 30;

// ---------- the stop signal, always in reach ----------

function stopSignal(boundaries) {
  const signals = boundaries.filter((b) => b.kind === "stop_signal");
  if (!signals.length) {
    return el("section", { class: "gratitude-stop gratitude-stop-none", "aria-labelledby": "gr-stop-title" },
      el("h2", { id: "gr-stop-title", class: "gratitude-stop-title" }, "A stop signal"),
      el("p", {}, "A word or a sign that means “let's pause”, with no questions asked. " +
        "Agreeing on one can make closeness feel safer."),
      el("a", { class: "button button-small", href: "#/boundaries" }, "Choose a stop signal"));
  }
  return el("section", { class: "gratitude-stop", "aria-labelledby": "gr-stop-title" },
    el("h2", { id: "gr-stop-title", class: "gratitude-stop-title" }, signals.length > 1 ? "Your stop signals" : "Your stop signal"),
    el("ul", { class: "gratitude-stop-list" }, signals.map((s) => el("li", {},
      el("strong", { class: "gratitude-stop-word" }, s.label),
      el("span", { class: "gratitude-stop-whose" }, s.mine ? " (yours)" : " (your partner's)"),
      s.note ? el("span", { class: "gratitude-stop-note" }, ` · ${s.note}`) : null))),
    el("p", { class: "hint" }, "Either of you can use it at any moment. Pausing is always fine."));
}

// ---------- the notes between you ----------

function noteItem(note, me, today, fresh) {
  return el("li", { class: `gratitude-note${note.mine ? " gratitude-note-mine" : " gratitude-note-partner"}` },
    el("p", { class: "gratitude-note-meta" },
      el("span", { class: "gratitude-note-author" }, authorName(note, me)), " · ",
      el("time", { datetime: note.date }, relativeDay(note.date, { now: today, yearAfter: 300 })),
      note.mine && !note.shared ? el("span", { class: "badge gratitude-badge-private" }, "Private") : null,
      fresh ? el("span", { class: "badge" }, "New") : null),
    el("p", { class: "gratitude-note-text" }, note.text));
}

export function render(outlet) {
  const stopSlot = el("div", { class: "gratitude-stop-slot" });
  const today = el("section", { class: "card gratitude-today", "aria-labelledby": "gr-today-title" });
  const notes = el("div", { class: "gratitude-notes-body" });
  let shown = PAGE;
  let editing = false;

  async function drawStop() {
    stopSlot.replaceChildren(stopSignal(await records.list("boundary")));
  }

  async function drawToday({ focus = false } = {}) {
    const date = localDate();
    const mineToday = (await records.list("gratitude")).filter((n) => n.mine && n.date === date).at(-1) || null;
    const heading = el("h2", { id: "gr-today-title" }, "A thank-you for today");
    const done = ({ saved = false } = {}) => {
      editing = false;
      drawToday({ focus: true });
      if (saved) drawNotes();
    };
    if (!mineToday || editing) {
      const form = noteForm({ note: editing ? mineToday : null, today: date, onDone: done });
      today.replaceChildren(heading, form);
      if (focus) form.querySelector("textarea").focus();
      return;
    }
    today.replaceChildren(heading, ...todayNote(mineToday, {
      onEdit: () => { editing = true; drawToday({ focus: true }); },
      onShare: async () => { await records.put("gratitude", { shared: true }, mineToday.id); drawToday({ focus: false }); },
      onUnshare: async () => { await records.put("gratitude", { shared: false }, mineToday.id); drawToday({ focus: false }); },
    }));
    if (focus) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    reopenKept(today);   // a change left half-written comes back in its form
  }

  async function drawNotes() {
    const me = await identity();
    const date = localDate();
    const fresh = await records.unseen("gratitude");
    const all = (await records.list("gratitude"))
      .filter((n) => !(n.mine && n.date === date))   // today's own note is in the card above
      .sort((a, b) => (a.date === b.date ? b.at - a.at : a.date < b.date ? 1 : -1));
    if (!all.length) {
      notes.replaceChildren(el("p", { class: "empty" },
        "No notes here yet. When your partner shares one, it will appear here, and so will your own from other days."));
      return;
    }
    const more = all.length > shown ? el("button", { type: "button", class: "button button-wide", onclick: () => {
      shown += PAGE;
      drawNotes();
    } }, `Show earlier notes (${all.length - shown} more)`) : null;
    notes.replaceChildren(...[el("ul", { class: "gratitude-notes" },
      all.slice(0, shown).map((n) => noteItem(n, me, date, fresh.has(n.id)))), more].filter(Boolean));
  }

  outlet.append(
    viewHeader("Gratitude and ideas", "One kind word a day, and gentle ideas for being close. Take what helps; leave the rest."),
    stopSlot,
    today,
    ideaCard(),
    el("section", { class: "card gratitude-history", "aria-labelledby": "gr-notes-title" },
      el("h2", { id: "gr-notes-title" }, "Notes between you"),
      notes));

  const redraw = coalesce(() => {
    drawStop();
    drawNotes();
    if (!editing && !today.querySelector("form")?.querySelector("textarea")?.value.trim()) drawToday();
  });
  const onChange = (e) => {
    if (!e.detail.mine || e.detail.type === "boundary") redraw();
  };
  records.changes.addEventListener("records", onChange);
  drawStop();
  drawToday();
  drawNotes().then(() => records.markSeen("gratitude"));
  return () => {
    records.changes.removeEventListener("records", onChange);
    records.markSeen("gratitude");
  };
}
