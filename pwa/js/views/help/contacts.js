// "Our contacts": the couple's own care team, helpline and therapist, in their own words.
// They live in the couple's shared record (protocol §8.10), so they work offline, wait in
// the outbox, and reach the partner's phone like the check-in day does.
import { RecordError } from "../../core/records.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft, reopenKept } from "../../shell/drafts.js";

export const FIELDS = [
  ["contact_care_team", "Our care team", "Names, numbers and when to call: the ward, the nurse, out of hours."],
  ["contact_helpline", "A helpline", "One you'd like to keep at hand."],
  ["contact_therapist", "A therapist, counsellor or nurse", "Whoever helps you with closeness and feelings."],
];

const DRAFT = "help:contacts";

// A number in the couple's words becomes a link the phone can call with one tap; the rest
// stays plain text (no markup is ever built from what they wrote).
const NUMBER = /\+?\d[\d ()-]{5,}\d/g;

export function withCallLinks(text) {
  const parts = [];
  let at = 0;
  for (const m of text.matchAll(NUMBER)) {
    parts.push(text.slice(at, m.index), el("a", { href: `tel:${m[0].replace(/[^\d+]/g, "")}` }, m[0]));
    at = m.index + m[0].length;
  }
  parts.push(text.slice(at));
  return parts.filter((p) => p !== "");
}

function saved(settings) {
  const kept = FIELDS.filter(([name]) => settings[name]);
  if (!kept.length) return el("p", { class: "hint" }, "Nothing written yet.");
  return el("dl", { class: "help-contacts-list" }, kept.flatMap(([name, label]) => [
    el("dt", {}, label, el("span", { class: "help-who" }, settings.chosenBy[name] === "partner" ? " (written by your partner)" : "")),
    el("dd", { class: "help-contact-text" }, withCallLinks(settings[name])),
  ]));
}

/** The contacts card; `draw()` refreshes it when the couple record changes (not while writing). */
export function contactsCard() {
  const slot = el("div");
  const status = el("p", { class: "hint", role: "status" });
  const card = el("section", { class: "card", "aria-labelledby": "help-contacts-title" },
    el("h2", { id: "help-contacts-title" }, "Our contacts"),
    el("p", {}, "Write down who you'd call, so it's here when you need it, even offline. "
      + "Once you're paired these are shared with your partner, so either of you can find them. "
      + "If you both change the same one before your phones catch up, the later change is kept."),
    slot, status);
  let editing = false;

  async function draw() {
    if (editing) return;
    const settings = await records.coupleSettings();
    if (editing) return;   // the form opened while this was reading: leave it be
    const edit = opensDraft(el("button", { type: "button", class: "button button-small" }, "Write our contacts"), DRAFT);
    edit.addEventListener("click", () => openForm(settings));
    slot.replaceChildren(saved(settings), edit);
    reopenKept(slot);   // contacts left half-written come back in their form
  }

  function openForm(settings) {
    editing = true;
    const inputs = FIELDS.map(([name, label, hint]) => {
      const input = el("textarea", { id: `help-${name}`, name, rows: 3, maxlength: 500, "aria-describedby": `help-${name}-hint` },
        settings[name] || "");
      return { name, input, parts: [el("label", { for: input.id }, label), el("p", { class: "hint", id: `help-${name}-hint` }, hint), input] };
    });
    const error = el("p", { class: "form-error", role: "alert" });
    const close = () => { editing = false; clearDraft(DRAFT); draw(); };
    const form = el("form", { class: "help-contacts-form", novalidate: true },
      inputs.flatMap((i) => i.parts), error,
      el("div", { class: "form-actions" },
        el("button", { type: "submit", class: "button button-primary" }, "Save our contacts"),
        el("button", { type: "button", class: "button button-quiet", onclick: close }, "Cancel")));
    keepDraft(form, DRAFT);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      // Only what changed is written, so a partner's edit of another contact is never overwritten.
      const fields = {};
      for (const { name, input } of inputs) {
        const value = input.value.trim() || null;
        if (value !== (settings[name] || null)) fields[name] = value;
      }
      try {
        if (Object.keys(fields).length) await records.put("couple", fields);
      } catch (err) {
        error.textContent = err instanceof RecordError ? err.message : "That didn't save. Please try again.";
        return;
      }
      status.textContent = Object.keys(fields).length ? "Saved." : "Nothing changed.";
      close();
    });
    slot.replaceChildren(form);
    inputs[0].input.focus();
  }

  draw();
  return { card, draw };
}
