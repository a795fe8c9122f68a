// Boundaries: each partner's own map of what is welcome, what needs asking first, and
// what is off the table for now. Yours is yours to change at any time, no reasons needed;
// your partner's is shown to you read-only, with a gentle note when it changes.
import { addDays, format, today } from "../core/dates.js";
import { LEVELS, RecordError } from "../core/records.js";
import { identity } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, setDraft } from "../shell/drafts.js";
import { politeRedraw, when } from "./common.js";

export const title = "Boundaries";

export const LEVEL_NAMES = {
  welcome: "Welcome",
  ask_first: "Ask me first",
  not_now: "Not right now",
  off_limits: "Off-limits",
};

const SECTIONS = [
  { kind: "touch", mine: "Kinds of touch", theirs: "Touch", add: "Add a kind of touch", example: "a hand on my back" },
  { kind: "body_area", mine: "Body areas", theirs: "Body areas", add: "Add a body area", example: "around the scar" },
  { kind: "topic", mine: "Topics that can feel risky", theirs: "Topics", add: "Add a topic", example: "plans for next year" },
  { kind: "fatigue", mine: "When I'm tired", theirs: "When they're tired", add: "Add a note about tiredness",
    example: "evenings after a treatment day" },
  { kind: "pain", mine: "If there's pain", theirs: "If there's pain", add: "Add a note about pain", example: "a warm bath helps me" },
  { kind: "side_effects", mine: "Side effects to know about", theirs: "Side effects", add: "Add a side effect",
    example: "dryness; we keep lubricant nearby" },
  { kind: "stop_signal", mine: "Our stop signal", theirs: "Their stop signal", add: "Choose a stop signal",
    example: "the word 'pause'" },
];
const LEVELLED = new Set(["touch", "body_area", "topic"]);

function levelSelect(id, value, label) {
  return el("select", { id, name: "level", "aria-label": label },
    LEVELS.map((l) => el("option", { value: l, selected: l === value }, LEVEL_NAMES[l])));
}

function addForm(section, redraw, periods = []) {
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
  form.addEventListener("input", () => setDraft(key, Boolean(labelInput.value.trim() || note.value.trim())));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = { kind: section.kind, label: labelInput.value.trim() };
    if (levelled) fields.level = level.value;
    if (note.value.trim()) fields.note = note.value.trim();
    if (during?.value) fields.during = during.value;
    try {
      await records.put("boundary", fields);
    } catch (err) {
      error.textContent = err instanceof RecordError && err.message.startsWith("'label'")
        ? "Give it a short name first." : (err.message || "That didn't save. Please try again.");
      return;
    }
    clearDraft(key);
    redraw();
  });
  // Folded away until wanted, so the map itself stays easy to read.
  return el("details", { class: "boundary-add-fold" }, el("summary", {}, section.add), form);
}

function myItem(item, redraw) {
  const levelled = LEVELLED.has(item.kind);
  const row = el("li", { class: "boundary-item" });
  const selectId = `level-${item.id}`;
  const parts = [el("p", { class: "boundary-label", id: `label-${item.id}` }, item.label)];
  if (levelled) {
    const select = levelSelect(selectId, item.level, `How "${item.label}" feels now`);
    select.addEventListener("change", async () => {
      await records.put("boundary", { level: select.value }, item.id);
      redraw();
    });
    parts.push(el("div", { class: "boundary-level", dataset: { level: item.level } }, select));
  }
  const asked = (item.history || []).filter((h) => h.field === "level" && h.by !== item.me).pop();
  if (item.unseen && asked) {
    parts.push(el("p", { class: "boundary-changed" },
      `Your partner asked for more care here (${LEVEL_NAMES[asked.to].toLowerCase()}). It stays that way until you choose otherwise.`));
  }
  if (item.note) parts.push(el("p", { class: "boundary-note" }, item.note));
  const period = duringNote(item, item.periods);
  if (period) parts.push(period);
  const history = historyOf(item, item.me);
  if (history) parts.push(history);
  parts.push(el("button", { type: "button", class: "button button-small button-quiet", "aria-describedby": `label-${item.id}`,
    onclick: async () => { await records.put("boundary", { deleted: true }, item.id); redraw(); } }, "Remove"));
  row.append(...parts);
  return row;
}

