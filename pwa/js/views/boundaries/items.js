// One boundary on a map: mine, to change at any time (with a way to add one), or my
// partner's, read-only, with a gentle note when it changed and a way to ask for more care.
import { LEVELS, RecordError } from "../../core/records.js";
import { create } from "../../device/create.js";
import * as records from "../../device/records.js";
import { el } from "../../shell/dom.js";
import { clearDraft, keepDraft, setDraft } from "../../shell/drafts.js";
import { creationId, nextCreation, when } from "../common.js";
import { duringNote } from "./periods.js";

export const LEVEL_NAMES = {
  welcome: "Welcome",
  ask_first: "Ask me first",
  not_now: "Not right now",
  off_limits: "Off-limits",
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
    el("option", { value: "" }, "Always"), periods.map((p) => el("option", { value: p.id }, `Only during ${p.label}`))) : null;
  const key = `boundary:new:${section.kind}`;
  const labelInput = el("input", { id: `add-${section.kind}-label`, name: "label", maxlength: 200, autocomplete: "off",
    placeholder: `e.g. ${section.example}` });
  const level = levelled ? levelSelect(`add-${section.kind}-level`, "ask_first", "How it feels now") : null;
  const note = el("textarea", { id: `add-${section.kind}-note`, name: "note", rows: 2, maxlength: 2000 });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "boundary-add", novalidate: true },
    el("label", { for: labelInput.id }, section.kind === "stop_signal" ? "The word or sign" : "In a few words"), labelInput,
    levelled ? el("label", { for: level.id }, "How it feels now") : null, level,
    el("label", { for: note.id }, "A note, if you like"), note,
    during ? el("label", { for: during.id }, "When it applies") : null, during,
    error,
    el("button", { type: "submit", class: "button button-small" }, "Add"));
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
      error.textContent = err instanceof RecordError && err.message.startsWith("'label'")
        ? "Give it a short name first." : (err.message || "That didn't save. Please try again.");
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
  const parts = [el("p", { class: "boundary-label", id: `label-${item.id}` }, item.label,
    // Set during a pairing that ended: it stays here, and was never sent to a later partner.
    item.earlier ? el("span", { class: "badge" }, "Earlier pairing") : null)];
  if (levelled) {
    const select = levelSelect(selectId, item.level, `How "${item.label}" feels now`);
    select.addEventListener("change", async () => {
      await records.put("boundary", { level: select.value }, item.id);
      redraw();
    });
    parts.push(levelMarker(item.level), el("div", { class: "boundary-level-change" }, select));
  }
  const asked = (item.history || []).filter((h) => h.field === "level" && !item.me.has(h.by)).pop();
  if (item.unseen && asked) {
    parts.push(el("p", { class: "boundary-changed" },
      `Your partner asked for more care here (${LEVEL_NAMES[asked.to].toLowerCase()}). It stays that way until you choose otherwise.`));
  }
  if (item.note) parts.push(el("p", { class: "boundary-note" }, item.note));
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
      const yes = el("button", { type: "button", class: "button button-small", onclick: async () => {
        yes.disabled = true;
        await records.put("boundary", { deleted: true }, item.id);
        item.onRemoved?.(item);
        redraw();
      } }, "Yes, remove it");
      slot.append(el("div", { class: "confirm", role: "group", "aria-label": `Remove “${item.label}”?` },
        el("p", {}, `Remove “${item.label}” from your map?`),
        el("p", { class: "hint" }, "Your partner's map will show it as no longer on the map: ask first. You can undo this."),
        yes,
        el("button", { type: "button", class: "button button-small button-quiet", onclick: redraw }, "Keep it")));
      yes.focus();
    } }, "Remove");
  slot.append(open);
  return slot;
}

/** What my partner took off their map: still said, never silence (protocol §8.2). */
export function removedItem(item) {
  return el("li", { class: "boundary-item boundary-removed" },
    el("p", { class: "boundary-label" }, item.label),
    el("p", { class: "boundary-level", dataset: { level: "ask_first" } }, "No longer on the map: ask first"));
}

function historyOf(item, me) {
  const entries = (item.history || []).filter((h) => h.field === "level" || h.field === "label" || h.field === "note");
  if (!entries.length) return null;
  const say = (h) => {
    const who = me.has(h.by) ? "You" : "Your partner";
    if (h.field === "level") {
      return `${who}: ${LEVEL_NAMES[h.from]?.toLowerCase() || "new"} → ${LEVEL_NAMES[h.to]?.toLowerCase() || "removed"}`;
    }
    return `${who} changed the ${h.field === "label" ? "name" : "note"}`;
  };
  return el("details", { class: "boundary-history" },
    el("summary", {}, "How this has changed"),
    el("ul", { class: "quiet-list" }, entries.slice().reverse().map((h) => el("li", {}, say(h), el("span", { class: "entry-meta" }, ` · ${when(h.at)}`)))));
}

// On my partner's map I can ask for more care with a level, never less (protocol §8.9).
function askForCare(item, redraw) {
  const options = LEVELS.slice(LEVELS.indexOf(item.level) + 1);
  if (!options.length) return null;
  const select = el("select", { id: `care-${item.id}`, "aria-label": `A more careful level for "${item.label}"` },
    options.map((l) => el("option", { value: l }, LEVEL_NAMES[l])));
  const ask = el("button", { type: "button", class: "button button-small" }, "Ask for this");
  // While the request is open, news from the partner waits (politeRedraw), so a redraw never
  // folds away what this person is choosing.
  const key = `boundary:care:${item.id}`;
  ask.addEventListener("click", async () => {
    await records.put("boundary", { level: select.value }, item.id);
    clearDraft(key);
    redraw();
  });
  const fold = el("details", { class: "boundary-care" },
    el("summary", {}, "I'd like us to be more careful here"),
    el("p", { class: "hint" }, "Your partner will see your request, and the more careful level applies until they decide."),
    select, ask);
  fold.addEventListener("toggle", () => (fold.open ? setDraft(key, true) : clearDraft(key)));
  return fold;
}

export function theirItem(item) {
  const levelled = LEVELLED.has(item.kind);
  const was = item.changedFrom && item.changedFrom.level && item.changedFrom.level !== item.level
    ? `, was ${LEVEL_NAMES[item.changedFrom.level].toLowerCase()}` : "";
  return el("li", { class: `boundary-item${item.unseen ? " is-new" : ""}` },
    el("p", { class: "boundary-label" }, item.label),
    levelled ? levelMarker(item.level, was) : null,
    item.note ? el("p", { class: "boundary-note" }, item.note) : null,
    duringNote(item, item.periods),
    item.unseen ? el("p", { class: "boundary-changed" }, `Updated ${when(item.updatedAt, { inSentence: true })}`) : null,
    levelled ? askForCare(item, item.redraw) : null,
    historyOf(item, item.me));
}
