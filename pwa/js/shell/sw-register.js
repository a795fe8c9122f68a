// Registers the service worker and runs the "update available" flow.
//
// A new worker installs in the background and then waits. The page shows a calm banner;
// "Update now" tells the waiting worker to take over ({type: "SKIP_WAITING"}) and the page
// reloads when the new worker controls it. Unsaved drafts always win: while the drafts
// registry has anything pending, nothing reloads and the banner asks, kindly, to finish or
// save first; pressing again once nothing is pending goes ahead.

import { hasDrafts } from "./drafts.js";

const NOTES = {
  ready: "It takes a moment and keeps everything you've written.",
  blocked: "Finish or save what you're writing first, then press Update now again.",
  applied: "The new version is in place. Update now to start using it.",
};

export function registerServiceWorker({ banner, note, updateButton, laterButton }) {
  if (!("serviceWorker" in navigator)) return null;
  const sw = navigator.serviceWorker;
  let registration = null;
  let userAsked = false;      // the person pressed "Update now"
  let dismissed = null;       // the waiting worker the person said "Not now" to
  let takenOver = false;      // a new worker took control (perhaps from another tab)

  function showBanner(state) {
    note.textContent = NOTES[state];
    banner.dataset.state = state;
    banner.hidden = false;
  }

  function hideBanner() {
    banner.hidden = true;
  }

  function offer(worker) {
    if (!worker || !sw.controller || worker === dismissed) return;  // first install: nothing to update
    showBanner("ready");
  }

  function watch(worker) {
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  }

  function reload() {
    if (hasDrafts()) {
      showBanner("blocked");
      return;
    }
    location.reload();
  }

  updateButton.addEventListener("click", () => {
    if (hasDrafts()) {
      showBanner("blocked");
      return;
    }
    const waiting = registration && registration.waiting;
    if (waiting) {
      userAsked = true;
      waiting.postMessage({ type: "SKIP_WAITING" });
    } else if (takenOver) {
      location.reload();
    } else {
      hideBanner();
    }
  });

  laterButton.addEventListener("click", () => {
    dismissed = registration && registration.waiting;
    hideBanner();
  });

  let hadController = Boolean(sw.controller);
  sw.addEventListener("controllerchange", () => {
    if (!hadController) {  // the very first worker claimed this page: nothing to reload
      hadController = true;
      return;
    }
    takenOver = true;
    if (userAsked) reload(); else showBanner(hasDrafts() ? "blocked" : "applied");
  });

  const ready = sw.register("/sw.js", { scope: "/", updateViaCache: "none" })
    .catch((err) => {
      // Offline, the update check inside register() can fail; the installed worker still runs.
      console.warn("service worker registration failed", err && err.name);
      return sw.getRegistration();
    })
    .then((reg) => {
      if (!reg) return null;
      registration = reg;
      if (reg.waiting) offer(reg.waiting);
      watch(reg.installing);
      reg.addEventListener("updatefound", () => watch(reg.installing));
      // Look for a new version whenever the person comes back to the app.
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") reg.update().catch(() => {});
      });
      return reg;
    });

  // A page reloaded while the first worker installed, or reloaded past it, is in no worker's
  // charge, and its screens not yet opened would fail offline until the app is opened again
  // (the worker's claim() at activation can miss a page still loading). It asks to be taken
  // in, unless a newer version is on its way: this page came from the network, and the
  // worker in place would serve it an older version's modules.
  sw.ready.then(async (reg) => {
    if (sw.controller) return;
    await reg.update().catch(() => {});
    if (!sw.controller && reg.active && !reg.installing && !reg.waiting) {
      reg.active.postMessage({ type: "CLAIM" });
    }
  });

  return { ready, check: () => ready.then((reg) => reg && reg.update()) };
}

/** Asks the controlling worker which shell version it serves; null when there is none. */
export function shellVersion(timeoutMs = 2000) {
  const controller = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!controller) return Promise.resolve(null);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), timeoutMs);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data && event.data.version);
    };
    controller.postMessage({ type: "GET_VERSION" }, [channel.port2]);
  });
}
