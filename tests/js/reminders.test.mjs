// Reminders (pwa/js/core/reminders.js): what is due today, what is coming up, how it is
// worded on a lock screen, and that each thing is mentioned at most once.
import assert from "node:assert/strict";
import test from "node:test";

import { currentWeek } from "../../pwa/js/core/checkin.js";
import { isoWeek as weekOf, weekday as weekdayOf } from "../../pwa/js/core/dates.js";
import {
  DISCREET, QUIET_HOURS, TITLE, claim, dayNumber, dueToday, isDueOn, isQuietHour, notificationFor, schedule,
  storedSchedule, textFor,
} from "../../pwa/js/core/reminders.js";

// Wednesday 25 November 2026 (ISO week 48).
const TODAY = "2026-11-25";

// Agreed by both (protocol §8.3): only those count days and come due.
const exp = (fields) => ({ days: 7, status: "active", answer: "yes", title: "Ten minutes lying close before sleep", ...fields });
const input = (fields = {}) => ({
  today: TODAY, experiments: [], reassessments: [], appointments: [], paired: true,
  checkin: { week: "2026-W48", mine: null }, checkinDay: "sunday", ...fields,
});
const keys = (items) => items.map((i) => i.key);

test("weekdays and weeks are read from calendar dates alone", () => {
  assert.equal(weekdayOf("2026-11-25"), 3);
  assert.equal(weekdayOf("2026-11-29"), 0);
  assert.equal(weekOf("2026-11-25"), "2026-W48");
  assert.equal(weekOf("2026-11-29"), "2026-W48");   // a Sunday ends its ISO week
  assert.equal(weekOf("2026-11-30"), "2026-W49");
  assert.equal(weekOf("2027-01-01"), "2026-W53");
  assert.equal(weekOf("2026-11-25"), currentWeek(new Date(2026, 10, 25, 23, 59)));
  assert.equal(dayNumber("monday"), 1);
  assert.equal(dayNumber("Saturday"), 6);
  assert.equal(dayNumber(3), 3);
  assert.equal(dayNumber("sunday"), 0);
  for (const odd of [undefined, null, "", "someday", 9, -1, 2.5]) assert.equal(dayNumber(odd), 0, String(odd));
});

test("a look-back is due on its day, and keeps waiting until I have answered", () => {
  const e = exp({ id: "e1", starts_on: "2026-11-17" });   // started 8 days ago, for 7 days: due yesterday
  const due = dueToday(input({ experiments: [e] }));
  assert.deepEqual(keys(due), ["lookback:e1:2026-11-24"]);
  assert.equal(due[0].route, "#/experiments");
  assert.equal(due[0].until, null);
  assert.equal(dueToday(input({ experiments: [exp({ id: "e2", starts_on: "2026-11-18" })] }))[0].key, "lookback:e2:2026-11-25");
  // Not yet: it comes up in the schedule with its own date, but is not due today.
  const running = exp({ id: "e3", starts_on: "2026-11-20" });
  assert.deepEqual(dueToday(input({ experiments: [running] })), []);
  assert.deepEqual(schedule(input({ experiments: [running], paired: false })).map((i) => [i.key, i.date]),
    [["lookback:e3:2026-11-27", "2026-11-27"]]);
});

test("a look-back I've answered, or a finished, deleted or undated experiment, is never mentioned", () => {
  const e = exp({ id: "e1", starts_on: "2026-11-10" });
  const mine = { experiment: "e1", mine: true, decision: "keep" };
  const theirs = { experiment: "e1", mine: false, decision: "keep" };
  assert.deepEqual(dueToday(input({ experiments: [e], reassessments: [mine] })), []);
  // Only my own answer counts: my partner's does not answer for me.
  assert.equal(dueToday(input({ experiments: [e], reassessments: [theirs] })).length, 1);
  // A deleted answer of mine is no answer.
  assert.equal(dueToday(input({ experiments: [e], reassessments: [{ ...mine, deleted: true }] })).length, 1);
  const gone = [exp({ id: "x", starts_on: "2026-11-01", deleted: true }),
    exp({ id: "y", starts_on: "2026-11-01", status: "finished", outcome: "keep" }),
    exp({ id: "z", starts_on: null }), null];
  assert.deepEqual(schedule(input({ experiments: gone, paired: false })), []);
  // A proposal the partner has not said yes to, or said not now to, or stopped, never comes due (§8.3).
  const unagreed = [exp({ id: "p", starts_on: "2026-11-01", answer: null }), exp({ id: "n", starts_on: "2026-11-01", answer: "not_now" }),
    exp({ id: "s", starts_on: "2026-11-01", status: "stopped" }), exp({ id: "t", starts_on: "2026-11-01", answer: "stop" })];
  assert.deepEqual(schedule(input({ experiments: unagreed, paired: false })), []);
});

