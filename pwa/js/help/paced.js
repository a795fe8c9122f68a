// The paced path's words (views/paced.js): what it rests on, the rules that always hold and
// the six steps. Written for every couple: no assumption about genders or bodies, and sex is
// never the goal, only one thing a couple may choose at the end. Every claim names its
// sources; the steps themselves are invitations, Hearth's own (docs/care-sources.md). The
// words are in the catalogue (i18n/<code>/paced.js, named by key: help/facts.js);
// docs/care-sources.md quotes the English.
import { t, useWords } from "../i18n/index.js";
import { fact, ours } from "./facts.js";

await useWords("paced");

export const ABOUT = [
  fact("paced.about_sensate_focus", "sf_review_2019", "sf_clarifying_2014"),
  fact("paced.about_attention", "sf_clarifying_2014"),
  fact("paced.about_sex_aside", "relationships_psychosexual"),
  fact("paced.about_specialists", "asco_sensate_focus"),
  ours("paced.about_not_therapy"),
];

export const ALWAYS = [
  ours("paced.always_both_ready"),
  ours("paced.always_pause"),
  ours("paced.always_step_back"),
  ours("paced.always_maps"),
];

// Each step: its title and two invitations, "paced.step<n>_title", "_what" and "_notice".
export const STEPS = [1, 2, 3, 4, 5, 6].map((n) => ({ n, title: t(`paced.step${n}_title`), about: [
  ours(`paced.step${n}_what`),
  ours(`paced.step${n}_notice`),
] }));
