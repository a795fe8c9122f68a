// The ten-second note on how today feels: a slider for each scale (untouched means not
// noted), the part of the day, sleep, a few words, and whether to share it.
import { today as isoToday } from "../../core/dates.js";
import * as ins from "../../core/energy-insight.js";
import { create } from "../../device/create.js";
import { t, useWords } from "../../i18n/index.js";
import { recordWords, refusedField } from "../../i18n/record-words.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft } from "../../shell/drafts.js";
import { creationId, nextCreation } from "../common.js";

await useWords("energy");

export const SCALES = ["energy", "pain", "fatigue", "mood"].map((name) => ({
  name, label: t(`energy.scale_${name}`), low: t(`energy.scale_${name}_low`), high: t(`energy.scale_${name}_high`) }));

export const TIME_LABEL = { morning: t("energy.time_morning"), afternoon: t("energy.time_afternoon"),
  evening: t("energy.time_evening"), night: t("energy.time_night") };

export const DRAFT = "energy:new";

// A pain note of 7 or more, or a mood of 2 or less, is met with an offer, never an alarm.
export const hardDay = (fields) => fields.pain >= 7 || (Number.isInteger(fields.mood) && fields.mood <= 2);

const helpOffer = () => el("span", { class: "energy-help-offer" },
  t("energy.hard_day"),
  el("a", { href: "#/help" }, t("energy.hard_day_link")));

export function segmented(name, legend, options, checked, { hiddenLegend = false } = {}) {
  return el("fieldset", { class: "energy-choice" },
    el("legend", { class: hiddenLegend ? "visually-hidden" : null }, legend),
    el("div", { class: "energy-choice-options" }, options.map(([value, label]) => el("label", { class: "energy-option" },
      el("input", { type: "radio", name, value, checked: String(value) === String(checked) }),
      el("span", {}, label)))));
}

// --- the daily note ------------------------------------------------------------------------

function scaleControl(scale) {
  const id = `energy-${scale.name}`;
  const input = el("input", { type: "range", id, name: scale.name, min: 0, max: 10, step: 1, value: 5,
    "aria-describedby": `${id}-ends`, "aria-valuetext": t("energy.not_noted_yet") });
  const output = el("output", { for: id, class: "energy-scale-value", "aria-hidden": "true" }, "–");
  const clear = el("button", { type: "button", class: "energy-scale-clear", hidden: true, "aria-label": t("energy.clear_scale", { scale: scale.label.toLowerCase() }) },
    t("energy.clear"));
  const box = el("div", { class: "energy-scale", dataset: { set: "false" } },
    el("div", { class: "energy-scale-head" }, el("label", { for: id }, scale.label), output, clear),
    input,
    el("p", { class: "energy-scale-ends", id: `${id}-ends` },
      el("span", {}, t("energy.scale_end", { value: 0, words: scale.low.toLowerCase() })),
      el("span", {}, t("energy.scale_end", { value: 10, words: scale.high.toLowerCase() }))));
  const mark = () => {
    box.dataset.set = "true";
    output.textContent = input.value;
    input.setAttribute("aria-valuetext", t("energy.out_of_ten", { value: Number(input.value) }));
    clear.hidden = false;
  };
  // A tap on the thumb where it already sits still counts as a choice.
  input.addEventListener("input", mark);
  input.addEventListener("pointerdown", mark);
  input.addEventListener("keydown", (e) => { if (e.key.startsWith("Arrow") || ["Home", "End", "PageUp", "PageDown"].includes(e.key)) mark(); });
  const reset = () => {
    box.dataset.set = "false";
    input.value = 5;
    output.textContent = "–";
    input.setAttribute("aria-valuetext", t("energy.not_noted_yet"));
    clear.hidden = true;
  };
  clear.addEventListener("click", () => { reset(); input.focus(); box.dispatchEvent(new Event("input", { bubbles: true })); });
  return { box, input, mark, reset, value: () => (box.dataset.set === "true" ? Number(input.value) : null) };
}

