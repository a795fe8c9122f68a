// Ending a pairing, on the Settings screen (docs/protocol.md §11.2): the card that ends it
// after a plain confirmation, and, once it has ended on either phone, what happened and
// what can come next: pair again, or erase this phone (settings/erase.js). Home shows the
// same notice.
import { endedBy, endedWords } from "../../core/ending.js";
import { t } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { unpair } from "../../sync/engine.js";
import { askFirst } from "./ask-first.js";
import { confirmErase } from "./erase.js";

const WHAT_HAPPENS = [t("ending.happens_copies"), t("ending.happens_nothing_travels"), t("ending.happens_partner_told"),
  t("ending.happens_pair_again")];

const CANNOT_REACH = t("ending.cannot_reach");

/** For a paired phone: "End the pairing", which asks first and says what happens to each phone. */
export function endPairingCard() {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, t("ending.open"));
  const card = el("section", { class: "card", "aria-labelledby": "end-title" },
    el("h2", { id: "end-title" }, t("ending.title")),
    el("p", {}, t("ending.intro")),
    open, slot);
  askFirst(open, slot, confirmEnd);
  return card;
}

function confirmEnd(keep) {
  const status = el("p", { class: "form-error", role: "alert" });
  const yes = el("button", { type: "button", class: "button button-primary" }, t("ending.yes"));
  const no = el("button", { type: "button", class: "button button-quiet", onclick: keep }, t("ending.keep"));
  yes.addEventListener("click", async () => {
    yes.disabled = no.disabled = true;
    status.textContent = "";
    yes.textContent = t("ending.ending");
    try {
      await unpair();   // on success the Settings screen redraws with what happened
    } catch (err) {
      status.textContent = !err?.code ? CANNOT_REACH
        : err.code === "bad_frame" ? t("ending.failed_check_clock") : t("ending.failed_try_again");
      yes.disabled = no.disabled = false;
      yes.textContent = t("ending.yes");
    }
  });
  return el("div", { class: "end-confirm", role: "group", "aria-labelledby": "end-confirm-title" },
    el("h3", { id: "end-confirm-title", tabindex: "-1" }, t("ending.confirm_title")),
    el("p", {}, t("ending.confirm_lede")),
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
      successor(end, me) ? t("ending.notice_erase") : t("ending.notice_pair_or_erase")));
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
    t("ending.erase"));
  askFirst(erase, eraseSlot, confirmErase);
  return el("section", { class: "card card-ended", "aria-labelledby": "ended-title" },
    el("h2", { id: "ended-title", tabindex: "-1" }, words.title),
    el("p", {}, words.text),
    replaced ? null : el("p", {}, t("ending.what_next")),
    el("div", { class: "stack" },
      replaced ? null : el("button", { type: "button", class: "button button-primary button-wide", onclick: pairAgain }, t("ending.pair_again")),
      erase),
    eraseSlot);
}
