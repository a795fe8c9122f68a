// Words not yet saved are kept until the person saves them or discards them on purpose:
// Back, another tab, a reload, locking or the app being closed lose nothing (issue 14).
// A form says once which draft it is, keepDraft(form, key), with a key naming what it writes
// ("journal:new", "journal:reply:<id>"), so a new entry, an edit and a reply never mix.
// One listener per form keeps its fields' values (shell/draft-fields.js) in the database's
// "meta" store, sealed with the rest while the app lock is on; drawing the same form again
// puts them back and says so. Saving or a Cancel calls clearDraft(key); nothing else does.
// hasDrafts() says whether a form on screen holds unsaved words: an update waits for them.
import * as db from "../data/db.js";
import { t } from "../i18n/index.js";
import { el } from "./dom.js";
import { readFields, writeFields } from "./draft-fields.js";

const PREFIX = "draft:";          // meta "draft:<key>": { key, fields, state, at }, sealed with the rest
const LEGACY = "drafts";          // before: one value holding every draft, which two tabs overwrote
const SAVE_AFTER_MS = 400;        // typing is kept in small bursts, and at once on leaving

const flagged = new Map();        // setDraft's keys: a choice under way, with no words to keep -> its node, if any
const pending = new Set();        // keys of forms holding words not saved
const listeners = new Set();
const live = new Map();           // key -> { form, state, initial }: the form drawn for a key
const kept = new Map();           // key -> draft: what is kept, once read, with changes since
const changedEarly = new Set();   // keys changed here before the kept drafts had been read
const touched = new Set();        // keys changed here since this page last wrote them
const onDemand = new Set();       // keys of forms a button opens: open at all, they are in use
let loading = null;
let loaded = false;
let timer = null;
let failed = false;               // the database refused: the browser's own prompt guards instead
let stopped = false;              // locking: the data key is going, nothing more is written

// A form opened on purpose is in use before a word is typed (an Edit already holding the
// entry's words): what waits for drafts waits for it too, until it is saved, cancelled or left.
const isOpen = (key) => onDemand.has(key) && live.has(key) && !live.get(key).form.closest("[hidden]");

function changed() {
  const any = pending.size + flagged.size > 0 || [...live.keys()].some(isOpen);
  for (const fn of listeners) {
    try { fn(any); } catch (err) { console.warn("drafts listener failed", err); }
  }
}

function mark(key, on) {
  const had = pending.has(key);
  if (on) pending.add(key); else pending.delete(key);
  if (had !== on) changed();
}

async function readKept() {
  const store = (await db.database()).transaction("meta").store;
  const [each, legacy] = await Promise.all([store.getAll(IDBKeyRange.bound(PREFIX, `${PREFIX}\uffff`)), store.get(LEGACY)]);
  const found = Object.entries(legacy || {});
  found.forEach(([key]) => touched.add(key));   // each moved to a value of its own, next time anything is kept
  return [...found, ...each.map(({ key, ...draft }) => [key, draft])];
}

function load() {
  loading ??= readKept().then((stored) => {
    for (const [key, draft] of stored) if (!changedEarly.has(key)) kept.set(key, draft);
    loaded = true;
  }, (err) => {
    loading = null;   // locked or refused for now: asked again next time
    throw err;
  });
  return loading;
}

// Each draft is a value of its own, and only the keys this page changed are written: another
// tab's drafts stay as that tab left them, and nothing is read first, so leaving the page
// has only writes to finish.
async function persist() {
  clearTimeout(timer);
  timer = null;
  if (!touched.size || stopped) return;
  const mine = [...touched];
  touched.clear();
  try {
    if (!loaded) await load();
    // Committed at once, not when the page next idles: leaving may be closing the app.
    await db.write(["meta"], async (tx) => {
      const store = tx.objectStore("meta");
      const written = mine.map((key) => (kept.has(key)
        ? store.put({ key, ...kept.get(key) }, PREFIX + key) : store.delete(PREFIX + key)));
      written.push(store.delete(LEGACY));
      tx.commit?.();
      await Promise.all(written);
    });
    failed = false;
  } catch (err) {
    mine.forEach((key) => touched.add(key));
    failed = true;
    console.warn("a draft could not be kept", err && err.name);
  }
}

function persistSoon(key) {
  touched.add(key);
  timer ??= setTimeout(persist, SAVE_AFTER_MS);
}

const snapshot = ({ form, state }) => ({ fields: readFields(form), state: state ? state.read() : null });

// The form's words as they are now: kept if they differ from what the form was drawn with.
function capture(key) {
  const entry = live.get(key);
  if (!entry) return;
  const now = JSON.stringify(snapshot(entry));
  const had = kept.get(key);
  const before = had ? JSON.stringify({ fields: had.fields, state: had.state }) : null;
  const differs = now !== entry.initial;
  if (!loaded) changedEarly.add(key);
  if (differs && now !== before) kept.set(key, { ...JSON.parse(now), at: Date.now() });
  if (!differs && had) kept.delete(key);
  if ((differs ? now : null) !== before) persistSoon(key);
  mark(key, differs);
}

// Forms no longer on screen (their view has gone): their words stay kept, and they no
// longer count as being written.
function prune() {
  for (const [key, node] of flagged) {
    if (node && !node.isConnected) {
      flagged.delete(key);
      changed();
    }
  }
  for (const [key, entry] of live) {
    if (entry.form.isConnected) continue;
    const wasOpen = isOpen(key);
    capture(key);
    live.delete(key);
    mark(key, false);
    if (wasOpen) changed();
  }
}

