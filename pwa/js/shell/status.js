// The sync status line at the top of every view, announced politely to screen readers.
// The sync engine calls setSyncState(); the shell itself only knows online or offline.

const MESSAGES = {
  unpaired: "Not paired yet. Everything stays here.",
  offline: "Offline. What you write is kept safely on this phone.",
  waiting: "Offline. Your changes will travel once you're connected.",
  syncing: "Sharing your changes…",
  synced: "Up to date with your partner.",
};

let element = null;
let state = "unpaired";

function render() {
  if (!element) return;
  const shown = !navigator.onLine && state !== "waiting" ? "offline" : state;
  const text = MESSAGES[shown] || "";
  if (element.textContent !== text) element.textContent = text;
  element.dataset.state = shown;
}

export function initSyncStatus(el) {
  element = el;
  addEventListener("online", render);
  addEventListener("offline", render);
  render();
}

/** state: "unpaired" | "offline" | "waiting" | "syncing" | "synced" */
export function setSyncState(next) {
  if (!(next in MESSAGES)) throw new Error(`unknown sync state ${next}`);
  state = next;
  render();
}

export function syncState() {
  return { state, online: navigator.onLine };
}
