// Boundaries: each partner's own map of what is welcome, what needs asking first, and
// what is off the table for now. Yours is yours to change at any time, no reasons needed;
// your partner's is shown to you read-only, with a gentle note when it changes.
// Each boundary is boundaries/items.js, treatment periods boundaries/periods.js.
import { fromEarlierPairing, identity, ownIds } from "../device/identity.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { addForm, myItem, removedItem, theirItem } from "./boundaries/items.js";
import { historyChoice, historyShown } from "./boundaries/history-choice.js";
import { periodsCard } from "./boundaries/periods.js";
import { concerns, politeRedraw } from "./common.js";

await useWords("boundaries");

export const title = t("boundaries.title");

// Each section's words on my map and on my partner's, its "add" fold, and an example for
// its first field (shown as "e.g. …").
const SECTIONS = [
  { kind: "touch", mine: t("boundaries.touch_mine"), theirs: t("boundaries.touch_theirs"), add: t("boundaries.touch_add"),
    example: t("boundaries.touch_example") },
  { kind: "body_area", mine: t("boundaries.body_mine"), theirs: t("boundaries.body_theirs"), add: t("boundaries.body_add"),
    example: t("boundaries.body_example") },
  { kind: "topic", mine: t("boundaries.topic_mine"), theirs: t("boundaries.topic_theirs"), add: t("boundaries.topic_add"),
    example: t("boundaries.topic_example") },
  { kind: "fatigue", mine: t("boundaries.fatigue_mine"), theirs: t("boundaries.fatigue_theirs"), add: t("boundaries.fatigue_add"),
    example: t("boundaries.fatigue_example") },
  { kind: "pain", mine: t("boundaries.pain_mine"), theirs: t("boundaries.pain_theirs"), add: t("boundaries.pain_add"),
    example: t("boundaries.pain_example") },
  { kind: "side_effects", mine: t("boundaries.side_mine"), theirs: t("boundaries.side_theirs"), add: t("boundaries.side_add"),
    example: t("boundaries.side_example") },
  { kind: "stop_signal", mine: t("boundaries.stop_mine"), theirs: t("boundaries.stop_theirs"), add: t("boundaries.stop_add"),
    example: t("boundaries.stop_example") },
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
    } }, t("boundaries.undo"));
    undoSlot.replaceChildren(el("div", { class: "notice boundary-undo", role: "status" },
      el("p", {}, t("boundaries.removed_note", { label: item.label })), undo));
  };
  const tabs = el("div", { class: "segmented", role: "group", "aria-label": t("boundaries.whose") },
    el("a", { href: "#/boundaries", class: "segment", "aria-current": showTheirs ? null : "page" }, t("boundaries.my_map")),
    el("a", { href: "#/boundaries?whose=partner", class: "segment", "aria-current": showTheirs ? "page" : null }, t("boundaries.partner_map")));

  async function draw(ready = () => true) {
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
        el("p", {}, t("boundaries.asked_of_me")),
        el("button", { type: "button", class: "button button-small", onclick: async () => { await records.markSeen("boundary"); draw(); } },
          t("boundaries.seen")))
      : showTheirs && items.some((b) => b.unseen)
      ? el("div", { class: "notice", role: "status" },
        el("p", {}, t("boundaries.partner_updated")),
        el("button", { type: "button", class: "button button-small", onclick: async () => { await records.markSeen("boundary"); draw(); } },
          t("boundaries.seen")))
      : null;
    if (!ready()) return;
    if (showTheirs && !sections.length && !gone.length) {
      body.replaceChildren(el("p", { class: "empty" }, t("boundaries.partner_empty")));
      return;
    }
    if (gone.length) {
      sections.push(el("section", { class: "card boundary-section", "aria-labelledby": "sec-removed" },
        el("h2", { id: "sec-removed" }, t("boundaries.removed_title")),
        el("ul", { class: "boundary-list" }, gone.map(removedItem))));
    }
    const askFirst = showTheirs ? el("div", { class: "boundary-ask-first" },
      el("p", {}, t("boundaries.ask_first")),
      el("p", {}, t("boundaries.not_now_note"))) : null;
    const periodCard = !showTheirs || periods.length ? periodsCard(periods, !showTheirs, draw) : null;
    const historyCard = showTheirs ? null : historyChoice(shown, draw);
    body.replaceChildren(...[notice, askFirst, periodCard, ...sections, historyCard].filter(Boolean));
  }

  const { redraw, stop, note } = politeRedraw(draw, "boundary:");
  outlet.append(
    viewHeader(t("boundaries.title"), showTheirs ? t("boundaries.lede_theirs") : t("boundaries.lede_mine")),
    tabs, note, undoSlot, body);
  const onChange = (e) => { if (!e.detail.mine && concerns(e.detail, ["boundary", "period", "visibility"])) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw();
  return () => {
    records.changes.removeEventListener("records", onChange);
    stop();
  };
}
