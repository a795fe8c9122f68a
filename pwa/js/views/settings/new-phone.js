// "My partner has a new phone" (docs/protocol.md §11.3), on the Settings screen: what it
// means, asked first, then the same code and six numbers as first pairing; afterwards how
// the shared history's journey to the new phone stands, on either phone, until it is done.
import { handOverLine } from "../../core/succession.js";
import { changes } from "../../device/changes.js";
import { handOver } from "../../device/succession.js";
import { el } from "../../shell/dom.js";
import * as engine from "../../sync/engine.js";
import { askFirst } from "./ask-first.js";

const WHAT_HAPPENS = [
  "Their old phone will stop working with Hearth. If it turns up again, it will say it has been replaced.",
  "Everything the two of you have shared will be sent from this phone to the new one, privately.",
  "Anything private that was only on the old phone, like drafts and private notes, can't be recovered from here. " +
    "Only a backup of that phone could bring it back.",
  "You'll both see six numbers to compare, just as when you first paired.",
];

/** For a paired phone: welcome the partner's new phone. `showCode()` starts the code. */
export function newPhoneCard({ showCode }) {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, "My partner has a new phone");
  const card = el("section", { class: "card", "aria-labelledby": "new-phone-title" },
    el("h2", { id: "new-phone-title" }, "A new phone for your partner"),
    el("p", {}, "If your partner's phone was lost, broken or reset, their new phone can take its place, " +
      "with everything you've shared."),
    open, slot);
  askFirst(open, slot, (keep) => confirmNewPhone(keep, showCode));
  return card;
}

function confirmNewPhone(keep, showCode) {
  return el("div", { class: "end-confirm", role: "group", "aria-labelledby": "new-phone-confirm-title" },
    el("h3", { id: "new-phone-confirm-title", tabindex: "-1" }, "Welcome your partner's new phone?"),
    el("p", {}, "When their new phone takes the old one's place:"),
    el("ul", { class: "end-list" }, WHAT_HAPPENS.map((line) => el("li", {}, line))),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary", onclick: showCode }, "Show a code for the new phone"),
      el("button", { type: "button", class: "button button-quiet", onclick: keep }, "Not now")));
}

/**
 * How the hand-over stands (sending here, or arriving here), kept current as receipts and
 * parts come in; nothing when this phone has none. Stops listening once off the screen.
 */
export function handOverCard() {
  const line = el("p", { role: "status" });
  const card = el("section", { class: "card hand-over", "aria-labelledby": "hand-over-title", hidden: true },
    el("h2", { id: "hand-over-title" }, "Your shared history"), line);
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
    const text = handOverLine(h) + (h.complete ? " You can carry on as before." : "");
    if (line.textContent !== text) line.textContent = text;
    card.classList.toggle("hand-over-done", h.complete);
  };
  engine.status.addEventListener("change", draw);
  changes.addEventListener("records", draw);
  draw();
  return card;
}
