// The paced path's words (views/paced.js): what it rests on, the rules that always hold and
// the six steps. Written for every couple: no assumption about genders or bodies, and sex is
// never the goal, only one thing a couple may choose at the end. Every claim names its
// sources; the steps themselves are invitations, Hearth's own (docs/care-sources.md).
import { fact, ours } from "./facts.js";

export const ABOUT = [
  fact("This path follows the idea of sensate focus, a way of touching that sex therapists have used with couples for decades.",
    "sf_review_2019", "sf_clarifying_2014"),
  fact("The attention rests on what you notice, such as warmth, pressure and texture, not on making anything happen for either of you.",
    "sf_clarifying_2014"),
  fact("It usually begins by setting sex aside for a while and starting with gentle touch, so that nothing is expected.",
    "relationships_psychosexual"),
  fact("Specialists in sexual health after cancer suggest it to couples too.", "asco_sensate_focus"),
  ours("This is a gentle version to try at home, not therapy. If you would like guidance, Getting help says who to ask."),
];

export const ALWAYS = [
  ours("A step opens only when you have both said you are ready for it."),
  ours("Either of you can pause or stop at any moment, with your stop signal or without one, and no reason is needed."),
  ours("Stepping back is one tap and part of the path. Nothing is counted, and your partner is not told who stepped back."),
  ours("Anything on either of your maps as not now or off-limits stays out, whatever the step."),
];

export const STEPS = [
  { n: 1, title: "Close, without touching", about: [
    ours("Sit or lie near each other for a while, clothed, with phones away."),
    ours("Talk, or don't. Notice your breathing, the warmth of the room, what it is like simply to be near."),
  ] },
  { n: 2, title: "Hands, face and hair", about: [
    ours("Take turns: one of you slowly touches the other's hands, arms, face or hair for a few minutes, then swap."),
    ours("Notice texture, temperature and pressure. The one being touched only speaks up if something doesn't feel right."),
  ] },
  { n: 3, title: "Clothed, and close all over", about: [
    ours("Hold each other, or take turns stroking backs, shoulders and legs over clothes, leaving out breasts, chest and genitals."),
    ours("Your attention stays on how the touch feels, not on where it might lead."),
  ] },
  { n: 4, title: "Skin to skin, leaving some places out", about: [
    ours("As undressed as each of you is comfortable being, take turns touching skin, still leaving out breasts, chest and genitals."),
    ours("Arousal may come or not. Either is fine, and nothing has to follow from it."),
  ] },
  { n: 5, title: "Including more of the body", about: [
    ours("Touch can now include breasts, chest and genitals, still slowly, still in turns, still exploring rather than aiming for anything."),
    ours("If something is tender after treatment, go around it, or come back to an earlier step."),
  ] },
  { n: 6, title: "Whatever you choose together", about: [
    ours("From here, closeness is what the two of you decide it is. It may include sex, or it may not; both are whole."),
    ours("Keep the same unhurried attention, the same turns and the same right to pause."),
  ] },
];
