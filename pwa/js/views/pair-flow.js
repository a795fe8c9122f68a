// The pairing screens: show a code, scan one, or open a link; then compare safety codes.
import { parsePairingLink } from "../core/pairing-link.js";
import { forgetEverything } from "../data/db.js";
import { qrSvg } from "../pair/qr-code.js";
import { scan } from "../pair/scanner.js";
import { el } from "../shell/dom.js";
import { invite, join, pairingMessage, stopShowing } from "../sync/pairing.js";

const isLink = (text) => { try { parsePairingLink(text); return true; } catch { return false; } };

function problem(message, retry) {
  return el("div", { class: "notice notice-problem", role: "alert" },
    el("p", {}, message),
    retry ? el("button", { type: "button", class: "button button-small", onclick: retry }, "Try again") : null);
}

export function safetyCodeCard(code, { onMatch, fresh = true } = {}) {
  const digits = code.replace(/\s/g, "");
  const card = el("section", { class: "card safety", "aria-labelledby": "safety-title" },
    el("h2", { id: "safety-title" }, fresh ? "You're paired. One last check" : "Your safety code"),
    el("p", {}, fresh ? "Look at both phones together. They should show the same six numbers."
      : "Both phones show these numbers. If you ever pair again, compare them once more."),
    el("p", { class: "safety-code", "aria-label": `Safety code ${digits.split("").join(" ")}` }, code));
  if (fresh) {
    const answer = el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary", onclick: onMatch }, "They match"),
      el("button", { type: "button", class: "button button-quiet", onclick: () => answer.replaceChildren(
        el("p", {}, "Then something came between your phones, and it's safest not to use this pairing. " +
          "Start again on both phones, ideally on a different network."),
        el("button", { type: "button", class: "button", onclick: async () => { await forgetEverything(); location.replace("/#/pair"); } },
          "Undo pairing on this phone")) }, "They're different"));
    card.append(answer);
  }
  return card;
}

// Where the flow ends: the safety code, then home once the partners say it matches.
function paired(slot, code) {
  slot.replaceChildren(safetyCodeCard(code, { onMatch: () => { location.hash = "#/home"; } }));
  slot.querySelector("h2")?.focus?.();
}

async function runJoin(slot, link) {
  slot.replaceChildren(el("p", { class: "working", role: "status" }, "Pairing with your partner's phone…"));
  try {
    paired(slot, await join(link));
  } catch (err) {
    slot.replaceChildren(problem(pairingMessage(err), null));
  }
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

export function showCode(slot) {
  const waiting = el("p", { class: "working", role: "status" }, "Making a code…");
  slot.replaceChildren(waiting);
  let timer = null;
  invite(location.origin, (link, expiresAt) => {
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
      el("h2", { id: "show-title" }, "Let your partner scan this"),
      el("p", {}, "On their phone: open Hearth and choose “Scan my partner's code”, or just point the camera app at it."),
      el("div", { class: "qr-frame" }, qrSvg(link, { label: "Pairing code for your partner to scan" })),
      el("p", { class: "working", role: "status" }, "Waiting for your partner… ", left),
      el("details", { class: "link-details" },
        el("summary", {}, "Pair by link instead"),
        el("p", {}, "If scanning is awkward, send this link to your partner's phone another private way."),
        el("label", { for: "pair-link" }, "Pairing link"), linkField,
        el("div", { class: "form-actions" }, copy, share))));
  }).then((code) => { clearInterval(timer); paired(slot, code); })
    .catch((err) => { clearInterval(timer); slot.replaceChildren(problem(pairingMessage(err), () => showCode(slot))); });
  // Leaving the screen closes this code's connection; if the partner still scans it, the
  // sync engine's own connection receives the request and finishes pairing.
  return () => { clearInterval(timer); stopShowing(); };
}

export function scanCode(slot) {
  const video = el("video", { class: "scanner-video", playsinline: true, muted: true, "aria-label": "Camera view" });
  const status = el("p", { class: "working", role: "status" }, "Starting the camera…");
  const cancel = el("button", { type: "button", class: "button button-quiet" }, "Cancel");
  slot.replaceChildren(el("section", { class: "card", "aria-labelledby": "scan-title" },
    el("h2", { id: "scan-title" }, "Scan your partner's code"),
    el("div", { class: "scanner" }, video), status, cancel));
  const scanning = scan(video, isLink);
  video.addEventListener("playing", () => { status.textContent = "Hold the camera up to the code on your partner's phone."; }, { once: true });
  cancel.addEventListener("click", () => { scanning.stop(); location.hash = "#/pair"; });
  scanning.result.then((link) => runJoin(slot, link)).catch((err) => {
    if (err.kind === "stopped") return;
    const help = {
      denied: "Hearth can't use the camera because permission was turned off. You can allow it in your browser's site settings, or ask your partner to share the link instead.",
      "no-camera": "There doesn't seem to be a camera Hearth can use. Your partner can share the link instead.",
      unsupported: "This browser can't use the camera here. Your partner can share the link instead.",
    }[err.kind] || "The camera didn't start. You can try again, or ask your partner to share the link instead.";
    slot.replaceChildren(problem(help, () => scanCode(slot)), pasteForm(slot));
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
