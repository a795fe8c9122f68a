// Energy and symptoms: a ten-second note on how today feels, a quiet picture of the last
// few weeks, and, once there is enough to go on, a gentle word about when energy has
// tended to be highest. Each partner's log stays on their own phone unless they share it.
import { format, relativeDay, today as isoToday } from "../core/dates.js";
import * as ins from "../core/energy-insight.js";
import { RecordError } from "../core/records.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, setDraft } from "../shell/drafts.js";
import { coalesce } from "./common.js";

export const title = "Energy";

const SCALES = [
  { name: "energy", label: "Energy", low: "Running on empty", high: "Plenty of energy" },
  { name: "pain", label: "Pain", low: "No pain", high: "The worst pain" },
  { name: "fatigue", label: "Tiredness", low: "Rested", high: "Exhausted" },
  { name: "mood", label: "Mood", low: "Very low", high: "Bright" },
];
const SCALE_LABEL = Object.fromEntries(SCALES.map((s) => [s.name, s.label]));
const TIME_LABEL = { morning: "Morning", afternoon: "Afternoon", evening: "Evening", night: "Night" };
const RANGES = [[14, "2 weeks"], [30, "30 days"]];
const DRAFT = "energy:new";
const RECENT = 6;

// --- small helpers -------------------------------------------------------------------------

const SVG_NS = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  node.append(...children.flat().filter(Boolean));
  return node;
}

const shortDay = (iso) => format(iso, "short");
const longDay = (iso) => format(iso, "long");
const fmt = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function segmented(name, legend, options, checked, { hiddenLegend = false } = {}) {
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
    "aria-describedby": `${id}-ends`, "aria-valuetext": "Not noted yet" });
  const output = el("output", { for: id, class: "energy-scale-value", "aria-hidden": "true" }, "–");
  const clear = el("button", { type: "button", class: "energy-scale-clear", hidden: true, "aria-label": `Clear ${scale.label.toLowerCase()}` },
    "Clear");
  const box = el("div", { class: "energy-scale", dataset: { set: "false" } },
    el("div", { class: "energy-scale-head" }, el("label", { for: id }, scale.label), output, clear),
    input,
    el("p", { class: "energy-scale-ends", id: `${id}-ends` },
      el("span", {}, `0, ${scale.low.toLowerCase()}`), el("span", {}, `10, ${scale.high.toLowerCase()}`)));
  const mark = () => {
    box.dataset.set = "true";
    output.textContent = input.value;
    input.setAttribute("aria-valuetext", `${input.value} out of 10`);
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
    input.setAttribute("aria-valuetext", "Not noted yet");
    clear.hidden = true;
  };
  clear.addEventListener("click", () => { reset(); input.focus(); box.dispatchEvent(new Event("input", { bubbles: true })); });
  return { box, input, reset, value: () => (box.dataset.set === "true" ? Number(input.value) : null) };
}

function friendly(err) {
  const m = err instanceof RecordError ? err.message : "";
  if (m.startsWith("'date'")) return "Choose the day this is about.";
  if (m.startsWith("'sleep_hours'")) return "Sleep can be from 0 to 24 hours.";
  if (m.startsWith("'note'")) return "The note can be up to 500 characters.";
  return m || "That didn't save. Please try again.";
}

