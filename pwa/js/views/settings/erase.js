// Erasing Hearth from this phone, on the Settings screen: one confirmation that says what
// goes and what stays, then the pairing ends first (so the partner's phone and the relay
// hear it), and everything Hearth keeps here is deleted. A phone whose pairing already
// ended erases the same way, from the ended card (settings/ending.js).
import { eraseEverything } from "../../device/ending.js";
import { identity, isPaired } from "../../device/identity.js";
import { el } from "../../shell/dom.js";
import { unpair } from "../../sync/engine.js";
import { askFirst } from "./ask-first.js";

const GOES = "Every entry, reply, boundary, note, check-in, reminder and setting Hearth keeps on this phone, " +
  "and the keys that let it sync, are deleted. It can't be undone.";
const STAYS = "Your partner's phone keeps its own copy of what you shared with them.";
const PAIRED = "Your pairing ends first, so your partner's phone hears that it ended and nothing more travels between you.";
const UNREACHABLE = "Hearth can't reach its server just now, so your partner's phone wouldn't hear that the pairing " +
  "ended. You can try again when you're online, or erase this phone anyway.";

/** The card at the foot of Settings, for any phone. */
export function eraseCard() {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, "Erase Hearth from this phone");
  const card = el("section", { class: "card", "aria-labelledby": "erase-card-title" },
    el("h2", { id: "erase-card-title" }, "Erase Hearth from this phone"),
    el("p", {}, "If you'd rather Hearth kept nothing on this phone, you can erase it all. Hearth then opens as new."),
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
  const yes = el("button", { type: "button", class: "button button-primary" }, "Yes, erase everything");
  const no = el("button", { type: "button", class: "button button-quiet", onclick: keep }, "Keep everything");
  const anyway = el("button", { type: "button", class: "button", hidden: true }, "Erase this phone anyway");
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
    status.textContent = "Hearth couldn't erase this phone just now. Close other Hearth tabs, then try again.";
    yes.disabled = no.disabled = anyway.disabled = false;
  };
  yes.addEventListener("click", async () => {
    yes.disabled = no.disabled = true;
    status.textContent = "";
    if (unpairFirst && (await isPaired())) {
      try {
        await unpair();
      } catch (err) {
        status.textContent = !err?.code ? UNREACHABLE : "The pairing couldn't be ended just now, so nothing has changed. " +
          "Please try again in a moment, or erase this phone anyway.";
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
    el("h3", { id: "erase-title", tabindex: "-1" }, "Erase everything on this phone?"),
    el("p", {}, GOES), partner,
    status,
    el("div", { class: "form-actions" }, yes, no, anyway));
}
