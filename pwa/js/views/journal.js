// The shared journal: what you tried and how it felt, your partner's entries beside
// yours, and replies. Entries start private; sharing is always a deliberate tap.
import { identity } from "../device/identity.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, keepDraft, opensDraft, reopenKept } from "../shell/drafts.js";
import { askFirst, authorName, concerns, foldedText, politeRedraw, saveFrom, when } from "./common.js";

await useWords("journal");

export const title = t("journal.title");

// A tag's value is the record's (the same on both phones, in any language); its name is ours.
const TAGS = [
  ["tried", t("journal.tag_tried")],
  ["worked", t("journal.tag_worked")],
  ["didnt", t("journal.tag_didnt")],
  ["feelings", t("journal.tag_feelings")],
];

function tagChips(tags = []) {
  if (!tags.length) return null;
  const names = Object.fromEntries(TAGS);
  return el("ul", { class: "chips", "aria-label": t("journal.tags") }, tags.map((tag) => el("li", { class: "chip" }, names[tag] || tag)));
}

// Each form's draft: a new entry, an edit of one and a reply to one are kept apart.
const draftKey = ({ entry = null, replyTo = null }) => (entry ? `journal:edit:${entry.id}`
  : replyTo ? `journal:reply:${replyTo}` : "journal:new");

// The form for a new entry, an edit or a reply. `onDone` runs after a save or a cancel.
function entryForm({ entry = null, replyTo = null, onDone }) {
  const key = draftKey({ entry, replyTo });
  const idBase = `jf-${entry?.id || replyTo || "new"}`;
  const text = el("textarea", { id: `${idBase}-text`, name: "text", rows: replyTo ? 3 : 5, maxlength: 10000, required: true },
    entry?.text || "");
  const feeling = el("input", { id: `${idBase}-feeling`, name: "feeling_after", maxlength: 200, value: entry?.feeling_after || "",
    autocomplete: "off" });
  const error = el("p", { class: "form-error", role: "alert" });
  const tagBoxes = TAGS.map(([value, label]) => el("label", { class: "check" },
    el("input", { type: "checkbox", name: "tags", value, checked: entry?.tags?.includes(value) || false }), label));
  const form = el("form", { class: replyTo ? "entry-form reply-form" : "entry-form card", novalidate: true },
    el("label", { for: text.id }, replyTo ? t("journal.reply_label") : entry ? t("journal.edit_label") : t("journal.new_label")),
    replyTo ? null : el("p", { class: "hint" }, t("journal.new_hint")),
    text,
    replyTo ? null : el("fieldset", { class: "tag-set" }, el("legend", {}, t("journal.tags_legend")), tagBoxes),
    replyTo ? null : el("label", { for: feeling.id }, t("journal.feeling_label")),
    replyTo ? null : feeling,
    error,
    el("div", { class: "form-actions" },
      entry?.shared || replyTo ? null : el("button", { type: "submit", name: "private", class: "button button-quiet" },
        entry ? t("journal.save_private") : t("journal.keep_private")),
      el("button", { type: "submit", name: "share", class: "button button-primary" },
        entry?.shared ? t("journal.save_changes") : replyTo ? t("journal.send_reply") : t("journal.share")),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onDone(); } }, t("journal.cancel"))));
  keepDraft(form, key);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const share = event.submitter?.name !== "private";
    const fields = { text: text.value };
    if (!replyTo) {
      fields.tags = tagBoxes.map((l) => l.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
      fields.feeling_after = feeling.value.trim() || null;
    } else {
      fields.reply_to = replyTo;
    }
    if (share || !entry?.shared) fields.shared = share || Boolean(entry?.shared);
    if (!(await saveFrom({ error, friendly, focus: text, creates: form }, "journal", fields, entry?.id || null))) return;
    clearDraft(key);
    onDone();
  });
  queueMicrotask(() => text.focus());
  return form;
}

const friendly = (field) => (field === "text" ? t("journal.empty_error") : "");

// A delete that asks first, for an entry or a reply of mine.
function deleteButton(item, { isReply, show, done }) {
  // Whole sentences for an entry and for a reply: other languages don't share one shape.
  const question = isReply ? t("journal.delete_reply") : t("journal.delete_entry");
  const where = item.earlier ? (isReply ? t("journal.delete_reply_here") : t("journal.delete_entry_here"))
    : item.shared ? (isReply ? t("journal.delete_reply_both") : t("journal.delete_entry_both")) : t("journal.delete_private");
  return el("button", { type: "button", class: "button button-small button-quiet", onclick: () => show(askFirst({
    key: `journal:delete:${item.id}`, label: question, lines: [where], yes: t("journal.delete_yes"), no: t("journal.delete_keep"),
    act: () => records.put("journal", { deleted: true }, item.id), done })) }, t("journal.delete"));
}

