// Writing prompts and nonsexual closeness ideas, grouped by how much energy someone has
// today. Pure: no DOM, no storage, no clock of its own, so it runs under node's test runner
// and gives both phones the same "idea of the day" for the same calendar date.
//
// Every item is an invitation, never a task: nothing here is explicit, nothing is a dare,
// and every idea works for someone who is tired, sore or lying down on the low days. Ideas
// that touch skin or water say where a body may need care (numb or swollen skin, wounds,
// lines), none presumes how someone looks or looked, and some are for the partner who
// does the caring, whose needs count too.
import { dayNumber } from "./dates.js";

export const ENERGY_LEVELS = Object.freeze([
  Object.freeze({ value: "low", label: "Low", about: "Tired, sore or running on empty" }),
  Object.freeze({ value: "some", label: "Some", about: "A little to spare" }),
  Object.freeze({ value: "more", label: "More", about: "A good day" }),
]);

export const KINDS = Object.freeze({
  write: "Something to write",
  together: "Something to share",
});

// [energy, kind, text]. The order inside each list is the order "another idea" walks.
const ITEMS = {
  low: {
    write: [
      "Name one small moment today when you felt looked after. What made it reach you?",
      "Finish this sentence in your own way: “Today I was glad that you…”",
      "What is one thing about your partner that hasn't changed through all of this?",
      "Write a line about a sound, a smell or a texture that makes you feel at home.",
      "“I feel closest to you when…” Finish it with whatever is true today.",
      "If your body could hear one kind word from you today, what would it be?",
      "Think of the last time you laughed together. What set it off?",
      "What helped you through the hardest part of today, even a little?",
      "Write one thing you'd like your partner to know. It doesn't need an answer.",
      "What does comfort look like for you on a day like this one?",
      "“Something I miss, and hope we find again one day, is…” Go gently with yourself.",
      "Which small gesture from your partner would mean the most to you this week?",
      "For the partner who does the caring: what would help you rest this week? Your needs count too.",
      "What is the funniest thing that happened in a waiting room or on a ward? Write it down before it fades.",
    ],
    together: [
      "Lie side by side for a few minutes. No need to talk; just breathe near each other.",
      "Hold hands while you watch or listen to something easy.",
      "Offer a slow hand massage with a little lotion, and ask how the pressure feels. Skip any numb, sore or swollen patch.",
      "Read a few pages aloud, or let one of you read while the other rests with eyes closed.",
      "Share a warm drink and tell each other one good thing about the day, however small.",
      "Rest your head on your partner's shoulder, or offer yours for a while.",
      "Play one song you both love and sit close while it plays.",
      "Tell each other about an ordinary day you'd happily live again, and what made it good.",
      "Stroke the back of your partner's hand or forearm slowly while you talk.",
      "Breathe together for a minute or two: in for four, out for six, side by side.",
      "Say goodnight with a long, quiet hug, sitting or lying down if that's easier.",
      "Share a blanket by a window and watch the light or the weather change.",
      "On a tender day, agree on one touch that is welcome, like a hand on the shoulder, and let that be enough.",
      "Give the pills, pumps and machines in your life silly names, and use them all week.",
    ],
  },
  some: {
    write: [
      "Describe a touch that felt good lately, however ordinary it was.",
      "What would you like a little more of between you for now, and a little less of?",
      "Try an “I” sentence about something small: “I feel … when …, and it would help me if …”",
      "Write about a place where the two of you felt at ease. What made it feel that way?",
      "What did your partner do this week that you haven't thanked them for yet?",
      "What is one thing you'd be curious to try together, whenever the time feels right?",
      "Which part of your old routine together do you miss? Is there a small piece you could bring back?",
      "What has this time shown you about your partner that you didn't expect?",
      "How would you like to be asked before being touched on a tender day?",
      "What helps you feel like yourself these days?",
      "Recall a moment when you felt seen and chosen by your partner. What was happening?",
      "What would an unhurried evening together look like this month?",
    ],
    together: [
      "Take turns giving a five-minute shoulder or back rub, and say out loud what feels good.",
      "Make a simple snack together: one of you chops or opens, the other tastes and approves.",
      "Step outside for ten minutes together, on foot, on a bench or at an open window.",
      "Sway slowly to one song, standing or sitting, whichever your bodies like today.",
      "Take turns naming three things you appreciate about each other.",
      "Play a relaxed card or board game where nobody keeps score.",
      "Ask each other a question you've never asked before, and simply listen to the answer.",
      "Plan a tiny outing for next week: a café, a short drive, a bench with a view.",
      "Start a shared playlist of songs from the early days of the two of you.",
      "Sit facing each other and hold each other's gaze for a minute. Laughing is allowed.",
      "Write each other a short note and swap them to open later in the day.",
      "One of you talks for three minutes about their day; the other sums up what they heard, then swap.",
      "Let the partner who does the caring choose the evening: their film, their snack, their pace.",
    ],
  },
  more: {
    write: [
      "What would you like to explore together in the coming weeks? Keep it small and kind.",
      "Pick three words for how you'd like closeness to feel, and say why you chose them.",
      "What does intimacy mean to you now, compared with before treatment?",
      "Only if you want to: write about a change in your body you're slowly making peace with.",
      "“One thing I'd love to try with you is…, and I'd like it to go slowly because…”",
      "What helps you feel safe enough to say “not now”, or “let's pause”?",
      "Write down a memory of the two of you that still makes you smile, in as much detail as you like.",
      "What would you like your partner to understand about your energy on different days?",
      "Write a thank-you to your partner for something they have carried during this time.",
      "What is one hope you hold for the two of you a year from now?",
      "If you could invent a gentle ritual just for the two of you, what would be in it?",
      "What have you felt shy to ask for? Write it here first, just for yourself.",
      "If you are the one caring: what have you put on hold, and what small piece of it could come back?",
    ],
    together: [
      "Go somewhere pretty together, on foot, by wheelchair or by car, and hold hands where you can.",
      "Trade a longer massage, guiding each other with words like softer, slower, just there, and going round scars or lines.",
      "Run a warm bath or a footbath for your partner and keep them company. With an unhealed wound, a line or numb skin, ask the nurse first and test the water.",
      "Have a picnic, indoors or out, with foods that feel good to eat right now.",
      "Set the table nicely for a meal at home, in whatever clothes feel comfiest, just because.",
      "Take turns guiding each other's hands to show how you like your shoulders, arms or back touched.",
      "Follow a gentle stretching video side by side, keeping within what the physiotherapist or care team has cleared.",
      "Spend an evening without screens: low light, music you both like, and talk.",
      "Revisit the place of an early date, or recreate a bit of it at home.",
      "Make something together: a puzzle, a meal, a pot of herbs for the windowsill.",
      "Cuddle for a whole song, finding a position that is comfortable for both bodies.",
      "Plan your next small experiment together, and remind each other of your stop signal first.",
    ],
  },
};

