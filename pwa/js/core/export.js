// A readable copy of what a person keeps in Hearth: one HTML page that opens in any browser
// and prints well, with no scripts and nothing fetched from anywhere, so it stays readable
// long after Hearth. It is not encrypted; the screen that makes it says so. It speaks the
// phone's language (the export area of i18n, dates by core/dates.js). No DOM: node tests it.
import { format } from "./dates.js";
import { TYPES } from "./records.js";
import { language, locale, t, useWords } from "../i18n/index.js";

await useWords("export");
await useWords("exp");   // the agreement's own three sentences, as its screen says them

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (ch) =>
  ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);

// The record types in the order sections come in; each section's name is export.section.<type>.
const ORDER = ["journal", "boundary", "period", "experiment", "reassessment", "energy", "appointment", "gratitude",
  "agreement", "pace", "pace_lookback", "checkin"];
/** { type: its section's name }, in the phone's language. */
export const SECTIONS = Object.fromEntries(ORDER.map((type) => [type, t(`export.section.${type}`)]));

// Each field worth reading, in the order a person would read them; its label is
// export.field.<type>.<field>. Fields not named here (ids, flags, tombstones) are the app's
// business, not the reader's.
const FIELDS = {
  journal: ["tags", "feeling_after"],
  boundary: ["kind", "level", "note", "during"],
  period: ["starts_on", "ends_on", "note"],
  experiment: ["description", "starts_on", "days", "status", "outcome"],
  reassessment: ["felt", "comfort", "decision"],
  energy: ["time_of_day", "energy", "pain", "fatigue", "mood", "sleep_hours", "note"],
  appointment: ["date", "next_date"],
  gratitude: ["date"],
  agreement: ["status", "answer", "answered_on"],
  pace_lookback: ["step"],
  // A check-in as its author answered it (opened on this phone: answers travel sealed, §8.8).
  checkin: ["needs", "felt_good", "try_next", "i_statement", "anything_else"],
};

const AGREEMENT = ["exp.agreement_no_sex", "exp.agreement_pace", "exp.agreement_pain"];
const isoWeek = (week) => { const [year, number] = week.split("-W"); return { year, week: String(Number(number)) }; };

// The line that names a record: its words, or for records without a text, their subject.
const HEADLINE = {
  journal: (r) => r.text, boundary: (r) => r.label, period: (r) => r.label, experiment: (r) => r.title,
  reassessment: () => t("export.looking_back"), energy: (r) => format(r.date, "dayMonthYear"), appointment: (r) => r.title,
  gratitude: (r) => r.text,
  agreement: () => AGREEMENT.map((key) => t(key)).join(" "),
  pace: (r) => (r.ready === "not_yet" ? t("export.pace_not_yet") : t("export.pace_ready", { step: r.ready.replace("step_", "") })),
  pace_lookback: (r) => r.felt,
  checkin: (r) => t(r.skipped ? "export.checkin_week_skipped" : "export.checkin_week", isoWeek(r.week)),
};

const numbers = new Intl.NumberFormat(locale);

// A value as words: a choice by its words in export.value.<choices>.<value>, a date field by
// core/dates.js, a number in the language's own form; what a person wrote, as written.
function readable(type, name, value) {
  const spec = TYPES[type]?.fields[name];
  if (spec?.choices) return (Array.isArray(value) ? value : [value]).map((v) => t(`export.value.${spec.choices}.${v}`)).join(", ");
  if (spec?.kind === "date") return format(value, "dayMonthYear");
  if (typeof value === "number") return numbers.format(value);
  return String(value);
}

function fieldsOf(type, r) {
  return (FIELDS[type] || [])
    .filter((name) => r[name] !== null && r[name] !== undefined && r[name] !== "" && !(Array.isArray(r[name]) && !r[name].length))
    .map((name) => `<dt>${escapeHtml(t(`export.field.${type}.${name}`))}</dt><dd dir="auto">${escapeHtml(readable(type, name, r[name]))}</dd>`);
}

function questionsOf(r) {
  if (!r.questions?.length) return "";
  return `<ol class="questions">${r.questions.map((q) => `<li><span dir="auto">${escapeHtml(q.text)}</span>` +
    (q.answer ? `<br><span class="answer" dir="auto">${escapeHtml(q.answer)}</span>` : "") + "</li>").join("")}</ol>`;
}

/**
 * One record as an article: who wrote it and when, its words, its fields, and beneath it
 * `replies` (records of the same shape, each with its own author and time).
 */
export function recordHtml(type, r, { who, when }, replies = []) {
  const fields = fieldsOf(type, r);
  return `<article><p class="meta">${escapeHtml(who)} · ${escapeHtml(when)}</p>` +
    `<p class="text" dir="auto">${escapeHtml(HEADLINE[type]?.(r) ?? "")}</p>` +
    (fields.length ? `<dl>${fields.join("")}</dl>` : "") + (type === "appointment" ? questionsOf(r) : "") +
    (replies.length ? `<div class="replies">${replies.map((x) => recordHtml(type, x.record, x)).join("")}</div>` : "") +
    "</article>";
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
article{margin:1rem 0;padding:.5rem 0;break-inside:avoid}.meta{color:#555;font-size:.9rem;margin:0}
.text{white-space:pre-wrap;margin:.25rem 0}dl{display:grid;grid-template-columns:auto 1fr;gap:0 1rem;margin:.25rem 0}
dt{color:#555}dd{margin:0}.replies{margin-left:1.5rem;border-left:3px solid #ddd;padding-left:1rem}
.note{background:#f6f1e7;padding:.75rem 1rem;border-radius:.5rem}.answer{color:#444}
@media print{body{margin:0;max-width:none}.note{border:1px solid #999;background:none}}`;

/**
 * The page, in the phone's language: `title`, a line on what it holds, and `sections`
 * ([{ heading, articles: [html] }]), empty ones said so rather than left out. `made` is the
 * day it was made, in words ("3 March 2026").
 */
export function exportPage({ title, about, sections, made }) {
  const body = sections.map((s) => `<section><h2>${escapeHtml(s.heading)}</h2>` +
    (s.articles.length ? s.articles.join("") : `<p>${escapeHtml(t("export.nothing_here"))}</p>`) + "</section>").join("");
  return `<!doctype html><html lang="${escapeHtml(language)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>` +
    `<p class="note">${escapeHtml(about)} ${escapeHtml(t("export.not_encrypted", { made }))}</p>` + body + "</body></html>";
}

/** A file name with the date and nothing personal. */
export const exportName = (what, isoDay) => `hearth-${what}-${isoDay}.html`;
