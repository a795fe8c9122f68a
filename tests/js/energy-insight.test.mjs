// The energy screen's arithmetic: daily series, chart placement and the "when energy
// tends to peak" sentence, all worked out on the phone (the findings in core, their words
// in views/energy/insight-words.js, here in English).
import assert from "node:assert/strict";
import test from "node:test";

import { addDays, today as isoDate, isWeekend, weekday } from "../../pwa/js/core/dates.js";
import { chartPoints, peakInsight, series, summary, timeOfDay, togetherInsight } from "../../pwa/js/core/energy-insight.js";
import { peakWords, togetherWords } from "../../pwa/js/views/energy/insight-words.js";

// One person's insight, and the two of you's, as the screen words them.
const insight = (entries, { who = "you", ...options } = {}) => peakWords(peakInsight(entries, options), who);
const together = (mine, theirs, options) => togetherWords(togetherInsight(mine, theirs, options));

const TODAY = "2026-03-15"; // a Sunday

// `days` consecutive days ending today, with entries made by `make(date, i)`.
function days(count, make) {
  const out = [];
  for (let i = 0; i < count; i += 1) out.push(...make(addDays(TODAY, -i), i));
  return out;
}

test("calendar arithmetic crosses months, years and leap days", () => {
  assert.equal(addDays("2026-03-01", -1), "2026-02-28");
  assert.equal(addDays("2024-03-01", -1), "2024-02-29");
  assert.equal(addDays("2025-12-31", 1), "2026-01-01");
  assert.equal(weekday(TODAY), 0);
  assert.ok(isWeekend("2026-03-14") && isWeekend(TODAY) && !isWeekend("2026-03-16"));
  assert.equal(isoDate(new Date(2026, 0, 5, 23, 59)), "2026-01-05");
});

test("the clock picks a part of the day", () => {
  assert.deepEqual([4, 5, 11, 12, 16, 17, 21, 22, 0].map(timeOfDay),
    ["night", "morning", "morning", "afternoon", "afternoon", "evening", "evening", "night", "night"]);
});

test("a series has one point per day, averages a day's entries and leaves missed days empty", () => {
  const entries = [
    { date: TODAY, time_of_day: "morning", energy: 6 },
    { date: TODAY, time_of_day: "evening", energy: 3 },
    { date: addDays(TODAY, -2), time_of_day: "morning", energy: 8, pain: 2 },
    { date: addDays(TODAY, -2), time_of_day: "evening" },                      // nothing noted
    { date: addDays(TODAY, -20), time_of_day: "morning", energy: 1 },          // too long ago
    { date: addDays(TODAY, 1), time_of_day: "morning", energy: 1 },            // not yet
    { date: addDays(TODAY, -1), time_of_day: "morning", energy: 9, deleted: true },
  ];
  const points = series(entries, 14, { today: TODAY });
  assert.equal(points.length, 14);
  assert.equal(points[0].date, addDays(TODAY, -13));
  assert.deepEqual(points.at(-1), { date: TODAY, value: 4.5, count: 2 });
  assert.deepEqual(points.at(-2), { date: addDays(TODAY, -1), value: null, count: 0 });
  assert.equal(points.at(-3).value, 8);
  assert.equal(points.filter((p) => p.value !== null).length, 2);
  assert.equal(series(entries, 3, { today: TODAY, metric: "pain" }).at(0).value, 2);
});

test("a summary names the average, the best and the hardest day", () => {
  const s = summary(series([
    { date: TODAY, time_of_day: "morning", energy: 2 },
    { date: addDays(TODAY, -1), time_of_day: "morning", energy: 7 },
    { date: addDays(TODAY, -3), time_of_day: "morning", energy: 6 },
  ], 7, { today: TODAY }));
  assert.equal(s.logged, 3);
  assert.equal(s.average, 5);
  assert.equal(s.high.date, addDays(TODAY, -1));
  assert.equal(s.low.date, TODAY);
  assert.deepEqual(summary(series([], 7, { today: TODAY })), { days: 7, logged: 0, average: null, high: null, low: null });
});

test("chart points fit the box, 10 at the top, and missed days break the line", () => {
  const points = [{ value: 0 }, { value: 10 }, { value: null }, { value: 5 }, { value: 5 }];
  const { dots, runs } = chartPoints(points, { width: 100, height: 50, pad: 5, max: 10 });
  assert.equal(dots.length, 4);
  assert.deepEqual([dots[0].x, dots[0].y], [5, 45]);
  assert.deepEqual([dots[1].x, dots[1].y], [27.5, 5]);
  assert.deepEqual(dots.at(-1).x, 95);
  assert.deepEqual(runs.map((r) => r.length), [2, 2]);
  assert.equal(chartPoints([{ value: 4 }], { width: 100 }).dots[0].x, 50);
});

