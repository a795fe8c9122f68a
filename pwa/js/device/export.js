// Gathering a readable export (core/export.js) from this phone's records: "our journal"
// (every entry either of us shared, with its replies beneath it), or "everything of mine"
// (every record I wrote, of every type, shared or not).
import { currentWeek } from "../core/checkin.js";
import { format, today } from "../core/dates.js";
import { exportName, exportPage, recordHtml, SECTIONS } from "../core/export.js";
import { t, useWords } from "../i18n/index.js";
import { checkinWeek, pastWeeks } from "./checkins.js";
import { list } from "./records.js";

await useWords("export");

const moment = (ms) => (ms ? t("export.moment", { day: format(ms, "dayMonthYear"), time: format(ms, "time") }) : "");
const whose = (r) => (r.mine ? t("export.you") : t("export.partner"));
const byTime = (a, b) => (a.at || 0) - (b.at || 0);
const article = (type, r, replies = []) =>
  recordHtml(type, r, { who: whose(r), when: moment(r.at) }, replies);

function journalArticles(entries) {
  const shown = new Set(entries.map((e) => e.id));
  const replies = new Map();
  for (const e of entries) if (e.reply_to && shown.has(e.reply_to)) replies.set(e.reply_to, [...(replies.get(e.reply_to) || []), e]);
  return entries.filter((e) => !e.reply_to || !shown.has(e.reply_to)).map((e) =>
    article("journal", e, (replies.get(e.id) || []).sort(byTime)
      .map((x) => ({ record: x, who: whose(x), when: moment(x.at) }))));
}

// My answers to each week's check-in, the earliest first: they live opened on this phone
// (the records carry them sealed), and a week I sat out says so.
async function checkinArticles() {
  const weeks = [await checkinWeek(currentWeek()), ...await pastWeeks()].filter((w) => w.mine).reverse();
  return weeks.map(({ week, mine }) => recordHtml("checkin", { week, skipped: mine.skipped, ...(mine.answers || {}) },
    { who: t("export.you"), when: moment(mine.at) }));
}

/** { name, html } for `what`: "journal" (ours) or "mine" (everything of mine). */
export async function makeExport(what, now = Date.now()) {
  const day = today(new Date(now));
  const made = format(now, "dayMonthYear");
  if (what === "journal") {
    const entries = [...(await list("journal"))].filter((e) => e.shared).sort(byTime);
    return { name: exportName("journal", day), html: exportPage({
      title: t("export.journal_title"), made, about: t("export.journal_about"),
      sections: [{ heading: SECTIONS.journal, articles: journalArticles(entries) }] }) };
  }
  const sections = [];
  // A boundary that holds during a period names it by its label, not by its record's id.
  const periods = new Map((await list("period")).map((p) => [p.id, p.label]));
  const named = (type, r) => (type === "boundary" && r.during ? { ...r, during: periods.get(r.during) ?? null } : r);
  for (const [type, heading] of Object.entries(SECTIONS)) {
    const mine = [...(await list(type))].filter((r) => r.mine).sort(byTime).map((r) => named(type, r));
    sections.push({ heading, articles: type === "checkin" ? await checkinArticles()
      : type === "journal" ? journalArticles(mine) : mine.map((r) => article(type, r)) });
  }
  return { name: exportName("mine", day), html: exportPage({
    title: t("export.mine_title"), made, about: t("export.mine_about"), sections }) };
}
