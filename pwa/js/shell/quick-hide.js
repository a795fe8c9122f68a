// Quick hide: one tap on the discreet control, or Escape pressed twice quickly, covers the
// whole screen with a plain neutral surface, and the tab's title and address say nothing of
// Hearth. A tap (or Enter/Space) on it brings Hearth back; with the app lock on, Hearth locks
// at once, so coming back asks for the passcode.
import * as vault from "../data/vault.js";
import { t } from "../i18n/index.js";

const DOUBLE_ESCAPE_MS = 600;
// What a browser calls an empty tab, in the language Hearth speaks.
export const NEUTRAL_TITLE = t("hide.neutral_title");
const STILL_HIDDEN = "hearth.hidden";   // across the reload that locks: the cover stays up

export function installQuickHide({ trigger, cover, app, lockNow }) {
  let lastEscape = -Infinity;
  let returnFocus = null;
  let before = null;   // the title and address to give back

  function hide({ lock = true } = {}) {
    if (!cover.hidden) return;
    returnFocus = document.activeElement;
    before = { title: document.title, url: location.href };
    document.title = NEUTRAL_TITLE;
    history.replaceState(history.state, "", `${location.pathname}#/`);
    cover.hidden = false;
    app.inert = true;
    app.setAttribute("aria-hidden", "true");
    document.body.classList.add("is-hidden");
    cover.focus({ preventScroll: true });
    if (lock && vault.isOn()) {
      try { sessionStorage.setItem(STILL_HIDDEN, "1"); } catch { /* the lock screen shows instead */ }
      lockNow?.();
    }
  }

  function reveal() {
    if (cover.hidden) return;
    cover.hidden = true;
    app.inert = false;
    app.removeAttribute("aria-hidden");
    document.body.classList.remove("is-hidden");
    if (before) {
      history.replaceState(history.state, "", before.url);
      document.title = before.title;
      before = null;
    } else {
      document.title = "Hearth";
    }
    if (returnFocus && returnFocus.isConnected && returnFocus !== document.body) {
      returnFocus.focus({ preventScroll: true });
    }
    returnFocus = null;
  }

  trigger.addEventListener("click", () => hide());
  cover.addEventListener("click", reveal);

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !cover.hidden) return;
    const now = event.timeStamp || performance.now();
    if (now - lastEscape <= DOUBLE_ESCAPE_MS) {
      lastEscape = -Infinity;
      hide();
    } else {
      lastEscape = now;
    }
  });

  // Hidden, then locked by the reload: the plain cover comes back first, the lock screen under it.
  let stillHidden = false;
  try {
    stillHidden = sessionStorage.getItem(STILL_HIDDEN) === "1";
    sessionStorage.removeItem(STILL_HIDDEN);
  } catch { /* nothing remembered */ }
  if (stillHidden) {
    hide({ lock: false });
    before = null;
  }

  return { hide, reveal, isHidden: () => !cover.hidden };
}