test("the check-in day is due when this week's check-in is still unanswered", () => {
  const sunday = input({ today: "2026-11-29", checkin: { week: "2026-W48", mine: null } });
  const due = dueToday(sunday);
  assert.deepEqual(keys(due), ["checkin:2026-W48"]);
  assert.equal(due[0].route, "#/checkin");
  assert.equal(due[0].until, "2026-11-29");
  // Already answered this week: nothing to mention.
  assert.deepEqual(dueToday({ ...sunday, checkin: { week: "2026-W48", mine: { answers: { needs: "rest" } } } }), []);
  // Not the day: nothing today, and the day after it has passed it is not brought up again.
  assert.deepEqual(dueToday(input({ checkinDay: "monday" })), []);
  assert.deepEqual(dueToday(input({ today: "2026-11-30", checkinDay: "sunday", checkin: { week: "2026-W49", mine: null } })), []);
  // Before pairing there is no check-in to remind of.
  assert.deepEqual(schedule(input({ paired: false })), []);
  // The couple's day arrives as a name; an old phone's number still works.
  assert.deepEqual(keys(dueToday(input({ checkinDay: "wednesday" }))), ["checkin:2026-W48"]);
  assert.deepEqual(keys(dueToday(input({ checkinDay: 3 }))), ["checkin:2026-W48"]);
});

test("the coming check-in days are scheduled a few weeks ahead, this week's only if unanswered", () => {
  const ahead = schedule(input({ checkinDay: "friday" }), 14);
  assert.deepEqual(ahead.map((i) => [i.key, i.date]), [
    ["checkin:2026-W48", "2026-11-27"], ["checkin:2026-W49", "2026-12-04"]]);
  const answered = schedule(input({ checkinDay: "friday", checkin: { week: "2026-W48", mine: { answers: {} } } }), 14);
  assert.deepEqual(keys(answered), ["checkin:2026-W49"]);
  // Answers from another week do not count for this one.
  const stale = schedule(input({ checkinDay: "friday", checkin: { week: "2026-W47", mine: { answers: {} } } }), 14);
  assert.deepEqual(keys(stale), ["checkin:2026-W48", "checkin:2026-W49"]);
  // This week's Monday has passed: the next is a week on.
  assert.deepEqual(keys(schedule(input({ checkinDay: "monday" }), 7)), ["checkin:2026-W49"]);
});

test("an appointment is due on its day; one day with two visits is one reminder", () => {
  const appts = [
    { id: "a1", title: "Oncology follow-up", date: TODAY },
    { id: "a2", title: "Physio", date: "2026-11-20", next_date: TODAY },
    { id: "a3", title: "Pelvic floor clinic", date: "2026-12-03" },
    { id: "a4", title: "Gone", date: TODAY, deleted: true },
    { id: "a5", title: "Long ago", date: "2026-10-01" },
    { id: "a6", title: "No date yet" },
  ];
  const due = dueToday(input({ appointments: appts, paired: false }));
  assert.deepEqual(keys(due), ["appointment:2026-11-25"]);
  assert.equal(due[0].route, "#/appointments");
  assert.equal(due[0].detailed, "Appointments today: “Oncology follow-up” and “Physio”. Your questions are ready to show or print.");
  const later = schedule(input({ appointments: appts, paired: false }));
  assert.deepEqual(later.map((i) => [i.key, i.route]), [
    ["appointment:2026-11-25", "#/appointments"], ["appointment:2026-12-03", "#/appointments?id=a3"]]);
  // The list of what's coming names a later visit without calling it today.
  assert.equal(later[1].listed, "“Pelvic floor clinic”, with your questions ready to show or print.");
  assert.ok(later.every((i) => !/today/i.test(i.listed)), later.map((i) => i.listed));
  // One appointment whose visit and next visit are the same day is still one.
  const once = dueToday(input({ appointments: [{ id: "b", title: "Clinic", date: TODAY, next_date: TODAY }], paired: false }));
  assert.equal(once.length, 1);
  assert.equal(once[0].detailed, "Appointment today: “Clinic”. Your questions are ready to show or print.");
});

test("everything comes soonest first, and nothing past the horizon", () => {
  const items = schedule(input({
    checkinDay: "friday",
    experiments: [exp({ id: "late", starts_on: "2026-11-10" }), exp({ id: "far", starts_on: "2027-03-01" })],
    appointments: [{ id: "a", title: "Clinic", date: "2026-11-27" }],
  }));
  assert.deepEqual(keys(items).slice(0, 3), ["lookback:late:2026-11-17", "appointment:2026-11-27", "checkin:2026-W48"]);
  assert.ok(items.every((i) => i.date <= "2026-12-23"));
  assert.ok(!keys(items).some((k) => k.includes("far")));
  assert.throws(() => schedule({ experiments: [] }), /today/);
});

