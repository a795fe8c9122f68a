// One boundary on a map: mine, to change at any time (with a way to add one), or my
// partner's, read-only, with a gentle note when it changed and a way to ask for more care.
import { LEVELS } from "../../core/records.js";
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { t, useWords } from "../../i18n/index.js";
import { recordWords, refusedField } from "../../i18n/record-words.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, setDraft } from "../../shell/drafts.js";
import { askFirst, creationId, nextCreation, when } from "../common.js";
import { duringNote } from "./periods.js";

await useWords("boundaries");

export const LEVEL_NAMES = {
  welcome: t("boundaries.level_welcome"),
  ask_first: t("boundaries.level_ask_first"),
  not_now: t("boundaries.level_not_now"),
  off_limits: t("boundaries.level_off_limits"),
};
// The same levels in the middle of a sentence ("was ask me first"): their own words, as not
// every language lowercases a name to put it in a sentence.
const LEVEL_WORDS = {
  welcome: t("boundaries.level_welcome_in_sentence"),
  ask_first: t("boundaries.level_ask_first_in_sentence"),
  not_now: t("boundaries.level_not_now_in_sentence"),
  off_limits: t("boundaries.level_off_limits_in_sentence"),
};

const LEVELLED = new Set(["touch", "body_area", "topic"]);

// A level at a glance, on both maps: a coloured marker beside its words (the words say it
// all; the colour only helps the eye find it).
export const levelMarker = (level, ...more) => el("p", { class: "boundary-level", dataset: { level } },
  LEVEL_NAMES[level], ...more);

function levelSelect(id, value, label) {
  return el("select", { id, name: "level", "aria-label": label },
    LEVELS.map((l) => el("option", { value: l, selected: l === value }, LEVEL_NAMES[l])));
}

export function addForm(section, redraw, periods = []) {
  const levelled = LEVELLED.has(section.kind);
  const during = periods.length ? el("select", { id: `add-${section.kind}-during` },
    el("option", { value: "" }, t("boundaries.always")),
    periods.map((p) => el("option", { value: p.id }, t("boundaries.only_during", { period: p.label })))) : null;
  const key = `boundary:new:${section.kind}`;
  const labelInput = el("input", { id: `add-${section.kind}-label`, name: "label", maxlength: 200, autocomplete: "off",
    placeholder: section.example });
  const level = levelled ? levelSelect(`add-${section.kind}-level`, "ask_first", t("boundaries.feels_now")) : null;
  const note = el("textarea", { id: `add-${section.kind}-note`, name: "note", rows: 2, maxlength: 2000 });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "boundary-add", novalidate: true },
    el("label", { for: labelInput.id }, section.kind === "stop_signal" ? t("boundaries.stop_label") : t("boundaries.label")), labelInput,
    levelled ? el("label", { for: level.id }, t("boundaries.feels_now")) : null, level,
    el("label", { for: note.id }, t("boundaries.note_label")), note,
    during ? el("label", { for: during.id }, t("boundaries.when_applies")) : null, during,
    error,
    el("button", { type: "submit", class: "button button-small" }, t("boundaries.add")));
  keepDraft(form, key);   // folded away, it opens again with what was kept
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = { kind: section.kind, label: labelInput.value.trim() };
    if (levelled) fields.level = level.value;
    if (note.value.trim()) fields.note = note.value.trim();
    if (during?.value) fields.during = during.value;
    try {
      await create("boundary", fields, creationId(form));
    } catch (err) {
      error.textContent = refusedField(err) === "label"
        ? t("boundaries.name_first") : (recordWords(err) || t("boundaries.save_failed"));
      return;
    }
    nextCreation(form);
    clearDraft(key);
    redraw();
  });
  // Folded away until wanted, so the map itself stays easy to read.
  return el("details", { class: "boundary-add-fold" }, el("summary", {}, section.add), form);
}

export function myItem(item, redraw) {
  const levelled = LEVELLED.has(item.kind);
  const row = el("li", { class: "boundary-item" });
  const selectId = `level-${item.id}`;
  const parts = [el("p", { class: "boundary-label", id: `label-${item.id}`, dir: "auto" }, item.label,
    // Set during a pairing that ended: it stays here, and was never sent to a later partner.
    item.earlier ? el("span", { class: "badge" }, t("boundaries.earlier_badge")) : null)];
  if (levelled) {
    const select = levelSelect(selectId, item.level, t("boundaries.feels_now_for", { label: item.label }));
    select.addEventListener("change", async () => {
      await records.put("boundary", { level: select.value }, item.id);
      redraw();
    });
    parts.push(levelMarker(item.level), el("div", { class: "boundary-level-change" }, select));
  }
  const asked = (item.history || []).filter((h) => h.field === "level" && !item.me.has(h.by)).pop();
  if (item.unseen && asked) {
    parts.push(el("p", { class: "boundary-changed" },
      t("boundaries.asked_here", { level: LEVEL_WORDS[asked.to] })));
  }
  if (item.note) parts.push(el("p", { class: "boundary-note", dir: "auto" }, item.note));
  const period = duringNote(item, item.periods);
  if (period) parts.push(period);
  const history = historyOf(item, item.me);
  if (history) parts.push(history);
  parts.push(removeControl(item, redraw));
  row.append(...parts);
  return row;
}

