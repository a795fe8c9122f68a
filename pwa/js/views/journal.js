// The shared journal: what you tried and how it felt, your partner's entries beside
// yours, and replies. Entries start private; sharing is always a deliberate tap.
import { identity } from "../device/identity.js";
import * as records from "../device/records.js";
import { el, viewHeader } from "../shell/dom.js";
import { clearDraft, keepDraft, opensDraft, reopenKept } from "../shell/drafts.js";
import { authorName, concerns, foldedText, politeRedraw, saveFrom, when } from "./common.js";

export const title = "Journal";

const TAGS = [
  ["tried", "We tried something"],
  ["worked", "It worked for us"],
  ["didnt", "It didn't work this time"],
  ["feelings", "About feelings"],
];

function tagChips(tags = []) {
  if (!tags.length) return null;
  const names = Object.fromEntries(TAGS);
  return el("ul", { class: "chips", "aria-label": "Tags" }, tags.map((t) => el("li", { class: "chip" }, names[t] || t)));
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
    el("label", { for: text.id }, replyTo ? "Your reply" : entry ? "Your entry" : "What did you try, and how did it feel?"),
    replyTo ? null : el("p", { class: "hint" },
      "Say what happened and how it felt for you. There's no need to judge anyone, yourself included."),
    text,
    replyTo ? null : el("fieldset", { class: "tag-set" }, el("legend", {}, "Tags, if you like"), tagBoxes),
    replyTo ? null : el("label", { for: feeling.id }, "How do you feel now? (optional)"),
    replyTo ? null : feeling,
    error,
    el("div", { class: "form-actions" },
      entry?.shared || replyTo ? null : el("button", { type: "submit", name: "private", class: "button button-quiet" },
        entry ? "Save, still private" : "Keep it private for now"),
      el("button", { type: "submit", name: "share", class: "button button-primary" },
        entry?.shared ? "Save changes" : replyTo ? "Send reply" : "Share with my partner"),
      el("button", { type: "button", class: "button button-quiet", onclick: () => { clearDraft(key); onDone(); } }, "Cancel")));
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

function friendly(message) {
  if (message.startsWith("'text' must be")) return "Write a few words first; an entry can't be empty.";
  return message;
}

// A delete that asks first, for an entry or a reply of mine.
function deleteButton(item, { isReply, show, done, rerender }) {
  const what = isReply ? "reply" : "entry";
  return el("button", { type: "button", class: "button button-small button-quiet", onclick: () => show(el("div",
    { class: "confirm", role: "group", "aria-label": `Delete this ${what}?` },
    el("p", {}, item.earlier ? `Delete this ${what} from this phone?`
      : item.shared ? `Delete this ${what} from both phones? Your partner may already have read it.` : "Delete this private entry?"),
    el("button", { type: "button", class: "button button-small", onclick: async () => {
      await records.put("journal", { deleted: true }, item.id); rerender(); } }, "Yes, delete it"),
    el("button", { type: "button", class: "button button-small button-quiet", onclick: done }, "Keep it"))) }, "Delete");
}

// What I can do with something I wrote, in a group named for it and with a slot of its own
// for the form or question it opens, so each action sits with the words it acts on.
function ownActions(item, { isReply, rerender }) {
  const slot = el("div", { class: "entry-slot" });
  const actions = el("div", { class: "entry-actions", role: "group", "aria-label": isReply ? "What you can do with this reply" : "What you can do with this entry" });
  const show = (form) => { slot.replaceChildren(form); actions.hidden = true; };
  const done = () => { slot.replaceChildren(); actions.hidden = false; rerender(); };
  actions.append(opensDraft(el("button", { type: "button", class: "button button-small",
    onclick: () => show(entryForm({ entry: item, replyTo: isReply ? item.reply_to : null, onDone: done })) }, "Edit"),
  draftKey({ entry: item })));
  if (!isReply && !item.shared && !item.earlier) {   // an ended pairing's entries are never sent (§11.2)
    actions.append(el("button", { type: "button", class: "button button-small",
      onclick: async () => { await records.put("journal", { shared: true }, item.id); rerender(); } }, "Share with my partner"));
  }
  actions.append(deleteButton(item, { isReply, show, done, rerender }));
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
    } }, "Reply");
  if (replyButton) opensDraft(replyButton, draftKey({ replyTo: entry.id }));
  return el("article", { class: `entry card${entry.mine ? " entry-mine" : " entry-partner"}`, id: `entry-${entry.id}`,
    "aria-labelledby": `entry-${entry.id}-by` },
    el("p", { class: "entry-meta", id: `entry-${entry.id}-by` },
      el("span", { class: "entry-author" }, authorName(entry, me)), " · ", el("time", { datetime: new Date(entry.at).toISOString() }, when(entry.at)),
      entry.mine && !entry.shared ? el("span", { class: "badge" }, "Private draft") : null,
      entry.earlier ? el("span", { class: "badge" }, "Earlier pairing") : null),
    foldedText(entry.text, "entry-text"),
    tagChips(entry.tags),
    entry.feeling_after ? el("p", { class: "entry-feeling" }, "Feeling after: ", entry.feeling_after) : null,
    entry.mine ? ownActions(entry, { isReply: false, rerender }) : null,
    replies.length ? el("ul", { class: "replies", "aria-label": "Replies" }, replies.map((r) => replyItem(r, me, rerender))) : null,
    replyButton, talk);
}

const PAGE = 30;

export function render(outlet) {
  const list = el("div", { class: "entries" });
  const composeSlot = el("div");
  const newButton = opensDraft(el("button", { type: "button", class: "button button-primary button-wide" }, "Write an entry"),
    draftKey({}));
  let shown = PAGE;
  newButton.addEventListener("click", () => {
    newButton.hidden = true;
    composeSlot.replaceChildren(entryForm({ onDone: () => { composeSlot.replaceChildren(); newButton.hidden = false; draw(); } }));
  });

  async function draw() {
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
    } }, `Show earlier entries (${top.length - shown} more)`) : null;
    list.replaceChildren(...(top.length ? [...cards, more].filter(Boolean) : [
      el("p", { class: "empty" }, "Nothing here yet. When you try something, however small, a line or two is plenty."),
    ]));
    reopenKept(outlet);   // words left half-written here come back in their forms
  }

  const { redraw, stop, note } = politeRedraw(draw, "journal:");
  outlet.append(
    viewHeader("Journal", "What you tried, how it felt, what you'd keep. Your partner can add their side. "
      + "An entry stays on this phone until you choose to share it."),
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