function logForm(onSaved) {
  const today = isoToday();
  const date = el("input", { type: "date", id: "energy-date", name: "date", value: today, max: today, required: true });
  const when = segmented("time_of_day", "Time of day", Object.entries(TIME_LABEL), ins.timeOfDay(new Date().getHours()));
  const scales = SCALES.map(scaleControl);
  const sleep = el("input", { type: "number", id: "energy-sleep", name: "sleep_hours", min: 0, max: 24, step: 0.5,
    inputmode: "decimal", autocomplete: "off" });
  const note = el("textarea", { id: "energy-note", name: "note", rows: 2, maxlength: 500 });
  const share = el("input", { type: "checkbox", id: "energy-share", name: "shared", "aria-describedby": "energy-share-hint" });
  const error = el("p", { class: "form-error", role: "alert" });
  const done = el("p", { class: "energy-saved", role: "status" });
  const form = el("form", { class: "card energy-form", novalidate: true, "aria-labelledby": "energy-form-title" },
    el("h2", { id: "energy-form-title" }, "How are you right now?"),
    el("p", { class: "hint" }, "Move only the ones you want to. Anything you leave is simply not noted."),
    el("div", { class: "energy-when" },
      el("div", {}, el("label", { for: date.id }, "Day"), date),
      when),
    scales.map((s) => s.box),
    el("label", { for: sleep.id }, "Hours of sleep last night ", el("span", { class: "optional" }, "(optional)")), sleep,
    el("label", { for: note.id }, "Anything else? ", el("span", { class: "optional" }, "(optional)")), note,
    el("div", { class: "energy-share" },
      el("label", { class: "check" }, share, "Share this with my partner"),
      el("p", { class: "hint", id: "energy-share-hint" },
        "This note stays on your phone unless you tick this. Your partner decides the same for theirs, "
        + "and there's no need to share every day. You can stop sharing a note later: it leaves "
        + "their phone the next time it connects, though they may have read it by then.")),
    error,
    el("div", { class: "form-actions" }, el("button", { type: "submit", class: "button button-primary" }, "Save")),
    done);

  form.addEventListener("input", () => {
    done.textContent = "";
    setDraft(DRAFT, scales.some((s) => s.value() !== null) || Boolean(note.value.trim()) || Boolean(sleep.value));
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const fields = { date: date.value, time_of_day: form.elements.time_of_day.value || ins.timeOfDay(new Date().getHours()),
      shared: share.checked };
    for (const s of scales) if (s.value() !== null) fields[s.input.name] = s.value();
    if (sleep.value.trim() !== "" || sleep.validity.badInput) {
      const hours = Number(sleep.value);
      if (sleep.validity.badInput || !Number.isFinite(hours) || sleep.value.trim() === "") {
        error.textContent = "Sleep can be from 0 to 24 hours.";
        sleep.focus();
        return;
      }
      fields.sleep_hours = hours;
    }
    if (note.value.trim()) fields.note = note.value.trim();
    if (Object.keys(fields).length === 3) {
      error.textContent = "Move any one of the sliders, or add sleep or a note, then save.";
      scales[0].input.focus();
      return;
    }
    try {
      await records.put("energy", fields);
    } catch (err) {
      error.textContent = friendly(err);
      return;
    }
    scales.forEach((s) => s.reset());
    sleep.value = "";
    note.value = "";
    share.checked = false;
    clearDraft(DRAFT);
    done.textContent = fields.shared
      ? "Saved and shared. Thank you for checking in with yourself."
      : "Saved on this phone. Thank you for checking in with yourself.";
    onSaved();
  });
  return form;
}

// --- the picture: charts with words and a table beside them --------------------------------

const W = 300;
const H = 120;
const PAD = 8;

function lineFor(points, who) {
  const { dots, runs } = ins.chartPoints(points, { width: W, height: H, pad: PAD });
  return svg("g", { class: `chart-series chart-${who}` },
    runs.filter((r) => r.length > 1).map((r) => svg("polyline", { class: "chart-line", points: r.map((p) => `${p.x},${p.y}`).join(" ") })),
    dots.map((p) => (who === "partner"
      ? svg("rect", { class: "chart-dot", x: p.x - 3.5, y: p.y - 3.5, width: 7, height: 7, rx: 1 })
      : svg("circle", { class: "chart-dot", cx: p.x, cy: p.y, r: 4 }))));
}

