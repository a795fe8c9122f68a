// Gratitude and ideas: one short note of thanks a day (shared unless you choose otherwise),
// the notes between you, and a gentle idea of the day (something to write, or a nonsexual
// way to be close) matched to how much energy you have. The stop signal sits at the top,
// because ideas for closeness belong next to the easy way to pause.
import { relativeDay, today as localDate } from "../core/dates.js";
import { ENERGY_LEVELS, isEnergy, KINDS, nextInGroup, promptOfTheDay } from "../core/prompts.js";
import { RecordError } from "../core/records.js";
import { identity } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, setDraft } from "../shell/drafts.js";
import { authorName, coalesce } from "./common.js";

export const title = "Gratitude";

const ENERGY_KEY = "hearth.gratitude.energy";   // only "low", "some" or "more": nothing personal
const PAGE = 30;

function savedEnergy() {
  try {
    const value = localStorage.getItem(ENERGY_KEY);
    return isEnergy(value) ? value : "low";
  } catch {
    return "low";
  }
}

function saveEnergy(value) {
  try { localStorage.setItem(ENERGY_KEY, value); } catch { /* private mode: just not remembered */ }
}

function friendly(err, value) {
  if (err instanceof RecordError && err.message.startsWith("'text' must be")) {
    return value.trim() ? "That's a little long for a daily note; a few lines is plenty."
      : "Write a few words first; a note can't be empty.";
  }
  return "That didn't save. Please try again.";
}

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

// ---------- today's note ----------

function noteForm({ note, today, onDone }) {
  const key = `gratitude:${note?.id || "today"}`;
  const text = el("textarea", { id: "gr-note-text", name: "text", rows: 3, maxlength: 2000, required: true,
    "aria-describedby": "gr-note-hint" }, note?.text || "");
  const error = el("p", { class: "form-error", role: "alert" });
  const canChoose = !note?.shared;
  const radio = (value, label, checked) => el("label", { class: "check" },
    el("input", { type: "radio", name: "gr-who", value, checked }), label);
  const shareChoice = radio("share", "My partner and me", !note);
  const keepChoice = radio("private", "Just me, for now", Boolean(note));
  const form = el("form", { class: "gratitude-form", novalidate: true },
    el("label", { for: text.id }, "What are you grateful for today?"),
    el("p", { class: "hint", id: "gr-note-hint" },
      "One small thing is plenty: something your partner did, something your body managed, a good moment."),
    text,
    canChoose ? el("fieldset", { class: "gratitude-who" },
      el("legend", {}, "Who sees it?"), shareChoice, keepChoice,
      el("p", { class: "hint" }, "A private note stays on this phone. You can share it later.")) : null,
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, note ? "Save changes" : "Save today's note"),
      note ? el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onDone(); } }, "Cancel")
        : null));
  form.addEventListener("input", () => setDraft(key, text.value.trim() !== (note?.text || "").trim()));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = { text: text.value.trim() };
    if (!note) fields.date = today;
    if (canChoose) fields.shared = shareChoice.querySelector("input").checked;
    try {
      await records.put("gratitude", fields, note?.id || null);
    } catch (err) {
      error.textContent = friendly(err, text.value);
      text.focus();
      return;
    }
    clearDraft(key);
    onDone({ saved: true });
  });
  return form;
}

function todayNote(note, { onEdit, onShare, onUnshare }) {
  return [
    el("p", { class: "gratitude-note-text" }, note.text),
    el("p", { class: "gratitude-note-status" },
      el("span", { class: `badge${note.shared ? "" : " gratitude-badge-private"}` },
        note.shared ? "Shared with your partner" : "Private, just for you")),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-small", onclick: onEdit }, "Edit"),
      note.shared
        // Taking it back is always allowed and never asks why (protocol §8.11).
        ? el("button", { type: "button", class: "button button-small button-quiet", onclick: onUnshare }, "Stop sharing")
        : el("button", { type: "button", class: "button button-small", onclick: onShare }, "Share with my partner")),
  ];
}

// ---------- the idea of the day ----------

function ideaCard() {
  let energy = savedEnergy();
  let current = null;
  const kindLine = el("p", { class: "gratitude-idea-kind" });
  const textLine = el("p", { class: "gratitude-prompt-text" });
  const extra = el("div", { class: "gratitude-idea-extra" });
  const body = el("div", { class: "gratitude-idea-body", "aria-live": "polite", "aria-atomic": "true" }, kindLine, textLine);

  function show(item) {
    current = item;
    kindLine.textContent = KINDS[item.kind];
    textLine.textContent = item.text;
    body.dataset.kind = item.kind;
    body.dataset.id = item.id;
    extra.replaceChildren(...(item.kind === "write"
      ? [el("p", { class: "hint" }, "Write it just for yourself, or share it with your partner. Either is welcome."),
        el("a", { class: "button button-small", href: "#/journal" }, "Write about it in the journal")]
      : [el("p", { class: "hint" }, "Only if it feels right for you both today. Either of you can stop at any point.")]));
  }

  const radios = ENERGY_LEVELS.map((level) => {
    const input = el("input", { type: "radio", name: "gr-energy", value: level.value, id: `gr-energy-${level.value}`,
      checked: level.value === energy, "aria-describedby": `gr-energy-${level.value}-about` });
    input.addEventListener("change", () => {
      if (!input.checked) return;
      energy = level.value;
      saveEnergy(energy);
      show(promptOfTheDay(localDate(), energy));
    });
    return el("label", { class: "gratitude-energy-option", for: input.id }, input,
      el("span", { class: "gratitude-energy-name" }, level.label),
      el("span", { class: "gratitude-energy-about", id: `gr-energy-${level.value}-about` }, level.about));
  });

  show(promptOfTheDay(localDate(), energy));
  return el("section", { class: "card gratitude-idea", "aria-labelledby": "gr-idea-title" },
    el("h2", { id: "gr-idea-title" }, "An idea for today"),
    el("fieldset", { class: "gratitude-energy" }, el("legend", {}, "How much energy do you have?"),
      el("div", { class: "gratitude-energy-options" }, radios)),
    body,
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-small", onclick: () => show(nextInGroup(current, energy)) },
        "Another idea")),
    extra);
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
