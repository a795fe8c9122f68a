// "Move to a new phone" (docs/protocol.md §11.4), on the Settings screen: what it means,
// asked first, then the same code and six numbers as first pairing; while it runs, how far
// it has come, on either phone (and a way to stop it from the old one); afterwards, on the
// new phone and on the partner's, the new safety code to compare when the two are together.
import { moveLine } from "../../core/moving.js";
import { changes } from "../../device/changes.js";
import { moveStopped, moveStoppedSaid } from "../../device/move-out.js";
import { movedCodeCompared } from "../../device/partner-moved.js";
import { el } from "../../shell/dom.js";
import { cancelMove, progress } from "../../sync/move-stream.js";
import { askFirst } from "./ask-first.js";

const WHAT_HAPPENS = [
  "Everything on this phone moves to the new one: what you've shared, your private drafts and notes, your check-ins, " +
    "reminders and settings.",
  "It travels through the Hearth server end-to-end encrypted, so only your new phone can read it.",
  "Once it has all arrived, this phone stops using Hearth. It keeps what's here to read, and offers to erase it.",
  "Your partner's phone is told, and shows a new safety code for the two of you to compare when you're next together.",
  "You'll see six numbers on both of your phones to compare, just as when you first paired.",
];

/** For a paired phone: move everything to my new phone. `showCode()` starts the code. */
export function moveCard({ showCode }) {
  const slot = el("div");
  const open = el("button", { type: "button", class: "button button-wide" }, "Move to a new phone");
  const card = el("section", { class: "card", "aria-labelledby": "move-title" },
    el("h2", { id: "move-title" }, "A new phone for you"),
    el("p", {}, "If you have a new phone, everything Hearth keeps here can move across to it. Have both phones with you."),
    open, slot);
  askFirst(open, slot, (keep) => el("div", { class: "end-confirm", role: "group", "aria-labelledby": "move-confirm-title" },
    el("h3", { id: "move-confirm-title", tabindex: "-1" }, "Move everything to your new phone?"),
    el("p", {}, "When you move:"),
    el("ul", { class: "end-list" }, WHAT_HAPPENS.map((line) => el("li", {}, line))),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button button-primary", onclick: showCode }, "Show a code for my new phone"),
      el("button", { type: "button", class: "button button-quiet", onclick: keep }, "Not now"))));
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
    el("h2", { id: "moving-title", tabindex: "-1" }, "Moving everything here"),
    el("p", {}, "Your other phone saw the same numbers and confirmed. Everything from it is on its way here, privately, " +
      "and keeps coming even if you close Hearth."),
    progressLine(),
    el("a", { class: "button button-primary button-wide", href: "#/home" }, "Continue")));
  slot.querySelector("h2").focus();
}

/** While a move runs, on either phone: how far it has come; the old phone can stop it. */
export function movingCard(sending) {
  const status = el("p", { class: "form-error", role: "alert" });
  const stop = el("button", { type: "button", class: "button button-quiet" }, "Stop the move");
  stop.addEventListener("click", async () => {
    stop.disabled = true;
    status.textContent = "";
    try {
      await cancelMove();   // the Settings screen redraws with what happened
    } catch {
      status.textContent = "Hearth can't reach its server just now, so the move hasn't stopped. Please try again " +
        "when you're online.";
      stop.disabled = false;
    }
  });
  return el("section", { class: "card moving", "aria-labelledby": "moving-title" },
    el("h2", { id: "moving-title", tabindex: "-1" }, sending ? "Moving to your new phone" : "Moving everything here"),
    el("p", {}, sending
      ? "Everything on this phone is going to your new one, privately. Keep both phones nearby; if you close Hearth, " +
        "it carries on when you open it again. Until it's done, nothing changes for your partner. Anything you write " +
        "here from now on stays on this phone, so it's best to write on the new one."
      : "Everything from your other phone is coming here, privately. If you close Hearth, it carries on when you open " +
        "it again."),
    progressLine(),
    sending ? el("div", { class: "form-actions" }, stop) : null,
    status);
}

/** A move that stopped before it finished, said once; `onDone` after "OK". */
export async function stoppedNote(onDone) {
  const stopped = await moveStopped();
  if (!stopped) return null;
  const ok = el("button", { type: "button", class: "button button-small" }, "OK");
  ok.addEventListener("click", async () => {
    await moveStoppedSaid();
    onDone();
  });
  return el("section", { class: "card", role: "status", "aria-labelledby": "move-stopped-title" },
    el("h2", { id: "move-stopped-title" }, "The move stopped"),
    el("p", {}, stopped.here
      ? "The move from your other phone stopped before it finished. Your other phone still has everything, and you " +
        "can start the move again from it whenever you like."
      : "The move to your new phone stopped before it finished, so nothing has changed: this phone carries on as before."),
    ok);
}

/**
 * After a move, on the new phone and on the partner's: the new safety code, to compare when
 * the two of you are together, until they say they have. Null when this phone has none to tell.
 */
export function movedCard(me, codeLine, onDone) {
  const partner = Boolean(me?.partnerMoved);
  if (!partner && !me?.movedIn) return null;
  const compared = el("button", { type: "button", class: "button button-small" }, "We've compared them");
  compared.addEventListener("click", async () => {
    await movedCodeCompared();
    onDone();
  });
  return el("section", { class: "card safety moved", "aria-labelledby": "moved-title" },
    el("h2", { id: "moved-title" }, partner ? "Your partner moved to a new phone" : "Everything is here"),
    el("p", {}, partner
      ? "Your partner moved everything to a new phone, and their old one has stepped aside. Their new phone carries on " +
        "just where the old one left off. When you're together, check that their new phone shows these same numbers:"
      : "Everything from your other phone is on this one now, and it has taken the old phone's place. When you're with " +
        "your partner, check that their phone shows these same numbers:"),
    codeLine(me.safetyCode), compared);
}