function sayAbout(name, points, metric, days) {
  const s = ins.summary(points);
  const what = SCALE_LABEL[metric].toLowerCase();
  const who = name ? `${name}: ` : "";
  if (!s.logged) return [`${who}${name ? "nothing" : "Nothing"} noted for ${what} in the last ${days} days.`, ""];
  const spread = s.high.value === s.low.value ? "" :
    ` Highest ${fmt(s.high.value)} on ${longDay(s.high.date)}; lowest ${fmt(s.low.value)} on ${longDay(s.low.date)}.`;
  return [`${who}${name ? what : SCALE_LABEL[metric]} noted on ${s.logged} of ${days} days, averaging ${fmt(s.average)} out of 10.`, spread];
}

function chartFigure({ id, title, lines, metric, days, today }) {
  const captionId = `${id}-caption`;
  const grid = [0, 5, 10].map((v) => {
    const y = H - PAD - (v / 10) * (H - 2 * PAD);
    return svg("line", { class: "chart-grid", x1: 0, x2: W, y1: y, y2: y });
  });
  const picture = svg("svg", { class: "chart-svg", viewBox: `0 0 ${W} ${H}`, "aria-hidden": "true", focusable: "false" },
    grid, lines.map(({ points, who }) => lineFor(points, who)));
  const dates = lines[0].points.map((p) => p.date);
  const rows = dates.map((d, i) => ({ d, values: lines.map((l) => l.points[i].value) })).filter((r) => r.values.some((v) => v !== null));
  const table = el("div", { class: "visually-hidden" }, el("table", {},
    el("caption", {}, `${title}: ${SCALE_LABEL[metric].toLowerCase()} each day, out of 10. Days with nothing noted are left out.`),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Day"), lines.map((l) => el("th", { scope: "col" }, l.name)))),
    el("tbody", {}, rows.length ? rows.map((r) => el("tr", {}, el("th", { scope: "row" }, longDay(r.d)),
      r.values.map((v) => el("td", {}, v === null ? "not noted" : fmt(v)))))
      : el("tr", {}, el("td", { colspan: lines.length + 1 }, "Nothing noted yet.")))));
  return el("figure", { class: "chart", id, "aria-labelledby": captionId },
    el("figcaption", { id: captionId },
      el("span", { class: "chart-title" }, title),
      lines.length > 1
        ? el("span", { class: "chart-summary" }, "Your notes and your partner's, side by side.",
          el("span", { class: "visually-hidden" }, lines.map((l) => ` ${sayAbout(l.name, l.points, metric, days).join("")}`)))
        : el("span", { class: "chart-summary" }, lines.map((l) => {
          const [said, more] = sayAbout("", l.points, metric, days);
          return [said, " ", more ? el("span", { class: "visually-hidden" }, more) : null];
        }).flat())),
    lines.length > 1 ? el("ul", { class: "chart-legend" }, lines.map((l) => el("li", { class: `chart-key chart-${l.who}` },
      svg("svg", { class: "chart-swatch", viewBox: "0 0 24 10", "aria-hidden": "true", focusable: "false" },
        svg("line", { class: "chart-line", x1: 1, x2: 23, y1: 5, y2: 5 })), l.name))) : null,
    el("div", { class: "chart-frame", "aria-hidden": "true" },
      el("div", { class: "chart-y" }, el("span", {}, "10"), el("span", {}, "5"), el("span", {}, "0")),
      picture),
    el("div", { class: "chart-x", "aria-hidden": "true" },
      el("span", {}, shortDay(dates[0])), el("span", {}, dates.at(-1) === today ? "Today" : shortDay(dates.at(-1)))),
    table);
}

// --- recent notes --------------------------------------------------------------------------

function entryValues(e) {
  const parts = SCALES.filter((s) => Number.isInteger(e[s.name])).map((s) => `${s.label} ${e[s.name]}`);
  if (Number.isFinite(e.sleep_hours)) parts.push(`Slept ${fmt(e.sleep_hours)} h`);
  return parts.length ? el("ul", { class: "chips energy-values", "aria-label": "What was noted" },
    parts.map((p) => el("li", { class: "chip" }, p))) : null;
}

