// Pairing and settings, at #/pair. Pairing links (#/pair?v=1&s=…&e=…) arrive here with their
// query intact; this view takes the secret out of the address bar at once and asks before
// joining. The pairing screens themselves are pairing.js; ending a pairing, and what
// follows, settings/ending.js; welcoming the partner's new phone, settings/new-phone.js;
// moving to a new phone of one's own, settings/move.js; a readable copy, settings/export.js;
// the language, settings/language.js; erasing this phone, settings/erase.js.
import { changes } from "../device/changes.js";
import { ended } from "../device/ending.js";
import { identity, isPaired } from "../device/identity.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { isStoragePersistent } from "../shell/storage.js";
import { shellVersion } from "../shell/sw-register.js";
import { when } from "./common.js";
import { backupSection } from "./settings/backup.js";
import { endPairingCard, endedCard } from "./settings/ending.js";
import { eraseCard } from "./settings/erase.js";
import { exportCard } from "./settings/export.js";
import { languageCard } from "./settings/language.js";
import { lockCard } from "./settings/lock.js";
import { moveCard, movedCard, movingCard, stoppedNote } from "./settings/move.js";
import { handOverCard, newPhoneCard } from "./settings/new-phone.js";
import { progress } from "../device/move-state.js";

await useWords("settings");

export const title = t("settings.title");

function isPairingLink(params) {
  return params.has("v") && params.has("s") && params.has("e");
}

// The pairing screens, and pairing itself, load when this screen opens (they are precached
// all the same): a paired phone never needs them to start.
let flow = null;
const pairingScreens = async () => {
  flow ??= await import("./pairing.js");
  return flow;
};

function chooser(slot, screens, { again = false } = {}) {
  const { showCode, scanCode, pasteForm } = screens;
  // From a scan that was cancelled or could not start, back to these choices.
  const back = () => {
    slot.replaceChildren(chooser(slot, screens, { again }));
    slot.querySelector("h2").focus();
  };
  return el("section", { class: "card", "aria-labelledby": "pair-title" },
    el("h2", { id: "pair-title", tabindex: "-1" }, again ? t("settings.pair_again_title") : t("settings.pair_title")),
    el("p", {}, t("settings.pair_how")),
    again ? el("p", { class: "hint" }, t("settings.pair_again_hint")) : null,
    el("div", { class: "stack" },
      // The id is how tests find it in any language.
      el("button", { type: "button", id: "pair-show-code", class: "button button-primary button-wide", onclick: () => { cleanupFlow = showCode(slot); } },
        t("settings.pair_show_code")),
      el("button", { type: "button", class: "button button-wide", onclick: () => { cleanupFlow = scanCode(slot, { back }); } },
        t("settings.pair_scan_code"))),
    el("details", { class: "link-details" },
      el("summary", {}, t("settings.pair_have_link")),
      pasteForm(slot)));
}

let cleanupFlow = null;

async function pairingSection(slot, params, isLive) {
  // Drawn when Settings opens and again on news of an end: only the latest drawing may
  // land, or a slow first one would put the pairing back over the end it missed.
  const turn = (slot.turn = (slot.turn ?? 0) + 1);
  const live = () => isLive() && slot.turn === turn;
  if (isPairingLink(params)) {
    // The secret is in the address bar: take it into memory and wipe it from the address
    // bar and this tab's history before anything else happens.
    const link = `${location.origin}/${location.hash}`;
    history.replaceState(null, "", "#/pair");
    const [paired, screens] = await Promise.all([isPaired(), pairingScreens()]);
    if (!live()) return;
    if (paired) {
      slot.replaceChildren(el("section", { class: "card" }, el("h2", {}, t("settings.already_paired_title")),
        el("p", {}, t("settings.already_paired_text"))));
    } else {
      screens.confirmLink(slot, link);
    }
    return;
  }
  const [me, end, screens, move] = await Promise.all([identity(), ended(), pairingScreens(), progress()]);
  if (!live()) return;
  if (end) {
    // Drawn once per end: redrawing would take focus from where the person is.
    const key = `ended ${end.at} ${end.by}`;
    if (slot.dataset.shows === key) return;
    slot.dataset.shows = key;
    slot.replaceChildren(endedCard(end, me, { pairAgain: () => {
      delete slot.dataset.shows;
      slot.replaceChildren(chooser(slot, screens, { again: true }));
      slot.querySelector("h2").focus();
    } }));
    if (slot.contains(document.activeElement) || document.activeElement === document.body) slot.querySelector("h2").focus();
    return;
  }
  // A move under way (§11.4), on either phone: how far it has come, until it is done.
  if (move) {
    if (slot.dataset.shows !== "moving") slot.replaceChildren(movingCard(move.sending));
    slot.dataset.shows = "moving";
    return;
  }
  delete slot.dataset.shows;
  const again = () => pairingSection(slot, new URLSearchParams(), isLive);
  const pending = await screens.pendingPairing();   // a comparison under way (after a reload, say)
  const stopped = await stoppedNote(again);
  if (!live()) return;
  // Welcoming the partner's new phone, or moving to my own: the code, the numbers, back here.
  const replacing = { replace: true, onDone: again };
  const moving = { move: true, onDone: again };
  if (me?.peer && (pending?.replace || pending?.move)) {
    screens.resumeComparison(slot, pending, pending.move ? moving : replacing);
    return;
  }
  if (me?.peer) {
    slot.replaceChildren(...[stopped, movedCard(me, screens.codeLine, again) || screens.safetyCodeCard(me.safetyCode),
      el("p", { class: "hint" }, t("settings.paired_when", { when: when(me.pairedAt, { inSentence: true }) })),
      handOverCard(),
      newPhoneCard({ showCode: () => { cleanupFlow = screens.showCode(slot, replacing); } }),
      moveCard({ showCode: () => { cleanupFlow = screens.showCode(slot, moving); } }),
      endPairingCard()].filter(Boolean));
    return;
  }
  if (pending) screens.resumeComparison(slot, pending);
  else slot.replaceChildren(...[stopped, chooser(slot, screens)].filter(Boolean));
}

