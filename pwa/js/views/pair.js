// Pairing and settings. Pairing links (#/pair?v=1&s=…&e=…) arrive here with their query
// intact; the pairing feature replaces the placeholder section below.
import { el, viewHeader } from "../shell/dom.js";
import { shellVersion } from "../shell/sw-register.js";
import { isStoragePersistent } from "../shell/storage.js";

export const title = "Settings";

function isPairingLink(params) {
  return params.has("v") && params.has("s") && params.has("e");
}

function pairingSection(params) {
  if (isPairingLink(params)) {
    return el("section", { class: "card", "aria-labelledby": "pair-title" },
      el("h2", { id: "pair-title" }, "An invitation to pair"),
      el("p", {}, "This phone opened your partner's pairing link. " +
        "Finishing the pairing isn't possible in this version yet; nothing has been shared."));
  }
  return el("section", { class: "card", "aria-labelledby": "pair-title" },
    el("h2", { id: "pair-title" }, "Pair with your partner"),
    el("p", {}, "Sit together with both phones. One shows a code, the other scans it, " +
      "and you'll both see a short safety code to compare. Pairing will be ready here soon."));
}

export function render(outlet, { params }) {
  const version = el("dd", {}, "…");
  const storage = el("dd", {}, "…");
  const offline = el("dd", {}, "…");

  outlet.append(
    viewHeader("Pairing and settings"),
    pairingSection(params),
    el("section", { class: "card", "aria-labelledby": "hide-title" },
      el("h2", { id: "hide-title" }, "Quick hide"),
      el("p", {}, "Tap the small round button at the bottom right, or press Escape twice, " +
        "to cover the screen with a plain blank page. Tap the blank page to come back.")),
    el("section", { class: "card", "aria-labelledby": "about-title" },
      el("h2", { id: "about-title" }, "This phone"),
      el("dl", { class: "facts" },
        el("dt", {}, "Works offline"), offline,
        el("dt", {}, "Storage"), storage,
        el("dt", {}, "App version"), version)),
  );

  let live = true;
  shellVersion().then((v) => {
    if (!live) return;
    version.textContent = v ? `shell ${v}` : "not installed yet";
    offline.textContent = v ? "Yes" : "After the next visit";
  });
  isStoragePersistent().then((persisted) => {
    if (!live) return;
    storage.textContent = persisted === true ? "Kept safely by the browser"
      : persisted === false ? "Kept, unless the phone runs very low on space"
        : "Kept on this phone";
  });
  return () => { live = false; };
}
