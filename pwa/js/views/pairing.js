// The pairing screens (pairing/ does the steps): show a code, scan one, or open a link;
// then compare safety codes. They live on the Settings screen (settings.js, route #/pair).
// Scanning and pasting are in pairing-scan.js; both then join as a link opened here does.
import { parsePairingLink } from "../core/pairing-link.js";
import { WORDS, cancelInvite, cancelJoin, confirmInvite, invite, join, pairingMessage, resumeJoin,
  stopShowing } from "../pairing/index.js";

export { pendingPairing } from "../pairing/index.js";
import { linkReason } from "../pairing/link-words.js";
import { t, useWords } from "../i18n/index.js";
import { el } from "../shell/dom.js";
import { syncedNow } from "../sync/engine.js";
import { pasteForm as pasteFormJoining, problem, scanCode as scanCodeJoining } from "./pairing-scan.js";
import { movingHere } from "./settings/move.js";

await useWords("settings");
await useWords("pairing");

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
    el("h2", { id: "again-title", tabindex: "-1" }, t("pairing.stopped_title")),
    el("p", {}, message),
    inviter
      ? el("button", { type: "button", class: "button button-primary button-wide", onclick: () => { cleanup = showCode(slot, options); } },
        t("pairing.show_new_code"))
      : el("a", { class: "button button-wide", href: "#/pair" }, t("pairing.back_to_pairing"))));
  focusHeading(slot);
}

let cleanup = null;   // the flow a "Show a new code" button started, for the screen to end

