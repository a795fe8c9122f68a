// Reminders: what is worth a gentle nudge today, and what is coming up. Pure: plain data in,
// plain data out, no DOM and no storage, so it runs under node's test runner and in the page.
// The page (pwa/js/reminders/) shows what is due and stores the schedule that the
// service worker (pwa/sw.js) reads when the phone lets it wake.
//
// schedule(input, horizon) takes:
//   today:         "YYYY-MM-DD" on this phone's calendar
//   experiments:   [{ id, title, starts_on, days, status, deleted }]         as records.list gives them
//   reassessments: [{ experiment, mine, deleted, at, updatedAt }]            everyone's; only mine count
//   checkin:       { week: "2026-W48", mine: {…} | null }                     this week's, as checkins.checkinWeek gives it
//   paired:        true when there is a partner to check in with
//   checkinDay:    "sunday" … "saturday" (the couple's day; a number 0-6, 0 = Sunday, is read too)
//   appointments:  [{ id, title, date, next_date, deleted }]
// and returns [{ key, kind, date, until, route, discreet, detailed, listed }], soonest first:
//   key:      stable, so one thing is mentioned at most once ("lookback:<id>:<date>", "checkin:<week>",
//             "appointment:<date>")
//   date:     the day it becomes worth mentioning; until: the last such day (null: while it still waits)
//   discreet: words fit for a lock screen anyone may glance at: nothing about what it is
//   detailed: what it is about, for someone who chose that, said on the day
//   listed: what it is about, for the list of what's coming (no "today": it may be weeks away)
// All three in the language Hearth speaks (i18n/<code>/reminders.js), worked out on the page:
// the service worker shows the words the page stored for it.
import { addDays, isoWeek, weekday } from "./dates.js";
import { dueOn, openExperiments, reassessmentsFor } from "./experiments.js";
import { list as andList, t, useWords } from "../i18n/index.js";
import { excerpt } from "./text.js";

await useWords("reminders");

export const TITLE = "Hearth";
export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
export const HORIZON_DAYS = 28;
// From 21:00 to 08:00 a reminder still appears, but without a sound or a buzz.
export const QUIET_HOURS = { from: 21, to: 8 };

export const DISCREET = {
  lookback: t("reminders.discreet_lookback"),
  checkin: t("reminders.discreet_checkin"),
  appointment: t("reminders.discreet_appointment"),
};

export const ROUTES = { lookback: "#/experiments", checkin: "#/checkin", appointment: "#/appointments" };

const quoted = (title) => t("reminders.quoted", { text: excerpt(title || "", 60) });


const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (value) => typeof value === "string" && ISO_DATE.test(value);

/** The couple's check-in day as 0-6 (0 = Sunday): "monday", "Monday", 1 and "1" all mean Monday. */
export function dayNumber(day) {
  if (typeof day === "string") {
    const i = WEEKDAYS.indexOf(day.trim().toLowerCase());
    if (i >= 0) return i;
  }
  const n = Number(day);
  return Number.isInteger(n) && n >= 0 && n <= 6 && day !== null && day !== "" ? n : 0;
}

/** The date of weekday `day` (0 = Sunday) in the Monday-to-Sunday week holding `iso`. */
function dayInWeek(iso, day) {
  const monday = addDays(iso, -((weekday(iso) + 6) % 7));
  return addDays(monday, (day + 6) % 7);
}

function lookbacks({ today, experiments = [], reassessments = [] }, last) {
  return openExperiments(experiments.filter((e) => e && isDate(e.starts_on)))
    .filter((e) => !reassessmentsFor(e.id, reassessments).mine)
    .map((e) => ({ exp: e, date: dueOn(e) }))
    .filter(({ date }) => date <= last)
    .map(({ exp, date }) => ({
      key: `lookback:${exp.id}:${date}`, kind: "lookback", date, until: null, route: ROUTES.lookback,
      discreet: DISCREET.lookback,
      detailed: t("reminders.lookback_detailed", { title: quoted(exp.title) }),
      listed: t("reminders.lookback_listed", { title: quoted(exp.title) }),
    }));
}

function checkins({ today, checkin, paired, checkinDay }, last) {
  if (!paired) return [];
  const answered = Boolean(checkin?.mine) && (!checkin.week || checkin.week === isoWeek(today));
  const out = [];
  for (let date = dayInWeek(today, dayNumber(checkinDay)); date <= last; date = addDays(date, 7)) {
    if (date < today) continue;
    const week = isoWeek(date);
    if (week === isoWeek(today) && answered) continue;
    out.push({
      key: `checkin:${week}`, kind: "checkin", date, until: date, route: ROUTES.checkin,
      discreet: DISCREET.checkin,
      detailed: t("reminders.checkin_detailed"),
      listed: t("reminders.checkin_listed"),
    });
  }
  return out;
}

