// Energy and symptoms: a ten-second note on how today feels, a quiet picture of the last
// few weeks, and, once there is enough to go on, a gentle word about when energy has
// tended to be highest. Each partner's log stays on their own phone unless they share it.
// The note's form is energy/form.js, the charts energy/charts.js.
import { relativeDay, today as isoToday } from "../core/dates.js";
import * as ins from "../core/energy-insight.js";
import { choicesOf, latestOf } from "../core/visibility.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { release } from "../shell/drafts.js";
import { askFirst, politeRedraw } from "./common.js";
import { chartFigure, fmt, slotBars } from "./energy/charts.js";
import { DRAFT, SCALES, logForm, segmented } from "./energy/form.js";
import { peakWords, togetherWords } from "./energy/insight-words.js";

await useWords("energy");

export const title = t("energy.title");

const RANGES = [[14, t("energy.range_14")], [30, t("energy.range_30")]];
// The part of the day as it reads after the day in a sentence: "Today, morning".
const AT_TIME = { morning: t("energy.entry_time_morning"), afternoon: t("energy.entry_time_afternoon"),
  evening: t("energy.entry_time_evening"), night: t("energy.entry_time_night") };

const RECENT = 6;

// --- recent notes --------------------------------------------------------------------------

function entryValues(e) {
  const parts = SCALES.filter((s) => Number.isInteger(e[s.name])).map((s) => t("energy.value", { scale: s.label, value: e[s.name] }));
  if (Number.isFinite(e.sleep_hours)) parts.push(t("energy.slept", { hours: fmt(e.sleep_hours) }));
  return parts.length ? el("ul", { class: "chips energy-values", "aria-label": t("energy.values_label") },
    parts.map((p) => el("li", { class: "chip" }, p))) : null;
}

// "Today, morning": the day (a <time>) and the part of the day, in the language's order.
function whenWords(day, e) {
  const [before, after] = t("energy.entry_when", { time: AT_TIME[e.time_of_day] }).split("{day}");
  return [before, el("time", { datetime: e.date }, day), after].filter(Boolean);
}

function entryItem(e, today, redraw) {
  const actions = el("div", { class: "entry-actions" });
  const item = el("li", { class: `energy-entry${e.mine ? "" : " energy-entry-partner"}`, id: `energy-${e.id}` },
    el("p", { class: "entry-meta", id: `energy-${e.id}-when` },
      el("span", { class: "entry-author" }, e.mine ? t("author.you") : t("author.partner")), " · ",
      ...whenWords(relativeDay(e.date, { now: today }), e),
      e.mine ? el("span", { class: "badge" }, e.shared ? t("energy.badge_shared") : t("energy.badge_here")) : null),
    entryValues(e),
    e.note ? el("p", { class: "entry-text", dir: "auto" }, e.note) : null,
    e.mine ? actions : null);
  // A question takes the buttons' place until it is answered.
  const ask = (question) => {
    actions.replaceChildren(askFirst({ ...question, done: redraw }));
    actions.querySelector("button").focus();
  };
  if (e.mine) {
    if (!e.shared) {
      actions.append(el("button", { type: "button", class: "button button-small", "aria-describedby": `energy-${e.id}-when`,
        onclick: async () => { await records.put("energy", { shared: true }, e.id); redraw(); } }, t("energy.share")));
    } else {
      // Taking a note back is always allowed and never asks why (protocol §8.11), but says
      // truthfully that it cannot be unread.
      actions.append(el("button", { type: "button", class: "button button-small", "aria-describedby": `energy-${e.id}-when`,
        onclick: () => ask({ key: `energy:confirm:unshare:${e.id}`, label: t("energy.unshare_label"),
          lines: [t("energy.unshare_line")],
          yes: t("energy.unshare_yes"), no: t("energy.unshare_no"), act: () => records.put("energy", { shared: false }, e.id) }) },
      t("energy.stop_sharing")));
    }
    actions.append(el("button", { type: "button", class: "button button-small button-quiet", "aria-describedby": `energy-${e.id}-when`,
      onclick: () => ask({ key: `energy:confirm:delete:${e.id}`, label: t("energy.delete_label"),
        lines: [e.shared ? t("energy.delete_both") : t("energy.delete_label")],
        yes: t("energy.delete_yes"), no: t("energy.delete_no"), act: () => records.put("energy", { deleted: true }, e.id) }) }, t("energy.delete")));
  }
  return item;
}

const ORDER = Object.fromEntries(ins.TIMES.map((t, i) => [t, i]));

const newestFirst = (a, b) => (b.date.localeCompare(a.date)) || (ORDER[b.time_of_day] - ORDER[a.time_of_day]) || (b.at - a.at);

// --- the screen ----------------------------------------------------------------------------

