// Gratitude and ideas: one short note of thanks a day (shared unless you choose otherwise),
// the notes between you, and a gentle idea of the day (something to write, or a nonsexual
// way to be close) matched to how much energy you have. The stop signal sits at the top,
// because ideas for closeness belong next to the easy way to pause.
// Today's note is gratitude/note.js, the idea of the day gratitude/idea.js.
import { relativeDay, today as localDate } from "../core/dates.js";
import { identity } from "../device/identity.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { reopenKept } from "../shell/drafts.js";
import { authorName, coalesce } from "./common.js";
import { ideaCard } from "./gratitude/idea.js";
import { noteForm, todayNote } from "./gratitude/note.js";

await useWords("gratitude");

export const title = t("gratitude.title");

const PAGE = 30;

// ---------- the stop signal, always in reach ----------

function stopSignal(boundaries) {
  const signals = boundaries.filter((b) => b.kind === "stop_signal");
  if (!signals.length) {
    return el("section", { class: "gratitude-stop gratitude-stop-none", "aria-labelledby": "gr-stop-title" },
      el("h2", { id: "gr-stop-title", class: "gratitude-stop-title" }, t("gratitude.stop_none_title")),
      el("p", {}, t("gratitude.stop_none")),
      el("a", { class: "button button-small", href: "#/boundaries" }, t("gratitude.stop_choose")));
  }
  return el("section", { class: "gratitude-stop", "aria-labelledby": "gr-stop-title" },
    el("h2", { id: "gr-stop-title", class: "gratitude-stop-title" }, t("gratitude.stop_title", { count: signals.length })),
    el("ul", { class: "gratitude-stop-list" }, signals.map((s) => el("li", {},
      el("strong", { class: "gratitude-stop-word", dir: "auto" }, s.label),
      el("span", { class: "gratitude-stop-whose" }, s.mine ? t("gratitude.stop_yours") : t("gratitude.stop_partners")),
      s.note ? el("span", { class: "gratitude-stop-note" }, " · ", el("span", { dir: "auto" }, s.note)) : null))),
    el("p", { class: "hint" }, t("gratitude.stop_hint")));
}

// ---------- the notes between you ----------

function noteItem(note, me, today, fresh) {
  return el("li", { class: `gratitude-note${note.mine ? " gratitude-note-mine" : " gratitude-note-partner"}` },
    el("p", { class: "gratitude-note-meta" },
      el("span", { class: "gratitude-note-author" }, authorName(note, me)), " · ",
      el("time", { datetime: note.date }, relativeDay(note.date, { now: today, yearAfter: 300 })),
      note.mine && !note.shared ? el("span", { class: "badge gratitude-badge-private" }, t("gratitude.private")) : null,
      fresh ? el("span", { class: "badge" }, t("gratitude.new")) : null),
    el("p", { class: "gratitude-note-text", dir: "auto" }, note.text));
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
    const heading = el("h2", { id: "gr-today-title" }, t("gratitude.today_title"));
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
        t("gratitude.notes_empty")));
      return;
    }
    const more = all.length > shown ? el("button", { type: "button", class: "button button-wide", onclick: () => {
      shown += PAGE;
      drawNotes();
    } }, t("gratitude.show_earlier", { count: all.length - shown })) : null;
    notes.replaceChildren(...[el("ul", { class: "gratitude-notes" },
      all.slice(0, shown).map((n) => noteItem(n, me, date, fresh.has(n.id)))), more].filter(Boolean));
  }

  outlet.append(
    viewHeader(t("gratitude.heading"), t("gratitude.lede")),
    stopSlot,
    today,
    ideaCard(),
    el("section", { class: "card gratitude-history", "aria-labelledby": "gr-notes-title" },
      el("h2", { id: "gr-notes-title" }, t("gratitude.notes_title")),
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