function appointments({ today, appointments: list = [] }, last) {
  const byDate = new Map();
  for (const a of list) {
    if (!a || a.deleted) continue;
    for (const date of new Set([a.date, a.next_date])) {
      if (!isDate(date) || date < today || date > last) continue;
      if (!byDate.has(date)) byDate.set(date, []);
      if (!byDate.get(date).some((b) => b.id === a.id)) byDate.get(date).push(a);
    }
  }
  return [...byDate].map(([date, appts]) => {
    const titles = andList(appts.map((a) => quoted(a.title)));
    return {
      key: `appointment:${date}`, kind: "appointment", date, until: date,
      route: appts.length === 1 && appts[0].id ? `${ROUTES.appointment}?id=${encodeURIComponent(appts[0].id)}` : ROUTES.appointment,
      discreet: DISCREET.appointment,
      detailed: t("reminders.appointment_detailed", { count: appts.length, titles }),
      listed: t("reminders.appointment_listed", { titles }),
    };
  });
}

const ORDER = ["appointment", "checkin", "lookback"];
const soonest = (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))
  || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Everything worth a reminder from today to `horizon` days ahead (and look-backs still waiting), soonest first. */
export function schedule(input, horizon = HORIZON_DAYS) {
  if (!isDate(input?.today)) throw new Error("'today' must be a date like 2026-11-25");
  const last = addDays(input.today, Math.max(0, horizon));
  return [...lookbacks(input, last), ...checkins(input, last), ...appointments(input, last)].sort(soonest);
}

/** True when `item` is worth mentioning on `today`. */
export function isDueOn(item, today) {
  return item.date <= today && (!item.until || today <= item.until);
}

/** What is worth a reminder today. */
export function dueToday(input) {
  return schedule(input, 0).filter((item) => isDueOn(item, input.today));
}

/** The words a reminder shows: discreet unless the person chose to see what it is about. */
export function textFor(item, detailed = false) {
  return detailed ? item.detailed : item.discreet;
}

/** True during the quiet hours (hour 0-23): a reminder then comes without sound. */
export function isQuietHour(hour, quiet = QUIET_HOURS) {
  if (!quiet || quiet.from === quiet.to) return false;
  return quiet.from < quiet.to ? hour >= quiet.from && hour < quiet.to : hour >= quiet.from || hour < quiet.to;
}

/** The arguments for registration.showNotification(title, options). */
export function notificationFor(item, { detailed = false, hour = 12, quiet = QUIET_HOURS } = {}) {
  return [TITLE, {
    body: textFor(item, detailed),
    tag: item.key,
    icon: "/icons/icon-192.png",
    silent: isQuietHour(hour, quiet),
    data: { key: item.key, route: item.route },
  }];
}

/**
 * What the service worker keeps to remind without the page: only the words chosen for the
 * lock screen (the detailed ones only when the person asked for them), and where each goes.
 */
export function storedSchedule(items, { detailed = false, today, quiet = QUIET_HOURS } = {}) {
  return {
    written: today,
    quiet,
    items: items.map((item) => ({ key: item.key, date: item.date, until: item.until, route: item.route,
      body: textFor(item, detailed) })),
  };
}

/**
 * Split `items` into those not yet mentioned (`fresh`) and the updated record of what has
 * been mentioned ({ key: day mentioned }). Mentions of things no longer waiting are
 * forgotten after `keepDays`; one still waiting is never mentioned twice.
 */
export function claim(reminded, items, today, { waiting = items.map((i) => i.key), keepDays = 60 } = {}) {
  const seen = reminded && typeof reminded === "object" ? reminded : {};
  const stillWaiting = new Set(waiting);
  const oldest = addDays(today, -keepDays);
  const kept = Object.fromEntries(Object.entries(seen).filter(([key, day]) => stillWaiting.has(key) || (isDate(day) && day >= oldest)));
  const fresh = [];
  for (const item of items) {
    if (Object.hasOwn(kept, item.key) || fresh.some((f) => f.key === item.key)) continue;
    fresh.push(item);
    kept[item.key] = today;
  }
  return { fresh, reminded: kept };
}
