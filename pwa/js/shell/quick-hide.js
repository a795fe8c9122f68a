// Quick hide: one tap on the discreet control, or Escape pressed twice quickly, covers the
// whole screen with a plain neutral surface. A tap (or Enter/Space) on it brings Hearth back.

const DOUBLE_ESCAPE_MS = 600;

export function installQuickHide({ trigger, cover, app }) {
  let lastEscape = -Infinity;
  let returnFocus = null;

  function hide() {
    if (!cover.hidden) return;
    returnFocus = document.activeElement;
    cover.hidden = false;
    app.inert = true;
    app.setAttribute("aria-hidden", "true");
    document.body.classList.add("is-hidden");
    cover.focus({ preventScroll: true });
  }

  function reveal() {
    if (cover.hidden) return;
    cover.hidden = true;
    app.inert = false;
    app.removeAttribute("aria-hidden");
    document.body.classList.remove("is-hidden");
    if (returnFocus && returnFocus.isConnected && returnFocus !== document.body) {
      returnFocus.focus({ preventScroll: true });
    }
    returnFocus = null;
  }

  trigger.addEventListener("click", hide);
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

  return { hide, reveal, isHidden: () => !cover.hidden };
}
