// Hearth's service worker: the whole app shell is precached on install and served
// cache-first, so the app opens instantly and offline.
//
// Rules:
// - SHELL, VERSION and the digest under it are written by `python scripts/precache.py`:
//   run it whenever a shell file changes (tests/test_app_shell.py prints that command when
//   they are stale). A new VERSION makes a new worker, which installs beside the old one and waits. It takes over only when the page asks ({type: "SKIP_WAITING"}),
//   which the page does after the person presses "Update now" with no unsaved drafts.
// - /ws, /healthz, /readyz and every non-GET or cross-origin request go straight to the
//   network: never intercepted, never cached.
// - Only the files in SHELL are ever cached; old shell caches are deleted on activate.
// - Reminders (opt-in, pwa/js/reminders/): the page works out what is coming up and
//   keeps it in IndexedDB meta "reminder_schedule"; when the phone lets Hearth wake
//   ("periodicsync", Chromium only), this worker shows what is due and not yet mentioned,
//   marking it in meta "reminded" first, so nothing is ever mentioned twice. A tap on a
//   reminder opens Hearth where it belongs.

const VERSION = 96;
// shell digest: e8fc223c7183f8cd
const CACHE_PREFIX = "hearth-shell-v";
const CACHE = `${CACHE_PREFIX}${VERSION}`;

