// A paced path (protocol §8.14): six gentle steps of touch and closeness, in the spirit of
// sensate focus. A step opens only once you have both said you are ready for it; stepping
// back is one tap, lowers only your own readiness, and is never shown as a count or as who
// did it. Steps are offered only while a no-pressure agreement is in effect, because the
// practice starts from one. The words are help/paced.js; the look-backs paced/look-back.js.
import { agreementInEffect, pathOf, readyFor, STEP_COUNT } from "../core/paced.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { ABOUT, ALWAYS, STEPS } from "../help/paced.js";
import { el, viewHeader } from "../shell/dom.js";
import { politeRedraw } from "./common.js";
import { DRAFT_PREFIX, lookBack } from "./paced/look-back.js";

await useWords("paced");

export const title = t("paced.title");

const TYPES = ["pace", "pace_lookback", "agreement"];

// My one pace record, changed in place (§8.14): the first I wrote.
async function setReady(n) {
  const own = (await records.list("pace")).find((p) => p.mine && !p.earlier);
  await records.put("pace", { ready: readyFor(Math.max(0, Math.min(STEP_COUNT, n))) }, own?.id ?? null);
}

// What the path is and what always holds: open until you have said anything, then folded.
function intro(fresh) {
  return el("details", { class: "card card-soft pace-about", open: fresh },
    el("summary", {}, t("paced.about_summary")),
    ABOUT.map((s) => el("p", {}, s.text)),
    el("ul", { class: "pace-always" }, ALWAYS.map((s) => el("li", {}, s.text))),
    el("p", { class: "hint" }, t("paced.shared_hint"), el("a", { href: "#/help" }, t("paced.help_link"))));
}

function noAgreement() {
  return el("div", { class: "notice pace-needs-agreement", role: "status" },
    el("p", {}, t("paced.needs_agreement")),
    el("a", { class: "button button-small", href: "#/experiments" }, t("paced.see_agreement")));
}

// What a step shows of where you are: open, the next one (waiting for one or both of you),
// or later on. Stepping back and "not yet" are always there; saying ready only under an agreement.
function stepState(n, path, offered, act) {
  const back = (label, to, said) => el("button", { type: "button", class: "button button-small button-quiet pace-back",
    onclick: () => act(to, said) }, label);
  if (n <= path.open) {
    return [el("p", { class: "pace-state pace-open" }, offered ? t("paced.open") : t("paced.rests_here")),
    n === path.open ? back(t("paced.step_back"), n - 1,
      n > 1 ? t("paced.stepped_back_to", { step: n - 1 }) : t("paced.stepped_back")) : null];
  }
  if (n !== path.open + 1) return [];
  if (path.me >= n) {
    return [el("p", { class: "pace-state" }, offered ? t("paced.you_are_ready") : t("paced.you_were_ready")),
    back(t("paced.not_yet"), n - 1, t("paced.not_yet_said"))];
  }
  if (!offered) return [];
  return [path.asked === n ? el("p", { class: "pace-state pace-asked" },
    t("paced.partner_ready")) : null,
  el("button", { type: "button", class: "button button-small pace-ready",
    onclick: () => act(n, t("paced.ready_said")) }, t("paced.ready"))];
}

function stepItem(step, path, offered, lookbacks, act, rerender) {
  const open = step.n <= path.open;
  const item = el("li", { class: `card pace-step${open ? " pace-step-open" : ""}`, dataset: { step: String(step.n) },
    "aria-labelledby": `pace-step-${step.n}` },
  el("h2", { id: `pace-step-${step.n}` }, t("paced.step_heading", { n: step.n, title: step.title })),
  step.about.map((s) => el("p", {}, s.text)),
  stepState(step.n, path, offered, act));
  if (open || lookbacks.some((l) => l.step === step.n && !l.earlier)) item.append(lookBack(step.n, lookbacks, rerender));
  return item;
}

export function render(outlet) {
  const status = el("p", { class: "pace-said", role: "status" });
  const body = el("div", { class: "pace-body" });

  async function draw(ready = () => true) {
    const [paces, lookbacks, agreements] = await Promise.all(TYPES.map((type) => records.list(type)));
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
      el("ol", { class: "pace-steps", "aria-label": t("paced.steps_label") },
        STEPS.map((s) => stepItem(s, path, offered, lookbacks, act, draw))));
  }

  const polite = politeRedraw(draw, DRAFT_PREFIX);
  outlet.append(viewHeader(title, t("paced.lede")), status, polite.note, body);
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
