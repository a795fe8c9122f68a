// Home: what matters today. Before pairing, a warm welcome and one clear next step;
// after, "Today" (today's energy note, the current experiment, this week's check-in and
// the chosen check-in day), what your partner shared lately, gentle notices, and the stop
// signals. Nothing here asks for anything: every line is an invitation, never a to-do.
import { currentWeek } from "../core/checkin.js";
import { daysBetween, format, relativeDay, today } from "../core/dates.js";
import { currentExperiment, dayNumber, daysLeft, phase, reassessmentsFor } from "../core/experiments.js";
import { weekdayName } from "../core/records.js";
import { checkinWeek } from "../device/checkins.js";
import { isPaired } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { coalesce, dayName, when } from "./common.js";

export const title = "Home";

const WELCOME = ["Welcome. Take your time.",
  "A quiet place for the two of you to notice what feels good, say what you need, " +
  "and try small things at your own pace."];
const TOGETHER = ["Good to see you.", "Here's what's new between you. Nothing here needs doing today."];

function welcome() {
  return [
    el("section", { class: "card", "aria-labelledby": "home-pair-title" },
      el("h2", { id: "home-pair-title" }, "Start together"),
      el("p", {},
        "Sit side by side for a minute. One phone shows a code, the other scans it, and " +
        "from then on whatever you choose to share travels privately between your two phones."),
      el("a", { class: "button button-primary button-wide", href: "#/pair" }, "Pair with my partner")),
    toolkit(),
    el("section", { class: "card card-soft", "aria-labelledby": "home-gentle-title" },
      el("h2", { id: "home-gentle-title" }, "Nothing here is a test"),
      el("p", {},
        "There are no scores and nothing to keep up with. Come back when you feel like it; " +
        "what you write stays on this phone until you decide to share it.")),
  ];
}

const TOOLS = [
  ["#/checkin", "Weekly check-in", "A few questions; you see each other's answers together."],
  ["#/experiments", "Small experiments", "One new thing at a time, then look back together."],
  ["#/energy", "Energy and symptoms", "A ten-second daily note, to find your better hours."],
  ["#/gratitude", "Gratitude and ideas", "A kind word a day, and gentle ideas for closeness."],
  ["#/appointments", "Appointment notes", "Questions for your care team, ready to show or print."],
  ["#/progress", "Small wins", "What you've noticed and tried together, without any scores."],
  ["#/reminders", "Reminders", "A quiet nudge from this phone when something's due, if you'd like one."],
];

function toolkit() {
  return el("nav", { class: "card toolkit", "aria-labelledby": "home-tools-title" },
    el("h2", { id: "home-tools-title" }, "Your toolkit"),
    el("ul", { class: "quiet-list" }, TOOLS.map(([href, name, about]) => el("li", {},
      el("a", { class: "tool-link", href }, el("span", { class: "tool-name" }, name), el("span", { class: "tool-about" }, about))))));
}

function stopSignals(boundaries) {
  const signals = boundaries.filter((b) => b.kind === "stop_signal");
  if (!signals.length) {
    return el("section", { class: "card card-soft", "aria-labelledby": "home-stop-title" },
      el("h2", { id: "home-stop-title" }, "A stop signal"),
      el("p", {}, "A word or a sign that means “let's pause”, no questions asked. It helps to agree on one."),
      el("a", { class: "button button-small", href: "#/boundaries" }, "Choose ours"));
  }
  return el("section", { class: "card stop-signal", "aria-labelledby": "home-stop-title" },
    el("h2", { id: "home-stop-title" }, "Stop signal"),
    el("ul", { class: "quiet-list" }, signals.map((s) => el("li", {},
      el("strong", {}, s.label), s.mine ? " (yours)" : " (your partner's)", s.note ? ` — ${s.note}` : ""))));
}

// ---------- today ----------

const SCALE_WORDS = [["energy", "energy"], ["mood", "mood"], ["pain", "pain"], ["fatigue", "tiredness"]];
const LEVEL_WORDS = { welcome: "welcome", ask_first: "ask first", not_now: "not now", off_limits: "off-limits" };

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const short = (text, n = 90) => (text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text);
const newest = (a, b) => (b.updatedAt || b.at || 0) - (a.updatedAt || a.at || 0)
  || (b.clock > a.clock) - (b.clock < a.clock);

const longDate = (iso) => format(iso, "long");

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