// Removing asks first, says what the partner will see, and can be undone (boundaries.js keeps
// the undo bar until you leave the screen): a removed item is never silence on their map.
function removeControl(item, redraw) {
  const slot = el("div", { class: "boundary-remove" });
  const open = el("button", { type: "button", class: "button button-small button-quiet", "aria-describedby": `label-${item.id}`,
    onclick: () => {
      open.hidden = true;
      slot.append(askFirst({ key: `boundary:remove:${item.id}`, label: t("boundaries.remove_label", { label: item.label }),
        lines: [t("boundaries.remove_question", { label: item.label }), el("p", { class: "hint" }, t("boundaries.remove_hint"))],
        yes: t("boundaries.remove_yes"), no: t("boundaries.remove_keep"), done: redraw,
        act: async () => {
          await records.put("boundary", { deleted: true }, item.id);
          item.onRemoved?.(item);
        } }));
      slot.querySelector(".confirm button").focus();
    } }, t("boundaries.remove"));
  slot.append(open);
  return slot;
}

/** What my partner took off their map: still said, never silence (protocol §8.2). */
export function removedItem(item) {
  return el("li", { class: "boundary-item boundary-removed" },
    el("p", { class: "boundary-label", dir: "auto" }, item.label),
    el("p", { class: "boundary-level", dataset: { level: "ask_first" } }, t("boundaries.removed_level")));
}

function historyOf(item, me) {
  const entries = (item.history || []).filter((h) => h.field === "level" || h.field === "label" || h.field === "note");
  if (!entries.length) return null;
  const say = (h) => {
    const mine = me.has(h.by);
    if (h.field === "level") {
      const change = { from: LEVEL_WORDS[h.from] || t("boundaries.history_new"), to: LEVEL_WORDS[h.to] || t("boundaries.history_removed") };
      return mine ? t("boundaries.history_level_you", change) : t("boundaries.history_level_partner", change);
    }
    if (h.field === "label") return mine ? t("boundaries.history_name_you") : t("boundaries.history_name_partner");
    return mine ? t("boundaries.history_note_you") : t("boundaries.history_note_partner");
  };
  return el("details", { class: "boundary-history" },
    el("summary", {}, t("boundaries.history_summary")),
    el("ul", { class: "quiet-list" }, entries.slice().reverse().map((h) => el("li", {}, say(h), el("span", { class: "entry-meta" }, ` · ${when(h.at)}`)))));
}

// On my partner's map I can ask for more care with a level, never less (protocol §8.9).
function askForCare(item, redraw) {
  const options = LEVELS.slice(LEVELS.indexOf(item.level) + 1);
  if (!options.length) return null;
  const select = el("select", { id: `care-${item.id}`, "aria-label": t("boundaries.care_level", { label: item.label }) },
    options.map((l) => el("option", { value: l }, LEVEL_NAMES[l])));
  const ask = el("button", { type: "button", class: "button button-small" }, t("boundaries.care_ask"));
  // While the request is open, news from the partner waits (politeRedraw), so a redraw never
  // folds away what this person is choosing.
  const key = `boundary:care:${item.id}`;
  ask.addEventListener("click", async () => {
    await records.put("boundary", { level: select.value }, item.id);
    clearDraft(key);
    redraw();
  });
  const fold = el("details", { class: "boundary-care" },
    el("summary", {}, t("boundaries.care_summary")),
    el("p", { class: "hint" }, t("boundaries.care_hint")),
    select, ask);
  fold.addEventListener("toggle", () => (fold.open ? setDraft(key, true) : clearDraft(key)));
  return fold;
}

export function theirItem(item) {
  const levelled = LEVELLED.has(item.kind);
  const was = item.changedFrom && item.changedFrom.level && item.changedFrom.level !== item.level
    ? t("boundaries.was", { level: LEVEL_WORDS[item.changedFrom.level] }) : "";
  return el("li", { class: `boundary-item${item.unseen ? " is-new" : ""}` },
    el("p", { class: "boundary-label", dir: "auto" }, item.label),
    levelled ? levelMarker(item.level, was) : null,
    item.note ? el("p", { class: "boundary-note", dir: "auto" }, item.note) : null,
    duringNote(item, item.periods),
    item.unseen ? el("p", { class: "boundary-changed" }, t("boundaries.updated", { when: when(item.updatedAt, { inSentence: true }) })) : null,
    levelled ? askForCare(item, item.redraw) : null,
    historyOf(item, item.me));
}