const FIELD_ERRORS = { date: "energy.error_date", sleep_hours: "energy.error_sleep", note: "energy.error_note" };

function friendly(err) {
  const own = FIELD_ERRORS[refusedField(err)];
  return own ? t(own) : recordWords(err) || t("energy.not_saved");
}

export function logForm(onSaved) {
  const today = isoToday();
  const date = el("input", { type: "date", id: "energy-date", name: "date", value: today, max: today, required: true });
  const when = segmented("time_of_day", t("energy.time_of_day"), Object.entries(TIME_LABEL), ins.timeOfDay(new Date().getHours()));
  const scales = SCALES.map(scaleControl);
  const sleep = el("input", { type: "number", id: "energy-sleep", name: "sleep_hours", min: 0, max: 24, step: 0.5,
    inputmode: "decimal", autocomplete: "off" });
  const note = el("textarea", { id: "energy-note", name: "note", rows: 2, maxlength: 500 });
  const share = el("input", { type: "checkbox", id: "energy-share", name: "shared", "aria-describedby": "energy-share-hint" });
  const error = el("p", { class: "form-error", role: "alert" });
  const done = el("p", { class: "energy-saved", role: "status" });
  const form = el("form", { class: "card energy-form", novalidate: true, "aria-labelledby": "energy-form-title" },
    el("h2", { id: "energy-form-title" }, t("energy.form_title")),
    el("p", { class: "hint" }, t("energy.form_hint")),
    el("div", { class: "energy-when" },
      el("div", {}, el("label", { for: date.id }, t("energy.day")), date),
      when),
    scales.map((s) => s.box),
    el("label", { for: sleep.id }, t("energy.sleep_label"), el("span", { class: "optional" }, t("energy.optional"))), sleep,
    el("label", { for: note.id }, t("energy.note_label"), el("span", { class: "optional" }, t("energy.optional"))), note,
    el("div", { class: "energy-share" },
      el("label", { class: "check" }, share, t("energy.share_label")),
      el("p", { class: "hint", id: "energy-share-hint" },
        t("energy.share_hint"))),
    error,
    el("div", { class: "form-actions" }, el("button", { type: "submit", class: "button button-primary" }, t("energy.save"))),
    done);

  form.addEventListener("input", () => { done.textContent = ""; });
  // A slider's value alone can't say whether it was moved: which were is kept beside it.
  keepDraft(form, DRAFT, { state: {
    read: () => scales.filter((s) => s.value() !== null).map((s) => s.input.name),
    write: (moved) => scales.forEach((s) => (moved?.includes(s.input.name) ? s.mark() : s.reset())),
  } });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const fields = { date: date.value, time_of_day: form.elements.time_of_day.value || ins.timeOfDay(new Date().getHours()),
      shared: share.checked };
    for (const s of scales) if (s.value() !== null) fields[s.input.name] = s.value();
    if (sleep.value.trim() !== "" || sleep.validity.badInput) {
      const hours = Number(sleep.value);
      if (sleep.validity.badInput || !Number.isFinite(hours) || sleep.value.trim() === "") {
        error.textContent = t("energy.error_sleep");
        sleep.focus();
        return;
      }
      fields.sleep_hours = hours;
    }
    if (note.value.trim()) fields.note = note.value.trim();
    if (Object.keys(fields).length === 3) {
      error.textContent = t("energy.error_empty");
      scales[0].input.focus();
      return;
    }
    try {
      await create("energy", fields, creationId(form));
    } catch (err) {
      error.textContent = friendly(err);
      return;
    }
    nextCreation(form);   // the form stays open for the next note
    scales.forEach((s) => s.reset());
    sleep.value = "";
    note.value = "";
    share.checked = false;
    clearDraft(DRAFT);
    done.replaceChildren(fields.shared
      ? t("energy.saved_shared") : t("energy.saved_here"));
    if (hardDay(fields)) done.append(helpOffer());
    onSaved();
  });
  return form;
}
