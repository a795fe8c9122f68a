// What reminders keep on the phone, in the database's "meta" store, read by sw.js too:
// "reminders" (the settings), "reminder_schedule" (the coming weeks, with only the words the
// person chose for their lock screen), "reminded" ({ key: day }: what has been mentioned,
// claimed in one transaction before anything is shown, so two tabs, or a tab and the
// service worker, never mention the same thing twice) and "reminders_woke".
import * as core from "../core/reminders.js";
import * as db from "../data/db.js";

export async function settings() {
  const saved = await db.getMeta("reminders", null);
  return { on: Boolean(saved?.on), detailed: Boolean(saved?.detailed) };
}

export async function saveSettings(update) {
  await db.setMeta("reminders", { ...(await settings()), ...update });
}

/** Off: the settings say so and the stored schedule goes, in one transaction. */
export async function switchOff() {
  await db.write(["meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    await meta.put({ ...((await meta.get("reminders")) || {}), on: false }, "reminders");
    await meta.put(null, "reminder_schedule");
  });
}

/** Keep the schedule for sw.js, only while reminders are still on (another tab may have turned them off). */
export function keepSchedule(stored) {
  return db.write(["meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    if (!(await meta.get("reminders"))?.on) return false;
    await meta.put(stored, "reminder_schedule");
    return true;
  });
}

/** Of `due` today, claim what has not been mentioned yet; returns those to show now. */
export function claim(due, items, today) {
  return db.write(["meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    if (!(await meta.get("reminders"))?.on) return [];
    const before = await meta.get("reminded");
    const claimed = core.claim(before, due, today, { waiting: items.map((i) => i.key) });
    if (JSON.stringify(claimed.reminded) !== JSON.stringify(before)) await meta.put(claimed.reminded, "reminded");
    return claimed.fresh;
  });
}

/** One that could not be shown: let it be tried again another time. */
export function unclaim(key) {
  return db.write(["meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    const reminded = { ...(await meta.get("reminded")) };
    delete reminded[key];
    await meta.put(reminded, "reminded");
  });
}

/** What has been mentioned already: { key: day }. */
export async function reminded() {
  return (await db.getMeta("reminded", null)) || {};
}

/** When the service worker last woke on its own to look: { at, shown } or null. */
export function lastWoke() {
  return db.getMeta("reminders_woke", null);
}
