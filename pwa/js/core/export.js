// A readable copy of what a person keeps in Hearth: one HTML page that opens in any browser
// and prints well, with no scripts and nothing fetched from anywhere, so it stays readable
// long after Hearth. It is not encrypted; the screen that makes it says so. No DOM: node
// tests it.
import { AGREEMENT_WORDS } from "./experiments.js";

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (ch) =>
  ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);

// What each record type is called, and the order sections come in.
export const SECTIONS = {
  journal: "Journal", boundary: "Boundaries", period: "Times when things change", experiment: "Small experiments",
  reassessment: "Looking back on experiments", energy: "Energy and how the body feels", appointment: "Appointments",
  gratitude: "Small wins", agreement: "The no-pressure agreement", pace: "Where I am on the paced path",
  pace_lookback: "Looking back on the paced path", checkin: "Weekly check-ins",
};

// Each field worth reading, with its label, in the order a person would read them. Fields
// not named here (ids, flags, tombstones) are the app's business, not the reader's.
const FIELDS = {
  journal: [["tags", "Tags"], ["feeling_after", "Feeling afterwards"]],
  boundary: [["kind", "About"], ["level", "Level"], ["note", "Note"], ["during", "During"]],
  period: [["starts_on", "From"], ["ends_on", "Until"], ["note", "Note"]],
  experiment: [["description", "What it is"], ["starts_on", "Starting"], ["days", "For how many days"],
    ["status", "Where it stands"], ["outcome", "What we decided"]],
  reassessment: [["felt", "How it felt"], ["comfort", "Comfort (0-10)"], ["decision", "Decision"]],
  energy: [["time_of_day", "Time of day"], ["energy", "Energy (0-10)"], ["pain", "Pain (0-10)"],
    ["fatigue", "Tiredness (0-10)"], ["mood", "Mood (0-10)"], ["sleep_hours", "Hours of sleep"], ["note", "Note"]],
  appointment: [["date", "Date"], ["next_date", "Next one"]],
  gratitude: [["date", "Date"]],
  agreement: [["status", "Where it stands"], ["answer", "The answer"], ["answered_on", "Answered on"]],
  pace_lookback: [["step", "Step"]],
  // A check-in as its author answered it (opened on this phone: answers travel sealed, §8.8).
  checkin: [["needs", "What would help"], ["felt_good", "What felt good"], ["try_next", "Something to try"],
    ["i_statement", "On my mind"], ["anything_else", "Anything else"]],
};

// The line that names a record: its words, or for records without a text, their subject.
const HEADLINE = {
  journal: (r) => r.text, boundary: (r) => r.label, period: (r) => r.label, experiment: (r) => r.title,
  reassessment: () => "Looking back", energy: (r) => r.date, appointment: (r) => r.title, gratitude: (r) => r.text,
  agreement: () => AGREEMENT_WORDS.join(" "),
  pace: (r) => (r.ready === "not_yet" ? "Not ready for a step yet" : `Ready for ${readable(r.ready)}`),
  pace_lookback: (r) => r.felt,
  checkin: (r) => `${r.week.replace("-W", ", week ")}${r.skipped ? ": sat this week out" : ""}`,
};

const readable = (value) => (Array.isArray(value) ? value.join(", ")
  : typeof value === "string" ? value.replaceAll("_", " ") : String(value));

function fieldsOf(type, r) {
  return (FIELDS[type] || [])
    .filter(([name]) => r[name] !== null && r[name] !== undefined && r[name] !== "" && !(Array.isArray(r[name]) && !r[name].length))
    .map(([name, label]) => `<dt>${escapeHtml(label)}</dt><dd dir="auto">${escapeHtml(readable(r[name]))}</dd>`);
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
 * The page: `title`, a line on what it holds, and `sections` ([{ heading, articles: [html] }]),
 * empty ones said so rather than left out. `made` is when, in words.
 */
export function exportPage({ title, about, sections, made, lang = "en" }) {
  const body = sections.map((s) => `<section><h2>${escapeHtml(s.heading)}</h2>` +
    (s.articles.length ? s.articles.join("") : "<p>Nothing here.</p>") + "</section>").join("");
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>` +
    `<p class="note">${escapeHtml(about)} Made by Hearth ${escapeHtml(made)}. This file is not encrypted: ` +
    "anyone who opens it can read it, so keep it somewhere private.</p>" + body + "</body></html>";
}

/** A file name with the date and nothing personal. */
export const exportName = (what, isoDay) => `hearth-${what}-${isoDay}.html`;
