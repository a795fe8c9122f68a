// Calendar days in one place. A day is "YYYY-MM-DD" on this phone's own calendar; the
// arithmetic runs in UTC, so no time zone or clock change can move a day; and the words
// for a day ("Today", "Yesterday", "Tuesday", "3 March") come from Intl, in the language
// Hearth speaks (i18n/index.js). Pure: runs in node's test runner and in the page.
import { locale } from "../i18n/index.js";

export const DAY_MS = 86_400_000;

const DAY_PARTS = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" });
const RELATIVE = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });   // "today", "yesterday", "tomorrow"

/** The calendar day of `now` on this phone, as YYYY-MM-DD. */
export function today(now = new Date()) {
  const part = Object.fromEntries(DAY_PARTS.formatToParts(now).map(({ type, value }) => [type, value]));
  return `${part.year.padStart(4, "0")}-${part.month}-${part.day}`;
}

const utc = (iso) => {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
};

export const addDays = (iso, n) => new Date(utc(iso) + n * DAY_MS).toISOString().slice(0, 10);

/** Whole calendar days from `a` to `b` (negative when b is earlier). */
export const daysBetween = (a, b) => Math.round((utc(b) - utc(a)) / DAY_MS);

/** Whole days since 1970-01-01 for a "YYYY-MM-DD" string (or a Date's calendar day). */
export function dayNumber(day) {
  const text = day instanceof Date ? today(day) : day;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text || "")) throw new RangeError(`expected a date like 2026-11-25, got '${text}'`);
  return Math.floor(utc(text) / DAY_MS);
}

/** 0 (Sunday) to 6 (Saturday). */
export const weekday = (iso) => new Date(utc(iso)).getUTCDay();

export const isWeekend = (iso) => [0, 6].includes(weekday(iso));

/** The ISO 8601 week ("2026-W48") of a calendar day: the week with the year's first Thursday is week 1. */
export function isoWeek(iso) {
  const d = new Date(utc(iso));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const week = Math.ceil(((d - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** A calendar day as a Date at `hour` o'clock local time. */
export function dateOf(iso, hour = 12) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d, hour);
}

// ---------- words ----------

const STYLES = {
  weekday: { weekday: "long" },
  long: { weekday: "long", day: "numeric", month: "long" },
  longYear: { weekday: "long", day: "numeric", month: "long", year: "numeric" },
  dayMonth: { day: "numeric", month: "long" },
  dayMonthYear: { day: "numeric", month: "long", year: "numeric" },
  short: { day: "numeric", month: "short" },
  time: { hour: "2-digit", minute: "2-digit" },
};
const formats = {};

/** A day ("YYYY-MM-DD") or a moment (a Date or milliseconds) in words, in one of STYLES. */
export function format(when, style) {
  formats[style] ??= new Intl.DateTimeFormat(locale, STYLES[style]);
  return formats[style].format(typeof when === "string" ? dateOf(when) : when);
}

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * "Today", "Yesterday", a weekday for the days before, then "3 March". The year is added
 * when the day is in another year than `now`, or, with `yearAfter`, when it is more than
 * that many days away. With `inSentence`, "today" and "yesterday" begin in lower case
 * ("Updated today, 06:35"); weekdays, months and "AM" keep theirs.
 */
export function relativeDay(iso, { now = today(), yearAfter = null, inSentence = false } = {}) {
  const ago = daysBetween(iso, now);
  if (ago === 0 || ago === 1) {
    const word = RELATIVE.format(-ago, "day");
    return inSentence ? word : capital(word);
  }
  if (ago > 1 && ago < 7) return format(iso, "weekday");
  const far = yearAfter === null ? iso.slice(0, 4) !== now.slice(0, 4) : Math.abs(ago) > yearAfter;
  return format(iso, far ? "dayMonthYear" : "dayMonth");
}

/** A moment: "Today, 14:05", "Yesterday, 09:30", then as relativeDay (the year after 300 days). */
export function relativeTime(ms, now = new Date(), { inSentence = false } = {}) {
  const day = today(new Date(ms));
  const ago = daysBetween(day, today(now));
  if (ago <= 1) return `${relativeDay(day, { now: addDays(day, Math.max(ago, 0)), inSentence })}, ${format(ms, "time")}`;
  return relativeDay(day, { now: today(now), yearAfter: 300 });
}

/** A day ahead: "Today, Thursday 4 December", "Tomorrow, …", else the long date (with the year when not this one's). */
export function dayAhead(iso, { now = today(), withYear = false } = {}) {
  const long = format(iso, withYear || iso.slice(0, 4) !== now.slice(0, 4) ? "longYear" : "long");
  const until = daysBetween(now, iso);
  return !withYear && (until === 0 || until === 1) ? `${capital(RELATIVE.format(until, "day"))}, ${long}` : long;
}