function keptNote(entry, key) {
  const note = el("div", { class: "draft-kept", role: "status" },
    el("p", {}, t("drafts.kept")),
    el("button", { type: "button", class: "button button-small button-quiet", onclick: () => {
      clearDraft(key);
      const { fields, state } = JSON.parse(entry.initial);
      writeFields(entry.form, fields);
      if (entry.state) entry.state.write(state);
      clearDraft(key);   // putting the first words back is not a new draft
      note.remove();
      entry.form.querySelector("input:not([type=hidden]), textarea, select")?.focus();
    } }, t("drafts.discard")));
  const heading = entry.form.firstElementChild?.matches("h2, h3") ? entry.form.firstElementChild : null;
  if (heading) heading.after(note); else entry.form.prepend(note);
}

/**
 * Keep what `form` holds as the draft `key`, and put back what was kept for it. `state`,
 * for what fields alone can't say (a slider left untouched): { read() -> JSON, write(value) }.
 */
export function keepDraft(form, key, { state = null } = {}) {
  if (live.has(key) && live.get(key).form !== form) capture(key);   // redrawn: its words carry over
  form.dataset.draft = key;
  const entry = { form, state, initial: JSON.stringify(snapshot({ form, state })) };
  const wasOpen = isOpen(key);
  live.set(key, entry);
  if (!wasOpen && isOpen(key)) changed();
  let untouched = true;
  const onChange = () => {
    untouched = false;
    live.set(key, entry);   // typing again after a save that kept the form open
    capture(key);
  };
  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);
  load().then(() => {
    const draft = kept.get(key);
    if (!draft || !untouched || (live.has(key) && live.get(key) !== entry)) return;
    live.set(key, entry);
    form.closest("details")?.setAttribute("open", "");
    writeFields(form, draft.fields);
    if (state && draft.state !== null && draft.state !== undefined) state.write(draft.state);
    capture(key);
    keptNote(entry, key);
  }).catch((err) => console.warn("kept drafts could not be read", err && err.name));
  return form;
}

/** Saved, or discarded on purpose: the draft and its kept words go. */
export function clearDraft(key) {
  const wasOpen = isOpen(key);
  live.delete(key);
  const wasFlagged = flagged.delete(key) || wasOpen;
  if (!loaded) changedEarly.add(key);
  if (kept.delete(key) || !loaded) {
    touched.add(key);
    persist();
  }
  mark(key, false);
  if (wasFlagged) changed();
}

/** A choice under way with nothing to keep (a request being made): counts as a draft, while
 * `node`, when given, is on the page (a redraw of the person's own that takes it away ends it). */
export function setDraft(key, hasDraft = true, node = null) {
  const had = flagged.has(key);
  if (hasDraft) flagged.set(key, node); else flagged.delete(key);
  if (had !== hasDraft) changed();
}

/** Leaving a view: its forms' words stay kept, and no longer count as being written. */
export function release(key) {
  capture(key);
  const wasOpen = isOpen(key);
  live.delete(key);
  const wasFlagged = flagged.delete(key) || wasOpen;
  mark(key, false);
  if (wasFlagged) changed();
  persist();
}

export function pendingDrafts() {
  prune();
  return [...new Set([...pending, ...flagged.keys(), ...[...live.keys()].filter(isOpen)])];
}

export function hasDrafts() {
  return pendingDrafts().length > 0;
}

/** Calls fn(hasDrafts) whenever that may have changed; returns a function that stops listening. */
export function onDraftsChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A control that opens the form for draft `key`: clicked again when a draft is kept for it. */
export function opensDraft(control, key) {
  onDemand.add(key);
  control.dataset.draftOpens = key;
  return control;
}

const reopened = new WeakSet();   // each control opens its form once: a form may open slowly

/** Open again, under `root`, each form with a kept draft that is not on screen. */
export async function reopenKept(root) {
  try { await load(); } catch { return; }
  for (const control of root.querySelectorAll("[data-draft-opens]")) {
    const key = control.dataset.draftOpens;
    const form = live.get(key)?.form;
    if (!kept.has(key) || (form?.isConnected && !form.closest("[hidden]")) || control.hidden || reopened.has(control)) continue;
    reopened.add(control);
    control.click();
  }
}

// Leaving the screen, the tab or the app: what is being written is kept now, not in a moment.
function keepNow() {
  for (const key of live.keys()) capture(key);
  persist();
}
addEventListener("hashchange", keepNow);
addEventListener("pagehide", keepNow);
document.addEventListener("visibilitychange", () => { if (document.hidden) keepNow(); });

// Kept words need no "leave page?" question; only if the database refused to keep them.
function guardUnload(event) {
  if (!failed || !hasDrafts()) return;
  event.preventDefault();
  event.returnValue = "";  // older browsers need a value to show their own prompt
}
addEventListener("beforeunload", guardUnload);

/** Locking: what is being written is sealed and kept while the data key is still here, then
 * nothing more is written, and no "leave page?" question keeps Hearth on the screen. */
export function letGo() {
  keepNow();
  stopped = true;
  pending.clear();
  flagged.clear();
  removeEventListener("beforeunload", guardUnload);
}
