// Ending a pairing, on the Settings screen (docs/protocol.md §11.2): the card that ends it
// after a plain confirmation, and, once it has ended on either phone, what happened and
// what can come next: pair again, or erase this phone (settings/erase.js). Home shows the
// same notice.
import { endedBy, endedWords } from "../../core/ending.js";
import { el } from "../../shell/dom.js";
import { unpair } from "../../sync/engine.js";
import { askFirst } from "./ask-first.js";
import { confirmErase } from "./erase.js";

const WHAT_HAPPENS = [
  "Both phones keep their own copy of everything you've shared, and can still read it.",
  "Nothing more travels between your phones: what either of you writes from now on stays on that phone.",
  "Your partner's phone will say that you ended the pairing, and when.",
  "Either of you can pair again later, with each other or with someone new.",
];

const NOT_NOW = "The pairing couldn't be ended just now, so nothing has changed.";
const CANNOT_REACH = "Hearth can't reach its server just now, so the pairing hasn't ended and nothing has changed. " +
  "Please try again when you're online: your partner's phone needs to hear it too.";

/** For a paired phone: "End the pairing", which asks first and says what happens to each phone. */
export function endPairingCard() {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, "End the pairing");
  const card = el("section", { class: "card", "aria-labelledby": "end-title" },
    el("h2", { id: "end-title" }, "Ending the pairing"),
    el("p", {}, "If sharing through Hearth no longer feels right, either of you can end the pairing. " +
      "You don't need to give a reason."),
    open, slot);
  askFirst(open, slot, confirmEnd);
  return card;
}

function confirmEnd(keep) {
  const status = el("p", { class: "form-error", role: "alert" });
  const yes = el("button", { type: "button", class: "button button-primary" }, "Yes, end the pairing");
  const no = el("button", { type: "button", class: "button button-quiet", onclick: keep }, "Keep our pairing");
  yes.addEventListener("click", async () => {
    yes.disabled = no.disabled = true;
    status.textContent = "";
    yes.textContent = "Ending…";
    try {
      await unpair();   // on success the Settings screen redraws with what happened
    } catch (err) {
      status.textContent = !err?.code ? CANNOT_REACH
        : err.code === "bad_frame" ? `${NOT_NOW} Check that this phone's date and time are right, then try again.`
          : `${NOT_NOW} Please try again in a moment.`;
      yes.disabled = no.disabled = false;
      yes.textContent = "Yes, end the pairing";
    }
  });
  return el("div", { class: "end-confirm", role: "group", "aria-labelledby": "end-confirm-title" },
    el("h3", { id: "end-confirm-title", tabindex: "-1" }, "End the pairing?"),
    el("p", {}, "If you end it:"),
    el("ul", { class: "end-list" }, WHAT_HAPPENS.map((line) => el("li", {}, line))),
    status,
    el("div", { class: "form-actions" }, yes, no));
}

/** The notice of an ended pairing, for Home: what happened, and where to go next. */
export function endedNotice(end, me) {
  const words = endedWords(end, me);
  return el("section", { class: "card card-ended", "aria-labelledby": "home-ended-title" },
    el("h2", { id: "home-ended-title" }, words.title),
    el("p", {}, words.text),
    el("a", { class: "button button-small", href: "#/pair" },
      successor(end, me) ? "Erase this phone" : "Pair again, or erase this phone"));
}

// A phone another took the place of (§11.3, §11.4): its person already has the new one.
const successor = (end, me) => ["replaced", "moved"].includes(endedBy(end, me));

/**
 * Settings after the end: what happened, then pairing again or erasing this phone. A
 * replaced or moved phone is offered only erasing.
 */
export function endedCard(end, me, { pairAgain }) {
  const words = endedWords(end, me);
  const replaced = successor(end, me);
  const eraseSlot = el("div");
  const erase = el("button", { type: "button", class: `button ${replaced ? "button-primary" : "button-quiet"} button-wide` },
    "Erase everything on this phone");
  askFirst(erase, eraseSlot, confirmErase);
  return el("section", { class: "card card-ended", "aria-labelledby": "ended-title" },
    el("h2", { id: "ended-title", tabindex: "-1" }, words.title),
    el("p", {}, words.text),
    replaced ? null : el("p", {}, "Whenever you're ready, you can pair again, with anyone. Pairing again doesn't send " +
      "any of this to the new phone. Or, if you'd rather not keep it, you can erase it all from this phone."),
    el("div", { class: "stack" },
      replaced ? null : el("button", { type: "button", class: "button button-primary button-wide", onclick: pairAgain }, "Pair again"),
      erase),
    eraseSlot);
}
