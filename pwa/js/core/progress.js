// Progress: small wins, noticed. Pure functions over plain record lists, so they run under
// node's test runner and in the browser alike. Nothing here counts, scores or compares:
// a win is a moment worth remembering, described in plain words, with a time and whose
// it was. There are no totals, no runs of days, nothing to keep up. The words are the
// catalogue's (i18n/<code>/progress.js), in the language Hearth speaks.
//
// smallWins(input) takes:
//   experiments:  [{ id, title, status, outcome, at, updatedAt }]
//   checkins:     [{ week: "2026-W14", both: true|false, at }]   one per week
//   boundaries:   [{ id, kind, label, at, mine, changes: [{ at, mine }] }]   changes: from its history
//   journal:      [{ id, text, tags, mine, at, updatedAt }]
//   gratitude:    [{ id, text, date: "2026-04-02", mine, at }]
//   appointments: [{ id, title, questions: [{ text, answer }], mine, at, updatedAt }]
// and returns [{ at, kind, text, who: "you" | "partner" | "both", quote? }], newest first.
import { locale, t, useWords } from "../i18n/index.js";
import { excerpt } from "./text.js";

await useWords("progress");

const DAY = 86400000;
const MONTH = new Intl.DateTimeFormat(locale, { month: "long" });

const whoOf = (record) => (record.mine ? "you" : "partner");
const time = (record) => record.updatedAt || record.at || 0;

const quoted = (title) => t("progress.quoted", { text: excerpt(title, 80) });

function experimentWins(experiments = []) {
  const words = {
    keep: (title) => t("progress.experiment_keep", { title }),
    adjust: (title) => t("progress.experiment_adjust", { title }),
    drop: (title) => t("progress.experiment_drop", { title }),
  };
  return experiments
    .filter((e) => e && !e.deleted && e.status === "finished" && words[e.outcome] && e.title)
    .map((e) => ({ at: time(e), kind: "experiment", who: "both", text: words[e.outcome](quoted(e.title)) }));
}

function checkinWins(checkins = []) {
  return checkins
    .filter((c) => c && c.both && c.at)
    .map((c) => ({ at: c.at, kind: "checkin", who: "both",
      text: t("progress.checkin_both") }));
}

function boundaryWins(boundaries = []) {
  const wins = [];
  for (const b of boundaries) {
    if (!b || b.deleted) continue;
    if (b.kind === "stop_signal" && b.label) {
      wins.push({ at: b.at || 0, kind: "stop_signal", who: whoOf(b),
        text: t(b.mine ? "progress.stop_signal_you" : "progress.stop_signal_partner", { label: quoted(b.label) }) });
    }
    // One note per moment of change: several fields changed together are one conversation.
    const moments = new Map();
    for (const c of b.changes || []) {
      if (!c || !c.at) continue;
      const key = `${c.at}:${c.mine ? "you" : "partner"}`;
      if (!moments.has(key)) moments.set(key, c);
    }
    const label = b.label ? quoted(b.label) : t("progress.quoted", { text: t("progress.boundary_unnamed") });
    for (const c of moments.values()) {
      const who = c.mine ? "you" : "partner";
      // The other partner asking for more care, or the author saying where they are now.
      const said = Boolean(c.mine) !== Boolean(b.mine) ? "care" : "told";
      wins.push({ at: c.at, kind: "boundary", who, text: t(`progress.boundary_${said}_${who}`, { label }) });
    }
  }
  return wins;
}

function journalWins(journal = []) {
  return journal
    .filter((j) => j && !j.deleted && Array.isArray(j.tags) && j.tags.includes("worked") && j.text)
    .map((j) => ({ at: j.at || time(j), kind: "journal", who: whoOf(j), quote: excerpt(j.text),
      text: t(j.mine ? "progress.journal_you" : "progress.journal_partner") }));
}

