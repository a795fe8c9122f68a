// "Good to know": short, calm notes on how treatment commonly affects intimacy, each with
// questions that can go onto an appointment's notes in one tap. Written for every couple:
// no assumption about genders, bodies or what intimacy looks like, and sex is never the
// goal. Every claim names its sources (scripts/care_sources.json); docs/care-sources.md lists them.
// The words are in the catalogue (i18n/<code>/care.js): a note's title "care.note_<id>",
// its sentences "care.says.<id>_…", its questions "care.asks.<id>_<n>".
import { t, useWords } from "../i18n/index.js";
import { fact, ours } from "./facts.js";

await useWords("care");

const note = (id, says, questions = 3) => ({ id, title: t(`care.note_${id}`), says,
  questions: Array.from({ length: questions }, (_, i) => t(`care.asks.${id}_${i + 1}`)) });

export const NOTES = [
  note("fatigue", [
    fact("care.says.fatigue_not_ordinary", "uclh_fatigue"),
    fact("care.says.fatigue_common", "uclh_fatigue"),
    fact("care.says.fatigue_rest_before", "uclh_fatigue"),
    ours("care.says.fatigue_better_hour"),
  ]),
  note("menopause", [
    fact("care.says.menopause_early", "macmillan_menopause", "uhn_menopause"),
    fact("care.says.menopause_symptoms", "macmillan_menopause", "uhn_menopause"),
    fact("care.says.menopause_moisturisers", "bcn_dryness"),
    fact("care.says.menopause_ask", "bcn_dryness"),
    fact("care.says.menopause_hormone", "bcn_dryness"),
  ]),
  note("pain", [
    ours("care.says.pain_pause"),
    fact("care.says.pain_oestrogen", "bcn_dryness"),
    fact("care.says.pelvic_study", "plos_pelvic_floor"),
    fact("care.says.pain_dilators", "hey_dilators"),
  ]),
  note("erections", [
    fact("care.says.erections_common", "macmillan_prostate"),
    fact("care.says.erections_treatments", "macmillan_prostate"),
    fact("care.says.erections_worry", "macmillan_prostate"),
    fact("care.says.erections_both_fine", "pcuk_sex"),
  ]),
  note("stoma", [
    fact("care.says.stoma_no_harm", "ostomy_nz"),
    fact("care.says.stoma_pouch", "ostomy_nz"),
    fact("care.says.stoma_heal", "ostomy_nz"),
    fact("care.says.stoma_not_rejection", "ostomy_nz"),
  ]),
  note("breast", [
    fact("care.says.breast_feeling", "canceraustralia_reconstruction", "nursingcenter_numbness"),
    fact("care.says.breast_heat", "nursingcenter_numbness"),
    fact("care.says.breast_months", "canceraustralia_reconstruction"),
    ours("care.says.breast_ask_each_other"),
  ]),
  note("lymphoedema", [
    fact("care.says.lymphoedema_skin", "cht_lymphoedema", "stmargarets_lymphoedema", "macmillan_lymphoedema"),
    fact("care.says.lymphoedema_urgent", "stmargarets_lymphoedema", "macmillan_lymphoedema"),
    ours("care.says.lymphoedema_light_touch"),
  ]),
  note("fertility", [
    fact("care.says.fertility_affect", "cruk_fertility", "macmillan_fertility"),
    fact("care.says.fertility_before", "macmillan_fertility", "sunnybrook_fertility"),
    fact("care.says.fertility_avoid_pregnancy", "cruk_fertility", "sunnybrook_fertility"),
    fact("care.says.fertility_contraception", "macmillan_fertility"),
    fact("care.says.fertility_condoms", "sunnybrook_fertility"),
  ]),
];