export function render(outlet, { params }) {
  let live = true;
  const slot = el("div", { class: "pair-slot" });
  pairingSection(slot, params, () => live);
  // The pairing ended, on this phone or on the partner's, or a move began, stopped or
  // finished: say so here at once.
  const onPairing = (e) => {
    if (e.type === "move" ? e.detail.started : e.detail.ended || e.detail.moveStopped || e.detail.movedIn || e.detail.partnerMoved) {
      pairingSection(slot, new URLSearchParams(), () => live);
    }
  };
  changes.addEventListener("pairing", onPairing);
  changes.addEventListener("move", onPairing);
  // A phone whose pairing ended erases from the ended card, above.
  const erase = eraseCard();
  const showErase = () => ended().then((end) => { erase.hidden = Boolean(end); });
  showErase();
  changes.addEventListener("pairing", showErase);
  const version = el("dd", {}, "…");
  const storage = el("dd", {}, "…");
  const offline = el("dd", {}, "…");

  outlet.append(
    viewHeader(t("settings.heading")),
    slot,
    el("section", { class: "card", "aria-labelledby": "settings-help-title" },
      el("h2", { id: "settings-help-title" }, t("settings.help_title")),
      el("p", {}, t("settings.help_text")),
      el("a", { class: "button button-small", href: "#/help" }, t("settings.help_link"))),
    el("section", { class: "card", "aria-labelledby": "settings-privacy-title" },
      el("h2", { id: "settings-privacy-title" }, t("settings.privacy_title")),
      el("p", {}, t("settings.privacy_text")),
      el("a", { class: "button button-small", href: "#/privacy" }, t("settings.privacy_link"))),
    backupSection(),
    el("section", { class: "card", "aria-labelledby": "hide-title" },
      el("h2", { id: "hide-title" }, t("settings.hide_title")),
      el("p", {}, t("settings.hide_text"))),
    lockCard(),
    languageCard(),
    el("section", { class: "card", "aria-labelledby": "about-title" },
      el("h2", { id: "about-title" }, t("settings.phone_title")),
      el("dl", { class: "facts" },
        el("dt", {}, t("settings.phone_offline")), offline,
        el("dt", {}, t("settings.phone_storage")), storage,
        el("dt", {}, t("settings.phone_version")), version)),
    exportCard(),
    erase,
  );

  shellVersion().then((v) => {
    if (!live) return;
    version.textContent = v ? t("settings.phone_version_shell", { version: v }) : t("settings.phone_not_installed");
    offline.textContent = v ? t("settings.phone_offline_yes") : t("settings.phone_offline_next_visit");
  });
  isStoragePersistent().then((persisted) => {
    if (!live) return;
    storage.textContent = persisted === true ? t("settings.phone_storage_persisted")
      : persisted === false ? t("settings.phone_storage_best_effort")
        : t("settings.phone_storage_kept");
  });
  return () => {
    live = false;
    changes.removeEventListener("pairing", onPairing);
    changes.removeEventListener("move", onPairing);
    changes.removeEventListener("pairing", showErase);
    cleanupFlow?.();
    cleanupFlow = null;
    flow?.leavePairScreen();
  };
}