function experimentToday(experiments, reassessments) {
  const exp = currentExperiment(experiments);
  if (!exp) return null;
  const now = today();
  const p = phase(exp, now);
  const name = `“${exp.title}”`;
  let state = p;
  let text;
  if (p === "upcoming") {
    text = `${name} starts ${longDate(exp.starts_on)}.`;
  } else if (p === "running") {
    const left = daysLeft(exp, now);
    text = `${name}: day ${dayNumber(exp, now)} of ${exp.days}, ${plural(left, "day", "days")} to go.`;
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

function todayCard({ energy, experiments, reassessments, week, day }) {
  return el("section", { class: "card home-today", "aria-labelledby": "home-today-title" },
    el("h2", { id: "home-today-title" }, "Today"),
    el("ul", { class: "today-list" }, [
      energyToday(energy),
      experimentToday(experiments, reassessments),
      checkinToday(week, day),
    ].filter(Boolean)));
}

// ---------- from your partner ----------

const UPDATE_TYPES = ["journal", "gratitude", "energy", "appointment", "boundary"];

function describe(r) {
  switch (r.type) {
    case "journal":
      return ["Journal", r.reply_to ? `Replied: ${short(r.text)}` : short(r.text), "#/journal"];
    case "gratitude":
      return ["Gratitude", short(r.text), "#/gratitude"];
    case "energy": {
      const values = SCALE_WORDS.filter(([k]) => Number.isInteger(r[k])).map(([k, word]) => `${word} ${r[k]}`);
      return ["Energy", values.length ? `Shared a note: ${values.join(", ")}` : "Shared a note", "#/energy"];
    }
    case "appointment": {
      const count = (r.questions || []).length;
      return ["Appointment notes", `${short(r.title, 60)}${count ? `, ${plural(count, "question", "questions")}` : ""}`,
        `#/appointments?id=${encodeURIComponent(r.id)}`];
    }
    case "boundary":
      return ["Boundaries", r.kind === "stop_signal" ? `Stop signal: ${short(r.label, 60)}`
        : `${short(r.label, 60)}${r.level ? `: ${LEVEL_WORDS[r.level]}` : ""}`, "#/boundaries?whose=partner"];
    default:
      return null;
  }
}

// When a partner's update happened, in their words: an energy note is about its own day.
function updatedWhen(r) {
  if (r.type !== "energy") return when(r.updatedAt || r.at);
  const ago = daysBetween(r.date, today());
  const day = ago === 0 || ago === 1 ? relativeDay(r.date) : longDate(r.date);
  return `${day}, ${r.time_of_day}`;
}

const TIMES = ["morning", "afternoon", "evening", "night"];
const laterNote = (a, b) => (a.date === b.date ? TIMES.indexOf(b.time_of_day) - TIMES.indexOf(a.time_of_day) : a.date < b.date ? 1 : -1);

function partnerUpdates(lists, newCount) {
  const shared = lists.flat()
    .filter((r) => !r.mine && (r.type !== "energy" || r.shared) && (r.type !== "appointment" || r.shared !== false));
  // Energy notes can arrive by the dozen after a quiet spell: only the latest one is news.
  const energy = shared.filter((r) => r.type === "energy").sort(laterNote)[0];
  const theirs = [...shared.filter((r) => r.type !== "energy"), ...(energy ? [energy] : [])].sort(newest).slice(0, 4);
  return el("section", { class: "card", "aria-labelledby": "home-recent-title" },
    el("h2", { id: "home-recent-title" }, newCount ? `From your partner (${newCount} new)` : "From your partner"),
    theirs.length
      ? el("ul", { class: "quiet-list recent" }, theirs.map((r) => {
        const [kind, text, href] = describe(r);
        return el("li", { class: `recent-item recent-${r.type}` },
          el("span", { class: "recent-kind" }, kind),
          el("a", { href }, text),
          el("span", { class: "entry-meta" }, ` · ${updatedWhen(r)}`));
      }))
      : el("p", {}, "Nothing yet. When your partner shares something, it will show up here."));
}

async function together() {
  const [lists, boundaryUnseen, newCounts, experiments, reassessments, week, couple] = await Promise.all([
    Promise.all(UPDATE_TYPES.map((t) => records.list(t).then((rs) => rs.map((r) => ({ ...r, type: t }))))),
    records.unseen("boundary"),
    Promise.all(UPDATE_TYPES.map((t) => records.unseen(t).then((ids) => ids.size))),
    records.list("experiment"),
    records.list("reassessment"),
    checkinWeek(currentWeek()),
    records.coupleSettings(),
  ]);
  const [, , energy, , boundaries] = lists;
  return [
    todayCard({ energy, experiments, reassessments, week, day: couple.checkin_day }),
    boundaryUnseen.size ? el("div", { class: "notice", role: "status" },
      el("p", {}, "Your partner has updated their boundaries."),
      el("a", { class: "button button-small", href: "#/boundaries?whose=partner" }, "Have a look")) : null,
    partnerUpdates(lists, newCounts.reduce((a, b) => a + b, 0)),
    stopSignals(boundaries),
    toolkit(),
    el("div", { class: "form-actions" },
      el("a", { class: "button", href: "#/journal" }, "Write in the journal"),
      el("a", { class: "button button-quiet", href: "#/boundaries" }, "My boundaries")),
  ].filter(Boolean);
}

export function render(outlet) {
  // The heading is there at once, so the router can move focus to it; the rest follows.
  const header = viewHeader(...WELCOME);
  const body = el("div", { class: "home-body" });
  outlet.append(header, body);
  async function draw() {
    const paired = await isPaired();
    const [heading, lede] = paired ? TOGETHER : WELCOME;
    header.querySelector("h1").textContent = heading;
    header.querySelector(".lede").textContent = lede;
    body.replaceChildren(...(paired ? await together() : welcome()));
  }
  const onChange = coalesce(draw);
  records.changes.addEventListener("records", onChange);
  records.changes.addEventListener("pairing", onChange);
  draw();
  return () => {
    records.changes.removeEventListener("records", onChange);
    records.changes.removeEventListener("pairing", onChange);
  };
}