// One moment per day: a note from each of you on the same day is one shared moment.
function gratitudeWins(gratitude = []) {
  const days = new Map();
  for (const g of gratitude) {
    if (!g || g.deleted || !g.text) continue;
    const key = g.date || new Date(g.at || 0).toISOString().slice(0, 10);
    if (!days.has(key)) days.set(key, []);
    days.get(key).push(g);
  }
  const wins = [];
  for (const notes of days.values()) {
    notes.sort((a, b) => (a.at || 0) - (b.at || 0));
    const you = notes.some((n) => n.mine);
    const partner = notes.some((n) => !n.mine);
    const who = you && partner ? "both" : you ? "you" : "partner";
    const text = t(`progress.gratitude_${who}`);
    wins.push({ at: Math.max(...notes.map((n) => n.at || 0)), kind: "gratitude", who, text,
      quote: excerpt(notes[notes.length - 1].text) });
  }
  return wins;
}

function appointmentWins(appointments = []) {
  return appointments
    .filter((a) => a && !a.deleted && Array.isArray(a.questions)
      && a.questions.some((q) => q && typeof q.answer === "string" && q.answer.trim()))
    .map((a) => ({ at: time(a), kind: "appointment", who: whoOf(a),
      text: a.title ? t(`progress.appointment_${whoOf(a)}`, { title: quoted(a.title) }) : t(`progress.appointment_${whoOf(a)}_untitled`) }));
}

export function smallWins(input = {}) {
  return [
    ...experimentWins(input.experiments),
    ...checkinWins(input.checkins),
    ...boundaryWins(input.boundaries),
    ...journalWins(input.journal),
    ...gratitudeWins(input.gratitude),
    ...appointmentWins(input.appointments),
  ].filter((w) => Number.isFinite(w.at) && w.at > 0)
    .sort((a, b) => b.at - a.at || a.kind.localeCompare(b.kind));
}

// ---------- gentle headings ----------

function startOfWeek(now) {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));   // Monday
  return d.getTime();
}

// Which heading a moment sits under, seen from `now` (local time).
export function periodOf(ms, now = new Date()) {
  const thisWeek = startOfWeek(now);
  const lastWeek = new Date(thisWeek - 3 * DAY);   // any day in last week, then its Monday
  const lastWeekStart = startOfWeek(lastWeek);
  const thisMonth = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  if (ms >= thisWeek) return { key: "this-week", heading: t("progress.this_week") };
  if (ms >= lastWeekStart) return { key: "last-week", heading: t("progress.last_week") };
  if (ms >= thisMonth) return { key: "this-month", heading: t("progress.this_month") };
  const d = new Date(ms);
  const sameYear = d.getFullYear() === now.getFullYear();
  return { key: `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`,
    heading: sameYear ? t("progress.in_month", { month: MONTH.format(d) })
      : t("progress.in_month_year", { month: MONTH.format(d), year: String(d.getFullYear()) }) };
}

// Wins (newest first) gathered under their headings, newest heading first.
export function groupWins(wins, now = new Date()) {
  const groups = [];
  for (const win of [...wins].sort((a, b) => b.at - a.at)) {
    const { key, heading } = periodOf(win.at, now);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.wins.push(win);
    else groups.push({ key, heading, wins: [win] });
  }
  return groups;
}

// One quiet line noticing the recent weeks, or null. Never a number.
export function noticing(wins, now = new Date()) {
  if (!wins.length) return null;
  const recent = wins.filter((w) => w.at >= now.getTime() - 30 * DAY);
  if (!recent.length) {
    return t("progress.noticing_quiet");
  }
  const whos = new Set(recent.map((w) => w.who));
  if (whos.has("both") || (whos.has("you") && whos.has("partner"))) {
    return recent.length > 2 ? t("progress.noticing_many") : t("progress.noticing_each_other");
  }
  return t(whos.has("you") ? "progress.noticing_you" : "progress.noticing_partner");
}
