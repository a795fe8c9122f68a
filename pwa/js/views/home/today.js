// Home's "Today": today's energy note, the current experiment, this week's check-in and
// the chosen check-in day, each as an invitation, never a to-do.
import { addDays, format, today } from "../../core/dates.js";
import { consent, currentExperiment, dayNumber, phase, proposals, reassessmentsFor } from "../../core/experiments.js";
import { WEEKDAYS, weekdayName } from "../../core/records.js";
import { t } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { dayName } from "../common.js";

// Each scale as its word with its value, as one message: [field, (value) => words].
const SCALES = [["energy", (value) => t("home.scale_energy", { value })], ["mood", (value) => t("home.scale_mood", { value })],
  ["pain", (value) => t("home.scale_pain", { value })], ["fatigue", (value) => t("home.scale_fatigue", { value })]];

/** A note's scales in words, "energy 6, mood 8" (each language orders its own word and number). */
export const scaleValues = (note) => SCALES.filter(([k]) => Number.isInteger(note[k])).map(([k, words]) => words(note[k]));

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
    return todayItem("energy", t("home.energy_label"), "open",
      el("p", { class: "today-text" }, t("home.energy_open")),
      el("a", { class: "today-link", href: "#/energy" }, t("home.energy_open_link")));
  }
  const values = scaleValues(note);
  if (Number.isFinite(note.sleep_hours)) values.push(t("home.scale_sleep", { hours: note.sleep_hours }));
  const said = values.length ? t("home.energy_noted", { values: values.join(", ") }) : t("home.energy_noted_plain");
  // The note is the person's own words: its own language and direction (dir="auto").
  return todayItem("energy", t("home.energy_label"), "logged",
    el("p", { class: "today-text" }, said,
      note.note ? [" ", el("span", { class: "today-quote", dir: "auto" }, `“${short(note.note, 80)}”`)] : null),
    el("a", { class: "today-link", href: "#/energy" }, t("home.energy_see")));
}

// A proposal shows no day numbers: nothing counts until both have said yes (protocol §8.3).
function proposalToday(exp) {
  const name = `“${exp.title}”`;
  const state = consent(exp);
  let text;
  if (exp.mine) {
    text = state === "change" ? t("home.exp_change_asked", { name }) : t("home.exp_waiting", { name });
  } else {
    text = state === "change" ? t("home.exp_change_sent", { name }) : t("home.exp_idea", { name });
  }
  return todayItem("experiment", t("home.exp_label"), exp.mine ? "proposed" : "asked",
    el("p", { class: "today-text" }, text),
    el("a", { class: "today-link", href: "#/experiments" }, exp.mine || state === "change" ? t("home.exp_see_idea") : t("home.exp_answer")));
}

// "day 3 of 7, 4 days to go" as one message, so each language counts in its own words
// (core/experiments.js countdown() says the same in English, for the experiments screen).
function running(exp, now, name) {
  const day = dayNumber(exp, now);
  const days = exp.days ?? 7;
  const count = days - day;
  return count === 0 ? t("home.exp_last_day", { name, day, days }) : t("home.exp_running", { name, day, days, count });
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
    text = t("home.exp_upcoming", { name, date: longDate(exp.starts_on) });
  } else if (p === "running") {
    text = `${running(exp, now, name)}.`;
  } else {
    const { mine, partner } = reassessmentsFor(exp.id, reassessments);
    if (mine && partner) {
      state = "both";
      text = t("home.exp_both_looked", { name });
    } else if (mine) {
      state = "waiting";
      text = t("home.exp_i_looked", { name });
    } else {
      text = t("home.exp_due", { name });
    }
  }
  return todayItem("experiment", t("home.exp_label"), state,
    el("p", { class: "today-text" }, text),
    el("a", { class: "today-link", href: "#/experiments" }, p === "due" ? t("home.exp_look_back") : t("home.exp_see")));
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
  open: [t("home.checkin_open"), t("home.checkin_open_link")],
  "partner-answered": [t("home.checkin_partner_answered"), t("home.checkin_open_link")],
  waiting: [t("home.checkin_waiting"), t("home.checkin_see_link")],
  ready: [t("home.checkin_ready"), t("home.checkin_read_link")],
  damaged: [t("home.checkin_damaged"), t("home.checkin_see_link")],
  skipped: [t("home.checkin_skipped"), t("home.checkin_see_link")],
  "partner-skipped": [t("home.checkin_partner_skipped"), t("home.checkin_see_link")],
};

// A weekday of the protocol ("sunday") in the phone's language, through Intl: 1 January 2024
// was a Monday, the first of WEEKDAYS.
function weekdayWords(day) {
  const i = WEEKDAYS.indexOf(day);
  return i < 0 ? dayName(day) : format(addDays("2024-01-01", i), "weekday");
}

function checkinToday(week, day) {
  const state = checkinState(week);
  const [text, link] = CHECKIN_WORDS[state];
  const isToday = weekdayName(new Date().getDay()) === day;
  return todayItem("checkin", t("home.checkin_label"), state,
    el("p", { class: "today-text" }, text),
    el("p", { class: "today-day" }, isToday ? t("home.checkin_today") : t("home.checkin_day", { day: weekdayWords(day) })),
    el("a", { class: "today-link", href: "#/checkin" }, link));
}

// Once the pairing has ended (`together` false) only what is one's own is left to invite:
// an experiment or a check-in needs both phones.
export function todayCard({ energy, experiments, reassessments, week, day, together = true }) {
  return el("section", { class: "card home-today", "aria-labelledby": "home-today-title" },
    el("h2", { id: "home-today-title" }, t("home.today_title")),
    el("ul", { class: "today-list" }, [
      energyToday(energy),
      together ? experimentToday(experiments, reassessments) : null,
      together ? checkinToday(week, day) : null,
    ].filter(Boolean)));
}
