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
import { t } from "../i18n/index.js";
import * as engine from "../sync/engine.js";
import { progress } from "../device/move-state.js";
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

// "Synced 3 minutes ago" as one message, so each language says it in its own order.
function synced(ms) {
  const s = ms ? Math.round((Date.now() - ms) / 1000) : 0;
  if (s < 60) return t("status.synced_now");
  if (s < 3600) return t("status.synced_minutes", { count: Math.round(s / 60) });
  return t("status.synced_at", { time: format(ms, "time") });
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
    found.push({ key: "rejected", text: t("status.notice_rejected") });
  }
  if (s.gaps.length && now.gaps !== seen.gaps) {
    found.push({ key: "gaps", text: t("status.notice_gaps") });
  }
  const lost = now.lost - (seen.lost || 0);
  if (lost > 0) {
    found.push({ key: "lost", text: t("status.notice_lost", { count: lost }) });
  }
  // A move (§11.4): the new safety numbers are worth comparing once the two of you are together.
  if (now.moved && now.moved !== seen.moved) {
    found.push({ key: "moved", text: s.me.partnerMoved
      ? t("status.notice_partner_moved") : t("status.notice_moved_here") });
  }
  // Every notice that is true now, in one calm place; "OK" puts them all away.
  const notice = found.length ? { key: found.map((n) => n.key).join(" "), text: found.map((n) => n.text).join(" ") } : null;
  let line;
  // An ended pairing never connects again, so "Offline" or "Connecting…" would never change.
  if (s.ended) return { line: endedWords(s.ended, s.me).line, notice: null };
  // A move (§11.4), on either phone: how far it has come, until the new phone takes over.
  if (s.move) line = s.online ? moveLine(s.move) : t("status.move_offline");
  else if (!s.paired) line = s.online ? t("status.unpaired") : t("status.unpaired_offline");
  else if (!s.online || s.connection === "offline") {
    line = s.waiting ? t("status.offline_waiting", { count: s.waiting }) : t("status.offline");
  } else if (s.connection === "connecting") line = s.waiting ? t("status.connecting_waiting", { count: s.waiting }) : t("status.connecting");
  // A new phone in a lost one's place (§11.3): the history's journey, until it is all there.
  else if (s.handOver && !s.handOver.complete) line = handOverLine(s.handOver);
  else if (!s.caughtUp) line = t("status.catching_up");
  else if (s.waiting && s.refused) line = t("status.refused", { count: s.waiting, reason: s.refused });
  else if (s.waiting) line = t("status.sending", { count: s.waiting });
  else line = synced(s.lastSyncAt);
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
          } }, t("status.ok")));
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