test("with only a few days logged, the insight waits kindly", () => {
  const few = days(3, (date) => [{ date, time_of_day: "morning", energy: 8 }, { date, time_of_day: "evening", energy: 2 }]);
  const result = insight(few, { today: TODAY });
  assert.equal(result.enough, false);
  assert.equal(result.peak, null);
  assert.match(result.sentence, /After a few days of logging, Hearth will notice when you tend to feel best/);
  assert.match(insight(few, { today: TODAY, who: "partner" }).sentence, /your partner tends to feel best/);
});

test("a clear morning peak, stronger at weekends, is put in plain words", () => {
  const entries = days(14, (date) => [
    { date, time_of_day: "morning", energy: isWeekend(date) ? 9 : 7 },
    { date, time_of_day: "evening", energy: 3 },
  ]);
  const result = insight(entries, { today: TODAY });
  assert.equal(result.enough, true);
  assert.equal(result.peak, "morning");
  assert.equal(result.lean, "weekend");
  assert.equal(result.sentence, "Your energy has tended to be highest in the mornings, especially at weekends.");
  assert.match(result.suggestion, /a morning might feel easiest/);
  assert.doesNotMatch(result.suggestion, /should|must|streak/i);
  assert.equal(result.byTime.evening.mean, 3);
  assert.equal(insight(entries, { today: TODAY, who: "partner" }).sentence,
    "Your partner's energy has tended to be highest in the mornings, especially at weekends.");
});

test("no clear peak is said gently, and a small difference is not over-read", () => {
  const even = days(10, (date, i) => [
    { date, time_of_day: "morning", energy: 5 + (i % 2) },
    { date, time_of_day: "afternoon", energy: 5 },
  ]);
  const result = insight(even, { today: TODAY });
  assert.equal(result.enough, true);
  assert.equal(result.peak, null);
  assert.equal(result.lean, null);
  assert.match(result.sentence, /fairly even across the day/);
});

test("one part of the day alone can still show a weekend lean", () => {
  const mornings = days(14, (date) => [{ date, time_of_day: "morning", energy: isWeekend(date) ? 8 : 5 }]);
  const result = insight(mornings, { today: TODAY });
  assert.equal(result.peak, null);
  assert.equal(result.lean, "weekend");
  assert.equal(result.sentence, "Your energy has tended to be a little higher at weekends.");
});

test("old entries fall outside the window, so the insight follows how things are now", () => {
  const old = days(40, (date, i) => (i < 28 ? [] : [
    { date, time_of_day: "morning", energy: 9 }, { date, time_of_day: "evening", energy: 1 }]));
  assert.equal(insight(old, { today: TODAY }).enough, false);
  assert.equal(insight(old, { today: TODAY, windowDays: 60 }).peak, "morning");
});

test("entries without an energy score do not count towards the insight", () => {
  const noEnergy = days(10, (date) => [{ date, time_of_day: "morning", pain: 3 }]);
  assert.equal(insight(noEnergy, { today: TODAY }).enough, false);
});

test("together: the time both partners tend to have energy", () => {
  const mine = days(10, (date) => [
    { date, time_of_day: "morning", energy: 9 }, { date, time_of_day: "evening", energy: 7 },
    { date, time_of_day: "night", energy: 2 }]);
  const theirs = days(10, (date) => [
    { date, time_of_day: "morning", energy: 3 }, { date, time_of_day: "evening", energy: 8 },
    { date, time_of_day: "night", energy: 4 }]);
  const result = together(mine, theirs, { today: TODAY });
  assert.equal(result.peak, "evening");
  assert.match(result.sentence, /You've both tended to have more energy in the evenings/);

  assert.equal(together(mine, [], { today: TODAY }).enough, false);
  const opposite = days(10, (date) => [
    { date, time_of_day: "morning", energy: 2 }, { date, time_of_day: "evening", energy: 2 },
    { date, time_of_day: "night", energy: 9 }]);
  const apart = together(mine, opposite, { today: TODAY });
  assert.equal(apart.enough, true);
  assert.equal(apart.peak, null);
  assert.match(apart.sentence, /haven't lined up/);
});

test("notes from only one part of the day never read as 'even across the day'", () => {
  const evenings = days(10, (date, i) => [{ date, time_of_day: "evening", energy: 4 + (i % 3) }]);
  const result = insight(evenings, { today: TODAY });
  assert.equal(result.enough, true);
  assert.doesNotMatch(result.sentence, /even across the day/);
  assert.equal(result.sentence, "Your notes so far are all from the evenings. A few from other times of day will show whether one suits you better.");
  assert.equal(insight(evenings, { today: TODAY, who: "partner" }).sentence,
    "Your partner's notes so far are all from the evenings. A few from other times of day will show whether one suits them better.");
});