// --- treatment periods: what applies now -------------------------------------------------

const isNow = (p) => p.starts_on <= today() && (!p.ends_on || p.ends_on >= today());
const niceDate = (d) => format(d, "dayMonth");

function periodsCard(periods, mine, redraw) {
  const now = periods.filter(isNow);
  const label = el("input", { id: "period-label", maxlength: 100, autocomplete: "off", placeholder: "e.g. chemo week, after surgery" });
  const starts = el("input", { id: "period-starts", type: "date", value: today() });
  const ends = el("input", { id: "period-ends", type: "date" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "boundary-add", novalidate: true },
    el("label", { for: "period-label" }, "What is it called?"), label,
    el("label", { for: "period-starts" }, "From"), starts,
    el("label", { for: "period-ends" }, "Until (leave empty if you don't know yet)"), ends,
    error, el("button", { type: "submit", class: "button button-small" }, "Add"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await records.put("period", { label: label.value.trim(), starts_on: starts.value, ends_on: ends.value || null });
    } catch (err) {
      error.textContent = err.message.startsWith("'label'") ? "Give it a short name first." : err.message;
      return;
    }
    redraw();
  });
  return el("section", { class: "card periods", "aria-labelledby": "periods-title" },
    el("h2", { id: "periods-title" }, mine ? "Right now" : "Right now for your partner"),
    el("p", {}, now.length ? `Now: ${now.map((p) => p.label).join(", ")}.` : "No particular period right now."),
    periods.length ? el("ul", { class: "quiet-list" }, periods.map((p) => el("li", {},
      el("strong", {}, p.label), ` · ${niceDate(p.starts_on)}${p.ends_on ? ` to ${niceDate(p.ends_on)}` : " onwards"}`,
      isNow(p) ? el("span", { class: "badge" }, "Now") : null,
      mine && isNow(p) && !p.ends_on ? el("button", { type: "button", class: "button button-small button-quiet", onclick: async () => {
        // Ended means it no longer applies today: it ended yesterday, or never really began.
        const yesterday = addDays(today(), -1);
        await records.put("period", p.starts_on <= yesterday ? { ends_on: yesterday } : { deleted: true }, p.id);
        redraw();
      } }, "It's over") : null))) : null,
    mine ? el("details", { class: "boundary-add-fold" }, el("summary", {}, "Mark a treatment period"),
      el("p", { class: "hint" }, "Boundaries can apply only during a period, like a chemo week, so the map shows what fits now."), form) : null);
}

function duringNote(item, periods) {
  if (!item.during) return null;
  const period = periods.find((p) => p.id === item.during);
  if (!period) return el("p", { class: "boundary-during" }, "Only during a period that has ended");
  return el("p", { class: `boundary-during${isNow(period) ? " is-now" : ""}` },
    isNow(period) ? `During ${period.label}: applies now` : `Only during ${period.label}, which isn't now`);
}

