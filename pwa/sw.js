// Hearth's service worker: the whole app shell is precached on install and served
// cache-first, so the app opens instantly and offline.
//
// Rules:
// - Bump VERSION whenever any file in SHELL changes; the new worker then installs beside the
//   old one and waits. It takes over only when the page asks ({type: "SKIP_WAITING"}),
//   which the page does after the person presses "Update now" with no unsaved drafts.
// - /ws, /healthz, /readyz and every non-GET or cross-origin request go straight to the
//   network: never intercepted, never cached.
// - Only the files in SHELL are ever cached; old shell caches are deleted on activate.

const VERSION = 7;
const CACHE_PREFIX = "hearth-shell-v";
const CACHE = `${CACHE_PREFIX}${VERSION}`;

// Every file the shell loads. tests/test_app_shell.py checks this list against the files
// on disk and against what the page actually requests.
const SHELL = [
  "/index.html",
  "/manifest.webmanifest",
  "/css/app.css",
  "/css/energy.css",
  "/css/gratitude.css",
  "/css/appointments.css",
  "/css/experiments.css",
  "/css/progress.css",
  "/js/main.js",
  "/js/shell/dom.js",
  "/js/shell/drafts.js",
  "/js/shell/quick-hide.js",
  "/js/shell/router.js",
  "/js/shell/storage.js",
  "/js/shell/sw-register.js",
  "/js/views/index.js",
  "/js/views/home.js",
  "/js/views/journal.js",
  "/js/views/boundaries.js",
  "/js/views/pair.js",
  "/js/views/pair-flow.js",
  "/js/views/common.js",
  "/js/views/energy.js",
  "/js/views/gratitude.js",
  "/js/views/appointments.js",
  "/js/views/experiments.js",
  "/js/views/checkin.js",
  "/js/views/progress.js",
  "/js/core/encoding.js",
  "/js/core/crypto.js",
  "/js/core/pairing-link.js",
  "/js/core/records.js",
  "/js/core/energy-insight.js",
  "/js/core/prompts.js",
  "/js/core/experiments.js",
  "/js/core/checkin.js",
  "/js/core/progress.js",
  "/js/data/db.js",
  "/js/sync/connection.js",
  "/js/sync/device.js",
  "/js/sync/engine.js",
  "/js/sync/pairing.js",
  "/js/sync/status-line.js",
  "/js/pair/qr-code.js",
  "/js/pair/scanner.js",
  "/js/pair/decode-worker.js",
  "/vendor/idb/index.js",
  "/vendor/qrcode-generator/qrcode.mjs",
  "/vendor/jsqr/jsQR.js",
  "/icons/icon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/icon-maskable-512.png",
  "/icons/apple-touch-icon.png",
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