// Every file the shell loads, as scripts/precache.py finds them. tests/test_app_shell.py
// checks this list against the files on disk and against what the page actually requests.
const SHELL = [
  "/css/app.css",
  "/css/appointments.css",
  "/css/energy.css",
  "/css/experiments.css",
  "/css/gratitude.css",
  "/css/help.css",
  "/css/paced.css",
  "/css/progress.css",
  "/css/reminders.css",
  "/icons/apple-touch-icon.png",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/icon-maskable-512.png",
  "/icons/icon.svg",
  "/index.html",
  "/js/core/backup.js",
  "/js/core/checkin.js",
  "/js/core/crypto.js",
  "/js/core/dates.js",
  "/js/core/encoding.js",
  "/js/core/ending.js",
  "/js/core/energy-insight.js",
  "/js/core/envelope.js",
  "/js/core/experiments.js",
  "/js/core/export.js",
  "/js/core/kdf.js",
  "/js/core/key-material.js",
  "/js/core/moving.js",
  "/js/core/paced.js",
  "/js/core/pairing-link.js",
  "/js/core/progress.js",
  "/js/core/prompts.js",
  "/js/core/receipt.js",
  "/js/core/records-schema.js",
  "/js/core/records.js",
  "/js/core/reminders.js",
  "/js/core/succession.js",
  "/js/core/text.js",
  "/js/core/visibility.js",
  "/js/data/db.js",
  "/js/data/gcm.js",
  "/js/data/sealed-batches.js",
  "/js/data/sealed-stores.js",
  "/js/data/vault.js",
  "/js/device/backup.js",
  "/js/device/changes.js",
  "/js/device/checkins.js",
  "/js/device/create.js",
  "/js/device/ending.js",
  "/js/device/experiments.js",
  "/js/device/export.js",
  "/js/device/identity.js",
  "/js/device/move-in.js",
  "/js/device/move-out.js",
  "/js/device/move-state.js",
  "/js/device/noticed.js",
  "/js/device/partner-moved.js",
  "/js/device/records.js",
  "/js/device/succession.js",
  "/js/help/facts.js",
  "/js/help/getting-help.js",
  "/js/help/notes.js",
  "/js/help/paced.js",
  "/js/i18n/ar.js",
  "/js/i18n/en.js",
  "/js/i18n/en/appointments.js",
  "/js/i18n/en/boundaries.js",
  "/js/i18n/en/care.js",
  "/js/i18n/en/checkin.js",
  "/js/i18n/en/energy.js",
  "/js/i18n/en/exp.js",
  "/js/i18n/en/export.js",
  "/js/i18n/en/gratitude.js",
  "/js/i18n/en/journal.js",
  "/js/i18n/en/paced.js",
  "/js/i18n/en/pairing.js",
  "/js/i18n/en/privacy.js",
  "/js/i18n/en/progress.js",
  "/js/i18n/en/records.js",
  "/js/i18n/en/reminders.js",
  "/js/i18n/en/settings.js",
  "/js/i18n/es.js",
  "/js/i18n/es/appointments.js",
  "/js/i18n/es/boundaries.js",
  "/js/i18n/es/care.js",
  "/js/i18n/es/checkin.js",
  "/js/i18n/es/energy.js",
  "/js/i18n/es/exp.js",
  "/js/i18n/es/export.js",
  "/js/i18n/es/gratitude.js",
  "/js/i18n/es/journal.js",
  "/js/i18n/es/paced.js",
  "/js/i18n/es/pairing.js",
  "/js/i18n/es/privacy.js",
  "/js/i18n/es/progress.js",
  "/js/i18n/es/records.js",
  "/js/i18n/es/reminders.js",
  "/js/i18n/es/settings.js",
  "/js/i18n/index.js",
  "/js/i18n/record-words.js",
  "/js/lock/keys.js",
  "/js/lock/screen.js",
  "/js/lock/state.js",
  "/js/main.js",
  "/js/pairing/common.js",
  "/js/pairing/decode-worker.js",
  "/js/pairing/index.js",
  "/js/pairing/inviter.js",
  "/js/pairing/joiner.js",
  "/js/pairing/link-words.js",
  "/js/pairing/qr-code.js",
  "/js/pairing/scanner.js",
  "/js/pairing/words.js",
  "/js/reminders/kept.js",
  "/js/reminders/remind.js",
  "/js/reminders/wake.js",
  "/js/shell/bars.js",
  "/js/shell/dom.js",
  "/js/shell/draft-fields.js",
  "/js/shell/drafts.js",
  "/js/shell/install.js",
  "/js/shell/limits.js",
  "/js/shell/quick-hide.js",
  "/js/shell/router.js",
  "/js/shell/status-line.js",
  "/js/shell/storage.js",
  "/js/shell/stylesheets.js",
  "/js/shell/sw-register.js",
  "/js/sync/connection.js",
  "/js/sync/engine.js",
  "/js/sync/history.js",
  "/js/sync/inbox.js",
  "/js/sync/intake.js",
  "/js/sync/move-receive.js",
  "/js/sync/move-stream.js",
  "/js/sync/outbox.js",
  "/js/sync/receipts.js",
  "/js/views/appointments.js",
  "/js/views/appointments/common.js",
  "/js/views/appointments/details.js",
  "/js/views/appointments/list.js",
  "/js/views/appointments/notes.js",
  "/js/views/appointments/questions.js",
  "/js/views/appointments/sheet.js",
  "/js/views/boundaries.js",
  "/js/views/boundaries/history-choice.js",
  "/js/views/boundaries/items.js",
  "/js/views/boundaries/periods.js",
  "/js/views/checkin.js",
  "/js/views/checkin/past.js",
  "/js/views/common.js",
  "/js/views/energy.js",
  "/js/views/energy/charts.js",
  "/js/views/energy/form.js",
  "/js/views/energy/insight-words.js",
  "/js/views/experiments.js",
  "/js/views/experiments/agreement.js",
  "/js/views/experiments/answer.js",
  "/js/views/experiments/look-back.js",
  "/js/views/experiments/propose.js",
  "/js/views/good-to-know.js",
  "/js/views/good-to-know/add-questions.js",
  "/js/views/gratitude.js",
  "/js/views/gratitude/idea.js",
  "/js/views/gratitude/note.js",
  "/js/views/help.js",
  "/js/views/help/contacts.js",
  "/js/views/help/words.js",
  "/js/views/home.js",
  "/js/views/home/today.js",
  "/js/views/home/updates.js",
  "/js/views/index.js",
  "/js/views/journal.js",
  "/js/views/paced.js",
  "/js/views/paced/look-back.js",
  "/js/views/pairing-scan.js",
  "/js/views/pairing.js",
  "/js/views/privacy.js",
  "/js/views/progress.js",
  "/js/views/reminders.js",
  "/js/views/settings.js",
  "/js/views/settings/ask-first.js",
  "/js/views/settings/backup.js",
  "/js/views/settings/ending.js",
  "/js/views/settings/erase.js",
  "/js/views/settings/export.js",
  "/js/views/settings/language.js",
  "/js/views/settings/lock.js",
  "/js/views/settings/move.js",
  "/js/views/settings/new-phone.js",
  "/manifest.webmanifest",
  "/vendor/hash-wasm/argon2.umd.min.js",
  "/vendor/idb/index.js",
  "/vendor/jsqr/jsQR.js",
  "/vendor/noble-ciphers/_polyval.js",
  "/vendor/noble-ciphers/aes.js",
  "/vendor/noble-ciphers/utils.js",
  "/vendor/qrcode-generator/qrcode.mjs",
];

const NETWORK_ONLY = new Set(["/ws", "/healthz", "/readyz", "/sw.js"]);
const SHELL_PAGES = new Set(["/", "/index.html"]);

self.addEventListener("install", (event) => {
  // cache: "reload" skips the HTTP cache so a new version never precaches stale files.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })))));
  // No skipWaiting() here: the page decides when an update may take over.
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    // The first install takes charge of open pages at once, so they work offline right away.
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "SKIP_WAITING") {
    self.skipWaiting();
  } else if (type === "CLAIM") {
    // A page that came up beside this worker but not in its charge (see sw-register.js).
    event.waitUntil(self.clients.claim());
  } else if (type === "GET_VERSION") {
    const reply = { type: "VERSION", version: VERSION, cache: CACHE };
    if (event.ports && event.ports[0]) event.ports[0].postMessage(reply);
    else if (event.source) event.source.postMessage(reply);
  }
});

