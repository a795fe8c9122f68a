// Reminders on this phone: off until the person turns them on, worked out here from what is
// already on the phone, and never sent anywhere. When on, each thing that comes due (a
// look-back, the check-in day, an appointment) is mentioned once, as a notification from the
// service worker, whenever the app starts, comes back into view or its records change.
//
// What has been mentioned lives in meta "reminded" ({ key: day }), claimed in one IndexedDB
// transaction before anything is shown, so two tabs, or a tab and the service worker, never
// mention the same thing twice. The coming weeks go to meta "reminder_schedule" (keys,
// dates, routes and only the words the person chose for their lock screen), which the
// service worker reads when the phone lets Hearth wake (Periodic Background Sync, where the
// browser has it). The relay never learns any of this.
import { currentWeek } from "../core/checkin.js";
import { today as localToday } from "../core/dates.js";
import * as core from "../core/reminders.js";
import * as db from "../data/db.js";
import { changes as deviceChanges } from "../device/changes.js";
import { checkinWeek } from "../device/checkins.js";
import { isPaired } from "../device/identity.js";
import { coupleSettings, list } from "../device/records.js";
import { hasDrafts } from "./drafts.js";

export const WAKE_TAG = "hearth-reminders";   // the periodicsync tag sw.js answers
const WAKE_EVERY_MS = 12 * 60 * 60 * 1000;     // a hint only: the browser decides when

/** "change" events when the settings or the schedule change, for the Reminders screen. */
export const changes = new EventTarget();
const changed = () => changes.dispatchEvent(new Event("change"));

/** "unsupported", or the notification permission: "default", "granted" or "denied". */
export function permission() {
  if (!("serviceWorker" in navigator) || typeof Notification === "undefined"
      || typeof ServiceWorkerRegistration === "undefined"
      || !("showNotification" in ServiceWorkerRegistration.prototype)) return "unsupported";
  return Notification.permission;
}

export async function settings() {
  const saved = await db.getMeta("reminders", null);
  return { on: Boolean(saved?.on), detailed: Boolean(saved?.detailed) };
}

async function saveSettings(update) {
  await db.setMeta("reminders", { ...(await settings()), ...update });
  changed();
}

// The active service worker registration; null when there is none to be had.
function registration(timeoutMs = 10000) {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise((resolve) => { setTimeout(() => resolve(null), timeoutMs); }),
  ]).catch(() => null);
}

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

// ---------- waking without the page (Chromium's Periodic Background Sync) ----------

/** "on" when the browser will wake Hearth now and then to remind, else "unavailable". */
export async function wakeState() {
  const reg = await registration(3000);
  if (!reg?.periodicSync) return "unavailable";
  try {
    return (await reg.periodicSync.getTags()).includes(WAKE_TAG) ? "on" : "unavailable";
  } catch {
    return "unavailable";
  }
}

async function registerWake() {
  const reg = await registration();
  if (!reg?.periodicSync) return "unavailable";
  try {
    // Chromium grants this only to an installed app it sees used; elsewhere it is simply absent.
    const status = await navigator.permissions.query({ name: "periodic-background-sync" });
    if (status.state !== "granted") return "unavailable";
    await reg.periodicSync.register(WAKE_TAG, { minInterval: WAKE_EVERY_MS });
    return "on";
  } catch {
    return "unavailable";
  } finally {
    changed();
  }
}

async function unregisterWake() {
  const reg = await registration(3000);
  try {
    await reg?.periodicSync?.unregister(WAKE_TAG);
  } catch {
    // nothing was registered
  }
}

/** What has been mentioned already: { key: day }. */
export async function reminded() {
  return (await db.getMeta("reminded", null)) || {};
}

/** When the service worker last woke on its own to look: { at, shown } or null. */
export function lastWoke() {
  return db.getMeta("reminders_woke", null);
}

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
  await inTurn(() => saveSettings({ on: true }));
  await registerWake();
  await check();
  return "granted";
}

export async function turnOff() {
  await inTurn(async () => {
    await db.write(["meta"], async (tx) => {
      const meta = tx.objectStore("meta");
      await meta.put({ ...((await meta.get("reminders")) || {}), on: false }, "reminders");
      await meta.put(null, "reminder_schedule");
    });
    lastSchedule = null;
  });
  changed();
  await unregisterWake();
}

export async function setDetailed(detailed) {
  await inTurn(() => saveSettings({ detailed: Boolean(detailed) }));
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
  const mine = await settings();
  if (!mine.on) return 0;
  const now = new Date();
  const today = localToday(now);
  const items = core.schedule(await gather(today));
  const stored = core.storedSchedule(items, { detailed: mine.detailed, today });
  const json = JSON.stringify(stored);
  if (json !== lastSchedule) {
    // Only while still on: another tab may have turned reminders off meanwhile.
    const kept = await db.write(["meta"], async (tx) => {
      const meta = tx.objectStore("meta");
      if (!(await meta.get("reminders"))?.on) return false;
      await meta.put(stored, "reminder_schedule");
      return true;
    });
    if (!kept) return 0;
    lastSchedule = json;
    changed();
  }
  if (permission() !== "granted") return 0;
  const reg = await registration();
  if (!reg) return 0;
  const due = items.filter((item) => core.isDueOn(item, today));
  const fresh = await db.write(["meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    if (!(await meta.get("reminders"))?.on) return [];
    const before = await meta.get("reminded");
    const claimed = core.claim(before, due, today, { waiting: items.map((i) => i.key) });
    if (JSON.stringify(claimed.reminded) !== JSON.stringify(before)) await meta.put(claimed.reminded, "reminded");
    return claimed.fresh;
  });
  let shown = 0;
  for (const item of fresh) {
    try {
      await reg.showNotification(...core.notificationFor(item, { detailed: mine.detailed, hour: now.getHours() }));
      shown += 1;
    } catch (err) {
      console.warn("a reminder could not be shown", err && err.name);
      await db.write(["meta"], async (tx) => {   // let it be tried again another time
        const meta = tx.objectStore("meta");
        const reminded = { ...(await meta.get("reminded")) };
        delete reminded[item.key];
        await meta.put(reminded, "reminded");
      });
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

// A tap on a reminder while Hearth is open: go where it belongs, unless words are being
// written, which a change of screen would lose.
function onMessage(event) {
  const data = event.data || {};
  if (data.type !== "OPEN_ROUTE" || typeof data.route !== "string" || !data.route.startsWith("#/")) return;
  if (!hasDrafts()) location.hash = data.route;
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
  navigator.serviceWorker?.addEventListener("message", onMessage);
  navigator.serviceWorker?.startMessages?.();
  atMidnight(later);
  look();
  // An installed app may have been allowed to wake since last time.
  settings().then((s) => (s.on ? registerWake() : null)).catch(() => {});
}
