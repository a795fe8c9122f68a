// Energy and symptoms, worked out on the phone: daily series for the charts, and what there
// is to say about when energy has tended to be highest (views/energy/insight-words.js puts
// it into words, in the person's language). Pure: no DOM, no storage, no clock unless one
// is passed in, so node's test runner can check every rule.
import { addDays, isWeekend, today } from "./dates.js";

export const TIMES = ["morning", "afternoon", "evening", "night"];
export const METRICS = ["energy", "pain", "fatigue", "mood"];

// How much is "enough" before Hearth says anything about patterns, and how clear a
// difference must be before it is worth mentioning. Small numbers of noisy self-reports
// should not be turned into confident claims.
export const MIN_DAYS = 5;
export const MIN_ENTRIES = 5;
export const MIN_PER_SLOT = 2;
export const PEAK_MARGIN = 0.75;
export const WEEKEND_MARGIN = 1;
export const WINDOW_DAYS = 28;

/** Which part of the day an hour (0–23) belongs to. */
export function timeOfDay(hour) {
  if (hour >= 5 && hour < 12) return "morning";
  if (hour >= 12 && hour < 17) return "afternoon";
  if (hour >= 17 && hour < 22) return "evening";
  return "night";
}

// --- numbers

const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const round1 = (x) => (x === null ? null : Math.round(x * 10) / 10);
const hasValue = (entry, metric) => Number.isFinite(entry?.[metric]);

/** Entries dated within the `days` days ending on `today` (inclusive), ignoring deleted ones. */
export function recent(entries, days, today) {
  const first = addDays(today, -(days - 1));
  return entries.filter((e) => e && !e.deleted && typeof e.date === "string" && e.date >= first && e.date <= today);
}

/**
 * One point per day, oldest first, for the `days` days ending on `today`:
 * { date, value, count } where value is the day's mean of `metric` (one decimal) or null.
 */
export function series(entries, days = 14, { today = today(), metric = "energy" } = {}) {
  const byDay = new Map();
  for (const e of recent(entries, days, today)) {
    if (!hasValue(e, metric)) continue;
    byDay.set(e.date, [...(byDay.get(e.date) || []), e[metric]]);
  }
  const points = [];
  for (let i = days - 1; i >= 0; i -= 1) {
    const date = addDays(today, -i);
    const values = byDay.get(date) || [];
    points.push({ date, value: round1(mean(values)), count: values.length });
  }
  return points;
}

/** A few plain facts about a series, for the words beside a chart. */
export function summary(points) {
  const logged = points.filter((p) => p.value !== null);
  if (!logged.length) return { days: points.length, logged: 0, average: null, high: null, low: null };
  const high = logged.reduce((a, b) => (b.value > a.value ? b : a));
  const low = logged.reduce((a, b) => (b.value < a.value ? b : a));
  return { days: points.length, logged: logged.length, average: round1(mean(logged.map((p) => p.value))), high, low };
}

/**
 * Where the points of a series sit in a `width` × `height` box (0 at the bottom, `max` at
 * the top), split into runs of consecutive logged days so a missed day shows as a gap
 * rather than an invented line.
 */
export function chartPoints(points, { width = 300, height = 120, pad: inset = 8, max = 10 } = {}) {
  const step = points.length > 1 ? (width - 2 * inset) / (points.length - 1) : 0;
  const placed = points.map((p, i) => (p.value === null ? null : {
    ...p,
    x: round1(points.length > 1 ? inset + i * step : width / 2),
    y: round1(height - inset - (p.value / max) * (height - 2 * inset)),
  }));
  const runs = [];
  let run = [];
  for (const p of placed) {
    if (p) run.push(p);
    else if (run.length) { runs.push(run); run = []; }
  }
  if (run.length) runs.push(run);
  return { dots: placed.filter(Boolean), runs };
}

// --- when energy tends to peak

function slotMeans(entries, metric = "energy") {
  const out = {};
  for (const t of TIMES) {
    const values = entries.filter((e) => e.time_of_day === t && hasValue(e, metric)).map((e) => e[metric]);
    out[t] = { mean: round1(mean(values)), count: values.length };
  }
  return out;
}

function clearBest(byTime, score = (t) => byTime[t].mean) {
  const ranked = TIMES.filter((t) => byTime[t].count >= MIN_PER_SLOT).sort((a, b) => score(b) - score(a));
  if (ranked.length < 2) return null;
  return score(ranked[0]) - score(ranked[1]) >= PEAK_MARGIN ? ranked[0] : null;
}

function weekendLean(entries) {
  const weekend = entries.filter((e) => isWeekend(e.date)).map((e) => e.energy);
  const weekdays = entries.filter((e) => !isWeekend(e.date)).map((e) => e.energy);
  if (weekend.length < MIN_PER_SLOT || weekdays.length < MIN_PER_SLOT) return null;
  const diff = mean(weekend) - mean(weekdays);
  if (diff >= WEEKEND_MARGIN) return "weekend";
  if (diff <= -WEEKEND_MARGIN) return "weekday";
  return null;
}

/**
 * When energy has tended to be highest, from one person's entries over the last
 * `windowDays` days. Returns { enough, days, entries, byTime, peak, lean, onlyTime }: with
 * too little data enough is false; `onlyTime` names the one part of the day all notes are
 * from (then "even across the day" would be a guess).
 */
export function peakInsight(entries, { today = today(), windowDays = WINDOW_DAYS } = {}) {
  const usable = recent(entries, windowDays, today).filter((e) => hasValue(e, "energy") && TIMES.includes(e.time_of_day));
  const days = new Set(usable.map((e) => e.date)).size;
  const byTime = slotMeans(usable);
  const base = { days, entries: usable.length, byTime, peak: null, lean: null, onlyTime: null };
  if (days < MIN_DAYS || usable.length < MIN_ENTRIES) return { ...base, enough: false };
  const peak = clearBest(byTime);
  const lean = weekendLean(peak ? usable.filter((e) => e.time_of_day === peak) : usable);
  const times = TIMES.filter((t) => byTime[t].count > 0);
  return { ...base, enough: true, peak, lean, onlyTime: times.length === 1 ? times[0] : null };
}

/**
 * A time of day when both partners have tended to have energy, from each one's entries:
 * the part of the day whose lower of the two averages is clearly the highest.
 * Returns { enough, peak }.
 */
export function togetherInsight(mine, theirs, { today = today(), windowDays = WINDOW_DAYS } = {}) {
  const a = peakInsight(mine, { today, windowDays });
  const b = peakInsight(theirs, { today, windowDays });
  if (!a.enough || !b.enough) return { enough: false, peak: null };
  const both = {};
  for (const t of TIMES) {
    const ok = a.byTime[t].count >= MIN_PER_SLOT && b.byTime[t].count >= MIN_PER_SLOT;
    both[t] = { count: ok ? Math.min(a.byTime[t].count, b.byTime[t].count) : 0,
      mean: ok ? Math.min(a.byTime[t].mean, b.byTime[t].mean) : null };
  }
  return { enough: true, peak: clearBest(both) };
}