function entryItem(e, today, redraw) {
  const actions = el("div", { class: "entry-actions" });
  const item = el("li", { class: `energy-entry${e.mine ? "" : " energy-entry-partner"}`, id: `energy-${e.id}` },
    el("p", { class: "entry-meta", id: `energy-${e.id}-when` },
      el("span", { class: "entry-author" }, e.mine ? "You" : "Your partner"), " · ",
      el("time", { datetime: e.date }, relativeDay(e.date, { now: today })), `, ${TIME_LABEL[e.time_of_day].toLowerCase()}`,
      e.mine ? el("span", { class: "badge" }, e.shared ? "Shared" : "Only on this phone") : null),
    entryValues(e),
    e.note ? el("p", { class: "entry-text" }, e.note) : null,
    e.mine ? actions : null);
  if (e.mine) {
    if (!e.shared) {
      actions.append(el("button", { type: "button", class: "button button-small", "aria-describedby": `energy-${e.id}-when`,
        onclick: async () => { await records.put("energy", { shared: true }, e.id); redraw(); } }, "Share"));
    } else {
      // Taking a note back is always allowed and never asks why (protocol §8.11).
      actions.append(el("button", { type: "button", class: "button button-small", "aria-describedby": `energy-${e.id}-when`,
        onclick: async () => { await records.put("energy", { shared: false }, e.id); redraw(); } }, "Stop sharing"));
    }
    actions.append(el("button", { type: "button", class: "button button-small button-quiet", "aria-describedby": `energy-${e.id}-when`,
      onclick: () => {
        actions.replaceChildren(el("div", { class: "confirm", role: "group", "aria-label": "Delete this note?" },
          el("p", {}, e.shared ? "Delete this note from both phones?" : "Delete this note?"),
          el("button", { type: "button", class: "button button-small", onclick: async () => {
            await records.put("energy", { deleted: true }, e.id); redraw(); } }, "Yes, delete it"),
          el("button", { type: "button", class: "button button-small button-quiet", onclick: redraw }, "Keep it")));
        actions.querySelector("button").focus();
      } }, "Delete"));
  }
  return item;
}

// Average energy for each part of the day, as short bars with the number beside them.
function slotBars(byTime) {
  return el("ul", { class: "energy-slots", "aria-label": "Your average energy by time of day, out of 10" },
    ins.TIMES.filter((t) => byTime[t].count).map((t) => el("li", { class: "energy-slot" },
      el("span", { class: "energy-slot-name" }, TIME_LABEL[t]),
      svg("svg", { class: "energy-slot-bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false" },
        svg("rect", { class: "energy-slot-track", x: 0, y: 0, width: 100, height: 10, rx: 5 }),
        svg("rect", { class: "energy-slot-fill", x: 0, y: 0, width: Math.max(byTime[t].mean * 10, 4), height: 10, rx: 5 })),
      el("span", { class: "energy-slot-value" }, fmt(byTime[t].mean)))));
}

const ORDER = Object.fromEntries(ins.TIMES.map((t, i) => [t, i]));
const newestFirst = (a, b) => (b.date.localeCompare(a.date)) || (ORDER[b.time_of_day] - ORDER[a.time_of_day]) || (b.at - a.at);

// --- the screen ----------------------------------------------------------------------------

