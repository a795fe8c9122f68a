// A tiny registry of unsaved drafts. A view that holds words the person has not saved yet
// calls setDraft(key, true); once saved or discarded, clearDraft(key). The shell asks
// hasDrafts() before anything that would reload the page (an update), and the browser's own
// "leave page?" prompt guards a tab being closed with a draft pending.

const pending = new Set();
const listeners = new Set();

function changed() {
  for (const fn of listeners) {
    try { fn(pending.size > 0); } catch (err) { console.warn("drafts listener failed", err); }
  }
}

export function setDraft(key, hasDraft = true) {
  const had = pending.has(key);
  if (hasDraft) pending.add(key); else pending.delete(key);
  if (had !== pending.has(key)) changed();
}

export function clearDraft(key) {
  setDraft(key, false);
}

export function hasDrafts() {
  return pending.size > 0;
}

export function pendingDrafts() {
  return [...pending];
}

/** Calls fn(hasDrafts) whenever that changes; returns a function that stops listening. */
export function onDraftsChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function guardUnload(event) {
  if (pending.size === 0) return;
  event.preventDefault();
  event.returnValue = "";  // older browsers need a value to show their own prompt
}

addEventListener("beforeunload", guardUnload);

/** Locking: words not yet saved are let go without the browser's "leave page?" question,
 * which would keep Hearth open on the screen. */
export function letGo() {
  pending.clear();
  removeEventListener("beforeunload", guardUnload);
}