function passThrough(request, url) {
  return request.method !== "GET"
    || url.origin !== self.location.origin
    || NETWORK_ONLY.has(url.pathname)
    || url.pathname.startsWith("/ws/")
    || (request.cache === "only-if-cached" && request.mode !== "same-origin");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (passThrough(request, url)) return;  // the browser handles it as if we weren't here

  const isShellPage = SHELL_PAGES.has(url.pathname);  // any query string: still the shell
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = isShellPage
      ? await cache.match("/index.html")
      : await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    return fetch(request);
  })());
});

// ---------- reminders ----------

// The app's database (pwa/js/data/db.js): name "hearth", its "meta" store holds small values
// by key. This worker reads "reminders" (the settings) and "reminder_schedule", writes
// "reminded" and "reminders_woke", and never creates or upgrades the database.
const DB_NAME = "hearth";
const REMINDER_TAG = "hearth-reminders";
const TITLE = "Hearth";
const ICON = "/icons/icon-192.png";

function openAppDatabase() {
  return new Promise((resolve) => {
    let request;
    try {
      request = indexedDB.open(DB_NAME);
    } catch {
      resolve(null);
      return;
    }
    // No database yet (or it was forgotten): leave creating it to the app itself.
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => db.close();   // never stand in the way of the app's upgrades
      resolve(db.objectStoreNames.contains("meta") ? db : (db.close(), null));
    };
    request.onerror = () => resolve(null);
    request.onblocked = () => resolve(null);
  });
}

const asPromise = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

function localDay(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function quietNow(quiet, hour) {
  if (!quiet || quiet.from === quiet.to) return false;
  return quiet.from < quiet.to ? hour >= quiet.from && hour < quiet.to : hour >= quiet.from || hour < quiet.to;
}

// fn(meta) inside one readwrite transaction of the "meta" store; resolves once committed.
async function inMeta(db, fn) {
  const tx = db.transaction("meta", "readwrite");
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  done.catch(() => {});   // a failure surfaces below, never as an unhandled rejection
  let result;
  try {
    result = await fn(tx.objectStore("meta"));
  } catch (err) {
    tx.abort();
    throw err;
  }
  await done;
  return result;
}

// In one transaction: read the settings and the schedule, pick what is due and not yet
// mentioned, and mark it mentioned, so a page looking at the same moment cannot repeat it.
function claimDueReminders(db, today) {
  return inMeta(db, async (meta) => {
    const [settings, schedule, reminded] = await Promise.all(
      ["reminders", "reminder_schedule", "reminded"].map((key) => asPromise(meta.get(key))));
    if (!settings || !settings.on || !schedule || !Array.isArray(schedule.items)) return { fresh: [] };
    const seen = reminded && typeof reminded === "object" ? { ...reminded } : {};
    const fresh = schedule.items.filter((item) => item && typeof item.key === "string" && item.date <= today
      && (!item.until || today <= item.until) && !Object.hasOwn(seen, item.key));
    for (const item of fresh) seen[item.key] = today;
    if (fresh.length) meta.put(seen, "reminded");
    return { fresh, quiet: schedule.quiet };
  });
}

async function remindFromSchedule() {
  if (self.Notification && self.Notification.permission !== "granted") return;
  const db = await openAppDatabase();
  if (!db) return;
  try {
    const now = new Date();
    const { fresh, quiet } = await claimDueReminders(db, localDay(now));
    const silent = quietNow(quiet || { from: 21, to: 8 }, now.getHours());
    const failed = [];
    for (const item of fresh) {
      try {
        await self.registration.showNotification(TITLE, {
          body: String(item.body || ""), tag: item.key, icon: ICON, silent,
          data: { key: item.key, route: item.route },
        });
      } catch {
        failed.push(item.key);
      }
    }
    // Note when this worker last woke (the Reminders screen says so), and let anything that
    // could not be shown be tried again next time.
    await inMeta(db, async (meta) => {
      if (failed.length) {
        const seen = { ...((await asPromise(meta.get("reminded"))) || {}) };
        for (const key of failed) delete seen[key];
        meta.put(seen, "reminded");
      }
      meta.put({ at: Date.now(), shown: fresh.length - failed.length }, "reminders_woke");
    });
  } finally {
    db.close();
  }
}

self.addEventListener("periodicsync", (event) => {
  if (event.tag === REMINDER_TAG) event.waitUntil(remindFromSchedule());
});

// A tap on a reminder: bring Hearth forward where the reminder belongs, or open it there.
function safeRoute(route) {
  return typeof route === "string" && /^#\/[a-z-]+(\?[\w=&%.-]*)?$/.test(route) ? route : "#/home";
}

self.addEventListener("notificationclick", (event) => {
  const route = safeRoute(event.notification.data && event.notification.data.route);
  event.notification.close();
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find((c) => new URL(c.url).origin === self.location.origin);
    if (open) {
      // The page moves itself, so a half-written entry is never lost to a navigation.
      open.postMessage({ type: "OPEN_ROUTE", route });
      await open.focus().catch(() => {});
      return;
    }
    await self.clients.openWindow(`/${route}`);
  })());
});
