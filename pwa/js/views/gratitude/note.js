// Today's thank-you: writing it, choosing who sees it, and changing or sharing it after.
import { RecordError } from "../../core/records.js";
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft } from "../../shell/drafts.js";
import { creationId } from "../common.js";

function friendly(err, value) {
  if (err instanceof RecordError && err.message.startsWith("'text' must be")) {
    return value.trim() ? "That's a little long for a daily note; a few lines is plenty."
      : "Write a few words first; a note can't be empty.";
  }
  return "That didn't save. Please try again.";
}

export function noteForm({ note, today, onDone }) {
  const key = note ? `gratitude:edit:${note.id}` : "gratitude:new";
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
      el("p", { class: "hint" }, "A shared note goes to your partner's phone. A private note stays on this phone, and you can share it later.")) : null,
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, note ? "Save changes" : "Save today's note"),
      note ? el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onDone(); } }, "Cancel")
        : null));
  keepDraft(form, key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = { text: text.value.trim() };
    if (!note) fields.date = today;
    if (canChoose) fields.shared = shareChoice.querySelector("input").checked;
    try {
      if (note) await records.put("gratitude", fields, note.id);
      else await create("gratitude", fields, creationId(form));
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

export function todayNote(note, { onEdit, onShare, onUnshare }) {
  return [
    el("p", { class: "gratitude-note-text" }, note.text),
    el("p", { class: "gratitude-note-status" },
      el("span", { class: `badge${note.shared ? "" : " gratitude-badge-private"}` },
        note.shared ? "Shared with your partner" : "Private, just for you")),
    note.shared ? el("p", { class: "hint" }, "If you stop sharing it, it leaves your partner's phone the next time it connects, "
      + "though they may already have read it.") : null,
    el("div", { class: "form-actions" },
      opensDraft(el("button", { type: "button", class: "button button-small", onclick: onEdit }, "Edit"), `gratitude:edit:${note.id}`),
      note.shared
        // Taking it back is always allowed and never asks why (protocol §8.11).
        ? el("button", { type: "button", class: "button button-small button-quiet", onclick: onUnshare }, "Stop sharing")
        : el("button", { type: "button", class: "button button-small", onclick: onShare }, "Share with my partner")),
  ];
}
