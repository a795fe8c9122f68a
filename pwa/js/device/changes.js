// How anything learns that something changed: "records" and "pairing" events, in this tab
// and, through a BroadcastChannel, in this app's other tabs (those arrive with
// detail.elsewhere set).
export const changes = new EventTarget();
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("hearth") : null;
channel?.addEventListener("message", (e) => changes.dispatchEvent(new CustomEvent(e.data.kind, {
  detail: { ...e.data, elsewhere: true } })));

export function announce(kind, detail = {}) {
  changes.dispatchEvent(new CustomEvent(kind, { detail }));
  channel?.postMessage({ kind, ...detail });
}
