// The words of the "Getting help" screen: when to call the care team, who helps with
// intimacy after treatment and how to ask, and where to find others. Each paragraph is a
// list of sentences; every claim names its sources (scripts/care_sources.json), and
// docs/care-sources.md lists each one. Asking for help is written as what it is: strength.
import { fact, ours } from "./facts.js";

export const INTRO = [
  ours("Reaching out is a sign of strength, and of caring for each other."),
  fact("Your care team won't think you are making a fuss: even if it turns out to be nothing, finding out is better than waiting.",
    "cruk_temperature", "cruk_infection"),
];

// When something is worth a call. Plain, calm, and never more alarming than the sources.
export const CALL = {
  title: "When to call your care team",
  items: [
    [fact("During chemotherapy, a temperature of 38°C or higher is a reason to call your care team straight away.",
      "cdc_fever", "cruk_temperature", "cruk_infection"),
    fact("Some teams ask for a call from 37.5°C, so if yours gave you a number, go by theirs.", "christie_fever"),
    fact("Feeling cold and shivery, or unwell with a temperature lower than usual, can also be a sign of infection.",
      "cruk_temperature", "cruk_infection", "christie_fever")],
    [fact("Bleeding that doesn't stop, such as a nosebleed that lasts more than 30 minutes, is worth a call.", "ccnsw_bleeding")],
    [fact("Pain that isn't eased, or that gets in the way of eating, sleeping or sex, is worth telling your team about: medicines, doses and timing can be changed.",
      "acs_pain_med", "nci_pain", "caresearch_pain"),
    fact("You don't have to put up with pain, and talking about it is not a sign of weakness.", "acs_pain_facts", "caresearch_pain")],
    [fact("A wound that becomes red, sore, hot or swollen, leaks fluid or opens, or a raised temperature after surgery, is a reason to contact the hospital or a GP straight away.",
      "gstt_wound")],
    [fact("For problems or worries with a stoma, or feeling low about it, your stoma nurse or GP can help or put you in touch with someone who can.",
      "cruk_stoma")],
    [fact("Feeling low, hopeless or uninterested in things for two weeks or more is worth talking to your doctor about: depression can be treated.",
      "uhn_depression", "netrf_depression", "cancernet_depression")],
    [fact("If thoughts of hurting yourself come, contact a doctor right away.", "netrf_depression"),
    ours("In an emergency, call your local emergency number.")],
  ],
};

export const WHO = {
  title: "Who helps with intimacy after treatment",
  items: [
    { name: "Specialist nurses", says: [
      fact("Prostate Cancer UK's specialist nurses offer a sexual support service, for the person treated and for their partner.", "pcuk_sex"),
      fact("A stoma nurse can give advice and support, and put you in touch with someone else when that would help.", "cruk_stoma"),
      fact("After breast surgery, a breast care nurse is someone to talk to about how you feel.", "canceraustralia_reconstruction")] },
    { name: "Psychosexual and relationship therapists", says: [
      fact("Psychosexual therapists help with painful sex, erection difficulties and lost desire, and relationship therapists with what has changed between you.", "cosrt_therapy"),
      fact("Psychosexual therapy after cancer works with one person or with a couple, so either of you can go alone, or you can go together.", "rcni_psychosexual")] },
    { name: "Psycho-oncology (cancer psychology)", says: [
      fact("Cancer psychologists help with worry and low mood, with changes to how your body looks and feels, and with how cancer affects relationships, sex and fertility.",
        "whittington_psychology", "southtees_psychology")] },
    { name: "Pelvic-floor physiotherapy", says: [
      fact("Pelvic-floor exercises can increase blood flow and help the pelvic muscles relax.", "bcn_dryness"),
      fact("In a study of people treated for gynaecological cancer, pelvic-floor physiotherapy reduced pain during sex, and the change lasted at least a year.", "plos_pelvic_floor")] },
  ],
};

export const REFERRAL = {
  title: "Asking for a referral",
  says: [
    fact("You don't have to wait to be offered one: you can ask your cancer team to refer you to their psychology service.",
      "whittington_psychology", "uhn_psychosocial"),
    fact("If your own doctors can't help with a sexual problem, they should be willing to refer you to someone who can.", "acs_prof_help", "whittington_psychology"),
    fact("Your GP may be able to refer you to a counsellor.", "macmillan_orgs"),
    ours("One sentence is enough: “Intimacy has been hard since treatment. Who could we see about it?”"),
    ours("The questions under “Good to know” can go straight onto your next appointment's notes."),
  ],
};

export const GROUPS = {
  title: "Support groups and helplines",
  says: [
    fact("Support groups bring together people who understand what you are going through, in person or online.", "macmillan_groups", "macmillan_orgs"),
    fact("Many groups welcome partners and families too.", "macmillan_groups"),
    fact("Your healthcare team can tell you about groups near you.", "macmillan_talking"),
    fact("In the UK, the Macmillan Support Line is free on 0808 808 00 00, from 8am to 8pm, seven days a week.", "macmillan_support_line"),
  ],
};
