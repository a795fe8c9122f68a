// pwa/js/core/dates.js: calendar days as "YYYY-MM-DD" and the words for them.
import assert from "node:assert/strict";
import test from "node:test";

import { addDays, dayAhead, daysBetween, dayNumber, format, isoWeek, relativeDay, relativeTime, today, weekday }
  from "../../pwa/js/core/dates.js";

const long = (y, m, d, options) => new Date(y, m - 1, d, 12).toLocaleDateString([], options);

test("today is this phone's own calendar day, whatever the hour", () => {
  assert.equal(today(new Date(2026, 0, 5, 23, 59)), "2026-01-05");
  assert.equal(today(new Date(2026, 0, 6, 0, 0)), "2026-01-06");
  assert.equal(today(new Date(999, 11, 31, 12)), "0999-12-31");
  assert.match(today(), /^\d{4}-\d{2}-\d{2}$/);
});

test("arithmetic counts calendar days, across months, leap days and clock changes", () => {
  assert.equal(addDays("2028-02-28", 1), "2028-02-29");
  assert.equal(addDays("2026-01-01", -1), "2025-12-31");
  assert.equal(daysBetween("2026-10-20", "2026-10-27"), 7);   // across a clock change in Europe
  assert.equal(dayNumber(new Date(2026, 2, 29, 1, 30)), dayNumber("2026-03-29"));
  assert.equal(weekday("2026-11-29"), 0);
  assert.equal(isoWeek("2026-12-31"), "2026-W53");
  assert.equal(isoWeek("2027-01-04"), "2027-W01");
});

test("a day in words: today, yesterday, a weekday in the last week, then a date", () => {
  const now = "2026-03-10";
  assert.equal(relativeDay("2026-03-10", { now }), "Today");
  assert.equal(relativeDay("2026-03-09", { now }), "Yesterday");
  assert.equal(relativeDay("2026-03-05", { now }), long(2026, 3, 5, { weekday: "long" }));
  assert.equal(relativeDay("2026-03-03", { now }), long(2026, 3, 3, { day: "numeric", month: "long" }));
  assert.equal(relativeDay("2026-03-11", { now }), long(2026, 3, 11, { day: "numeric", month: "long" }));
  // The year shows for another year, or (yearAfter) only once it is that many days away.
  assert.equal(relativeDay("2025-12-20", { now }), long(2025, 12, 20, { day: "numeric", month: "long", year: "numeric" }));
  assert.equal(relativeDay("2025-12-20", { now, yearAfter: 300 }), long(2025, 12, 20, { day: "numeric", month: "long" }));
  assert.equal(relativeDay("2025-03-01", { now, yearAfter: 300 }),
    long(2025, 3, 1, { day: "numeric", month: "long", year: "numeric" }));
});

test("a moment in words carries the time today and yesterday", () => {
  const now = new Date(2026, 2, 10, 18, 0);
  const at = new Date(2026, 2, 10, 9, 5);
  const time = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  assert.equal(relativeTime(at.getTime(), now), `Today, ${time}`);
  assert.equal(relativeTime(at.getTime() - 86_400_000, now), `Yesterday, ${time}`);
  assert.equal(relativeTime(new Date(2026, 2, 7, 9).getTime(), now), long(2026, 3, 7, { weekday: "long" }));
  assert.equal(format(at, "time"), time);
});

test("a day ahead says today or tomorrow before the long date", () => {
  const now = "2026-12-03";
  const longDate = (y, m, d, year) => long(y, m, d, { weekday: "long", day: "numeric", month: "long", year });
  assert.equal(dayAhead("2026-12-03", { now }), `Today, ${longDate(2026, 12, 3)}`);
  assert.equal(dayAhead("2026-12-04", { now }), `Tomorrow, ${longDate(2026, 12, 4)}`);
  assert.equal(dayAhead("2026-12-11", { now }), longDate(2026, 12, 11));
  assert.equal(dayAhead("2027-01-08", { now }), longDate(2027, 1, 8, "numeric"));
  assert.equal(dayAhead("2026-12-04", { now, withYear: true }), longDate(2026, 12, 4, "numeric"));
});

test("a moment in the middle of a sentence begins in lower case, and nothing else changes case", () => {
  const now = new Date(2026, 10, 30, 18, 0);
  const morning = new Date(2026, 10, 30, 6, 35).getTime();
  const time = format(morning, "time");   // "06:35" or "06:35 AM", as this phone writes times
  assert.equal(relativeTime(morning, now), `Today, ${time}`);
  assert.equal(relativeTime(morning, now, { inSentence: true }), `today, ${time}`);
  assert.equal(relativeTime(morning - 86_400_000, now, { inSentence: true }), `yesterday, ${time}`);
  const monday = new Date(2026, 10, 23, 9).getTime();
  assert.equal(relativeTime(monday, now, { inSentence: true }), relativeTime(monday, now));   // "Monday", not "monday"
  assert.ok(relativeTime(morning, now, { inSentence: true }).endsWith(time));   // "AM" stays "AM"
});