export function render(outlet) {
  let days = 14;
  let metric = "energy";
  let shown = RECENT;
  let all = [];

  const insightBox = el("section", { class: "card card-soft energy-insight", "aria-labelledby": "energy-insight-title" });
  const charts = el("div", { class: "energy-charts" });
  const controls = el("div", { class: "energy-chart-controls" },
    segmented("energy-metric", "Show", SCALES.map((s) => [s.name, s.label]), metric),
    segmented("energy-days", "Period", RANGES, days));
  controls.addEventListener("change", (e) => {
    if (e.target.name === "energy-metric") metric = e.target.value;
    if (e.target.name === "energy-days") days = Number(e.target.value);
    drawCharts();
  });
  const chartCard = el("section", { class: "card energy-picture", "aria-labelledby": "energy-picture-title" },
    el("h2", { id: "energy-picture-title" }, "How the days have been"), controls, charts);
  const recentList = el("div", { class: "energy-recent-body" });
  const recentCard = el("section", { class: "card energy-recent", "aria-labelledby": "energy-recent-title" },
    el("h2", { id: "energy-recent-title" }, "Recent notes"), recentList);

  const mine = () => all.filter((e) => e.mine);
  const theirs = () => all.filter((e) => !e.mine && e.shared);

  function drawInsight(today) {
    const you = ins.peakInsight(mine(), { today });
    const partnerEntries = theirs();
    const them = partnerEntries.length ? ins.peakInsight(partnerEntries, { today, who: "partner" }) : null;
    const both = them ? ins.togetherInsight(mine(), partnerEntries, { today }) : null;
    insightBox.replaceChildren(...[
      el("h2", { id: "energy-insight-title" }, "When you tend to feel best"),
      el("p", { class: "energy-insight-text", dataset: { enough: String(you.enough) } }, you.sentence),
      you.enough ? slotBars(you.byTime) : null,
      you.suggestion ? el("p", { class: "energy-insight-hint" }, you.suggestion) : null,
      them ? el("p", { class: "energy-insight-text energy-insight-partner", dataset: { enough: String(them.enough) } }, them.sentence) : null,
      both ? el("p", { class: "energy-insight-text energy-insight-together", dataset: { enough: String(both.enough) } }, both.sentence) : null,
      el("p", { class: "energy-insight-small" }, "Worked out on this phone from the last four weeks. It's a pattern, not a plan."),
    ].filter(Boolean));
  }

  function drawCharts() {
    const today = isoToday();
    const you = { name: "You", who: "you", points: ins.series(mine(), days, { today, metric }) };
    const partnerEntries = theirs();
    const parts = [chartFigure({ id: "chart-you", title: "You", lines: [you], metric, days, today })];
    if (partnerEntries.length) {
      const them = { name: "Your partner", who: "partner", points: ins.series(partnerEntries, days, { today, metric }) };
      parts.push(chartFigure({ id: "chart-partner", title: "Your partner", lines: [them], metric, days, today }));
      parts.push(chartFigure({ id: "chart-together", title: "Together", lines: [you, them], metric, days, today }));
    } else {
      parts.push(el("p", { class: "hint energy-partner-empty" },
        "If your partner chooses to share their notes, their picture will appear here beside yours."));
    }
    charts.replaceChildren(...parts);
  }

  function drawRecent(today) {
    const sorted = [...all].sort(newestFirst);
    if (!sorted.length) {
      recentList.replaceChildren(el("p", { class: "empty" }, "No notes yet. Whenever you feel like it, a few seconds is plenty."));
      return;
    }
    const more = sorted.length > shown ? el("button", { type: "button", class: "button button-wide", onclick: () => {
      shown += RECENT;
      drawRecent(isoToday());
    } }, `Show earlier notes (${sorted.length - shown} more)`) : null;
    recentList.replaceChildren(el("ul", { class: "energy-list" }, sorted.slice(0, shown).map((e) => entryItem(e, today, draw))), more);
  }

  async function draw() {
    all = (await records.list("energy")).filter((e) => typeof e.date === "string" && ins.TIMES.includes(e.time_of_day));
    const today = isoToday();
    drawInsight(today);
    drawCharts();
    drawRecent(today);
  }

  outlet.append(
    viewHeader("Energy and symptoms", "A quick note on how today feels. A few seconds is plenty, and skipping a day is fine."),
    logForm(draw), insightBox, chartCard, recentCard);
  const redraw = coalesce(draw);
  const onChange = (e) => { if (!e.detail.mine) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw().then(() => records.markSeen("energy"));
  return () => {
    records.changes.removeEventListener("records", onChange);
    clearDraft(DRAFT);
    records.markSeen("energy");
  };
}
