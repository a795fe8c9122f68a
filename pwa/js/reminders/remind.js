// Reminders on this phone: off until the person turns them on, worked out here from what is
// already on the phone (core/reminders.js), and never sent anywhere. When on, each thing
// that comes due (a look-back, the check-in day, an appointment) is mentioned once, as a
// notification from the service worker, whenever the app starts, comes back into view or
// its records change; the coming weeks are kept (kept.js) for sw.js to remind from when the
// phone lets Hearth wake (wake.js). The relay never learns any of this.
import { currentWeek } from "../core/checkin.js";
import { today as localToday } from "../core/dates.js";
import * as core from "../core/reminders.js";
import { changes as deviceChanges } from "../device/changes.js";
import { checkinWeek } from "../device/checkins.js";
import { isPaired } from "../device/identity.js";
import { coupleSettings, list } from "../device/records.js";
import * as vault from "../data/vault.js";
import * as kept from "./kept.js";
import { followTaps, permission, registerWake, registration, unregisterWake } from "./wake.js";

export { lastWoke, reminded, settings } from "./kept.js";
export { permission, wakeState } from "./wake.js";

/** "change" events when the settings or the schedule change, for the Reminders screen. */
export const changes = new EventTarget();
const changed = () => changes.dispatchEvent(new Event("change"));

async function gather(today) {
  const [experiments, reassessments, appointments, paired, checkin, couple] = await Promise.all([
    list("experiment"), list("reassessment"), list("appointment"),
    isPaired(), checkinWeek(currentWeek()), coupleSettings()]);
  return { today, experiments, reassessments, appointments, paired, checkin, checkinDay: couple.checkin_day };
}

/** What is due today and coming up in the next weeks, whether or not reminders are on. */
export async function upcoming() {
  const input = await gather(localToday());
  return { today: input.today, items: core.schedule(input), checkinDay: input.checkinDay };
}

const wake = () => registerWake().finally(changed);

// ---------- turning it on and off ----------

/**
 * Turn reminders on. Call it straight from a tap: a browser asks for permission only then.
 * Returns "granted" (now on), "denied", "default" (the question was dismissed) or "unsupported".
 */
export async function turnOn() {
  if (permission() === "unsupported") return "unsupported";
  let answer = Notification.permission;
  if (answer === "default") {
    try {
      answer = await Notification.requestPermission();
    } catch {
      answer = Notification.permission;
    }
  }
  if (answer !== "granted") return answer;
  await inTurn(() => kept.saveSettings({ on: true }).then(changed));
  await wake();
  await check();
  return "granted";
}

export async function turnOff() {
  await inTurn(async () => {
    await kept.switchOff();
    lastSchedule = null;
  });
  changed();
  await unregisterWake();
}

export async function setDetailed(detailed) {
  await inTurn(() => kept.saveSettings({ detailed: Boolean(detailed) }).then(changed));
  await check();   // the stored schedule keeps only the words chosen
}

// ---------- checking ----------

let lastSchedule = null;
let queue = Promise.resolve(0);

// Checks and changes of setting run one after another, never interleaved.
function inTurn(fn) {
  const run = queue.then(fn, fn);
  queue = run.catch(() => 0);
  return run;
}

/**
 * Look now: store the schedule and show what is due and not yet mentioned. Resolves to how
 * many reminders this look showed.
 */
export function check() {
  return inTurn(checkNow);
}

async function checkNow() {
  const mine = await kept.settings();
  if (!mine.on) return 0;
  const now = new Date();
  const today = localToday(now);
  const items = core.schedule(await gather(today));
  // With the app lock on, what waits on disk for sw.js (clear, so it can fire while locked)
  // and what shows on the phone's lock screen are the discreet words only, never record text.
  const detailed = mine.detailed && !vault.isOn();
  const stored = core.storedSchedule(items, { detailed, today });
  const json = JSON.stringify(stored);
  if (json !== lastSchedule) {
    if (!(await kept.keepSchedule(stored))) return 0;
    lastSchedule = json;
    changed();
  }
  if (permission() !== "granted") return 0;
  const reg = await registration();
  if (!reg) return 0;
  const fresh = await kept.claim(items.filter((item) => core.isDueOn(item, today)), items, today);
  let shown = 0;
  for (const item of fresh) {
    try {
      await reg.showNotification(...core.notificationFor(item, { detailed, hour: now.getHours() }));
      shown += 1;
    } catch (err) {
      console.warn("a reminder could not be shown", err && err.name);
      await kept.unclaim(item.key);
    }
  }
  if (fresh.length) changed();
  return shown;
}

function soon(fn, ms = 300) {
  let timer = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => { timer = null; fn(); }, ms);
  };
}

function atMidnight(fn) {
  const now = new Date();
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 1);
  setTimeout(() => { fn(); atMidnight(fn); }, next - now);
}

/** Start watching (from main.js): on start, on coming back into view, and on every change. */
export function startReminders() {
  const look = () => check().catch((err) => console.warn("reminders could not look", err && err.name));
  const later = soon(look);
  deviceChanges.addEventListener("records", later);
  deviceChanges.addEventListener("pairing", later);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") later();
  });
  followTaps();
  atMidnight(later);
  look();
  // An installed app may have been allowed to wake since last time.
  kept.settings().then((s) => (s.on ? wake() : null)).catch(() => {});
}
