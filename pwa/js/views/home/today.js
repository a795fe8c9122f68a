// Home's "Today": today's energy note, the current experiment, this week's check-in and
// the chosen check-in day, each as an invitation, never a to-do.
import { format, today } from "../../core/dates.js";
import { consent, countdown, currentExperiment, phase, proposals, reassessmentsFor } from "../../core/experiments.js";
import { weekdayName } from "../../core/records.js";
import { el } from "../../shell/dom.js";
import { dayName } from "../common.js";

export const SCALE_WORDS = [["energy", "energy"], ["mood", "mood"], ["pain", "pain"], ["fatigue", "tiredness"]];

export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

export const short = (text, n = 90) => (text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text);

export const newest = (a, b) => (b.updatedAt || b.at || 0) - (a.updatedAt || a.at || 0)
  || (b.clock > a.clock) - (b.clock < a.clock);

export const longDate = (iso) => format(iso, "long");

function todayItem(kind, label, state, ...content) {
  return el("li", { class: `today-item today-${kind}`, dataset: { state } },
    el("h3", { class: "today-label" }, label), ...content);
}

function energyToday(energy) {
  const now = today();
  const note = energy.filter((e) => e.mine && e.date === now).sort(newest)[0];
  if (!note) {
    return todayItem("energy", "Energy", "open",
      el("p", { class: "today-text" }, "A few seconds on how today feels, if you'd like."),
      el("a", { class: "today-link", href: "#/energy" }, "How are you today?"));
  }
  const values = SCALE_WORDS.filter(([k]) => Number.isInteger(note[k])).map(([k, word]) => `${word} ${note[k]}`);
  if (Number.isFinite(note.sleep_hours)) values.push(`slept ${note.sleep_hours} h`);
  const said = values.length ? `You noted ${values.join(", ")}.` : "You noted how today feels.";
  return todayItem("energy", "Energy", "logged",
    el("p", { class: "today-text" }, said, note.note ? el("span", { class: "today-quote" }, ` “${short(note.note, 80)}”`) : null),
    el("a", { class: "today-link", href: "#/energy" }, "See how the days have been"));
}

// A proposal shows no day numbers: nothing counts until both have said yes (protocol §8.3).
function proposalToday(exp) {
  const name = `“${exp.title}”`;
  const state = consent(exp);
  let text;
  if (exp.mine) {
    text = state === "change" ? `Your partner asked whether ${name} could change.` : `${name} is waiting for your partner's answer.`;
  } else {
    text = state === "change" ? `You asked to change ${name}; your partner can change it and ask again.`
      : `Your partner has an idea to try: ${name}. Nothing starts unless you say yes too.`;
  }
  return todayItem("experiment", "Your experiment", exp.mine ? "proposed" : "asked",
    el("p", { class: "today-text" }, text),
    el("a", { class: "today-link", href: "#/experiments" }, exp.mine || state === "change" ? "See the idea" : "Answer it"));
}

function experimentToday(experiments, reassessments) {
  const exp = currentExperiment(experiments);
  if (!exp) {
    const waiting = proposals(experiments);
    // One that asks for my answer comes first.
    const first = waiting.find((e) => !e.mine && consent(e) === "asked") || waiting[0];
    return first ? proposalToday(first) : null;
  }
  const now = today();
  const p = phase(exp, now);
  const name = `“${exp.title}”`;
  let state = p;
  let text;
  if (p === "upcoming") {
    text = `${name} starts ${longDate(exp.starts_on)}.`;
  } else if (p === "running") {
    text = `${name}: ${countdown(exp, now)}.`;
  } else {
    const { mine, partner } = reassessmentsFor(exp.id, reassessments);
    if (mine && partner) {
      state = "both";
      text = `You've both looked back on ${name}. Talk it over whenever suits you.`;
    } else if (mine) {
      state = "waiting";
      text = `You've looked back on ${name}. Your partner's answer will join yours; no hurry.`;
    } else {
      text = `Time to look back on ${name}, whenever you have a quiet moment.`;
    }
  }
  return todayItem("experiment", "Your experiment", state,
    el("p", { class: "today-text" }, text),
    el("a", { class: "today-link", href: "#/experiments" }, p === "due" ? "Look back" : "See the experiment"));
}

// This week's check-in in a few words: "open", "partner-answered", "waiting", "ready", "damaged".
function checkinState({ mine, partner }) {
  if (mine?.skipped) return "skipped";
  if (partner?.skipped) return "partner-skipped";
  if (!mine) return partner ? "partner-answered" : "open";
  if (!partner || partner.sealed) return "waiting";
  return partner.damaged ? "damaged" : "ready";
}

const CHECKIN_WORDS = {
  open: ["This week's check-in hasn't been answered yet. There's no hurry.", "Open the check-in"],
  "partner-answered": ["Your partner has answered this week. Theirs opens once you've shared yours.", "Open the check-in"],
  waiting: ["Your answers are sealed. They'll open together once your partner has answered.", "See the check-in"],
  ready: ["You've both answered this week. Your answers are ready to read together.", "Read them together"],
  damaged: ["Your partner's answers couldn't be opened. Asking them to answer again will fix it.", "See the check-in"],
  skipped: ["You're sitting this week out. That's fine; there's always next week.", "See the check-in"],
  "partner-skipped": ["Your partner is sitting this week out. That's fine. Nothing written this week opens for the other.",
    "See the check-in"],
};

function checkinToday(week, day) {
  const state = checkinState(week);
  const [text, link] = CHECKIN_WORDS[state];
  const isToday = weekdayName(new Date().getDay()) === day;
  return todayItem("checkin", "Weekly check-in", state,
    el("p", { class: "today-text" }, text),
    el("p", { class: "today-day" }, isToday ? "Today is your check-in day." : `Your check-in day is ${dayName(day)}.`),
    el("a", { class: "today-link", href: "#/checkin" }, link));
}

// Once the pairing has ended (`together` false) only what is one's own is left to invite:
// an experiment or a check-in needs both phones.
export function todayCard({ energy, experiments, reassessments, week, day, together = true }) {
  return el("section", { class: "card home-today", "aria-labelledby": "home-today-title" },
    el("h2", { id: "home-today-title" }, "Today"),
    el("ul", { class: "today-list" }, [
      energyToday(energy),
      together ? experimentToday(experiments, reassessments) : null,
      together ? checkinToday(week, day) : null,
    ].filter(Boolean)));
}
