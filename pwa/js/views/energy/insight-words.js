// The insight's words in the person's language. core/energy-insight.js decides what there is
// to say (enough notes, a peak time, a weekend lean, notes from one time only) and stays free
// of any catalogue; this turns its findings into sentences, the only place they are worded.
import { t, useWords } from "../../i18n/index.js";

await useWords("energy");

const IN_THE = { morning: t("energy.in_morning"), afternoon: t("energy.in_afternoon"), evening: t("energy.in_evening"), night: t("energy.in_night") };
const FROM_THE = { morning: t("energy.from_morning"), afternoon: t("energy.from_afternoon"), evening: t("energy.from_evening"), night: t("energy.from_night") };
const A_TIME = { morning: t("energy.a_morning"), afternoon: t("energy.a_afternoon"), evening: t("energy.a_evening"), night: t("energy.a_night") };
const ESPECIALLY = { weekend: t("energy.especially_weekend"), weekday: t("energy.especially_weekday") };
const LEAN = { weekend: t("energy.lean_weekend"), weekday: t("energy.lean_weekday") };

function sentence(who, { enough, peak, lean, onlyTime }) {
  if (!enough) return who === "partner" ? t("energy.insight_not_yet_partner") : t("energy.insight_not_yet_you");
  if (peak) return t(`energy.insight_peak_${who}`, { when: IN_THE[peak], especially: lean ? ESPECIALLY[lean] : "" });
  if (lean) return t(`energy.insight_lean_${who}`, { when: LEAN[lean] });
  if (onlyTime) return t(`energy.insight_only_${who}`, { when: FROM_THE[onlyTime] });
  return t(`energy.insight_even_${who}`);
}

function suggestion(who, { enough, peak, lean }) {
  if (!enough) return null;
  if (peak) return t(`energy.suggest_peak_${who}`, { time: A_TIME[peak] });
  if (lean) return t(`energy.suggest_${lean}`);
  return t("energy.suggest_any");
}

/** One person's insight (who: "you" or "partner") with its words in this language. */
export const peakWords = (insight, who = "you") => ({ ...insight, sentence: sentence(who, insight), suggestion: suggestion(who, insight) });

/** The insight for the two of you, with its words in this language. */
export function togetherWords(insight) {
  const words = !insight.enough ? t("energy.together_not_yet")
    : insight.peak ? t("energy.together_peak", { when: IN_THE[insight.peak] }) : t("energy.together_none");
  return { ...insight, sentence: words };
}