export function render(outlet) {
  let days = 14;
  let metric = "energy";
  let shown = RECENT;
  let all = [];
  let visible = [];   // each of our visibility choices (§8.12)

  const insightBox = el("section", { class: "card card-soft energy-insight", "aria-labelledby": "energy-insight-title" });
  const charts = el("div", { class: "energy-charts" });
  const controls = el("div", { class: "energy-chart-controls" },
    segmented("energy-metric", t("energy.show"), SCALES.map((s) => [s.name, s.label]), metric),
    segmented("energy-days", t("energy.period"), RANGES, days));
  controls.addEventListener("change", (e) => {
    if (e.target.name === "energy-metric") metric = e.target.value;
    if (e.target.name === "energy-days") days = Number(e.target.value);
    drawCharts();
  });
  const chartCard = el("section", { class: "card energy-picture", "aria-labelledby": "energy-picture-title" },
    el("h2", { id: "energy-picture-title" }, t("energy.picture_title")), controls, charts);
  const recentList = el("div", { class: "energy-recent-body" });
  const recentCard = el("section", { class: "card energy-recent", "aria-labelledby": "energy-recent-title" },
    el("h2", { id: "energy-recent-title" }, t("energy.recent_title")), recentList);

  const mine = () => all.filter((e) => e.mine);
  const theirs = () => all.filter((e) => !e.mine && e.shared && !e.earlier);   // my partner now, not before

  // Whether my partner's app may say when I tend to feel best: my choice, off until I turn it on.
  function patternChoice() {
    const box = el("input", { type: "checkbox", id: "energy-pattern-shared", checked: choicesOf(visible, true).energy_pattern,
      onchange: async () => {
        await records.put("visibility", { energy_pattern: box.checked }, latestOf(visible, true)?.id ?? null);
        draw();
      } });
    return el("div", { class: "energy-pattern-choice" },
      el("label", { class: "check", for: box.id }, box, t("energy.pattern_choice")),
      el("p", { class: "hint" }, t("energy.pattern_hint")));
  }

  function drawInsight(today) {
    const you = peakWords(ins.peakInsight(mine(), { today }));
    const partnerEntries = theirs();
    // My partner's pattern, and a time that suits us both, only if they chose to let me see it.
    const theirsAllowed = choicesOf(visible, false).energy_pattern;
    const them = partnerEntries.length && theirsAllowed ? peakWords(ins.peakInsight(partnerEntries, { today }), "partner") : null;
    const both = them ? togetherWords(ins.togetherInsight(mine(), partnerEntries, { today })) : null;
    insightBox.replaceChildren(...[
      el("h2", { id: "energy-insight-title" }, t("energy.insight_title")),
      el("p", { class: "energy-insight-text", dataset: { enough: String(you.enough) } }, you.sentence),
      you.enough ? slotBars(you.byTime) : null,
      you.suggestion ? el("p", { class: "energy-insight-hint" }, you.suggestion) : null,
      them ? el("p", { class: "energy-insight-text energy-insight-partner", dataset: { enough: String(them.enough) } }, them.sentence) : null,
      them?.suggestion ? el("p", { class: "energy-insight-hint energy-insight-partner-hint" }, them.suggestion) : null,
      both ? el("p", { class: "energy-insight-text energy-insight-together", dataset: { enough: String(both.enough) } }, both.sentence) : null,
      el("p", { class: "energy-insight-small" }, t("energy.insight_small")),
      patternChoice(),
    ].filter(Boolean));
  }

  function drawCharts() {
    const today = isoToday();
    const you = { name: t("author.you"), who: "you", points: ins.series(mine(), days, { today, metric }) };
    const partnerEntries = theirs();
    const parts = [chartFigure({ id: "chart-you", title: t("author.you"), lines: [you], metric, days, today })];
    if (partnerEntries.length) {
      const them = { name: t("author.partner"), who: "partner", points: ins.series(partnerEntries, days, { today, metric }) };
      parts.push(chartFigure({ id: "chart-partner", title: t("author.partner"), lines: [them], metric, days, today }));
      parts.push(chartFigure({ id: "chart-together", title: t("energy.together"), lines: [you, them], metric, days, today }));
    } else {
      parts.push(el("p", { class: "hint energy-partner-empty" },
        t("energy.partner_empty")));
    }
    charts.replaceChildren(...parts);
  }

  function drawRecent(today) {
    const sorted = [...all].sort(newestFirst);
    if (!sorted.length) {
      recentList.replaceChildren(el("p", { class: "empty" }, t("energy.recent_empty")));
      return;
    }
    const more = sorted.length > shown ? el("button", { type: "button", class: "button button-wide", onclick: () => {
      shown += RECENT;
      drawRecent(isoToday());
    } }, t("energy.show_earlier", { count: sorted.length - shown })) : null;
    recentList.replaceChildren(el("ul", { class: "energy-list" }, sorted.slice(0, shown).map((e) => entryItem(e, today, draw))), more);
  }

  async function draw(ready = () => true) {
    const [energy, shown] = await Promise.all([records.list("energy"), records.list("visibility")]);
    if (!ready()) return;
    all = energy.filter((e) => typeof e.date === "string" && ins.TIMES.includes(e.time_of_day));
    visible = shown;
    const today = isoToday();
    drawInsight(today);
    drawCharts();
    drawRecent(today);
  }

  const polite = politeRedraw(draw, "energy:confirm:");   // a question open waits; the log form is never redrawn
  outlet.append(
    viewHeader(t("energy.heading"), t("energy.lede")),
    logForm(draw), polite.note, insightBox, chartCard, recentCard);
  const onChange = (e) => { if (!e.detail.mine) polite.redraw(); };
  records.changes.addEventListener("records", onChange);
  draw().then(() => records.markSeen("energy"));
  return () => {
    records.changes.removeEventListener("records", onChange);
    polite.stop();
    release(DRAFT);   // kept for next time, no longer being written
    records.markSeen("energy");
  };
}
