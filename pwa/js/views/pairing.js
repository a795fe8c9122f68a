// The pairing screens (pairing/ does the steps): show a code, scan one, or open a link;
// then compare safety codes. They live on the Settings screen (settings.js, route #/pair).
import { parsePairingLink } from "../core/pairing-link.js";
import { WORDS, cancelInvite, cancelJoin, confirmInvite, invite, join, pairingMessage, resumeJoin,
  stopShowing } from "../pairing/index.js";

export { pendingPairing } from "../pairing/index.js";
import { scan } from "../pairing/scanner.js";
import { t, useWords } from "../i18n/index.js";
import { el } from "../shell/dom.js";
import { syncedNow } from "../sync/engine.js";
import { movingHere } from "./settings/move.js";

await useWords("settings");

const isLink = (text) => { try { parsePairingLink(text); return true; } catch { return false; } };

function problem(message, retry, retryLabel = "Try again", back = null) {
  return el("div", { class: "notice notice-problem", role: "alert" },
    el("p", {}, message),
    el("div", { class: "form-actions" },
      retry ? el("button", { type: "button", class: "button button-small", onclick: retry }, retryLabel) : null,
      back ? el("button", { type: "button", class: "button button-small button-quiet", onclick: back }, "Back to the ways to pair") : null));
}

// The six numbers, big and read out digit by digit.
export function codeLine(code) {
  const digits = code.replace(/\s/g, "");
  return el("p", { class: "safety-code", "aria-label": t("settings.pairing_safety_code_label", { digits: digits.split("").join(" ") }) }, code);
}

// The paired phone's settings show the code it was paired with.
export function safetyCodeCard(code) {
  return el("section", { class: "card safety", "aria-labelledby": "safety-title" },
    el("h2", { id: "safety-title" }, t("settings.pairing_safety_title")),
    el("p", {}, t("settings.pairing_safety_text")),
    codeLine(code));
}

function focusHeading(slot) {
  slot.querySelector("h2")?.focus?.();
}

// Where a stopped pairing ends, on either phone: what it means, and a way to start again.
// `options` are the inviter's showCode options, so a new code is the same kind of code.
function startAgain(slot, message, { inviter, options = {} }) {
  slot.replaceChildren(el("section", { class: "card", "aria-labelledby": "again-title", role: "alert" },
    el("h2", { id: "again-title", tabindex: "-1" }, "Nothing has been shared"),
    el("p", {}, message),
    inviter
      ? el("button", { type: "button", class: "button button-primary button-wide", onclick: () => { cleanup = showCode(slot, options); } },
        "Show a new code")
      : el("a", { class: "button button-wide", href: "#/pair" }, "Back to pairing")));
  focusHeading(slot);
}

let cleanup = null;   // the flow a "Show a new code" button started, for the screen to end

// The inviter compares: the numbers, then "They match" (the only way to pair) or "They're different".
// Welcoming a partner's new phone (`options.replace`) or moving to my own (`options.move`),
// "They match" ends in options.onDone().
function compareAsInviter(slot, code, options = {}) {
  const actions = el("div", { class: "form-actions" });
  const status = el("p", { class: "hint", role: "status" },
    "Only tap “They match” if every number is the same. Nothing is shared until you do.");
  const match = el("button", { type: "button", class: "button button-primary" }, "They match");
  const differ = el("button", { type: "button", class: "button button-quiet" }, "They're different");
  actions.append(match, differ);
  slot.replaceChildren(el("section", { class: "card safety", "aria-labelledby": "safety-title" },
    el("h2", { id: "safety-title", tabindex: "-1" }, "Check the numbers together"),
    el("p", {}, `${options.move ? "Your new phone" : options.replace ? "Your partner's new phone" : "Your partner's phone"} ` +
      "now shows six numbers too. Hold the phones side by side and read them together."),
    codeLine(code), status, actions));
  focusHeading(slot);
  match.addEventListener("click", async () => {
    match.disabled = differ.disabled = true;
    status.textContent = "Finishing…";
    try {
      await confirmInvite();
      if (options.replace || options.move) options.onDone?.();
      else location.hash = "#/home";
    } catch (err) {
      if (err.stopped) startAgain(slot, err.message, { inviter: true, options });
      else {
        status.textContent = pairingMessage(err);
        match.disabled = differ.disabled = false;
      }
    }
  });
  differ.addEventListener("click", async () => {
    match.disabled = differ.disabled = true;
    await cancelInvite();
    startAgain(slot, WORDS.mismatch, { inviter: true, options });
  });
}

