// Boundaries: each partner's own map of what is welcome, what needs asking first, and
// what is off the table for now. Yours is yours to change at any time, no reasons needed;
// your partner's is shown to you read-only, with a gentle note when it changes.
// Each boundary is boundaries/items.js, treatment periods boundaries/periods.js.
import { fromEarlierPairing, identity, ownIds } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { addForm, myItem, removedItem, theirItem } from "./boundaries/items.js";
import { historyChoice, historyShown } from "./boundaries/history-choice.js";
import { periodsCard } from "./boundaries/periods.js";
import { concerns, politeRedraw } from "./common.js";

export const title = "Boundaries";

const SECTIONS = [
  { kind: "touch", mine: "Kinds of touch", theirs: "Touch", add: "Add a kind of touch", example: "a hand on my back" },
  { kind: "body_area", mine: "Body areas", theirs: "Body areas", add: "Add a body area", example: "around the scar" },
  { kind: "topic", mine: "Topics that can feel risky", theirs: "Topics", add: "Add a topic", example: "plans for next year" },
  { kind: "fatigue", mine: "When I'm tired", theirs: "When they're tired", add: "Add a note about tiredness",
    example: "evenings after a treatment day" },
  { kind: "pain", mine: "If there's pain", theirs: "If there's pain", add: "Add a note about pain", example: "a warm bath helps me" },
  { kind: "side_effects", mine: "Side effects to know about", theirs: "Side effects", add: "Add a side effect",
    example: "dryness; we keep lubricant nearby" },
  { kind: "stop_signal", mine: "Our stop signal", theirs: "Their stop signal", add: "Choose a stop signal",
    example: "the word 'pause'" },
];

export function render(outlet, { params }) {
  const showTheirs = params.get("whose") === "partner";
  const body = el("div", { class: "boundary-map" });
  // The last boundary I removed, to undo until I leave this screen.
  const undoSlot = el("div", { class: "boundary-undo-slot" });
  const removed = (item) => {
    const undo = el("button", { type: "button", class: "button button-small", onclick: async () => {
      undo.disabled = true;
      await records.put("boundary", { deleted: false }, item.id);
      undoSlot.replaceChildren();
      draw();
    } }, "Undo");
    undoSlot.replaceChildren(el("div", { class: "notice boundary-undo", role: "status" },
      el("p", {}, `“${item.label}” is off your map. Your partner's map now says to ask first.`), undo));
  };
  const tabs = el("div", { class: "segmented", role: "group", "aria-label": "Whose map" },
    el("a", { href: "#/boundaries", class: "segment", "aria-current": showTheirs ? null : "page" }, "My map"),
    el("a", { href: "#/boundaries?whose=partner", class: "segment", "aria-current": showTheirs ? "page" : null }, "My partner's map"));

  async function draw() {
    const all = await records.list("boundary");
    const who = await identity();
    const me = ownIds(who);   // every id this phone has written boundaries as
    const [fresh, noted, shown] = await Promise.all([records.unseen("boundary"), records.notes("boundary"), records.list("visibility")]);
    // My partner's changes show their history only if they chose to share it (§8.12).
    const withHistory = !showTheirs || historyShown(shown);
    // My partner's map is my current partner's: an earlier partner's stays out of it.
    const whose = (r) => (showTheirs ? !r.mine && !r.earlier : r.mine);
    const periods = (await records.list("period")).filter(whose);
    const items = all.filter(whose)
      .map((b) => ({ ...b, unseen: fresh.has(b.id), changedFrom: b.mine ? undefined : noted.get(b.id)?.changedFrom,
                     history: withHistory ? noted.get(b.id)?.history : undefined, me, redraw: draw, periods, onRemoved: removed }));
    // What my partner took off their map stays said: the tombstone keeps its words (§8.2).
    const gone = showTheirs ? (await records.stored("boundary"))
      .filter((r) => r.fields.deleted && r.fields.label && !me.has(r.author) && !fromEarlierPairing(who, r.author))
      .map((r) => ({ id: r.id, label: r.fields.label })) : [];
    const sections = SECTIONS.map((section) => {
      const mineHere = items.filter((b) => b.kind === section.kind);
      if (showTheirs && !mineHere.length) return null;
      return el("section", { class: "card boundary-section", "aria-labelledby": `sec-${section.kind}` },
        el("h2", { id: `sec-${section.kind}` }, showTheirs ? section.theirs : section.mine),
        mineHere.length ? el("ul", { class: "boundary-list" }, mineHere.map((b) => (showTheirs ? theirItem(b) : myItem(b, draw)))) : null,
        showTheirs ? null : addForm(section, draw, periods));
    }).filter(Boolean);
    const askedOfMe = !showTheirs && items.some((b) => b.unseen && (b.history || []).some((h) => !me.has(h.by)));
    const notice = askedOfMe
      ? el("div", { class: "notice", role: "status" },
        el("p", {}, "Your partner asked for more care with something on your map. It's marked below; you decide what happens next."),
        el("button", { type: "button", class: "button button-small", onclick: async () => { await records.markSeen("boundary"); draw(); } },
          "I've seen it"))
      : showTheirs && items.some((b) => b.unseen)
      ? el("div", { class: "notice", role: "status" },
        el("p", {}, "Your partner has updated their map. Have a look when you're ready; there's nothing you need to do."),
        el("button", { type: "button", class: "button button-small", onclick: async () => { await records.markSeen("boundary"); draw(); } },
          "I've seen it"))
      : null;
    if (showTheirs && !sections.length && !gone.length) {
      body.replaceChildren(el("p", { class: "empty" }, "Your partner hasn't shared a map yet. It will appear here when they do. "
        + "Until then, ask first."));
      return;
    }
    if (gone.length) {
      sections.push(el("section", { class: "card boundary-section", "aria-labelledby": "sec-removed" },
        el("h2", { id: "sec-removed" }, "No longer on the map"),
        el("ul", { class: "boundary-list" }, gone.map(removedItem))));
    }
    const askFirst = showTheirs ? el("div", { class: "boundary-ask-first" },
      el("p", {}, "Anything that isn't on this map: ask first."),
      el("p", {}, "“Not right now” is about how their body feels today. It isn't about you.")) : null;
    const periodCard = !showTheirs || periods.length ? periodsCard(periods, !showTheirs, draw) : null;
    const historyCard = showTheirs ? null : historyChoice(shown, draw);
    body.replaceChildren(...[notice, askFirst, periodCard, ...sections, historyCard].filter(Boolean));
  }

  const { redraw, stop, note } = politeRedraw(draw, "boundary:");
  outlet.append(
    viewHeader("Boundaries", showTheirs
      ? "What your partner has shared about how things feel right now."
      : "How things feel for you right now. Change anything, any time; you never need to explain. "
        + "Your map is always shared with your partner."),
    tabs, note, undoSlot, body);
  const onChange = (e) => { if (!e.detail.mine && concerns(e.detail, ["boundary", "period", "visibility"])) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw();
  return () => {
    records.changes.removeEventListener("records", onChange);
    stop();
  };
}
