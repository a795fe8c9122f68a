// Today's thank-you: writing it, choosing who sees it, and changing or sharing it after.
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { refusedField } from "../../i18n/record-words.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft } from "../../shell/drafts.js";
import { creationId } from "../common.js";

await useWords("gratitude");

function friendly(err, value) {
  if (refusedField(err) === "text") {
    return value.trim() ? t("gratitude.too_long") : t("gratitude.empty_error");
  }
  return t("gratitude.not_saved");
}

export function noteForm({ note, today, onDone }) {
  const key = note ? `gratitude:edit:${note.id}` : "gratitude:new";
  const text = el("textarea", { id: "gr-note-text", name: "text", rows: 3, maxlength: 2000, required: true,
    "aria-describedby": "gr-note-hint" }, note?.text || "");
  const error = el("p", { class: "form-error", role: "alert" });
  const canChoose = !note?.shared;
  const radio = (value, label, checked) => el("label", { class: "check" },
    el("input", { type: "radio", name: "gr-who", value, checked }), label);
  const shareChoice = radio("share", t("gratitude.who_both"), !note);
  const keepChoice = radio("private", t("gratitude.who_me"), Boolean(note));
  const form = el("form", { class: "gratitude-form", novalidate: true },
    el("label", { for: text.id }, t("gratitude.note_label")),
    el("p", { class: "hint", id: "gr-note-hint" },
      t("gratitude.note_hint")),
    text,
    canChoose ? el("fieldset", { class: "gratitude-who" },
      el("legend", {}, t("gratitude.who_legend")), shareChoice, keepChoice,
      el("p", { class: "hint" }, t("gratitude.who_hint"))) : null,
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, note ? t("gratitude.save_changes") : t("gratitude.save_today")),
      note ? el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onDone(); } }, t("gratitude.cancel"))
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
    el("p", { class: "gratitude-note-text", dir: "auto" }, note.text),
    el("p", { class: "gratitude-note-status" },
      el("span", { class: `badge${note.shared ? "" : " gratitude-badge-private"}` },
        note.shared ? t("gratitude.badge_shared") : t("gratitude.badge_private"))),
    note.shared ? el("p", { class: "hint" }, t("gratitude.unshare_hint")) : null,
    el("div", { class: "form-actions" },
      opensDraft(el("button", { type: "button", class: "button button-small", onclick: onEdit }, t("gratitude.edit")), `gratitude:edit:${note.id}`),
      note.shared
        // Taking it back is always allowed and never asks why (protocol §8.11).
        ? el("button", { type: "button", class: "button button-small button-quiet", onclick: onUnshare }, t("gratitude.stop_sharing"))
        : el("button", { type: "button", class: "button button-small", onclick: onShare }, t("gratitude.share"))),
  ];
}