// The joiner compares too, and waits for the partner's tap; it can stop the pairing as well.
// `replaces` names the lost phone this one is to take the place of (§11.3), if any; `move`,
// that everything of my other phone is coming here (§11.4).
function compareAsJoiner(slot, code, waiting, replaces = null, move = false) {
  let done = false;
  const differ = el("button", { type: "button", class: "button button-quiet" }, "They're different");
  slot.replaceChildren(el("section", { class: "card safety", "aria-labelledby": "safety-title" },
    el("h2", { id: "safety-title", tabindex: "-1" }, "Check the numbers together"),
    replaces ? el("p", { class: "taking-place" }, "You're taking your earlier phone's place. Once your partner " +
      "confirms, everything the two of you have shared will come to this phone from theirs.") : null,
    move ? el("p", { class: "taking-place" }, "Everything from your other phone is moving here: what you've shared, " +
      "your private things and your settings. Tap “They match” on your other phone once the numbers are the same.") : null,
    el("p", {}, "These six numbers should be the same as the ones on your partner's phone."),
    codeLine(code),
    move ? null : el("p", { class: "working", role: "status" }, "When they match, your partner taps “They match” on their phone to finish."),
    el("div", { class: "form-actions" }, differ)));
  focusHeading(slot);
  differ.addEventListener("click", async () => {
    done = true;
    differ.disabled = true;
    await cancelJoin();
    startAgain(slot, `${WORDS.mismatch.replace(" You can start again with a new code whenever you're ready.", "")} ` +
      "When you're ready, ask your partner to show a new code.", { inviter: false });
  });
  waiting.then(() => { if (!done) (move ? movingHere(slot) : pairedAsJoiner(slot, replaces)); },
    (err) => { if (!done) startAgain(slot, err.stopped ? err.message : pairingMessage(err), { inviter: false }); });
}

function pairedAsJoiner(slot, replaces = null) {
  slot.replaceChildren(el("section", { class: "card", "aria-labelledby": "paired-title" },
    el("h2", { id: "paired-title", tabindex: "-1" }, "You're paired"),
    el("p", {}, replaces
      ? "Your partner saw the same numbers and confirmed: this phone has taken your earlier phone's place. Your " +
        "shared history is on its way from your partner's phone, and keeps coming even if you close Hearth."
      : "Your partner saw the same numbers and confirmed. From now on, what each of you chooses to share " +
        "travels between your two phones, privately."),
    el("a", { class: "button button-primary button-wide", href: "#/home" }, "Continue")));
  focusHeading(slot);
}

async function runJoin(slot, link) {
  slot.replaceChildren(el("p", { class: "working", role: "status" }, "Pairing with your partner's phone…"));
  let shown = false;
  const waiting = join(link, { onCode: (code, { replaces, move }) => {
    shown = true;
    compareAsJoiner(slot, code, waiting, replaces, move);
  } });
  waiting.catch((err) => {
    if (shown) return;   // the comparison card reports it
    if (err.stopped) startAgain(slot, err.message, { inviter: false });
    else slot.replaceChildren(problem(pairingMessage(err), null));
  });
}

// Leaving the pair screen ends whatever it started: a code on screen is withdrawn.
export function leavePairScreen() {
  cleanup?.();
  cleanup = null;
  stopShowing();
}

// The pair screen opened while a pairing waits on the comparison (after a reload, say).
// `options` are showCode's, for welcoming a partner's new phone.
export function resumeComparison(slot, pending, options = {}) {
  if (pending.role === "inviter") compareAsInviter(slot, pending.code, { ...options, replace: pending.replace, move: pending.move });
  else compareAsJoiner(slot, pending.code, resumeJoin(), pending.replaces, pending.move);
}

// Opened from a pairing link: ask before doing anything.
export function confirmLink(slot, link) {
  try {
    parsePairingLink(link);
  } catch (err) {
    slot.replaceChildren(problem(`This pairing link can't be used: ${err.message}. Ask your partner to show a new code.`, null));
    return;
  }
  slot.replaceChildren(el("section", { class: "card", "aria-labelledby": "invited-title" },
    el("h2", { id: "invited-title", tabindex: "-1" }, "Your partner has invited you"),
    el("p", {}, "Pairing connects this phone with theirs, so the things you each choose to share can travel between you, privately."),
    el("button", { type: "button", class: "button button-primary button-wide", onclick: () => runJoin(slot, link) },
      "Pair with my partner's phone"),
    el("a", { class: "button button-quiet button-wide", href: "#/home" }, "Not now")));
}

// The QR code's drawing library loads only when a code is to be shown (it is precached all
// the same), so the app opens without it.
const drawQr = () => import("../pairing/qr-code.js");

function qrFrame(link) {
  const frame = el("div", { class: "qr-frame" });
  drawQr().then(({ qrSvg }) => frame.append(qrSvg(link, { label: "Pairing code for your partner to scan" })));
  return frame;
}

