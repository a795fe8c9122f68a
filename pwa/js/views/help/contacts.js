// "Our contacts": the couple's own care team, helpline and therapist, in their own words.
// They live in the couple's shared record (protocol §8.10), so they work offline, wait in
// the outbox, and reach the partner's phone like the check-in day does.
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { recordWords } from "../../i18n/record-words.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, opensDraft, reopenKept } from "../../shell/drafts.js";

await useWords("care");

// Each contact's field in the couple record, its label and its hint ("care.<field>", "_hint").
export const FIELDS = ["contact_care_team", "contact_helpline", "contact_therapist"]
  .map((name) => [name, t(`care.${name}`), t(`care.${name}_hint`)]);

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
  if (!kept.length) return el("p", { class: "hint" }, t("care.contacts_none"));
  return el("dl", { class: "help-contacts-list" }, kept.flatMap(([name, label]) => [
    el("dt", {}, label, el("span", { class: "help-who" }, settings.chosenBy[name] === "partner" ? ` ${t("care.contacts_by_partner")}` : "")),
    el("dd", { class: "help-contact-text" }, withCallLinks(settings[name])),
  ]));
}

/** The contacts card; `draw()` refreshes it when the couple record changes (not while writing). */
export function contactsCard() {
  const slot = el("div");
  const status = el("p", { class: "hint", role: "status" });
  const card = el("section", { class: "card", "aria-labelledby": "help-contacts-title" },
    el("h2", { id: "help-contacts-title" }, t("care.contacts_title")),
    el("p", {}, t("care.contacts_about")),
    slot, status);
  let editing = false;

  async function draw() {
    if (editing) return;
    const settings = await records.coupleSettings();
    if (editing) return;   // the form opened while this was reading: leave it be
    const edit = opensDraft(el("button", { type: "button", class: "button button-small" }, t("care.contacts_write")), DRAFT);
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
        el("button", { type: "submit", class: "button button-primary" }, t("care.contacts_save")),
        el("button", { type: "button", class: "button button-quiet", onclick: close }, t("care.cancel"))));
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
        error.textContent = recordWords(err) || t("care.not_saved");
        return;
      }
      status.textContent = Object.keys(fields).length ? t("care.saved") : t("care.unchanged");
      close();
    });
    slot.replaceChildren(form);
    inputs[0].input.focus();
  }

  draw();
  return { card, draw };
}
