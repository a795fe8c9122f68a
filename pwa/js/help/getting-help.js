// The words of the "Getting help" screen: when to call the care team, who helps with
// intimacy after treatment and how to ask, and where to find others. Each paragraph is a
// list of sentences; every claim names its sources (scripts/care_sources.json), and
// docs/care-sources.md lists each one. Asking for help is written as what it is: strength.
// The words are in the catalogue (i18n/<code>/care.js, "care.says.*" for the sentences).
import { t, useWords } from "../i18n/index.js";
import { fact, ours } from "./facts.js";

await useWords("care");

export const INTRO = [
  ours("care.says.reaching_out"),
  fact("care.says.not_a_fuss", "cruk_temperature", "cruk_infection"),
];

// When something is worth a call. Plain, calm, and never more alarming than the sources.
export const CALL = {
  title: t("care.call_title"),
  items: [
    [fact("care.says.fever_38", "cdc_fever", "cruk_temperature", "cruk_infection"),
    fact("care.says.fever_team_number", "christie_fever"),
    fact("care.says.fever_cold_shivery", "cruk_temperature", "cruk_infection", "christie_fever")],
    [fact("care.says.bleeding", "ccnsw_bleeding")],
    [fact("care.says.pain_tell_team", "acs_pain_med", "nci_pain", "caresearch_pain"),
    fact("care.says.pain_not_weakness", "acs_pain_facts", "caresearch_pain")],
    [fact("care.says.wound", "gstt_wound")],
    [fact("care.says.stoma_worries", "cruk_stoma")],
    [fact("care.says.low_two_weeks", "uhn_depression", "netrf_depression", "cancernet_depression")],
    [fact("care.says.hurting_yourself", "netrf_depression"),
    ours("care.says.emergency")],
  ],
};

export const WHO = {
  title: t("care.who_title"),
  items: [
    { name: t("care.who_nurses"), says: [
      fact("care.says.pcuk_nurses", "pcuk_sex"),
      fact("care.says.stoma_nurse", "cruk_stoma"),
      fact("care.says.breast_care_nurse", "canceraustralia_reconstruction")] },
    { name: t("care.who_therapists"), says: [
      fact("care.says.psychosexual_therapists", "cosrt_therapy"),
      fact("care.says.psychosexual_alone_or_together", "rcni_psychosexual")] },
    { name: t("care.who_psycho_oncology"), says: [
      fact("care.says.cancer_psychologists", "whittington_psychology", "southtees_psychology")] },
    { name: t("care.who_physio"), says: [
      fact("care.says.pelvic_exercises", "bcn_dryness"),
      fact("care.says.pelvic_study", "plos_pelvic_floor")] },
  ],
};

export const REFERRAL = {
  title: t("care.referral_title"),
  says: [
    fact("care.says.ask_for_psychology", "whittington_psychology", "uhn_psychosocial"),
    fact("care.says.doctors_should_refer", "acs_prof_help", "whittington_psychology"),
    fact("care.says.gp_counsellor", "macmillan_orgs"),
    ours("care.says.one_sentence"),
    ours("care.says.questions_onto_notes"),
  ],
};

export const GROUPS = {
  title: t("care.groups_title"),
  says: [
    fact("care.says.groups_understand", "macmillan_groups", "macmillan_orgs"),
    fact("care.says.groups_partners", "macmillan_groups"),
    fact("care.says.groups_near_you", "macmillan_talking"),
    fact("care.says.macmillan_line", "macmillan_support_line"),
  ],
};
