// Settings → App lock: off by default; on, everything Hearth keeps on this phone is sealed
// and opens only with a passcode (or the phone's own screen lock, where it can give a key).
import { t } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import * as keys from "../../lock/keys.js";
import * as state from "../../lock/state.js";

const WAYS_OUT = t("lock_card.ways_out");

function passcodeField(id, label, autocomplete) {
  return [el("label", { for: id }, label),
    el("input", { id, type: "password", class: "input", autocomplete, required: true })];
}

function turnOnForm(card, redraw) {
  const message = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "stack", onsubmit: async (e) => {
    e.preventDefault();
    const [first, again] = [form.querySelector("#lock-new").value, form.querySelector("#lock-again").value];
    const problem = keys.passcodeProblem(first) || (first !== again ? t("lock_card.passcodes_differ") : null);
    if (problem) { message.textContent = problem; return; }
    message.textContent = t("lock_card.sealing");
    form.querySelector("button[type=submit]").disabled = true;
    try {
      await state.turnOn(first);
      redraw({ justOn: true });
    } catch (err) {
      message.textContent = t("lock_card.turn_on_failed", { reason: err.message });
      form.querySelector("button[type=submit]").disabled = false;
    }
  } },
  ...passcodeField("lock-new", t("lock_card.passcode_choose"), "new-password"),
  ...passcodeField("lock-again", t("lock_card.passcode_again"), "new-password"),
  el("p", { class: "notice" }, WAYS_OUT),
  el("p", { class: "hint" }, t("lock_card.old_copies")),
  el("button", { type: "submit", class: "button button-primary button-wide" }, t("lock_card.turn_on")),
  message);
  card.append(form);
  form.querySelector("#lock-new").focus();
}

function screenLockOffer(lock) {
  const message = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "button button-wide", onclick: async () => {
    button.disabled = true;
    message.textContent = t("lock_card.follow_prompt");
    try {
      await state.addScreenLock();
      message.textContent = t("lock_card.screen_lock_added");
      button.remove();
    } catch (err) {
      button.disabled = false;
      message.textContent = err.name === "NotAllowedError" ? t("lock_card.screen_lock_cancelled")
        : err.message;
    }
  } }, t("lock_card.screen_lock_offer"));
  const wrap = el("div", { class: "form-actions" }, message);
  if (lock.prf) message.textContent = t("lock_card.screen_lock_on");
  else keys.screenLockMaybe().then((maybe) => { if (maybe) wrap.prepend(button); });
  return wrap;
}

// Keys an earlier version made can't be sealed (docs/app-lock.md): said plainly, with the way round.
const OLD_KEYS = t("lock_card.old_keys");

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
    message.textContent = t("lock_card.opening");
    try {
      await state.turnOff(off.querySelector("#lock-off").value);
      redraw({});
    } catch (err) {
      message.textContent = err.name === "WrongPasscode" ? t("lock_card.wrong_passcode") : err.message;
    }
  } }, ...passcodeField("lock-off", t("lock_card.passcode"), "current-password"),
  el("button", { type: "submit", class: "button button-wide" }, t("lock_card.turn_off")), message);
  card.append(
    el("p", {}, justOn ? t("lock_card.just_on") : t("lock_card.on")),
    oldKeysNote(),
    screenLockOffer(lock),
    el("div", { class: "stack" },
      el("label", { for: "lock-timeout" }, t("lock_card.timeout")), timeout,
      el("button", { type: "button", class: "button button-primary button-wide", onclick: () => state.lockNow() }, t("lock_card.lock_now")),
      el("p", { class: "hint" }, WAYS_OUT)),
    el("details", {}, el("summary", {}, t("lock_card.turn_off")), off));
}

/** The "App lock" card. */
export function lockCard() {
  const card = el("section", { class: "card", "aria-labelledby": "lock-title" });
  async function redraw({ justOn = false } = {}) {
    const lock = await state.settings();
    card.replaceChildren(el("h2", { id: "lock-title", tabindex: "-1" }, t("lock_card.title")));
    if (lock) return onCard(card, lock, redraw, justOn);
    card.append(el("p", {}, t("lock_card.off")),
    el("button", { type: "button", class: "button button-wide", onclick: (e) => { e.target.remove(); turnOnForm(card, redraw); } },
      t("lock_card.set_up")));
  }
  redraw();
  return card;
}
