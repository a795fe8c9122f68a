// "My partner has a new phone" (docs/protocol.md §11.3), on the Settings screen: what it
// means, asked first, then the same code and six numbers as first pairing; afterwards how
// the shared history's journey to the new phone stands, on either phone, until it is done.
import { handOverLine } from "../../core/succession.js";
import { changes } from "../../device/changes.js";
import { handOver } from "../../device/succession.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import * as engine from "../../sync/engine.js";
import { askFirst } from "./ask-first.js";

await useWords("settings");

const WHAT_HAPPENS = [t("settings.new_phone_happens_old_stops"), t("settings.new_phone_happens_shared_sent"), t("settings.new_phone_happens_private_lost"),
  t("settings.new_phone_happens_six_numbers")];

/** For a paired phone: welcome the partner's new phone. `showCode()` starts the code. */
export function newPhoneCard({ showCode }) {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, t("settings.new_phone_open"));
  const card = el("section", { class: "card", "aria-labelledby": "new-phone-title" },
    el("h2", { id: "new-phone-title" }, t("settings.new_phone_title")),
    el("p", {}, t("settings.new_phone_intro")),
    open, slot);
  askFirst(open, slot, (keep) => confirmNewPhone(keep, showCode));
  return card;
}

function confirmNewPhone(keep, showCode) {
  return el("div", { class: "end-confirm", role: "group", "aria-labelledby": "new-phone-confirm-title" },
    el("h3", { id: "new-phone-confirm-title", tabindex: "-1" }, t("settings.new_phone_confirm_title")),
    el("p", {}, t("settings.new_phone_confirm_lede")),
    el("ul", { class: "end-list" }, WHAT_HAPPENS.map((line) => el("li", {}, line))),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary", onclick: showCode }, t("settings.new_phone_show_code")),
      el("button", { type: "button", class: "button button-quiet", onclick: keep }, t("settings.new_phone_not_now"))));
}

/**
 * How the hand-over stands (sending here, or arriving here), kept current as receipts and
 * parts come in; nothing when this phone has none. Stops listening once off the screen.
 */
export function handOverCard() {
  const line = el("p", { role: "status" });
  const card = el("section", { class: "card hand-over", "aria-labelledby": "hand-over-title", hidden: true },
    el("h2", { id: "hand-over-title" }, t("settings.new_phone_history_title")), line);
  let drawn = false;
  const draw = async () => {
    if (drawn && !card.isConnected) {
      engine.status.removeEventListener("change", draw);
      changes.removeEventListener("records", draw);
      return;
    }
    drawn = true;
    const h = await handOver();
    card.hidden = !h;
    if (!h) return;
    const text = h.complete ? t("settings.new_phone_history_done", { line: handOverLine(h) }) : handOverLine(h);
    if (line.textContent !== text) line.textContent = text;
    card.classList.toggle("hand-over-done", h.complete);
  };
  engine.status.addEventListener("change", draw);
  changes.addEventListener("records", draw);
  draw();
  return card;
}
