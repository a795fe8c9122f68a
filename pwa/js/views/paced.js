// A paced path (protocol §8.14): six gentle steps of touch and closeness, in the spirit of
// sensate focus. A step opens only once you have both said you are ready for it; stepping
// back is one tap, lowers only your own readiness, and is never shown as a count or as who
// did it. Steps are offered only while a no-pressure agreement is in effect, because the
// practice starts from one. The words are help/paced.js; the look-backs paced/look-back.js.
import { agreementInEffect, pathOf, readyFor, STEP_COUNT } from "../core/paced.js";
import * as records from "../device/records.js";
import { ABOUT, ALWAYS, STEPS } from "../help/paced.js";
import { el, viewHeader } from "../shell/dom.js";
import { politeRedraw } from "./common.js";
import { DRAFT_PREFIX, lookBack } from "./paced/look-back.js";

export const title = "A paced path";

const TYPES = ["pace", "pace_lookback", "agreement"];

// My one pace record, changed in place (§8.14): the first I wrote.
async function setReady(n) {
  const own = (await records.list("pace")).find((p) => p.mine && !p.earlier);
  await records.put("pace", { ready: readyFor(Math.max(0, Math.min(STEP_COUNT, n))) }, own?.id ?? null);
}

// What the path is and what always holds: open until you have said anything, then folded.
function intro(fresh) {
  return el("details", { class: "card card-soft pace-about", open: fresh },
    el("summary", {}, "What this is, and what always holds"),
    ABOUT.map((s) => el("p", {}, s.text)),
    el("ul", { class: "pace-always" }, ALWAYS.map((s) => el("li", {}, s.text))),
    el("p", { class: "hint" }, "How ready you each are, and your look-backs, are shared with your partner. ",
      "If something hurts or worries you: ", el("a", { href: "#/help" }, "Getting help")));
}

function noAgreement() {
  return el("div", { class: "notice pace-needs-agreement", role: "status" },
    el("p", {}, "The path opens once you both have a no-pressure agreement: for now, touch doesn't lead to sex "
      + "unless you both say so. It's the ground this way of touching starts from, so nothing on the path is expected."),
    el("a", { class: "button button-small", href: "#/experiments" }, "See the agreement"));
}

// What a step shows of where you are: open, the next one (waiting for one or both of you),
// or later on. Stepping back and "not yet" are always there; saying ready only under an agreement.
function stepState(n, path, offered, act) {
  const back = (label, to, said) => el("button", { type: "button", class: "button button-small button-quiet pace-back",
    onclick: () => act(to, said) }, label);
  if (n <= path.open) {
    return [el("p", { class: "pace-state pace-open" }, offered ? "Open to you both."
      : "Where you had reached. It rests here until you both have an agreement again."),
    n === path.open ? back("Step back", n - 1, `You've stepped back${n > 1 ? ` to step ${n - 1}` : ""}. That's part of the path.`) : null];
  }
  if (n !== path.open + 1) return [];
  if (path.me >= n) {
    return [el("p", { class: "pace-state" }, offered ? "You've said you're ready. It opens when your partner is ready too; there's no rush."
      : "You'd said you were ready for this one."),
    back("Not yet after all", n - 1, "Done. You can say you're ready again whenever you like.")];
  }
  if (!offered) return [];
  return [path.asked === n ? el("p", { class: "pace-state pace-asked" },
    "Your partner is ready for this one whenever you are. Take your time: not yet is always a fine answer.") : null,
  el("button", { type: "button", class: "button button-small pace-ready",
    onclick: () => act(n, "Saved. It opens once you're both ready.") }, "I'm ready for this step")];
}

function stepItem(step, path, offered, lookbacks, act, rerender) {
  const open = step.n <= path.open;
  const item = el("li", { class: `card pace-step${open ? " pace-step-open" : ""}`, dataset: { step: String(step.n) },
    "aria-labelledby": `pace-step-${step.n}` },
  el("h2", { id: `pace-step-${step.n}` }, `Step ${step.n}: ${step.title}`),
  step.about.map((s) => el("p", {}, s.text)),
  stepState(step.n, path, offered, act));
  if (open || lookbacks.some((l) => l.step === step.n && !l.earlier)) item.append(lookBack(step.n, lookbacks, rerender));
  return item;
}

export function render(outlet) {
  const status = el("p", { class: "pace-said", role: "status" });
  const body = el("div", { class: "pace-body" });

  async function draw(ready = () => true) {
    const [paces, lookbacks, agreements] = await Promise.all(TYPES.map((t) => records.list(t)));
    const path = pathOf(paces);
    const offered = agreementInEffect(agreements);
    const act = async (n, said) => {
      await setReady(n);
      status.textContent = said;
      draw();
    };
    // A redraw keeps the explanation as its reader left it, open or folded.
    const about = body.querySelector("details.pace-about");
    if (!ready()) return;
    body.replaceChildren(...(offered ? [] : [noAgreement()]), intro(about ? about.open : path.me === 0 && path.open === 0),
      el("ol", { class: "pace-steps", "aria-label": "The steps" },
        STEPS.map((s) => stepItem(s, path, offered, lookbacks, act, draw))));
  }

  const polite = politeRedraw(draw, DRAFT_PREFIX);
  outlet.append(viewHeader(title, "Six gentle steps of touch and closeness, taken at the pace of whichever of you is "
    + "slower. Stay on a step as long as you like, and step back whenever you want to."), status, polite.note, body);
  const onChange = (e) => { if (!e.detail.mine) polite.redraw(); };
  records.changes.addEventListener("records", onChange);
  const seen = () => Promise.all([records.markSeen("pace"), records.markSeen("pace_lookback")]);
  draw().then(seen);
  return () => {
    records.changes.removeEventListener("records", onChange);
    polite.stop();
    seen();
  };
}
