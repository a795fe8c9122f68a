// The calm line at the top of every screen that says where syncing stands, in words.
import * as db from "../data/db.js";
import { el } from "../shell/dom.js";
import * as device from "./device.js";
import * as engine from "./engine.js";

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function ago(ms) {
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${plural(Math.round(s / 60), "minute")} ago`;
  return `at ${new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
}

// The one sentence for this moment, and a notice (gap or damage) if there is one to show.
export function describe(s, seen = { gaps: 0, rejected: 0 }) {
  let notice = null;
  if (s.gaps.length > seen.gaps) {
    notice = { key: "gaps", text: "Some updates from your partner are missing. Opening Hearth on their phone while online usually sorts it out." };
  } else if (s.rejected > seen.rejected) {
    notice = { key: "rejected", text: "Something from your partner arrived damaged, so it was set aside and not shown." };
  }
  let line;
  if (!s.paired) line = s.online ? "Not paired yet. What you write stays on this phone." : "Offline. Not paired yet; what you write stays on this phone.";
  else if (!s.online || s.connection === "offline") {
    line = s.waiting ? `Offline: ${plural(s.waiting, "change")} waiting` : "Offline. Everything is kept safely on this phone.";
  } else if (s.connection === "connecting") line = s.waiting ? `Connecting… ${plural(s.waiting, "change")} waiting` : "Connecting…";
  else if (!s.caughtUp) line = "Catching up with your partner…";
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
      const s = await engine.snapshot();
      const seen = await db.getMeta("notices_seen", { gaps: 0, rejected: 0 });
      const { line, notice } = describe(s, seen);
      if (text.textContent !== line) text.textContent = line;
      element.dataset.state = s.paired ? (s.connection === "online" && s.caughtUp && !s.waiting ? "synced" : s.connection) : "unpaired";
      if (notice && noticeBox.dataset.key !== notice.key) {
        noticeBox.dataset.key = notice.key;
        noticeBox.replaceChildren(" ", notice.text, " ", el("button", { type: "button", class: "button button-small button-quiet",
          onclick: async () => {
            await db.setMeta("notices_seen", { gaps: s.gaps.length, rejected: s.rejected });
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
  device.changes.addEventListener("records", draw);
  device.changes.addEventListener("pairing", draw);
  addEventListener("online", draw);
  addEventListener("offline", draw);
  setInterval(draw, 30000);
  draw();
}