// The inviter compares: the numbers, then "They match" (the only way to pair) or "They're different".
// Welcoming a partner's new phone (`options.replace`) or moving to my own (`options.move`),
// "They match" ends in options.onDone().
function compareAsInviter(slot, code, options = {}) {
  const actions = el("div", { class: "form-actions" });
  const status = el("p", { class: "hint", role: "status" }, t("pairing.compare_only_if_same"));
  // The ids are how tests find these in any language.
  const match = el("button", { type: "button", id: "pair-match", class: "button button-primary" }, t("pairing.they_match"));
  const differ = el("button", { type: "button", class: "button button-quiet" }, t("pairing.they_differ"));
  actions.append(match, differ);
  slot.replaceChildren(el("section", { class: "card safety", "aria-labelledby": "safety-title" },
    el("h2", { id: "safety-title", tabindex: "-1" }, t("pairing.compare_title")),
    el("p", {}, t(options.move ? "pairing.compare_my_new" : options.replace ? "pairing.compare_partner_new" : "pairing.compare_partner")),
    codeLine(code), status, actions));
  focusHeading(slot);
  match.addEventListener("click", async () => {
    match.disabled = differ.disabled = true;
    status.textContent = t("pairing.finishing");
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
  const differ = el("button", { type: "button", class: "button button-quiet" }, t("pairing.they_differ"));
  slot.replaceChildren(el("section", { class: "card safety", "aria-labelledby": "safety-title" },
    el("h2", { id: "safety-title", tabindex: "-1" }, t("pairing.compare_title")),
    replaces ? el("p", { class: "taking-place" }, t("pairing.joiner_taking_place")) : null,
    move ? el("p", { class: "taking-place" }, t("pairing.joiner_moving_here")) : null,
    el("p", {}, t("pairing.compare_joiner")),
    codeLine(code),
    move ? null : el("p", { class: "working", role: "status" }, t("pairing.joiner_waiting")),
    el("div", { class: "form-actions" }, differ)));
  focusHeading(slot);
  differ.addEventListener("click", async () => {
    done = true;
    differ.disabled = true;
    await cancelJoin();
    startAgain(slot, t("pairing.mismatch_joiner"), { inviter: false });
  });
  waiting.then(() => { if (!done) (move ? movingHere(slot) : pairedAsJoiner(slot, replaces)); },
    (err) => { if (!done) startAgain(slot, err.stopped ? err.message : pairingMessage(err), { inviter: false }); });
}

function pairedAsJoiner(slot, replaces = null) {
  slot.replaceChildren(el("section", { class: "card", "aria-labelledby": "paired-title" },
    el("h2", { id: "paired-title", tabindex: "-1" }, t("pairing.paired_title")),
    el("p", {}, t(replaces ? "pairing.paired_in_place_text" : "pairing.paired_text")),
    el("a", { id: "pair-continue", class: "button button-primary button-wide", href: "#/home" }, t("pairing.continue"))));
  focusHeading(slot);
}

async function runJoin(slot, link) {
  slot.replaceChildren(el("p", { class: "working", role: "status" }, t("pairing.joining")));
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
    slot.replaceChildren(problem(t("pairing.link_unusable", { reason: linkReason(err) }), null));
    return;
  }
  slot.replaceChildren(el("section", { class: "card", "aria-labelledby": "invited-title" },
    el("h2", { id: "invited-title", tabindex: "-1" }, t("pairing.invited_title")),
    el("p", {}, t("pairing.invited_text")),
    el("button", { type: "button", id: "pair-join", class: "button button-primary button-wide", onclick: () => runJoin(slot, link) },
      t("pairing.invited_pair")),
    el("a", { class: "button button-quiet button-wide", href: "#/home" }, t("pairing.invited_not_now"))));
}

// The QR code's drawing library loads only when a code is to be shown (it is precached all
// the same), so the app opens without it.
const drawQr = () => import("../pairing/qr-code.js");

function qrFrame(link) {
  const frame = el("div", { class: "qr-frame" });
  drawQr().then(({ qrSvg }) => frame.append(qrSvg(link, { label: t("pairing.qr_label") })));
  return frame;
}

// Show a code, for a first pairing, or with `options.replace` for the partner's new phone to
// take their lost one's place (§11.3), or with `options.move` for my own new phone to take
// everything (§11.4); then `options.onDone()` once it has.
export function showCode(slot, options = {}) {
  const { replace = false, move = false } = options;
  drawQr().catch(() => {});   // while the relay makes the code
  const waiting = el("p", { class: "working", role: "status" }, t("pairing.making_code"));
  slot.replaceChildren(waiting);
  let timer = null;
  let comparing = false;
  const stopped = (message) => { if (comparing) startAgain(slot, message, { inviter: true, options }); };
  // Welcoming a new phone, this one first takes in whatever the lost one sent in time (§11.3);
  // moving, it takes in what the partner sent, so the stream carries the latest (§11.4).
  const ready = replace || move ? syncedNow() : Promise.resolve();
  ready.then(() => invite(location.origin, { replace, move, onStopped: stopped, onLink: (link, expiresAt) => {
    const linkField = el("input", { id: "pair-link", class: "link-field", readonly: true, value: link });
    const copy = el("button", { type: "button", class: "button button-small" }, t("pairing.copy_link"));
    copy.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(link); copy.textContent = t("pairing.copied"); } catch { linkField.select(); }
    });
    const share = navigator.share ? el("button", { type: "button", class: "button button-small",
      onclick: () => navigator.share({ title: t("pairing.share_title"), url: link }).catch(() => {}) }, t("pairing.share_link")) : null;
    const left = el("span", { class: "countdown" });
    const tick = () => {
      const s = Math.max(0, Math.round(expiresAt - Date.now() / 1000));
      left.textContent = s ? t("pairing.code_minutes_left", { count: Math.ceil(s / 60) }) : t("pairing.code_expired");
    };
    tick();
    timer = setInterval(tick, 15000);
    slot.replaceChildren(el("section", { class: "card pair-show", "aria-labelledby": "show-title" },
      el("h2", { id: "show-title" },
        t(move ? "pairing.show_title_my_new" : replace ? "pairing.show_title_partner_new" : "pairing.show_title")),
      el("p", {}, t(move ? "pairing.show_how_my_new" : replace ? "pairing.show_how_partner_new" : "pairing.show_how")),
      qrFrame(link),
      el("p", { class: "working", role: "status" }, t(move ? "pairing.waiting_my_new" : "pairing.waiting_partner"), " ", left),
      el("details", { class: "link-details" },
        el("summary", {}, t("pairing.link_instead")),
        el("p", {}, t(move ? "pairing.link_instead_my_new" : "pairing.link_instead_text")),
        el("label", { for: "pair-link" }, t("pairing.link_label")), linkField,
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
export const scanCode = (slot, options = {}) => scanCodeJoining(slot, { ...options, join: runJoin });

/** A field for the link the partner sent, for when scanning isn't possible. */
export const pasteForm = (slot) => pasteFormJoining(slot, runJoin);