// What I can do with something I wrote, in a group named for it and with a slot of its own
// for the form or question it opens, so each action sits with the words it acts on.
function ownActions(item, { isReply, rerender }) {
  const slot = el("div", { class: "entry-slot" });
  const actions = el("div", { class: "entry-actions", role: "group", "aria-label": isReply ? t("journal.reply_actions") : t("journal.entry_actions") });
  const show = (form) => { slot.replaceChildren(form); actions.hidden = true; };
  const done = () => { slot.replaceChildren(); actions.hidden = false; rerender(); };
  actions.append(opensDraft(el("button", { type: "button", class: "button button-small",
    onclick: () => show(entryForm({ entry: item, replyTo: isReply ? item.reply_to : null, onDone: done })) }, t("journal.edit")),
  draftKey({ entry: item })));
  if (!isReply && !item.shared && !item.earlier) {   // an ended pairing's entries are never sent (§11.2)
    actions.append(el("button", { type: "button", class: "button button-small",
      onclick: async () => { await records.put("journal", { shared: true }, item.id); rerender(); } }, t("journal.share")));
  }
  actions.append(deleteButton(item, { isReply, show, done }));
  return [actions, slot];
}

function replyItem(r, me, rerender) {
  return el("li", { class: "reply" },
    el("p", { class: "entry-meta" }, el("span", { class: "entry-author" }, authorName(r, me)), " · ", when(r.at)),
    foldedText(r.text, "entry-text"),
    r.mine ? ownActions(r, { isReply: true, rerender }) : null);
}

function entryCard(entry, replies, me, rerender) {
  // Either of us can go on with the conversation under a shared entry.
  const talk = el("div", { class: "entry-slot" });
  const replyButton = entry.earlier || (entry.mine && !entry.shared) ? null
    : el("button", { type: "button", class: "button button-small", onclick: () => {
      replyButton.hidden = true;
      talk.replaceChildren(entryForm({ replyTo: entry.id, onDone: () => { talk.replaceChildren(); replyButton.hidden = false; rerender(); } }));
    } }, t("journal.reply"));
  if (replyButton) opensDraft(replyButton, draftKey({ replyTo: entry.id }));
  return el("article", { class: `entry card${entry.mine ? " entry-mine" : " entry-partner"}`, id: `entry-${entry.id}`,
    "aria-labelledby": `entry-${entry.id}-by` },
    el("p", { class: "entry-meta", id: `entry-${entry.id}-by` },
      el("span", { class: "entry-author" }, authorName(entry, me)), " · ", el("time", { datetime: new Date(entry.at).toISOString() }, when(entry.at)),
      entry.mine && !entry.shared ? el("span", { class: "badge" }, t("journal.private_badge")) : null,
      entry.earlier ? el("span", { class: "badge" }, t("journal.earlier_badge")) : null),
    foldedText(entry.text, "entry-text"),
    tagChips(entry.tags),
    entry.feeling_after ? el("p", { class: "entry-feeling" }, t("journal.feeling_after"), " ",
      el("span", { dir: "auto" }, entry.feeling_after)) : null,
    entry.mine ? ownActions(entry, { isReply: false, rerender }) : null,
    replies.length ? el("ul", { class: "replies", "aria-label": t("journal.replies") }, replies.map((r) => replyItem(r, me, rerender))) : null,
    replyButton, talk);
}

const PAGE = 30;

export function render(outlet) {
  const list = el("div", { class: "entries" });
  const composeSlot = el("div");
  const newButton = opensDraft(el("button", { type: "button", class: "button button-primary button-wide" }, t("journal.write")),
    draftKey({}));
  let shown = PAGE;
  newButton.addEventListener("click", () => {
    newButton.hidden = true;
    composeSlot.replaceChildren(entryForm({ onDone: () => { composeSlot.replaceChildren(); newButton.hidden = false; draw(); } }));
  });

  async function draw(ready = () => true) {
    const me = await identity();
    const all = await records.list("journal");
    const replies = new Map();
    for (const e of all) if (e.reply_to) replies.set(e.reply_to, [...(replies.get(e.reply_to) || []), e]);
    const ids = new Set(all.map((e) => e.id));
    const top = all.filter((e) => !e.reply_to || !ids.has(e.reply_to)).reverse();
    // Newest first, a page at a time: a long history stays quick to open.
    const cards = top.slice(0, shown).map((e) => entryCard(e, replies.get(e.id) || [], me, draw));
    const more = top.length > shown ? el("button", { type: "button", class: "button button-wide", onclick: () => {
      shown += PAGE;
      draw();
    } }, t("journal.show_earlier", { count: top.length - shown })) : null;
    if (!ready()) return;
    list.replaceChildren(...(top.length ? [...cards, more].filter(Boolean) : [
      el("p", { class: "empty" }, t("journal.empty")),
    ]));
    reopenKept(outlet);   // words left half-written here come back in their forms
  }

  const { redraw, stop, note } = politeRedraw(draw, "journal:");
  outlet.append(
    viewHeader(t("journal.title"), t("journal.lede")),
    note, newButton, composeSlot, list);
  const onChange = (e) => { if (!e.detail.mine && concerns(e.detail, ["journal"])) redraw(); };
  records.changes.addEventListener("records", onChange);
  draw().then(() => records.markSeen("journal"));
  return () => {
    records.changes.removeEventListener("records", onChange);
    stop();
    records.markSeen("journal");
  };
}
