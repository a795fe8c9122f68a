// The lock screen: nothing of Hearth's is read until the passcode (or the phone's own
// screen lock) opens the data key. Wrong passcodes wait longer each time, never erase.
import { el, viewHeader } from "../shell/dom.js";
import * as state from "./state.js";

const seconds = (ms) => Math.ceil(ms / 1000);

function waitWords(ms) {
  const s = seconds(ms);
  return s < 90 ? `Please wait ${s} seconds before trying again.` : `Please wait ${Math.ceil(s / 60)} minutes before trying again.`;
}

// A forgotten passcode has two ways out, both through a phone that starts afresh: erase
// what is sealed here, then restore a backup or pair again (Settings offers both on a phone
// with no Hearth data; the partner's phone welcomes this one with "My partner has a new
// phone"). Erasing cannot tell the partner's phone: what would sign that is sealed too.
function forgotten() {
  const status = el("p", { class: "form-error", role: "alert" });
  const erase = el("button", { type: "button", class: "button button-wide" }, "Erase this phone and start again");
  const yes = el("button", { type: "button", class: "button button-primary", hidden: true }, "Yes, erase everything here");
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
      status.textContent = "Hearth couldn't erase this phone just now. Close other Hearth tabs, then try again.";
      yes.disabled = false;
    }
  });
  return el("details", { class: "card lock-forgotten" }, el("summary", {}, "Forgotten the passcode?"),
    el("p", {}, "Nobody can open what's here without it, not even us. There are two ways out: " +
      "restore from a backup, or erase Hearth from this phone and pair again. Your partner's phone keeps " +
      "what you shared."),
    el("p", {}, "Erasing deletes everything on this phone, and it can't be undone. Afterwards, Settings lets you " +
      "restore a backup, or pair again: your partner welcomes this phone with “My partner has a new phone”."),
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
    const submit = el("button", { type: "submit", class: "button button-primary button-wide" }, "Unlock");
    const screenLock = el("button", { type: "button", class: "button button-wide", hidden: true },
      "Use this phone's screen lock");
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
      message.textContent = "Unlocking…";
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
          : err.name === "WrongPasscode" ? "That isn't the passcode. Take your time and try again."
            : err.name === "NotAllowedError" ? "The phone's screen lock was cancelled. You can use the passcode instead."
              : err.message;
        await showWait();
        field.focus();
      }
    }

    const form = el("form", { class: "card", onsubmit: (e) => { e.preventDefault(); if (field.value) attempt(field.value); } },
      el("label", { for: "lock-passcode" }, "Passcode"), field, el("div", { class: "stack" }, submit, screenLock, message));
    screenLock.addEventListener("click", () => attempt(null));
    outlet.replaceChildren(viewHeader("Hearth is locked", "Everything here stays sealed until you unlock it."),
      form,
      forgotten());
    lock.then((l) => { screenLock.hidden = !l?.prf; });
    showWait();
    field.focus();
  });
}
