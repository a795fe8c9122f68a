// Progress: small wins, noticed. Pure functions over plain record lists, so they run under
// node's test runner and in the browser alike. Nothing here counts, scores or compares:
// a win is a moment worth remembering, described in plain words, with a time and whose
// it was. There are no totals, no runs of days, nothing to keep up.
//
// smallWins(input) takes:
//   experiments:  [{ id, title, status, outcome, at, updatedAt }]
//   checkins:     [{ week: "2026-W14", both: true|false, at }]   one per week
//   boundaries:   [{ id, kind, label, at, mine, changes: [{ at, mine }] }]   changes: from its history
//   journal:      [{ id, text, tags, mine, at, updatedAt }]
//   gratitude:    [{ id, text, date: "2026-04-02", mine, at }]
//   appointments: [{ id, title, questions: [{ text, answer }], mine, at, updatedAt }]
// and returns [{ at, kind, text, who: "you" | "partner" | "both", quote? }], newest first.
import { excerpt } from "./text.js";

const DAY = 86400000;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];

const whoOf = (record) => (record.mine ? "you" : "partner");
const time = (record) => record.updatedAt || record.at || 0;

const quoted = (title) => `“${excerpt(title, 80)}”`;

function experimentWins(experiments = []) {
  const words = {
    keep: (t) => `You tried ${t} together and decided to keep it.`,
    adjust: (t) => `You tried ${t} together and found a way to make it your own.`,
    drop: (t) => `You gave ${t} a fair try together. Learning what isn't for you right now counts too.`,
  };
  return experiments
    .filter((e) => e && !e.deleted && e.status === "finished" && words[e.outcome] && e.title)
    .map((e) => ({ at: time(e), kind: "experiment", who: "both", text: words[e.outcome](quoted(e.title)) }));
}

function checkinWins(checkins = []) {
  return checkins
    .filter((c) => c && c.both && c.at)
    .map((c) => ({ at: c.at, kind: "checkin", who: "both",
      text: "You both made time for your check-in, and heard each other's answers." }));
}

function boundaryWins(boundaries = []) {
  const wins = [];
  for (const b of boundaries) {
    if (!b || b.deleted) continue;
    if (b.kind === "stop_signal" && b.label) {
      wins.push({ at: b.at || 0, kind: "stop_signal", who: whoOf(b),
        text: `${b.mine ? "You" : "Your partner"} set a stop signal: ${quoted(b.label)}. `
          + "Knowing either of you can pause makes it easier to begin." });
    }
    // One note per moment of change: several fields changed together are one conversation.
    const moments = new Map();
    for (const c of b.changes || []) {
      if (!c || !c.at) continue;
      const key = `${c.at}:${c.mine ? "you" : "partner"}`;
      if (!moments.has(key)) moments.set(key, c);
    }
    const label = quoted(b.label || "a boundary");
    for (const c of moments.values()) {
      const who = c.mine ? "you" : "partner";
      let text;
      if (Boolean(c.mine) !== Boolean(b.mine)) {   // the other partner asked for more care
        text = `${c.mine ? "You" : "Your partner"} asked for a little more care around ${label}. `
          + "Looking out for each other like this matters.";
      } else {
        text = c.mine
          ? `You let your partner know where you are now with ${label}. Saying so is a kindness to you both.`
          : `Your partner let you know where they are now with ${label}. Being told is a sign of trust.`;
      }
      wins.push({ at: c.at, kind: "boundary", who, text });
    }
  }
  return wins;
}

function journalWins(journal = []) {
  return journal
    .filter((j) => j && !j.deleted && Array.isArray(j.tags) && j.tags.includes("worked") && j.text)
    .map((j) => ({ at: j.at || time(j), kind: "journal", who: whoOf(j), quote: excerpt(j.text),
      text: j.mine ? "You wrote down something that worked." : "Your partner wrote down something that worked." }));
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
    const text = who === "both" ? "You both paused to notice something you're thankful for."
      : who === "you" ? "You paused to notice something you're thankful for."
        : "Your partner paused to notice something they're thankful for.";
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
      text: `${a.mine ? "You" : "Your partner"} took questions to ${a.title ? quoted(a.title) : "an appointment"} `
        + "and came away with answers." }));
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
  if (ms >= thisWeek) return { key: "this-week", heading: "This week" };
  if (ms >= lastWeekStart) return { key: "last-week", heading: "Last week" };
  if (ms >= thisMonth) return { key: "this-month", heading: "Earlier this month" };
  const d = new Date(ms);
  const sameYear = d.getFullYear() === now.getFullYear();
  return { key: `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`,
    heading: sameYear ? `In ${MONTHS[d.getMonth()]}` : `In ${MONTHS[d.getMonth()]} ${d.getFullYear()}` };
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
    return "It's been a quieter while, and that's all right. What you've shared is still here.";
  }
  const whos = new Set(recent.map((w) => w.who));
  if (whos.has("both") || (whos.has("you") && whos.has("partner"))) {
    return recent.length > 2 ? "You've looked after each other in lots of small ways lately."
      : "You've been looking after each other lately.";
  }
  if (whos.has("you")) return "You've been making room for small good things lately.";
  return "Your partner has been making room for small good things lately.";
}
