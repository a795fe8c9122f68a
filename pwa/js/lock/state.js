// Whether the app lock is on, turning it on and off, unlocking, and locking again.
// Its settings live in meta "lock", the one value (with the reminders' schedule) that stays
// clear while the lock is on: the wrapped data keys, the KDF's salt and cost, the timeout,
// and the count of wrong tries, so a reload does not reset the wait after them.
import { holdsCryptoKey } from "../core/key-material.js";
import * as db from "../data/db.js";
import * as vault from "../data/vault.js";
import { letGo } from "../shell/drafts.js";
import * as keys from "./keys.js";

export const TIMEOUTS = [[60000, "1 minute"], [300000, "5 minutes"], [900000, "15 minutes"], [3600000, "1 hour"]];
export const DEFAULT_TIMEOUT_MS = 300000;
const channel = globalThis.BroadcastChannel ? new BroadcastChannel("hearth-lock") : null;

export const settings = () => db.getMeta("lock", null);

// How long in the background before locking, known before the page is hidden: a hidden page
// may be frozen before a read of the settings answers, so the wait must start at once.
let backgroundMs = DEFAULT_TIMEOUT_MS;
const readTimeout = async () => (backgroundMs = (await settings())?.timeoutMs ?? DEFAULT_TIMEOUT_MS);

/** At start: tell the storage layer whether to seal; true if Hearth must be unlocked first. */
export async function startLocked() {
  let lock = null;
  try {
    lock = await settings();
  } catch (err) {
    // No database to be had (a private window may refuse one): nothing can be locked in it,
    // and the screens say what they cannot read.
    console.warn("the app lock could not read its settings", err && err.name);
  }
  if (lock) keys.warmUp();   // meanwhile, the lock screen draws
  await vault.use({ lockOn: Boolean(lock) });
  return Boolean(lock);
}

// Every sealed store's values, read and written again in one transaction: sealed when the
// lock has just come on, clear when it has just gone off (vault decides which).
async function rewriteAll(extra) {
  await db.write(vault.SEALED_STORES, async (tx) => {
    for (const name of vault.SEALED_STORES) {
      for (let c = await tx.objectStore(name).openCursor(); c; c = await c.continue()) {
        if (!(name === "meta" && vault.CLEAR_META.has(c.primaryKey))) await c.update(c.value);
      }
    }
    await extra(tx.objectStore("meta"));
  });
}

/** Turn the lock on with `passcode`; everything kept is sealed from now. */
export async function turnOn(passcode, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const problem = keys.passcodeProblem(passcode);
  if (problem) throw new Error(problem);
  const { dataKey, lock } = await keys.newLock(passcode);
  await vault.use({ lockOn: true, dataKey });
  try {
    await rewriteAll((meta) => meta.put({ ...lock, timeoutMs, failures: 0, waitUntil: 0 }, "lock"));
    backgroundMs = timeoutMs;
  } catch (err) {
    await vault.use({ lockOn: false });
    throw err;
  }
  channel?.postMessage("changed");   // other tabs start again, sealing too
  // The reminders' schedule stays clear for sw.js: from now it keeps only discreet words.
  import("../reminders/remind.js").then((r) => r.check()).catch(() => {});
}

/** Turn the lock off (needs the passcode): everything kept is clear again. */
export async function turnOff(passcode) {
  const lock = await settings();
  const dataKey = await keys.openWithPasscode(lock, passcode);
  await vault.use({ lockOn: false, dataKey });
  await rewriteAll((meta) => meta.delete("lock"));
  vault.forget();
  channel?.postMessage("changed");
}

/**
 * The names in the keys store that an earlier version kept as non-extractable CryptoKeys:
 * their bytes cannot be had, so they cannot be sealed (docs/app-lock.md says what to do).
 */
