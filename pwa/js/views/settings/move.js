// "Move to a new phone" (docs/protocol.md §11.4), on the Settings screen: what it means,
// asked first, then the same code and six numbers as first pairing; while it runs, how far
// it has come, on either phone (and a way to stop it from the old one); afterwards, on the
// new phone and on the partner's, the new safety code to compare when the two are together.
import { moveLine } from "../../core/moving.js";
import { changes } from "../../device/changes.js";
import { moveStopped, moveStoppedSaid } from "../../device/move-out.js";
import { movedCodeCompared } from "../../device/partner-moved.js";
import { t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { progress } from "../../device/move-state.js";
import { cancelMove } from "../../sync/move-stream.js";
import { askFirst } from "./ask-first.js";

await useWords("settings");

const WHAT_HAPPENS = [t("settings.move_happens_everything"), t("settings.move_happens_encrypted"), t("settings.move_happens_old_phone_stops"),
  t("settings.move_happens_partner_told"), t("settings.move_happens_six_numbers")];

/** For a paired phone: move everything to my new phone. `showCode()` starts the code. */
export function moveCard({ showCode }) {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, t("settings.move_open"));
  const card = el("section", { class: "card", "aria-labelledby": "move-title" },
    el("h2", { id: "move-title" }, t("settings.move_title")),
    el("p", {}, t("settings.move_intro")),
    open, slot);
  askFirst(open, slot, (keep) => el("div", { class: "end-confirm", role: "group", "aria-labelledby": "move-confirm-title" },
    el("h3", { id: "move-confirm-title", tabindex: "-1" }, t("settings.move_confirm_title")),
    el("p", {}, t("settings.move_confirm_lede")),
    el("ul", { class: "end-list" }, WHAT_HAPPENS.map((line) => el("li", {}, line))),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary", onclick: showCode }, t("settings.move_show_code")),
      el("button", { type: "button", class: "button button-quiet", onclick: keep }, t("settings.move_not_now")))));
  return card;
}

// A line that says how far the move has come, kept current until it is off the screen.
function progressLine() {
  const line = el("p", { class: "move-progress", role: "status" });
  const draw = async () => {
    if (line.dataset.drawn && !line.isConnected) {
      changes.removeEventListener("move", draw);
      return;
    }
    line.dataset.drawn = "yes";
    const m = await progress();
    const text = m ? moveLine(m) : "";
    if (text && line.textContent !== text) line.textContent = text;
  };
  changes.addEventListener("move", draw);
  draw();
  return line;
}

/** On the new phone once my other phone confirmed: everything is on its way here. */
export function movingHere(slot) {
  slot.replaceChildren(el("section", { class: "card moving", "aria-labelledby": "moving-title" },
    el("h2", { id: "moving-title", tabindex: "-1" }, t("settings.move_moving_here_title")),
    el("p", {}, t("settings.move_confirmed_text")),
    progressLine(),
    el("a", { class: "button button-primary button-wide", href: "#/home" }, t("settings.move_continue"))));
  slot.querySelector("h2").focus();
}

/** While a move runs, on either phone: how far it has come; the old phone can stop it. */
export function movingCard(sending) {
  const status = el("p", { class: "form-error", role: "alert" });
  const stop = el("button", { type: "button", class: "button button-quiet" }, t("settings.move_stop"));
  stop.addEventListener("click", async () => {
    stop.disabled = true;
    status.textContent = "";
    try {
      await cancelMove();   // the Settings screen redraws with what happened
    } catch {
      status.textContent = t("settings.move_stop_unreachable");
      stop.disabled = false;
    }
  });
  return el("section", { class: "card moving", "aria-labelledby": "moving-title" },
    el("h2", { id: "moving-title", tabindex: "-1" }, sending ? t("settings.move_moving_out_title") : t("settings.move_moving_here_title")),
    el("p", {}, sending ? t("settings.move_moving_out_text") : t("settings.move_moving_here_text")),
    progressLine(),
    sending ? el("div", { class: "form-actions" }, stop) : null,
    status);
}

/** A move that stopped before it finished, said once; `onDone` after "OK". */
export async function stoppedNote(onDone) {
  const stopped = await moveStopped();
  if (!stopped) return null;
  const ok = el("button", { type: "button", class: "button button-small" }, t("settings.move_ok"));
  ok.addEventListener("click", async () => {
    await moveStoppedSaid();
    onDone();
  });
  return el("section", { class: "card", role: "status", "aria-labelledby": "move-stopped-title" },
    el("h2", { id: "move-stopped-title" }, t("settings.move_stopped_title")),
    el("p", {}, stopped.here ? t("settings.move_stopped_here_text") : t("settings.move_stopped_out_text")),
    ok);
}

/**
 * After a move, on the new phone and on the partner's: the new safety code, to compare when
 * the two of you are together, until they say they have. Null when this phone has none to tell.
 */
export function movedCard(me, codeLine, onDone) {
  const partner = Boolean(me?.partnerMoved);
  if (!partner && !me?.movedIn) return null;
  const compared = el("button", { type: "button", class: "button button-small" }, t("settings.move_compared"));
  compared.addEventListener("click", async () => {
    await movedCodeCompared();
    onDone();
  });
  return el("section", { class: "card safety moved", "aria-labelledby": "moved-title" },
    el("h2", { id: "moved-title" }, partner ? t("settings.move_partner_moved_title") : t("settings.move_moved_in_title")),
    el("p", {}, partner ? t("settings.move_partner_moved_text") : t("settings.move_moved_in_text")),
    codeLine(me.safetyCode), compared);
}
