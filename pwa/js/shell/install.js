// A one-time, dismissible hint on adding Hearth to the home screen, where the browser
// offers it: Chromium's install prompt (kept from `beforeinstallprompt` until asked for),
// or, on an iPhone's Safari, where to find "Add to Home Screen". Never shown once Hearth
// runs installed, or after the person said "Not now".
import { t } from "../i18n/index.js";
import { el } from "./dom.js";

const DISMISSED = "hearth.install.dismissed";
let offered = null;   // the browser's install prompt, kept for the person's tap

addEventListener("beforeinstallprompt", (e) => {
  e.preventDefault();   // no banner of the browser's own: the hint says why, then asks
  offered = e;
  dispatchEvent(new Event("hearth-install-offered"));
});

const installed = () => matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
const iosSafari = () => navigator.standalone === false && /iP(hone|ad|od)/.test(navigator.platform || navigator.userAgent);

function dismissed() {
  try { return Boolean(localStorage.getItem(DISMISSED)); } catch { return true; }
}

/** The hint for Home's welcome, or null; it appears when the browser offers to install. */
export function installHint() {
  if (installed() || dismissed()) return null;
  const card = el("section", { class: "card card-soft install-hint", "aria-labelledby": "install-title", hidden: true });
  const close = () => {
    try { localStorage.setItem(DISMISSED, new Date().toISOString()); } catch { /* private mode: shown again next time */ }
    card.remove();
  };
  const draw = () => {
    const add = offered ? el("button", { type: "button", class: "button button-primary", onclick: async () => {
      const prompt = offered;
      offered = null;
      await prompt.prompt();
      close();
    } }, t("install.add")) : null;
    card.replaceChildren(
      el("h2", { id: "install-title" }, t("install.title")),
      el("p", {}, t("install.why")),
      offered ? null : el("p", {}, t("install.safari")),
      el("div", { class: "form-actions" }, add,
        el("button", { type: "button", class: "button button-quiet", onclick: close }, t("install.not_now"))));
    card.hidden = false;
  };
  if (offered || iosSafari()) draw();
  else addEventListener("hearth-install-offered", () => card.isConnected && draw(), { once: true });
  return card;
}
