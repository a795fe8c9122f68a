// The service worker's part in reminders, seen from the page: whether this browser can show
// them at all, the registration that shows them, and the occasional wake-up (Periodic
// Background Sync, Chromium only) that lets sw.js remind while the app is closed.
import { hasDrafts } from "../shell/drafts.js";

export const WAKE_TAG = "hearth-reminders";   // the periodicsync tag sw.js answers
const WAKE_EVERY_MS = 12 * 60 * 60 * 1000;     // a hint only: the browser decides when

/** "unsupported", or the notification permission: "default", "granted" or "denied". */
export function permission() {
  if (!("serviceWorker" in navigator) || typeof Notification === "undefined"
      || typeof ServiceWorkerRegistration === "undefined"
      || !("showNotification" in ServiceWorkerRegistration.prototype)) return "unsupported";
  return Notification.permission;
}

/** The active service worker registration; null when there is none to be had. */
export function registration(timeoutMs = 10000) {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise((resolve) => { setTimeout(() => resolve(null), timeoutMs); }),
  ]).catch(() => null);
}

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

export async function registerWake() {
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
  }
}

export async function unregisterWake() {
  const reg = await registration(3000);
  try {
    await reg?.periodicSync?.unregister(WAKE_TAG);
  } catch {
    // nothing was registered
  }
}

// A tap on a reminder while Hearth is open: go where it belongs, unless words are being
// written, which a change of screen would lose.
export function followTaps() {
  navigator.serviceWorker?.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type !== "OPEN_ROUTE" || typeof data.route !== "string" || !data.route.startsWith("#/")) return;
    if (!hasDrafts()) location.hash = data.route;
  });
  navigator.serviceWorker?.startMessages?.();
}
