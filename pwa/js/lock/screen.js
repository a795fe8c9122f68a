// The lock screen: nothing of Hearth's is read until the passcode (or the phone's own
// screen lock) opens the data key. Wrong passcodes wait longer each time, never erase.
import { t } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import * as state from "./state.js";

const seconds = (ms) => Math.ceil(ms / 1000);

function waitWords(ms) {
  const s = seconds(ms);
  return s < 90 ? t("lock.wait_seconds", { count: s }) : t("lock.wait_minutes", { count: Math.ceil(s / 60) });
}

// A forgotten passcode has two ways out, both through a phone that starts afresh: erase
// what is sealed here, then restore a backup or pair again (Settings offers both on a phone
// with no Hearth data; the partner's phone welcomes this one with "My partner has a new
// phone"). Erasing cannot tell the partner's phone: what would sign that is sealed too.
function forgotten() {
  const status = el("p", { class: "form-error", role: "alert" });
  const erase = el("button", { type: "button", class: "button button-wide" }, t("lock.erase"));
  const yes = el("button", { type: "button", class: "button button-primary", hidden: true }, t("lock.erase_sure"));
  erase.addEventListener("click", () => {
    erase.hidden = true;
    yes.hidden = false;
    yes.focus();
  });
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      const { eraseEverything } = await import("../device/ending.js");
      await eraseEverything();
      location.hash = "#/pair";
      location.reload();
    } catch {
      status.textContent = t("lock.erase_failed");
      yes.disabled = false;
    }
  });
  return el("details", { class: "card lock-forgotten" }, el("summary", {}, t("lock.forgotten")),
    el("p", {}, t("lock.forgotten_ways")),
    el("p", {}, t("lock.forgotten_erasing")),
    erase, yes, status);
}

/** Draw the lock screen in `outlet`; resolves once unlocked. */
export function showLockScreen(outlet, tabbar) {
  return new Promise((resolve) => {
    const lock = state.settings();
    if (tabbar) tabbar.hidden = true;
    outlet.dataset.view = "lock";
    const field = el("input", { id: "lock-passcode", type: "password", autocomplete: "current-password",
      class: "input", "aria-describedby": "lock-message" });
    const message = el("p", { id: "lock-message", class: "hint", role: "status", "aria-live": "polite" });
    const submit = el("button", { type: "submit", class: "button button-primary button-wide" }, t("lock.unlock"));
    const screenLock = el("button", { type: "button", class: "button button-wide", hidden: true },
      t("lock.screen_lock"));
    let waitTimer = null;

    async function showWait() {
      const left = await state.waitLeft();
      clearTimeout(waitTimer);
      submit.disabled = left > 0;
      screenLock.disabled = left > 0;
      if (left > 0) {
        message.textContent = waitWords(left);
        waitTimer = setTimeout(showWait, Math.min(left, 1000));
      } else if (message.dataset.waiting) {
        message.textContent = "";
      }
      message.dataset.waiting = left > 0 ? "yes" : "";
    }

    async function attempt(passcode) {
      performance.mark("hearth-unlock");   // from here to Home drawn: bench/app_lock.py
      submit.disabled = true;
      screenLock.disabled = true;
      message.textContent = t("lock.unlocking");
      try {
        await state.unlock(passcode);
        clearTimeout(waitTimer);
        if (tabbar) tabbar.hidden = false;
        outlet.replaceChildren();
        resolve();
      } catch (err) {
        field.value = "";
        submit.disabled = false;
        screenLock.disabled = false;
        message.textContent = err.code === "wait" ? waitWords(err.wait)
          : err.name === "WrongPasscode" ? t("lock.wrong")
            : err.name === "NotAllowedError" ? t("lock.cancelled")
              : err.message;
        await showWait();
        field.focus();
      }
    }

    const form = el("form", { class: "card", onsubmit: (e) => { e.preventDefault(); if (field.value) attempt(field.value); } },
      el("label", { for: "lock-passcode" }, t("lock.passcode")), field, el("div", { class: "stack" }, submit, screenLock, message));
    screenLock.addEventListener("click", () => attempt(null));
    outlet.replaceChildren(viewHeader(t("lock.title"), t("lock.lede")),
      form,
      forgotten());
    lock.then((l) => { screenLock.hidden = !l?.prf; });
    showWait();
    field.focus();
  });
}