// Show a code, for a first pairing, or with `options.replace` for the partner's new phone to
// take their lost one's place (§11.3), or with `options.move` for my own new phone to take
// everything (§11.4); then `options.onDone()` once it has.
export function showCode(slot, options = {}) {
  const { replace = false, move = false } = options;
  drawQr().catch(() => {});   // while the relay makes the code
  const waiting = el("p", { class: "working", role: "status" }, "Making a code…");
  slot.replaceChildren(waiting);
  let timer = null;
  let comparing = false;
  const stopped = (message) => { if (comparing) startAgain(slot, message, { inviter: true, options }); };
  // Welcoming a new phone, this one first takes in whatever the lost one sent in time (§11.3);
  // moving, it takes in what the partner sent, so the stream carries the latest (§11.4).
  const ready = replace || move ? syncedNow() : Promise.resolve();
  ready.then(() => invite(location.origin, { replace, move, onStopped: stopped, onLink: (link, expiresAt) => {
    const linkField = el("input", { id: "pair-link", class: "link-field", readonly: true, value: link });
    const copy = el("button", { type: "button", class: "button button-small" }, "Copy link");
    copy.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(link); copy.textContent = "Copied"; } catch { linkField.select(); }
    });
    const share = navigator.share ? el("button", { type: "button", class: "button button-small",
      onclick: () => navigator.share({ title: "Pair with me", url: link }).catch(() => {}) }, "Share link") : null;
    const left = el("span", { class: "countdown" });
    const tick = () => {
      const s = Math.max(0, Math.round(expiresAt - Date.now() / 1000));
      left.textContent = s ? `This code works for ${Math.ceil(s / 60)} more minute${s > 60 ? "s" : ""}.` : "This code has expired.";
    };
    tick();
    timer = setInterval(tick, 15000);
    slot.replaceChildren(el("section", { class: "card pair-show", "aria-labelledby": "show-title" },
      el("h2", { id: "show-title" }, move ? "Let your new phone scan this" : replace ? "Let your partner's new phone scan this"
        : "Let your partner scan this"),
      el("p", {}, move ? "On your new phone: point the camera app at it, or open Hearth there and choose “Scan my partner's code”."
        : replace ? "On their new phone: point the camera app at it, or open Hearth and choose “Scan my partner's code”."
          : "On their phone: open Hearth and choose “Scan my partner's code”, or just point the camera app at it."),
      qrFrame(link),
      el("p", { class: "working", role: "status" }, move ? "Waiting for your new phone… " : "Waiting for your partner… ", left),
      el("details", { class: "link-details" },
        el("summary", {}, "Pair by link instead"),
        el("p", {}, move ? "If scanning is awkward, open this link on your new phone instead."
          : "If scanning is awkward, send this link to your partner's phone another private way."),
        el("label", { for: "pair-link" }, "Pairing link"), linkField,
        el("div", { class: "form-actions" }, copy, share))));
  } })).then((code) => { clearInterval(timer); comparing = true; compareAsInviter(slot, code, options); })
    .catch((err) => {
      clearInterval(timer);
      if (err.stopped) startAgain(slot, err.message, { inviter: true, options });
      else slot.replaceChildren(problem(pairingMessage(err), () => { cleanup = showCode(slot, options); }));
    });
  // Leaving the screen withdraws this code, or the comparison under way: nothing is shared.
  return () => { clearInterval(timer); stopShowing(); };
}

/** Scanning the partner's code; `back` returns to the ways to pair (Cancel, or after a problem). */
export function scanCode(slot, { back = () => { location.hash = "#/pair"; } } = {}) {
  const video = el("video", { class: "scanner-video", playsinline: true, muted: true, "aria-label": "Camera view" });
  const status = el("p", { class: "working", role: "status" }, "Starting the camera…");
  const cancel = el("button", { type: "button", class: "button button-quiet" }, "Cancel");
  slot.replaceChildren(el("section", { class: "card", "aria-labelledby": "scan-title" },
    el("h2", { id: "scan-title" }, "Scan your partner's code"),
    el("div", { class: "scanner" }, video), status, cancel));
  const scanning = scan(video, isLink);
  video.addEventListener("playing", () => { status.textContent = "Hold the camera up to the code on your partner's phone."; }, { once: true });
  cancel.addEventListener("click", () => { scanning.stop(); back(); });
  scanning.result.then((link) => runJoin(slot, link)).catch((err) => {
    if (err.kind === "stopped") return;
    const help = {
      denied: "Hearth can't use the camera because permission was turned off. You can allow it in your browser's site settings, or ask your partner to share the link instead.",
      "no-camera": "There doesn't seem to be a camera Hearth can use. Your partner can share the link instead.",
      unsupported: "This browser can't use the camera here. Your partner can share the link instead.",
    }[err.kind] || "The camera didn't start. You can try again, or ask your partner to share the link instead.";
    slot.replaceChildren(problem(help, () => scanCode(slot, { back }), "Try again", back), pasteForm(slot));
  });
  return () => scanning.stop();
}

export function pasteForm(slot) {
  const input = el("input", { id: "paste-link", autocomplete: "off", inputmode: "url", placeholder: "https://…/#/pair?v=1…" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "card paste", novalidate: true },
    el("label", { for: "paste-link" }, "Paste the link your partner sent"), input, error,
    el("button", { type: "submit", class: "button" }, "Pair"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      parsePairingLink(input.value);
    } catch (err) {
      error.textContent = err.message.charAt(0).toUpperCase() + err.message.slice(1) + ".";
      return;
    }
    runJoin(slot, input.value.trim());
  });
  return form;
}
