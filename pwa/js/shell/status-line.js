// The calm line at the top of every screen that says where syncing stands, in words: the
// sync engine's state (snapshot()) drawn as one sentence and, when there is one, a notice.
import { format } from "../core/dates.js";
import { endedWords } from "../core/ending.js";
import { moveLine } from "../core/moving.js";
import { handOverLine } from "../core/succession.js";
import * as db from "../data/db.js";
import { changes } from "../device/changes.js";
import * as ending from "../device/ending.js";
import { identity, isPaired } from "../device/identity.js";
import { handOver } from "../device/succession.js";
import * as engine from "../sync/engine.js";
import { progress } from "../sync/move-stream.js";
import * as outbox from "../sync/outbox.js";
import { el } from "./dom.js";

// Everything the status line needs: the engine's state, and the rest read fresh from the database.
export async function snapshot() {
  return {
    ...engine.current(),
    waiting: await outbox.waiting(),
    rejected: await db.getMeta("rejected", 0),
    gaps: await db.getMeta("gaps", []),
    lost: await db.getMeta("lost", []),
    lastHeardAt: await db.getMeta("last_received_at", null),
    paired: await isPaired(),
    ended: await ending.ended(),
    me: await identity(),
    handOver: await handOver(),
    move: await progress(),
    online: globalThis.navigator?.onLine !== false,
  };
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function ago(ms) {
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${plural(Math.round(s / 60), "minute")} ago`;
  return `at ${format(ms, "time")}`;
}

const lostCount = (ranges) => ranges.reduce((n, [a, b]) => n + b - a + 1, 0);

// What a notice is about, so "OK" hides that one and a new one shows again.
export const noticeState = (s) => ({ gaps: JSON.stringify(s.gaps || []), rejected: s.rejected, lost: lostCount(s.lost || []),
  moved: s.me?.partnerMoved?.at ?? s.me?.movedIn?.at ?? null });

// The one sentence for this moment, and a notice (gap, loss or damage) if there is one to show.
export function describe(s, seen = {}) {
  const now = noticeState(s);
  const found = [];
  if (s.rejected > (seen.rejected || 0)) {
    found.push({ key: "rejected", text: "Something from your partner arrived damaged, so it was set aside and not shown." });
  }
  if (s.gaps.length && now.gaps !== seen.gaps) {
    found.push({ key: "gaps", text: "Some of your partner's updates haven't reached this phone yet. Hearth has asked their phone to send them again; they'll arrive once both phones have been online." });
  }
  const lost = now.lost - (seen.lost || 0);
  if (lost > 0) {
    found.push({ key: "lost", text: `${plural(lost, "update")} from your partner couldn't be recovered: their phone no longer had ${lost === 1 ? "it" : "them"} to send again.` });
  }
  // A move (§11.4): the new safety numbers are worth comparing once the two of you are together.
  if (now.moved && now.moved !== seen.moved) {
    found.push({ key: "moved", text: s.me.partnerMoved
      ? "Your partner moved to a new phone. When you're together, compare your new safety code in Settings."
      : "Everything from your other phone is here. When you're with your partner, compare your new safety code in Settings." });
  }
  // Every notice that is true now, in one calm place; "OK" puts them all away.
  const notice = found.length ? { key: found.map((n) => n.key).join(" "), text: found.map((n) => n.text).join(" ") } : null;
  let line;
  // An ended pairing never connects again, so "Offline" or "Connecting…" would never change.
  if (s.ended) return { line: endedWords(s.ended, s.me).line, notice: null };
  // A move (§11.4), on either phone: how far it has come, until the new phone takes over.
  if (s.move) line = s.online ? moveLine(s.move) : "Offline. The move carries on once this phone is back online.";
  else if (!s.paired) line = s.online ? "Not paired yet. What you write stays on this phone." : "Offline. Not paired yet; what you write stays on this phone.";
  else if (!s.online || s.connection === "offline") {
    line = s.waiting ? `Offline: ${plural(s.waiting, "change")} waiting` : "Offline. Everything is kept safely on this phone.";
  } else if (s.connection === "connecting") line = s.waiting ? `Connecting… ${plural(s.waiting, "change")} waiting` : "Connecting…";
  // A new phone in a lost one's place (§11.3): the history's journey, until it is all there.
  else if (s.handOver && !s.handOver.complete) line = handOverLine(s.handOver);
  else if (!s.caughtUp) line = "Catching up with your partner…";
  else if (s.waiting && s.refused) line = `The relay didn't take ${plural(s.waiting, "change")} (${s.refused}). ${s.waiting === 1 ? "It's" : "They're"} kept safely here and will be tried again.`;
  else if (s.waiting) line = `Sending ${plural(s.waiting, "change")}…`;
  else line = `Synced ${s.lastSyncAt ? ago(s.lastSyncAt) : "just now"}`;
  return { line, notice };
}

export function startStatusLine(element) {
  const text = el("span", { class: "sync-text" });
  const noticeBox = el("span", { class: "sync-notice" });
  element.replaceChildren(text, noticeBox);
  let drawing = false;
  let again = false;
  async function draw() {
    if (drawing) { again = true; return; }
    drawing = true;
    try {
      const s = await snapshot();
      const seen = await db.getMeta("notices_seen", {});
      const { line, notice } = describe(s, seen);
      if (text.textContent !== line) text.textContent = line;
      element.dataset.state = s.ended ? "ended" : s.paired ? (s.connection === "online" && s.caughtUp && !s.waiting ? "synced" : s.connection) : "unpaired";
      if (notice && noticeBox.dataset.key !== notice.key) {
        noticeBox.dataset.key = notice.key;
        noticeBox.replaceChildren(" ", notice.text, " ", el("button", { type: "button", class: "button button-small button-quiet",
          onclick: async () => {
            await db.setMeta("notices_seen", noticeState(s));
            noticeBox.replaceChildren();
            delete noticeBox.dataset.key;
          } }, "OK"));
      } else if (!notice && noticeBox.dataset.key) {
        noticeBox.replaceChildren();
        delete noticeBox.dataset.key;
      }
    } finally {
      drawing = false;
      if (again) { again = false; draw(); }
    }
  }
  engine.status.addEventListener("change", draw);
  changes.addEventListener("records", draw);
  changes.addEventListener("pairing", draw);
  changes.addEventListener("move", draw);
  addEventListener("online", draw);
  addEventListener("offline", draw);
  setInterval(draw, 30000);
  draw();
}
