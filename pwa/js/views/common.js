// Small helpers the views share: who wrote something, when, and redrawing calmly.
import { relativeTime } from "../core/dates.js";
import { newId, RecordError } from "../core/records.js";
import { create } from "../device/create.js";
import { ownIds } from "../device/identity.js";
import * as records from "../device/records.js";
import { t } from "../i18n/index.js";
import { el } from "../shell/dom.js";
import { onDraftsChange, pendingDrafts, release, setDraft } from "../shell/drafts.js";

// A listed record says whether it is mine (under any id this phone has had); a bare one is asked.
export function authorName(record, me) {
  return (record.mine ?? ownIds(me).has(record.author)) ? t("author.you") : t("author.partner");
}

// "friday" as a person reads it: "Friday".
export const dayName = (day) => day.charAt(0).toUpperCase() + day.slice(1);

// "Today, 14:05", "Yesterday, 09:30", "Monday", then a date: calm, not precise to the second.
// `inSentence` for the middle of one: "Paired today, 14:05".
export const when = (ms, { inSentence = false } = {}) => (ms ? relativeTime(ms, new Date(), { inSentence }) : "");

// The id of the record a form creates, fixed the first time it is asked for, so repeated
// saves of the same form name one record. A form that stays open for the next one calls
// nextCreation(form) after saving.
export const creationId = (form) => (form.dataset.creates ??= newId());
export const nextCreation = (form) => { delete form.dataset.creates; };

// Save a form's record: on a RecordError say why in `error` (`friendly(field)` gives a form's
// own words for a refused field, or nothing) and put the cursor back in `focus`; anything
// else "didn't save". Resolves to the record's id, or
// null when nothing was saved.
// `creates`, the form element, makes a new record once however often it is saved (its id
// is fixed the first time; see creationId).
export async function saveFrom(form, type, fields, id = null) {
  try {
    if (!id && form.creates) return await create(type, fields, creationId(form.creates));
    return await records.put(type, fields, id);
  } catch (err) {
    const { error, friendly = () => "", focus = null } = form;
    // A refusal the form words its own way, else as the records layer words it, in the
    // phone's language.
    // The refusals' words load only when one is to be said: Home imports this module at start.
    const { notSaved, recordWords, refusedField } = await import("../i18n/record-words.js");
    error.textContent = (err instanceof RecordError && friendly(refusedField(err))) || recordWords(err) || notSaved();
    focus?.focus();
    return null;
  }
}

// Redraw at most once per burst: a catch-up can bring thousands of changes in quick
// batches, and a view only needs to show where they ended up. A redraw that takes long
// (a big history) waits twice as long before the next, so drawing never takes more than
// about a third of the time that catching up has.
export function coalesce(fn, ms = 200) {
  let timer = null;
  let wait = ms;
  let drawing = false;
  let again = false;     // a change came while drawing: draw once more after
  const schedule = () => {
    timer = setTimeout(async () => {
      const started = performance.now();
      drawing = true;
      try {
        await fn();
      } finally {
        wait = Math.max(ms, 2 * (performance.now() - started));
        drawing = false;
        timer = null;
        if (again) {
          again = false;
          schedule();
        }
      }
    }, wait);
  };
  return () => {
    if (drawing) again = true;
    else if (!timer) schedule();
  };
}

/** Does this "records" change concern a screen showing `types`? (No types: it may.) */
export const concerns = (detail, types) => !detail.types || detail.types.some((t) => types.includes(t));

// A redraw that never throws away words being written or a choice being made: while this
// view has an unsaved draft or an open question (a drafts key starting with `prefix`, or
// one of several), a partner's change waits, and is drawn as soon as the draft is saved or
// dropped. stop() ends this; the view's words stay kept (shell/drafts.js) for when its forms
// are drawn again.
// A draw reads the database before it changes the screen, and a person can open something
// meanwhile, so the view's draw(ready) asks ready() just before it replaces anything, and
// leaves the screen alone when the answer is no.
export function politeRedraw(draw, prefix) {
  const prefixes = [prefix].flat();
  const mine = () => pendingDrafts().filter((k) => prefixes.some((p) => k.startsWith(p)));
  const note = el("p", { class: "hint waiting-update", role: "status", hidden: true }, t("redraw.waiting"));
  let waiting = false;
  const ready = () => {
    if (!mine().length) return true;
    waiting = true;
    note.hidden = false;
    return false;
  };
  const redraw = coalesce(() => (ready() ? draw(ready) : undefined));
  const unsubscribe = onDraftsChange(() => {
    if (waiting && !mine().length) {
      waiting = false;
      note.hidden = true;
      draw(ready);
    }
  });
  return { redraw, note, stop: () => { unsubscribe(); mine().forEach(release); } };
}

/**
 * A question before something that can't be taken back: `lines` (words, or nodes), a yes
 * that runs act() and a no, each then calling done(). While it is open it is a choice under
 * way (drafts key `key`, under the view's politeRedraw prefix), so news from the partner
 * waits instead of drawing it away under the person's finger.
 */
export function askFirst({ key, label, lines, yes, no, act, done }) {
  const settle = () => { setDraft(key, false); done(); };
  const yesButton = el("button", { type: "button", class: "button button-small", onclick: async () => {
    yesButton.disabled = true;
    try { await act(); } finally { settle(); }
  } }, yes);
  const question = el("div", { class: "confirm", role: "group", "aria-label": label },
    ...lines.map((line) => (typeof line === "string" ? el("p", {}, line) : line)),
    yesButton,
    el("button", { type: "button", class: "button button-small button-quiet", onclick: settle }, no));
  setDraft(key, true, question);   // until answered, or drawn away by something the person did
  return question;
}

// Long words fold: past about a screen of text, a person's writing shows its beginning and
// a button to read the rest, so a long entry doesn't bury everything after it.
const FOLD_AFTER = 1200;   // characters
let folds = 0;

export function foldedText(text, className) {
  const body = el("p", { class: className, dir: "auto" }, text);   // a person's words, in their own direction
  if (text.length <= FOLD_AFTER) return body;
  body.id ||= `folded-${(folds += 1)}`;
  body.classList.add("is-folded");
  const toggle = el("button", { type: "button", class: "button button-small button-quiet fold-toggle",
    "aria-expanded": "false", "aria-controls": body.id }, t("fold.show_all"));
  toggle.addEventListener("click", () => {
    const open = body.classList.toggle("is-folded") === false;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? t("fold.show_less") : t("fold.show_all");
    if (!open) body.scrollIntoView({ block: "nearest" });
  });
  return el("div", { class: "fold" }, body, toggle);
}