function historyOf(item, me) {
  const entries = (item.history || []).filter((h) => h.field === "level" || h.field === "label" || h.field === "note");
  if (!entries.length) return null;
  const say = (h) => {
    const who = h.by === me ? "You" : "Your partner";
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
  ask.addEventListener("click", async () => {
    await records.put("boundary", { level: select.value }, item.id);
    redraw();
  });
  return el("details", { class: "boundary-care" },
    el("summary", {}, "I'd like us to be more careful here"),
    el("p", { class: "hint" }, "Your partner will see your request, and the more careful level applies until they decide."),
    select, ask);
}

function theirItem(item) {
  const levelled = LEVELLED.has(item.kind);
  const was = item.changedFrom && item.changedFrom.level && item.changedFrom.level !== item.level
    ? `, was ${LEVEL_NAMES[item.changedFrom.level].toLowerCase()}` : "";
  return el("li", { class: `boundary-item${item.unseen ? " is-new" : ""}` },
    el("p", { class: "boundary-label" }, item.label),
    levelled ? el("p", { class: "boundary-level", dataset: { level: item.level } }, LEVEL_NAMES[item.level], was) : null,
    item.note ? el("p", { class: "boundary-note" }, item.note) : null,
    duringNote(item, item.periods),
    item.unseen ? el("p", { class: "boundary-changed" }, `Updated ${when(item.updatedAt).toLowerCase()}`) : null,
    levelled ? askForCare(item, item.redraw) : null,
    historyOf(item, item.me));
}

export function render(outlet, { params }) {
  const showTheirs = params.get("whose") === "partner";
  const body = el("div", { class: "boundary-map" });
  const tabs = el("div", { class: "segmented", role: "group", "aria-label": "Whose map" },
    el("a", { href: "#/boundaries", class: "segment", "aria-current": showTheirs ? null : "page" }, "My map"),
    el("a", { href: "#/boundaries?whose=partner", class: "segment", "aria-current": showTheirs ? "page" : null }, "My partner's map"));

  async function draw() {
    const all = await records.list("boundary");
    const me = (await identity())?.device;
    const [fresh, noted] = await Promise.all([records.unseen("boundary"), records.notes("boundary")]);
    const periods = (await records.list("period")).filter((p) => p.mine === !showTheirs);
    const items = all.filter((b) => b.mine === !showTheirs)
      .map((b) => ({ ...b, unseen: fresh.has(b.id), changedFrom: b.mine ? undefined : noted.get(b.id)?.changedFrom,
                     history: noted.get(b.id)?.history, me, redraw: draw, periods }));
    const sections = SECTIONS.map((section) => {
      const mineHere = items.filter((b) => b.kind === section.kind);
      if (showTheirs && !mineHere.length) return null;
      return el("section", { class: "card boundary-section", "aria-labelledby": `sec-${section.kind}` },
        el("h2", { id: `sec-${section.kind}` }, showTheirs ? section.theirs : section.mine),
        mineHere.length ? el("ul", { class: "boundary-list" }, mineHere.map((b) => (showTheirs ? theirItem(b) : myItem(b, draw)))) : null,
        showTheirs ? null : addForm(section, draw, periods));
    }).filter(Boolean);
    const askedOfMe = !showTheirs && items.some((b) => b.unseen && (b.history || []).some((h) => h.by !== me));
    const notice = askedOfMe
      ? el("div", { class: "notice", role: "status" },
        el("p", {}, "Your partner asked for more care with something on your map. It's marked below; you decide what happens next."),
        el("button", { type: "button", class: "button button-small", onclick: async () => { await records.markSeen("boundary"); draw(); } },
          "I've seen it"))
      : showTheirs && items.some((b) => b.unseen)
      ? el("div", { class: "notice", role: "status" },
        el("p", {}, "Your partner has updated their map. Have a look when you're ready; there's nothing you need to do."),
        el("button", { type: "button", class: "button button-small", onclick: async () => { await records.markSeen("boundary"); draw(); } },
          "I've seen it"))
      : null;
    if (showTheirs && !sections.length) {
      body.replaceChildren(el("p", { class: "empty" }, "Your partner hasn't shared a map yet. It will appear here when they do."));
      return;
    }
    const periodCard = !showTheirs || periods.length ? periodsCard(periods, !showTheirs, draw) : null;
    body.replaceChildren(...[notice, periodCard, ...sections].filter(Boolean));
  }

  const { redraw, stop, note } = politeRedraw(draw, "boundary:");
  outlet.append(
    viewHeader("Boundaries", showTheirs
      ? "What your partner has shared about how things feel right now."
      : "How things feel for you right now. Change anything, any time; you never need to explain."),
    tabs, note, body);
  const onChange = (e) => { if (!e.detail.mine) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw();
  return () => {
    records.changes.removeEventListener("records", onChange);
    stop();
  };
}
