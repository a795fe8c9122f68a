// Settings → App lock: off by default; on, everything Hearth keeps on this phone is sealed
// and opens only with a passcode (or the phone's own screen lock, where it can give a key).
import { el } from "../../shell/dom.js";
import * as keys from "../../lock/keys.js";
import * as state from "../../lock/state.js";

const WAYS_OUT = "If you forget the passcode, nobody can open what's here, not even us. There are exactly two " +
  "ways out: restore from a backup, or erase Hearth from this phone and pair again.";

function passcodeField(id, label, autocomplete) {
  return [el("label", { for: id }, label),
    el("input", { id, type: "password", class: "input", autocomplete, required: true })];
}

function turnOnForm(card, redraw) {
  const message = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "stack", onsubmit: async (e) => {
    e.preventDefault();
    const [first, again] = [form.querySelector("#lock-new").value, form.querySelector("#lock-again").value];
    const problem = keys.passcodeProblem(first) || (first !== again ? "The two don't match. Try typing them again." : null);
    if (problem) { message.textContent = problem; return; }
    message.textContent = "Sealing what's on this phone…";
    form.querySelector("button[type=submit]").disabled = true;
    try {
      await state.turnOn(first);
      redraw({ justOn: true });
    } catch (err) {
      message.textContent = `The lock didn't turn on, and nothing changed: ${err.message}`;
      form.querySelector("button[type=submit]").disabled = false;
    }
  } },
  ...passcodeField("lock-new", "Choose a passcode (six digits or more, or a passphrase)", "new-password"),
  ...passcodeField("lock-again", "Type it again", "new-password"),
  el("p", { class: "notice" }, WAYS_OUT),
  el("p", { class: "hint" }, "What's already here is sealed too. The browser may keep old copies of it in its own " +
    "files for a while, until it tidies them away; everything written from now on is only ever kept sealed."),
  el("button", { type: "submit", class: "button button-primary button-wide" }, "Turn on the app lock"),
  message);
  card.append(form);
  form.querySelector("#lock-new").focus();
}

function screenLockOffer(lock) {
  const message = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "button button-wide", onclick: async () => {
    button.disabled = true;
    message.textContent = "Follow your phone's own prompt…";
    try {
      await state.addScreenLock();
      message.textContent = "Done: you can unlock Hearth with this phone's screen lock, or the passcode.";
      button.remove();
    } catch (err) {
      button.disabled = false;
      message.textContent = err.name === "NotAllowedError" ? "That was cancelled. The passcode still works as before."
        : err.message;
    }
  } }, "Also unlock with this phone's screen lock");
  const wrap = el("div", { class: "form-actions" }, message);
  if (lock.prf) message.textContent = "You can unlock with this phone's screen lock, or the passcode.";
  else keys.screenLockMaybe().then((maybe) => { if (maybe) wrap.prepend(button); });
  return wrap;
}

// Keys an earlier version made can't be sealed (docs/app-lock.md): said plainly, with the way round.
const OLD_KEYS = "This phone's keys for talking to your partner's phone were made by an earlier version of " +
  "Hearth, in a way that can't be sealed, so they stay readable in the browser's own files. What you've written " +
  "is sealed all the same. To seal the keys too: save a backup, erase Hearth from this phone, turn the app " +
  "lock on again, then restore the backup and join your partner with \u201cMy partner has a new phone\u201d " +
  "on their phone.";

function oldKeysNote() {
  const note = el("p", { class: "notice lock-old-keys", hidden: true }, OLD_KEYS);
  state.keysLeftClear().then((names) => { note.hidden = names.length === 0; }).catch(() => {});
  return note;
}

function onCard(card, lock, redraw, justOn) {
  const timeout = el("select", { id: "lock-timeout", class: "input", onchange: () =>
    state.changeSettings({ timeoutMs: Number(timeout.value) }) },
  state.TIMEOUTS.map(([ms, words]) => el("option", { value: ms, selected: ms === (lock.timeoutMs ?? state.DEFAULT_TIMEOUT_MS) }, words)));
  const message = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const off = el("form", { class: "stack", onsubmit: async (e) => {
    e.preventDefault();
    message.textContent = "Opening what's on this phone…";
    try {
      await state.turnOff(off.querySelector("#lock-off").value);
      redraw({});
    } catch (err) {
      message.textContent = err.name === "WrongPasscode" ? "That isn't the passcode, so the lock stays on." : err.message;
    }
  } }, ...passcodeField("lock-off", "Passcode", "current-password"),
  el("button", { type: "submit", class: "button button-wide" }, "Turn off the app lock"), message);
  card.append(
    el("p", {}, justOn ? "The app lock is on. Everything Hearth keeps on this phone is sealed while it's locked."
      : "On. While Hearth is locked, everything it keeps on this phone is sealed."),
    oldKeysNote(),
    screenLockOffer(lock),
    el("div", { class: "stack" },
      el("label", { for: "lock-timeout" }, "Lock after this long in the background"), timeout,
      el("button", { type: "button", class: "button button-primary button-wide", onclick: () => state.lockNow() }, "Lock now"),
      el("p", { class: "hint" }, WAYS_OUT)),
    el("details", {}, el("summary", {}, "Turn off the app lock"), off));
}

/** The "App lock" card. */
export function lockCard() {
  const card = el("section", { class: "card", "aria-labelledby": "lock-title" });
  async function redraw({ justOn = false } = {}) {
    const lock = await state.settings();
    card.replaceChildren(el("h2", { id: "lock-title", tabindex: "-1" }, "App lock"));
    if (lock) return onCard(card, lock, redraw, justOn);
    card.append(el("p", {}, "Off. Turn it on to keep everything here sealed on this phone, opened only with " +
      "a passcode you choose."),
    el("button", { type: "button", class: "button button-wide", onclick: (e) => { e.target.remove(); turnOnForm(card, redraw); } },
      "Set up the app lock"));
  }
  redraw();
  return card;
}