test("by default the words say nothing about what it is; the detailed words are a choice", () => {
  const items = dueToday(input({
    today: "2026-11-29",
    checkin: { week: "2026-W48", mine: null },
    experiments: [exp({ id: "e", starts_on: "2026-11-10" })],
    appointments: [{ id: "a", title: "Erectile function clinic", date: "2026-11-29" }],
  }));
  assert.equal(items.length, 3);
  const INTIMATE = /sex|intima|erect|lying close|sleep|clinic|appointment|check-in|experiment|partner|look back/i;
  for (const item of items) {
    const [title, options] = notificationFor(item);
    assert.equal(title, TITLE);
    assert.equal(options.body, DISCREET[item.kind]);
    assert.doesNotMatch(options.body, INTIMATE, options.body);
    assert.equal(options.tag, item.key);
    assert.deepEqual(options.data, { key: item.key, route: item.route });
    assert.equal(textFor(item), item.discreet);
  }
  const [, detailed] = notificationFor(items.find((i) => i.kind === "lookback"), { detailed: true });
  assert.equal(detailed.body, "Time to look back on “Ten minutes lying close before sleep”, whenever you have a quiet moment.");
  const [, appt] = notificationFor(items.find((i) => i.kind === "appointment"), { detailed: true });
  assert.match(appt.body, /Erectile function clinic/);
  // Nothing nags: no pressure words, discreet or not.
  for (const text of items.flatMap((i) => [i.discreet, i.detailed])) {
    assert.doesNotMatch(text, /don't forget|overdue|missed|late|streak|must|should|!|urgent/i, text);
  }
});

test("a long title is shortened in the detailed words", () => {
  const [item] = dueToday(input({ experiments: [exp({ id: "e", starts_on: "2026-11-01", title: "word ".repeat(40) })], paired: false }));
  assert.ok(item.detailed.length < 140, item.detailed);
  assert.match(item.detailed, /…”/);
});

test("the schedule the service worker keeps holds only the words chosen", () => {
  const items = schedule(input({ experiments: [exp({ id: "e", starts_on: "2026-11-17" })], paired: false }));
  const quiet = storedSchedule(items, { today: TODAY });
  assert.deepEqual(quiet, { written: TODAY, quiet: QUIET_HOURS, items: [
    { key: "lookback:e:2026-11-24", date: "2026-11-24", until: null, route: "#/experiments", body: DISCREET.lookback }] });
  assert.doesNotMatch(JSON.stringify(quiet), /lying close/);
  const told = storedSchedule(items, { today: TODAY, detailed: true });
  assert.match(told.items[0].body, /lying close/);
});

test("each thing is mentioned at most once, and mentions are forgotten only once it stops waiting", () => {
  const due = dueToday(input({ today: "2026-11-29", experiments: [exp({ id: "e", starts_on: "2026-11-10" })] }));
  assert.deepEqual(keys(due), ["lookback:e:2026-11-17", "checkin:2026-W48"]);
  const first = claim(undefined, due, "2026-11-29");
  assert.deepEqual(keys(first.fresh), keys(due));
  assert.deepEqual(Object.values(first.reminded), ["2026-11-29", "2026-11-29"]);
  const again = claim(first.reminded, due, "2026-11-29");
  assert.deepEqual(again.fresh, []);
  // A duplicate in one batch is still mentioned once.
  assert.equal(claim({}, [due[0], due[0]], TODAY).fresh.length, 1);
  // Months later, a look-back still waiting is still not mentioned again...
  const later = claim(first.reminded, [due[0]], "2027-06-01", { waiting: [due[0].key] });
  assert.deepEqual(later.fresh, []);
  assert.ok(Object.hasOwn(later.reminded, due[0].key));
  // ...while the mention of a check-in day long gone is let go.
  assert.ok(!Object.hasOwn(later.reminded, "checkin:2026-W48"));
  assert.ok(Object.hasOwn(claim(first.reminded, [], "2026-12-20", { waiting: [] }).reminded, "checkin:2026-W48"));
  assert.deepEqual(claim("nonsense", due, TODAY).fresh.length, 2);
});

test("a reminder is due only between its date and its last day", () => {
  assert.equal(isDueOn({ date: "2026-11-25", until: "2026-11-25" }, "2026-11-25"), true);
  assert.equal(isDueOn({ date: "2026-11-25", until: "2026-11-25" }, "2026-11-26"), false);
  assert.equal(isDueOn({ date: "2026-11-25", until: null }, "2027-01-01"), true);
  assert.equal(isDueOn({ date: "2026-11-26", until: null }, "2026-11-25"), false);
});

test("at night a reminder comes without a sound", () => {
  assert.equal(isQuietHour(22), true);
  assert.equal(isQuietHour(3), true);
  assert.equal(isQuietHour(8), false);
  assert.equal(isQuietHour(20), false);
  assert.equal(isQuietHour(12, { from: 12, to: 14 }), true);
  assert.equal(isQuietHour(14, { from: 12, to: 14 }), false);
  assert.equal(isQuietHour(3, { from: 0, to: 0 }), false);
  assert.equal(isQuietHour(3, null), false);
  const [item] = dueToday(input({ experiments: [exp({ id: "e", starts_on: "2026-11-01" })], paired: false }));
  assert.equal(notificationFor(item, { hour: 23 })[1].silent, true);
  assert.equal(notificationFor(item, { hour: 10 })[1].silent, false);
});
