// "My partner has a new phone" (docs/protocol.md §11.3), on the Settings screen: what it
// means, asked first, then the same code and six numbers as first pairing; afterwards how
// the shared history's journey to the new phone stands, on either phone, until it is done.
import { handOverLine } from "../../core/succession.js";
import { changes } from "../../device/changes.js";
import { handOver } from "../../device/succession.js";
import { t } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import * as engine from "../../sync/engine.js";
import { askFirst } from "./ask-first.js";

const WHAT_HAPPENS = [t("new_phone.happens_old_stops"), t("new_phone.happens_shared_sent"), t("new_phone.happens_private_lost"),
  t("new_phone.happens_six_numbers")];

/** For a paired phone: welcome the partner's new phone. `showCode()` starts the code. */
export function newPhoneCard({ showCode }) {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, t("new_phone.open"));
  const card = el("section", { class: "card", "aria-labelledby": "new-phone-title" },
    el("h2", { id: "new-phone-title" }, t("new_phone.title")),
    el("p", {}, t("new_phone.intro")),
    open, slot);
  askFirst(open, slot, (keep) => confirmNewPhone(keep, showCode));
  return card;
}

function confirmNewPhone(keep, showCode) {
  return el("div", { class: "end-confirm", role: "group", "aria-labelledby": "new-phone-confirm-title" },
    el("h3", { id: "new-phone-confirm-title", tabindex: "-1" }, t("new_phone.confirm_title")),
    el("p", {}, t("new_phone.confirm_lede")),
    el("ul", { class: "end-list" }, WHAT_HAPPENS.map((line) => el("li", {}, line))),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary", onclick: showCode }, t("new_phone.show_code")),
      el("button", { type: "button", class: "button button-quiet", onclick: keep }, t("new_phone.not_now"))));
}

/**
 * How the hand-over stands (sending here, or arriving here), kept current as receipts and
 * parts come in; nothing when this phone has none. Stops listening once off the screen.
 */
export function handOverCard() {
  const line = el("p", { role: "status" });
  const card = el("section", { class: "card hand-over", "aria-labelledby": "hand-over-title", hidden: true },
    el("h2", { id: "hand-over-title" }, t("new_phone.history_title")), line);
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
    const text = h.complete ? t("new_phone.history_done", { line: handOverLine(h) }) : handOverLine(h);
    if (line.textContent !== text) line.textContent = text;
    card.classList.toggle("hand-over-done", h.complete);
  };
  engine.status.addEventListener("change", draw);
  changes.addEventListener("records", draw);
  draw();
  return card;
}
