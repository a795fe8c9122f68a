// "Good to know": short, calm notes on how treatment commonly affects intimacy, each with
// questions that can go onto an appointment's notes in one tap. Written for every couple:
// no assumption about genders, bodies or what intimacy looks like, and sex is never the
// goal. Every claim names its sources (scripts/care_sources.json); docs/care-sources.md lists them.
import { fact, ours } from "./facts.js";

export const NOTES = [
  { id: "fatigue", title: "Tiredness and pacing", says: [
    fact("Cancer-related fatigue is not the same as ordinary tiredness: it often isn't eased by sleep or rest.", "uclh_fatigue"),
    fact("It is common during treatment and can carry on for a while after it ends; for most people, energy returns within six to twelve months of finishing treatment.", "uclh_fatigue"),
    fact("Resting before you are exhausted helps more than resting after, and gentle activity, starting with what you can do, can improve energy.", "uclh_fatigue"),
    ours("Closeness can wait for a better hour. Your energy notes can help you find one."),
  ], questions: [
    "Is this tiredness expected with my treatment, and how long might it last?",
    "Could something be adding to it, such as my blood count, my sleep or a medicine?",
    "How active is it safe for me to be at the moment?",
  ] },
  { id: "menopause", title: "Early menopause and dryness", says: [
    fact("Some treatments can bring on menopause early or cause menopausal symptoms, for a while or for good.", "macmillan_menopause", "uhn_menopause"),
    fact("Hot flushes, vaginal dryness and changes with passing urine are common.", "macmillan_menopause", "uhn_menopause"),
    fact("Vaginal moisturisers are used regularly, not only around sex, and work best over time; lubricants act for a shorter time and ease friction during touch or sex.", "bcn_dryness"),
    fact("Dryness doesn't get better on its own, so it is worth asking about.", "bcn_dryness"),
    fact("A specialist may suggest a local hormone treatment, though it isn't suitable with every medicine.", "bcn_dryness"),
  ], questions: [
    "Could my treatment bring on menopause, and would it be temporary?",
    "Which moisturisers and lubricants are safe with my treatment?",
    "Would a local hormone treatment be an option for me?",
  ] },
  { id: "pain", title: "Pain during sex, and pelvic-floor physiotherapy", says: [
    ours("Pain is a reason to pause, never something to push through."),
    fact("Treatments that lower oestrogen can leave the vagina drier and less supple, which can make touch or sex painful.", "bcn_dryness"),
    fact("In a study of people treated for gynaecological cancer, pelvic-floor physiotherapy reduced pain during sex, and the change lasted at least a year.", "plos_pelvic_floor"),
    fact("After some pelvic radiotherapy, teams suggest vaginal dilators and pelvic-floor exercises, to make examinations and sex more comfortable.", "hey_dilators"),
  ], questions: [
    "Touch or sex has become painful. What might be causing it?",
    "Could I be referred to a pelvic-floor physiotherapist?",
    "Would dilators help me, and who could show me how to use them?",
  ] },
  { id: "erections", title: "Erection changes", says: [
    fact("Changes with erections are common after treatment for prostate cancer; they may improve with time, and are sometimes lasting.", "macmillan_prostate"),
    fact("Treatments include tablets, injections, pellets and vacuum pumps, and sometimes an implant.", "macmillan_prostate"),
    fact("Worry can play a part as well as the treatment itself.", "macmillan_prostate"),
    fact("Some people try treatments, others find other ways to be close, and both are fine.", "pcuk_sex"),
  ], questions: [
    "Which treatments for erections are safe with my treatment and health?",
    "When could we try them, and how long might recovery take?",
    "Is there a nurse or clinic who supports people with sexual changes after treatment?",
  ] },
  { id: "stoma", title: "Intimacy with a stoma", says: [
    fact("Intimate touch and sex do not harm a stoma.", "ostomy_nz"),
    fact("Emptying the pouch beforehand, or a smaller pouch, can help you feel more at ease.", "ostomy_nz"),
    fact("After surgery the body needs time to heal; cuddling for now is fine, and you will know when you are ready for more.", "ostomy_nz"),
    fact("If a partner isn't ready to see the stoma yet, that isn't rejection.", "ostomy_nz"),
  ], questions: [
    "Is there anything we should know about intimacy with my stoma?",
    "Are there smaller pouches or covers I could try?",
    "Who could we talk to if my feelings about my body are getting in the way?",
  ] },
  { id: "breast", title: "Numbness and body image after breast surgery", says: [
    fact("After breast surgery or reconstruction, some people lose feeling when the area is touched, for a while or for good.", "canceraustralia_reconstruction", "nursingcenter_numbness"),
    fact("Numb skin may not feel heat, so take care with hot water bottles and hot baths.", "nursingcenter_numbness"),
    fact("Feeling better about how the body looks after reconstruction often takes three to twelve months.", "canceraustralia_reconstruction"),
    ours("Ask each other which touch feels good now. The answer may have changed, and that is all right."),
  ], questions: [
    "Is the numbness likely to change over time?",
    "Who could I talk to about how I feel about my body?",
    "Are there support groups for people after breast surgery near us?",
  ] },
  { id: "lymphoedema", title: "Touch with lymphoedema in mind", says: [
    fact("Skin on a side that has, or may get, lymphoedema is best kept moisturised and protected from cuts, scratches and sunburn, because a break in the skin can let in infection.",
      "cht_lymphoedema", "stmargarets_lymphoedema", "macmillan_lymphoedema"),
    fact("If that skin becomes red, hot, more swollen or painful, or you feel flu-like, seek medical advice urgently.", "stmargarets_lymphoedema", "macmillan_lymphoedema"),
    ours("Light, welcome touch is a good place to start. A lymphoedema specialist can say what kind of massage suits."),
  ], questions: [
    "What kind of touch or massage is good for my lymphoedema, and what should we avoid?",
    "How should I look after the skin on that side?",
    "Who do we call if that side becomes red, hot or more swollen?",
  ] },
  { id: "fertility", title: "Fertility and contraception during treatment", says: [
    fact("Chemotherapy and some other treatments can affect fertility.", "cruk_fertility", "macmillan_fertility"),
    fact("Your team should talk with you about fertility before treatment starts; freezing sperm, eggs or embryos may be possible.", "macmillan_fertility", "sunnybrook_fertility"),
    fact("Pregnancy is best avoided during treatment, because some drugs can harm a developing baby.", "cruk_fertility", "sunnybrook_fertility"),
    fact("Pregnancy may still be possible even when treatment affects fertility, so contraception still matters.", "macmillan_fertility"),
    fact("Condoms may be advised during chemotherapy, because medicine can pass into body fluids.", "sunnybrook_fertility"),
  ], questions: [
    "Could my treatment affect fertility, and is there time to preserve it?",
    "Which contraception suits my treatment, and for how long afterwards?",
    "Should we use condoms during treatment, and for how long?",
  ] },
];
