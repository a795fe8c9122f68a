// Settings → App lock: off by default; on, everything Hearth keeps on this phone is sealed
// and opens only with a passcode (or the phone's own screen lock, where it can give a key).
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import * as keys from "../../lock/keys.js";
import * as state from "../../lock/state.js";

await useWords("settings");

const WAYS_OUT = t("settings.lock_ways_out");

// The wait before locking, in this language ("5 minutes"): lock/state.js keeps only the times.
const waitWords = (ms) => (ms >= 3_600_000 ? t("settings.lock_hours", { count: ms / 3_600_000 })
  : t("settings.lock_minutes", { count: ms / 60_000 }));

function passcodeField(id, label, autocomplete) {
  return [el("label", { for: id }, label),
    el("input", { id, type: "password", class: "input", autocomplete, required: true })];
}

function turnOnForm(card, redraw) {
  const message = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "stack", onsubmit: async (e) => {
    e.preventDefault();
    const [first, again] = [form.querySelector("#lock-new").value, form.querySelector("#lock-again").value];
    const problem = keys.passcodeProblem(first) || (first !== again ? t("settings.lock_passcodes_differ") : null);
    if (problem) { message.textContent = problem; return; }
    message.textContent = t("settings.lock_sealing");
    form.querySelector("button[type=submit]").disabled = true;
    try {
      await state.turnOn(first);
      redraw({ justOn: true });
    } catch (err) {
      message.textContent = t("settings.lock_turn_on_failed", { reason: err.message });
      form.querySelector("button[type=submit]").disabled = false;
    }
  } },
  ...passcodeField("lock-new", t("settings.lock_passcode_choose"), "new-password"),
  ...passcodeField("lock-again", t("settings.lock_passcode_again"), "new-password"),
  el("p", { class: "notice" }, WAYS_OUT),
  el("p", { class: "hint" }, t("settings.lock_old_copies")),
  el("button", { type: "submit", class: "button button-primary button-wide" }, t("settings.lock_turn_on")),
  message);
  card.append(form);
  form.querySelector("#lock-new").focus();
}

function screenLockOffer(lock) {
  const message = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "button button-wide", onclick: async () => {
    button.disabled = true;
    message.textContent = t("settings.lock_follow_prompt");
    try {
      await state.addScreenLock();
      message.textContent = t("settings.lock_screen_lock_added");
      button.remove();
    } catch (err) {
      button.disabled = false;
      message.textContent = err.name === "NotAllowedError" ? t("settings.lock_screen_lock_cancelled")
        : err.message;
    }
  } }, t("settings.lock_screen_lock_offer"));
  const wrap = el("div", { class: "form-actions" }, message);
  if (lock.prf) message.textContent = t("settings.lock_screen_lock_on");
  else keys.screenLockMaybe().then((maybe) => { if (maybe) wrap.prepend(button); });
  return wrap;
}

// Keys an earlier version made can't be sealed (docs/app-lock.md): said plainly, with the way round.
const OLD_KEYS = t("settings.lock_old_keys");

function oldKeysNote() {
  const note = el("p", { class: "notice lock-old-keys", hidden: true }, OLD_KEYS);
  state.keysLeftClear().then((names) => { note.hidden = names.length === 0; }).catch(() => {});
  return note;
}

function onCard(card, lock, redraw, justOn) {
  const timeout = el("select", { id: "lock-timeout", class: "input", onchange: () =>
    state.changeSettings({ timeoutMs: Number(timeout.value) }) },
  state.TIMEOUTS.map(([ms]) => el("option", { value: ms, selected: ms === (lock.timeoutMs ?? state.DEFAULT_TIMEOUT_MS) }, waitWords(ms))));
  const message = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const off = el("form", { class: "stack", onsubmit: async (e) => {
    e.preventDefault();
    message.textContent = t("settings.lock_opening");
    try {
      await state.turnOff(off.querySelector("#lock-off").value);
      redraw({});
    } catch (err) {
      message.textContent = err.name === "WrongPasscode" ? t("settings.lock_wrong_passcode") : err.message;
    }
  } }, ...passcodeField("lock-off", t("settings.lock_passcode"), "current-password"),
  el("button", { type: "submit", class: "button button-wide" }, t("settings.lock_turn_off")), message);
  card.append(
    el("p", {}, justOn ? t("settings.lock_just_on") : t("settings.lock_on")),
    oldKeysNote(),
    screenLockOffer(lock),
    el("div", { class: "stack" },
      el("label", { for: "lock-timeout" }, t("settings.lock_timeout")), timeout,
      el("button", { type: "button", class: "button button-primary button-wide", onclick: () => state.lockNow() }, t("settings.lock_lock_now")),
      el("p", { class: "hint" }, WAYS_OUT)),
    el("details", {}, el("summary", {}, t("settings.lock_turn_off")), off));
}

/** The "App lock" card. */
export function lockCard() {
  const card = el("section", { class: "card", "aria-labelledby": "lock-title" });
  async function redraw({ justOn = false } = {}) {
    const lock = await state.settings();
    card.replaceChildren(el("h2", { id: "lock-title", tabindex: "-1" }, t("settings.lock_title")));
    if (lock) return onCard(card, lock, redraw, justOn);
    card.append(el("p", {}, t("settings.lock_off")),
    el("button", { type: "button", class: "button button-wide", onclick: (e) => { e.target.remove(); turnOnForm(card, redraw); } },
      t("settings.lock_set_up")));
  }
  redraw();
  return card;
}
