// Scanning the partner's code with the camera, and pasting the link they sent (the way
// offered when the camera can't be used). Both hand the link to views/pairing.js's join,
// which goes on as for a link opened on this phone.
import { parsePairingLink } from "../core/pairing-link.js";
import { t, useWords } from "../i18n/index.js";
import { linkReason } from "../pairing/link-words.js";
import { scan } from "../pairing/scanner.js";
import { el } from "../shell/dom.js";

await useWords("pairing");

const isLink = (text) => { try { parsePairingLink(text); return true; } catch { return false; } };

// What went wrong, with a way to try again and, where there is one, back (pairing.js uses it too).
export function problem(message, retry, retryLabel = t("pairing.try_again"), back = null) {
  return el("div", { class: "notice notice-problem", role: "alert" },
    el("p", {}, message),
    el("div", { class: "form-actions" },
      retry ? el("button", { type: "button", class: "button button-small", onclick: retry }, retryLabel) : null,
      back ? el("button", { type: "button", class: "button button-small button-quiet", onclick: back }, t("pairing.back_to_ways")) : null));
}

/** Scanning the partner's code; `back` returns to the ways to pair (Cancel, or after a
 * problem), and `join(slot, link)` pairs with the link the camera read. */
export function scanCode(slot, { join, back = () => { location.hash = "#/pair"; } }) {
  const video = el("video", { class: "scanner-video", playsinline: true, muted: true, "aria-label": t("pairing.camera_view") });
  const status = el("p", { class: "working", role: "status" }, t("pairing.camera_starting"));
  const cancel = el("button", { type: "button", class: "button button-quiet" }, t("pairing.scan_cancel"));
  slot.replaceChildren(el("section", { class: "card", "aria-labelledby": "scan-title" },
    el("h2", { id: "scan-title" }, t("pairing.scan_title")),
    el("div", { class: "scanner" }, video), status, cancel));
  const scanning = scan(video, isLink);
  video.addEventListener("playing", () => { status.textContent = t("pairing.camera_hold"); }, { once: true });
  cancel.addEventListener("click", () => { scanning.stop(); back(); });
  scanning.result.then((link) => join(slot, link)).catch((err) => {
    if (err.kind === "stopped") return;
    const help = { denied: "pairing.camera_denied", "no-camera": "pairing.camera_none",
      unsupported: "pairing.camera_unsupported" }[err.kind] || "pairing.camera_failed";
    slot.replaceChildren(problem(t(help), () => scanCode(slot, { join, back }), t("pairing.try_again"), back), pasteForm(slot, join));
  });
  return () => scanning.stop();
}

/** The link the partner sent, pasted; `join(slot, link)` pairs with it once it parses. */
export function pasteForm(slot, join) {
  // The placeholder is the shape of a link, the same in every language.
  const input = el("input", { id: "paste-link", autocomplete: "off", inputmode: "url", placeholder: "https://…/#/pair?v=1…" });
  const error = el("p", { class: "form-error", role: "alert" });
  const form = el("form", { class: "card paste", novalidate: true },
    el("label", { for: "paste-link" }, t("pairing.paste_label")), input, error,
    el("button", { type: "submit", class: "button" }, t("pairing.paste_pair")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      parsePairingLink(input.value);
    } catch (err) {
      error.textContent = t("pairing.paste_unusable", { reason: linkReason(err) });
      return;
    }
    join(slot, input.value.trim());
  });
  return form;
}