export async function keysLeftClear() {
  const names = [];
  const tx = (await db.database()).transaction("keys");
  for (let c = await tx.store.openCursor(); c; c = await c.continue()) if (holdsCryptoKey(c.value)) names.push(c.key);
  return names;
}

// In one transaction, and only while the lock is on: a change from a screen drawn before
// another tab turned it off must not leave a lock with no key behind.
export async function changeSettings(patch) {
  await db.write(["meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    const lock = await meta.get("lock");
    if (lock) await meta.put({ ...lock, ...patch }, "lock");
  });
  if (patch.timeoutMs) backgroundMs = patch.timeoutMs;
}

/** Enrol the phone's screen lock, while unlocked. */
export async function addScreenLock() {
  const prf = await keys.enrolScreenLock(vault.dataKeyCopy());
  await changeSettings({ prf });
}

// Wrong passcodes: the first three are free, then each waits longer (up to an hour). Never an erase.
export function waitAfter(failures) {
  if (failures < 3) return 0;
  return Math.min(3600000, 5000 * 3 ** (failures - 3));
}

/** Milliseconds still to wait before another try, by the stored count. */
export async function waitLeft() {
  const lock = await settings();
  return Math.max(0, (lock?.waitUntil || 0) - Date.now());
}

/** Unlock with `passcode` (or null for the phone's screen lock); throws WrongPasscode or a wait. */
export async function unlock(passcode) {
  const lock = await settings();
  const wait = Math.max(0, (lock.waitUntil || 0) - Date.now());
  if (wait) throw Object.assign(new Error("wait"), { code: "wait", wait });
  let dataKey;
  try {
    performance.mark("hearth-kdf-start");   // bench/app_lock.py reports the derivation apart
    dataKey = passcode === null ? await keys.openWithScreenLock(lock) : await keys.openWithPasscode(lock, passcode);
    performance.measure("hearth-kdf", "hearth-kdf-start");
  } catch (err) {
    if (!(err instanceof keys.WrongPasscode)) throw err;
    const failures = (lock.failures || 0) + 1;
    await changeSettings({ failures, waitUntil: Date.now() + waitAfter(failures) });
    throw err;
  }
  await vault.use({ lockOn: true, dataKey });
  if (lock.failures) await changeSettings({ failures: 0, waitUntil: 0 });
}

/** Lock now: the data key goes from memory and the page starts again at a neutral address. */
// The key goes as the page does (pagehide), so work under way (a batch being applied) ends
// with the page instead of failing half-way; at the latest a moment later.
export function lockNow({ quiet = false } = {}) {
  if (!quiet) channel?.postMessage("lock");
  history.replaceState(null, "", `${location.pathname}#/`);
  letGo();
  addEventListener("pagehide", vault.forget);
  setTimeout(vault.forget, 1000);
  location.reload();
}

// Another tab locked, or turned the lock on or off: this one follows.
channel?.addEventListener("message", (e) => {
  if (e.data === "lock" && vault.isOn()) lockNow({ quiet: true });
  if (e.data === "changed") location.reload();
});

/** Lock after `timeoutMs` in the background (checked again on return, as timers sleep there). */
export async function watchBackground() {
  let hiddenAt = null;
  let timer = null;
  const lockIn = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(() => { if (document.hidden) lockNow(); }, Math.max(0, hiddenAt + ms - Date.now()));
  };
  document.addEventListener("visibilitychange", async () => {
    if (!vault.isOn()) return;
    if (document.hidden) {
      hiddenAt = Date.now();
      const known = backgroundMs;
      lockIn(known);
      // Another tab may have changed it since: then from the same moment, by the new length.
      if ((await readTimeout()) !== known && document.hidden) lockIn(backgroundMs);
    } else {
      clearTimeout(timer);
      if (hiddenAt !== null && Date.now() - hiddenAt >= await readTimeout()) lockNow();
      hiddenAt = null;
    }
  });
  await readTimeout().catch(() => {});   // no database: nothing to lock, and the default stands
}