function interleave(a, b) {
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
}

/** Every item: { id, energy, kind: "write" | "together", text }, frozen. */
export const PROMPTS = Object.freeze(ENERGY_LEVELS.flatMap(({ value: energy }) => {
  const numbered = (kind) => ITEMS[energy][kind].map((text, i) => Object.freeze({ id: `${energy}-${kind}-${i + 1}`, energy, kind, text }));
  return interleave(numbered("write"), numbered("together"));
}));

const BY_ID = new Map(PROMPTS.map((p) => [p.id, p]));

export function isEnergy(value) {
  return ENERGY_LEVELS.some((e) => e.value === value);
}

export function promptById(id) {
  return BY_ID.get(id) || null;
}

/** The items for one energy level (and optionally one kind), in rotation order. null = all. */
export function group(energy = null, kind = null) {
  if (energy !== null && !isEnergy(energy)) throw new RangeError(`unknown energy level '${energy}'`);
  if (kind !== null && !Object.hasOwn(KINDS, kind)) throw new RangeError(`unknown kind '${kind}'`);
  return PROMPTS.filter((p) => (energy === null || p.energy === energy) && (kind === null || p.kind === kind));
}

function gcd(a, b) {
  return b ? gcd(b, a % b) : a;
}

// Days step through a group by a stride that shares no factor with its size, so every item
// comes round once per cycle, yet tomorrow is not simply today's "another idea".
function stride(n) {
  return [7, 5, 11, 13, 17, 19, 23, 1].find((s) => gcd(s, n) === 1);
}

/**
 * The idea of the day for a calendar date ("YYYY-MM-DD" or a Date, read in local time),
 * within one energy level (and kind) if given. The same date always gives the same item,
 * so two phones agree without talking to each other.
 */
export function promptOfTheDay(date, energy = null, kind = null) {
  const items = group(energy, kind);
  const n = items.length;
  const index = (((dayNumber(date) * stride(n)) % n) + n) % n;
  return items[index];
}

/**
 * The item after `current` (an item or its id) in its group, wrapping round at the end.
 * The group is `energy` (and `kind`) if given, else the current item's own energy level.
 * A `current` outside the group gives the group's first item; `step` may be negative.
 */
export function nextInGroup(current, energy = null, kind = null, step = 1) {
  const item = typeof current === "string" ? promptById(current) : current;
  const items = group(energy ?? item?.energy ?? null, kind);
  const at = items.findIndex((p) => p.id === item?.id);
  if (at === -1) return items[0];
  const n = items.length;
  return items[(((at + step) % n) + n) % n];
}
