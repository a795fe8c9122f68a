// Gathering a readable export (core/export.js) from this phone's records: "our journal"
// (every entry either of us shared, with its replies beneath it), or "everything of mine"
// (every record I wrote, of every type, shared or not).
import { currentWeek } from "../core/checkin.js";
import { format, today } from "../core/dates.js";
import { exportName, exportPage, recordHtml, SECTIONS } from "../core/export.js";
import { checkinWeek, pastWeeks } from "./checkins.js";
import { list } from "./records.js";

const moment = (ms) => (ms ? `${format(ms, "dayMonthYear")}, ${format(ms, "time")}` : "");
const byTime = (a, b) => (a.at || 0) - (b.at || 0);
const article = (type, r, replies = []) =>
  recordHtml(type, r, { who: r.mine ? "You" : "Your partner", when: moment(r.at) }, replies);

function journalArticles(entries) {
  const shown = new Set(entries.map((e) => e.id));
  const replies = new Map();
  for (const e of entries) if (e.reply_to && shown.has(e.reply_to)) replies.set(e.reply_to, [...(replies.get(e.reply_to) || []), e]);
  return entries.filter((e) => !e.reply_to || !shown.has(e.reply_to)).map((e) =>
    article("journal", e, (replies.get(e.id) || []).sort(byTime)
      .map((x) => ({ record: x, who: x.mine ? "You" : "Your partner", when: moment(x.at) }))));
}

// My answers to each week's check-in, the earliest first: they live opened on this phone
// (the records carry them sealed), and a week I sat out says so.
async function checkinArticles() {
  const weeks = [await checkinWeek(currentWeek()), ...await pastWeeks()].filter((w) => w.mine).reverse();
  return weeks.map(({ week, mine }) => recordHtml("checkin", { week, skipped: mine.skipped, ...(mine.answers || {}) },
    { who: "You", when: moment(mine.at) }));
}

/** { name, html } for `what`: "journal" (ours) or "mine" (everything of mine). */
export async function makeExport(what, now = Date.now()) {
  const day = today(new Date(now));
  const made = `on ${format(now, "dayMonthYear")}`;
  if (what === "journal") {
    const entries = [...(await list("journal"))].filter((e) => e.shared).sort(byTime);
    return { name: exportName("journal", day), html: exportPage({
      title: "Our journal", made, about: "Every journal entry either of you shared, with the replies beneath it.",
      sections: [{ heading: SECTIONS.journal, articles: journalArticles(entries) }] }) };
  }
  const sections = [];
  for (const [type, heading] of Object.entries(SECTIONS)) {
    const mine = [...(await list(type))].filter((r) => r.mine).sort(byTime);
    sections.push({ heading, articles: type === "checkin" ? await checkinArticles()
      : type === "journal" ? journalArticles(mine) : mine.map((r) => article(type, r)) });
  }
  return { name: exportName("mine", day), html: exportPage({
    title: "Everything of mine in Hearth", made,
    about: "Everything you wrote in Hearth on this phone, whether you shared it or kept it to yourself.", sections }) };
}
