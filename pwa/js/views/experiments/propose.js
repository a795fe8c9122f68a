// Proposing one small new thing to try, for a few days. It stays a proposal until your
// partner says yes (protocol §8.3). Changing one your partner asked to change proposes it
// afresh, as a new record, and takes the old one away (`from`).
import { today as localToday } from "../../core/dates.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { saveFrom } from "../common.js";
import { friendly } from "./look-back.js";

await useWords("exp");

export function proposeForm({ openOne, onDone, from = null }) {
  const key = from ? `experiment:change:${from.id}` : "experiment:new";
  const titleInput = el("input", { id: "exp-title", name: "title", maxlength: 200, autocomplete: "off", required: true,
    "aria-describedby": "exp-title-hint", value: from?.title ?? "" });
  const description = el("textarea", { id: "exp-description", name: "description", rows: 3, maxlength: 2000 });
  description.value = from?.description ?? "";
  const later = from && from.starts_on > localToday() ? from.starts_on : localToday();
  const startsOn = el("input", { id: "exp-starts", name: "starts_on", type: "date", value: later, required: true });
  const days = el("input", { id: "exp-days", name: "days", type: "number", inputmode: "numeric", min: 1, max: 60,
    value: from?.days ?? 7, required: true, "aria-describedby": "exp-days-hint" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "card exp-form", novalidate: true, "aria-labelledby": "exp-form-title" },
    el("h2", { id: "exp-form-title" }, from ? t("exp.change_and_ask") : t("exp.propose_button")),
    from?.answer_note ? el("p", { class: "notice" }, t("exp.form_partner_asked", { note: from.answer_note })) : null,
    openOne ? el("p", { class: "notice exp-one-at-a-time" },
      t("exp.one_at_a_time", { title: openOne.title })) : null,
    el("label", { for: titleInput.id }, t("exp.what_label")),
    el("p", { class: "hint", id: "exp-title-hint" },
      t("exp.what_hint")),
    titleInput,
    el("label", { for: description.id }, t("exp.more_label")),
    description,
    el("div", { class: "exp-form-row" },
      el("div", {}, el("label", { for: startsOn.id }, t("exp.starts_label")), startsOn),
      el("div", {}, el("label", { for: days.id }, t("exp.days_label")), days)),
    el("p", { class: "hint", id: "exp-days-hint" }, t("exp.days_hint")),
    error,
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "button button-primary" }, from ? t("exp.ask_again") : t("exp.propose_it")),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onDone(); } }, t("exp.cancel"))));
  keepDraft(form, key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const start = startsOn.value;
    const length = days.value.trim() === "" ? 7 : Number(days.value);
    // Proposing is my yes; it runs once my partner's answer is yes too (core/experiments.js consent).
    const fields = { title: titleInput.value.trim(), starts_on: start, days: length, status: "proposed" };
    if (description.value.trim()) fields.description = description.value.trim();
    if (!(await saveFrom({ error, friendly, focus: titleInput, creates: form }, "experiment", fields))) return;
    if (from) await records.put("experiment", { deleted: true }, from.id);
    clearDraft(key);
    onDone();
  });
  queueMicrotask(() => titleInput.focus());
  return form;
}
