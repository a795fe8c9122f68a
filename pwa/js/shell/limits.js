// Every field with a length limit says so as the person nears it, and a paste that is too
// long says what happened instead of being cut short in silence. One listener for the
// whole app, so no form can forget: a field only needs its `maxlength`.
import { t } from "../i18n/index.js";
import { el } from "./dom.js";

const NEAR = 0.9;   // say how much room is left from 90% of the limit on

function note(field) {
  const id = `${field.id || (field.id = `field-${Math.random().toString(36).slice(2)}`)}-limit`;
  let hint = document.getElementById(id);
  if (!hint) {
    hint = el("p", { id, class: "hint field-limit", "aria-live": "polite" });
    field.after(hint);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? `${described} ${id}` : id);
  }
  return hint;
}

function sayRoomLeft(field, { cut = false } = {}) {
  const max = field.maxLength;
  const used = field.value.length;
  if (!cut && used < max * NEAR) {
    document.getElementById(`${field.id}-limit`)?.replaceChildren();
    return;
  }
  // Numbers in the language's own form (t formats them), and "1 left" its own plural.
  const room = used >= max ? t("limits.full", { max }) : t("limits.room_left", { count: max - used, max });
  note(field).textContent = cut ? t("limits.paste_cut", { room }) : room;
}

function limited(target) {
  return (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) && target.maxLength > 0 ? target : null;
}

export function watchLengthLimits(root = document) {
  root.addEventListener("input", (e) => {
    const field = limited(e.target);
    if (field && !field.dataset.pasteCut) sayRoomLeft(field);
    if (field) delete field.dataset.pasteCut;
  });
  root.addEventListener("paste", (e) => {
    const field = limited(e.target);
    const text = e.clipboardData?.getData("text/plain");
    if (!field || text === undefined) return;
    const selected = (field.selectionEnd ?? 0) - (field.selectionStart ?? 0);
    if (field.value.length - selected + text.length <= field.maxLength) return;
    // The browser would keep only what fits and say nothing: put in what fits, and say so.
    e.preventDefault();
    const room = field.maxLength - (field.value.length - selected);
    field.setRangeText(text.slice(0, Math.max(0, room)), field.selectionStart, field.selectionEnd, "end");
    field.dataset.pasteCut = "1";
    field.dispatchEvent(new Event("input", { bubbles: true }));   // drafts and counters hear it
    sayRoomLeft(field, { cut: true });
  });
}
