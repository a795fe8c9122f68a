// Erasing Hearth from this phone, on the Settings screen: one confirmation that says what
// goes and what stays, then the pairing ends first (so the partner's phone and the relay
// hear it), and everything Hearth keeps here is deleted. A phone whose pairing already
// ended erases the same way, from the ended card (settings/ending.js).
import { eraseEverything } from "../../device/ending.js";
import { identity, isPaired } from "../../device/identity.js";
import { t } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { unpair } from "../../sync/engine.js";
import { askFirst } from "./ask-first.js";

const GOES = t("erase.goes");
const STAYS = t("erase.stays");
const PAIRED = t("erase.paired");
const UNREACHABLE = t("erase.unreachable");

/** The card at the foot of Settings, for any phone. */
export function eraseCard() {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, t("erase.open"));
  const card = el("section", { class: "card", "aria-labelledby": "erase-card-title" },
    el("h2", { id: "erase-card-title" }, t("erase.title")),
    el("p", {}, t("erase.intro")),
    open, slot);
  askFirst(open, slot, (keep) => confirmErase(keep, { unpairFirst: true }));
  return card;
}

async function eraseAndStartAgain() {
  await eraseEverything();
  // Start again as a phone that has never been used: nothing in memory outlives the data.
  location.hash = "#/home";
  location.reload();
}

/** "Erase everything on this phone?": with `unpairFirst`, a paired phone ends its pairing first. */
export function confirmErase(keep, { unpairFirst = false } = {}) {
  const status = el("p", { class: "form-error", role: "alert" });
  const yes = el("button", { type: "button", class: "button button-primary" }, t("erase.yes"));
  const no = el("button", { type: "button", class: "button button-quiet", onclick: keep }, t("erase.keep"));
  const anyway = el("button", { type: "button", class: "button", hidden: true }, t("erase.anyway"));
  // What stays, and the pairing's end, only where there is a partner to speak of.
  const partner = el("div");
  if (!unpairFirst) partner.append(el("p", {}, STAYS));
  else {
    Promise.all([isPaired(), identity()]).then(([paired, me]) => {
      if (paired) partner.append(el("p", {}, STAYS), el("p", {}, PAIRED));
      else if (me?.peer || me?.formerPeers?.length) partner.append(el("p", {}, STAYS));
    });
  }
  const failed = () => {
    status.textContent = t("erase.failed");
    yes.disabled = no.disabled = anyway.disabled = false;
  };
  yes.addEventListener("click", async () => {
    yes.disabled = no.disabled = true;
    status.textContent = "";
    if (unpairFirst && (await isPaired())) {
      try {
        await unpair();
      } catch (err) {
        status.textContent = !err?.code ? UNREACHABLE : t("erase.unpair_failed");
        anyway.hidden = false;
        yes.disabled = no.disabled = false;
        return;
      }
    }
    await eraseAndStartAgain().catch(failed);
  });
  anyway.addEventListener("click", () => {
    yes.disabled = no.disabled = anyway.disabled = true;
    eraseAndStartAgain().catch(failed);
  });
  return el("div", { class: "end-confirm", role: "group", "aria-labelledby": "erase-title" },
    el("h3", { id: "erase-title", tabindex: "-1" }, t("erase.confirm_title")),
    el("p", {}, GOES), partner,
    status,
    el("div", { class: "form-actions" }, yes, no, anyway));
}
