// Reminders (#/reminders): turn this phone's gentle reminders on or off, choose whether they
// say what they are about, and see what is coming up. Everything here stays on this phone.
import { dayAhead } from "../core/dates.js";
import { DISCREET, TITLE } from "../core/reminders.js";
import { isPaired } from "../device/identity.js";
import * as records from "../device/records.js";
import * as reminders from "../reminders/remind.js";
import { settings as lockSettings } from "../lock/state.js";
import { el, viewHeader } from "../shell/dom.js";
import { coalesce, dayName, when } from "./common.js";

export const title = "Reminders";

const SAYS = {
  denied: "Notifications are turned off for Hearth in this browser's settings, so reminders can't appear. "
    + "That's completely fine, and everything else works just the same. If you'd like them one day, allow "
    + "notifications for this site in the browser's settings, then come back and turn this on.",
  default: "No reminders for now. If you change your mind, turn this on again and choose “Allow” when your phone asks.",
  unsupported: "This browser can't show reminders. On an iPhone or iPad, add Hearth to your Home Screen and open it "
    + "from there; then you can turn them on here.",
  blocked: "Reminders are on, but this browser isn't letting Hearth show notifications at the moment, so none can appear.",
  asking: "Your phone will ask whether Hearth may show notifications.",
  on: "Reminders are on. Each thing is mentioned once, and there's never anything to answer.",
  off: "",
};

const KINDS = { lookback: "Look back", checkin: "Check-in", appointment: "Appointment" };

function whenLabel(item, today) {
  if (item.date < today) return "Waiting for you";
  return dayAhead(item.date);
}

function comingUp({ today, items }, reminded) {
  if (!items.length) {
    return el("p", { class: "empty" },
      "Nothing in the next four weeks. Reminders follow what you plan: a look-back, your check-in day, an appointment.");
  }
  return el("ul", { class: "quiet-list rem-list" }, items.map((item) => el("li", { class: "rem-item", dataset: { key: item.key } },
    el("p", { class: "rem-when" }, whenLabel(item, today),
      reminded[item.key] ? el("span", { class: "badge" }, "Reminded") : null),
    el("p", { class: "rem-what" }, el("span", { class: "rem-kind" }, `${KINDS[item.kind]}: `), item.listed),
    el("a", { class: "rem-open", href: item.route }, "Open"))));
}

export function render(outlet) {
  const toggle = el("input", { id: "rem-on", type: "checkbox", role: "switch", "aria-describedby": "rem-status" });
  const status = el("p", { id: "rem-status", class: "rem-status", role: "status" });
  const wake = el("p", { class: "hint rem-wake" });
  const discreet = el("input", { id: "rem-discreet", type: "radio", name: "rem-words", value: "discreet",
    "aria-describedby": "rem-discreet-hint" });
  const detailed = el("input", { id: "rem-detailed", type: "radio", name: "rem-words", value: "detailed",
    "aria-describedby": "rem-detailed-hint" });
  const preview = el("p", { class: "rem-preview" });
  const list = el("div", { class: "rem-upcoming" });
  // With the app lock on, a reminder never says what it is about, whichever is chosen here.
  const lockedWords = el("p", { class: "hint rem-locked", hidden: true },
    "While the app lock is on, reminders keep to the private words, so nothing shows before Hearth is unlocked.");
  lockSettings().then((lock) => { lockedWords.hidden = !lock; });
  const dayNote = el("p", { class: "hint rem-day" });
  let busy = false;

  async function drawState(said = null) {
    const [mine, allowed] = [await reminders.settings(), reminders.permission()];
    if (!busy) toggle.checked = mine.on;
    discreet.checked = !mine.detailed;
    detailed.checked = mine.detailed;
    preview.replaceChildren(el("span", { class: "rem-preview-label" }, "On a lock screen: "),
      el("span", { class: "rem-preview-text" }, mine.detailed
        ? `${TITLE}: Time to look back on “A slow walk after dinner”, whenever you have a quiet moment.`
        : `${TITLE}: ${DISCREET.lookback}`));
    let key = said;
    if (!key) {
      if (allowed === "unsupported") key = "unsupported";
      else if (mine.on) key = allowed === "granted" ? "on" : "blocked";
      else key = allowed === "denied" ? "denied" : "off";
    }
    status.textContent = SAYS[key];
    status.dataset.state = key;
    if (mine.on && allowed === "granted") {
      const [state, woke] = await Promise.all([reminders.wakeState(), reminders.lastWoke()]);
      wake.textContent = state === "on"
        ? `This phone lets Hearth wake now and then, so reminders can come while it's closed.${
          woke ? ` It last looked ${when(woke.at, { inSentence: true })}.` : ""}`
        : "Here, reminders come while Hearth is open or when you next open it: this browser doesn't let it wake on its own.";
      wake.hidden = false;
    } else {
      wake.hidden = true;
    }
  }

  async function drawList() {
    const [coming, reminded, paired] = await Promise.all([
      reminders.upcoming(), reminders.reminded(), isPaired()]);
    list.replaceChildren(comingUp(coming, reminded));
    dayNote.replaceChildren(...(paired
      ? [`Your check-in day is ${dayName(coming.checkinDay)}. `, el("a", { href: "#/checkin" }, "Change it on the check-in screen")]
      : ["Once you've paired, your check-in day is reminded too."]));
  }

  toggle.addEventListener("change", async () => {
    busy = true;
    toggle.setAttribute("aria-busy", "true");
    let said = null;
    try {
      if (toggle.checked) {
        if (reminders.permission() === "default") {
          status.textContent = SAYS.asking;
          status.dataset.state = "asking";
        }
        const answer = await reminders.turnOn();   // asks for permission here, from the tap
        if (answer !== "granted") {
          toggle.checked = false;
          said = answer;
        }
      } else {
        await reminders.turnOff();
      }
    } finally {
      busy = false;
      toggle.removeAttribute("aria-busy");
    }
    await drawState(said);
    await drawList();
  });

  for (const radio of [discreet, detailed]) {
    radio.addEventListener("change", async () => {
      if (radio.checked) await reminders.setDetailed(radio.value === "detailed");
      await drawState();
    });
  }

  outlet.append(
    viewHeader("Reminders", "A quiet nudge on this phone when something you planned comes round. "
      + "They stay off unless you turn them on."),
    el("section", { class: "card card-soft rem-about", "aria-labelledby": "rem-about-title" },
      el("h2", { id: "rem-about-title" }, "How they work"),
      el("p", {}, "Reminders are worked out on this phone from what's already here, and each thing is mentioned once. "
        + "The relay never learns your schedule, and your partner's phone has its own setting."),
      el("p", {}, "When Hearth is closed, a reminder can only come if your phone lets it wake now and then, "
        + "so one may arrive a little late, or the next time you open Hearth.")),
    el("section", { class: "card rem-settings", "aria-labelledby": "rem-settings-title" },
      el("h2", { id: "rem-settings-title" }, "On this phone"),
      el("label", { class: "check rem-switch", for: toggle.id }, toggle, "Remind me on this phone"),
      status,
      wake,
      el("fieldset", { class: "rem-words" },
        el("legend", {}, "What a reminder says"),
        el("div", { class: "rem-choice" },
          el("label", { class: "check", for: discreet.id }, discreet, "Keep it private"),
          el("p", { class: "hint", id: "rem-discreet-hint" },
            "Lock screens are easy to glance at. A reminder just says “Hearth” and a gentle line, nothing about what it's for.")),
        el("div", { class: "rem-choice" },
          el("label", { class: "check", for: detailed.id }, detailed, "Show what it's about"),
          el("p", { class: "hint", id: "rem-detailed-hint" },
            "Names the experiment or appointment. Anyone who sees your screen could read it.")),
        lockedWords,
        preview)),
    el("section", { class: "card rem-coming", "aria-labelledby": "rem-coming-title" },
      el("h2", { id: "rem-coming-title" }, "Coming up"),
      list,
      dayNote));

  const redraw = coalesce(() => { drawState(); drawList(); });
  reminders.changes.addEventListener("change", redraw);
  records.changes.addEventListener("records", redraw);
  records.changes.addEventListener("pairing", redraw);
  drawState();
  drawList();
  return () => {
    reminders.changes.removeEventListener("change", redraw);
    records.changes.removeEventListener("records", redraw);
    records.changes.removeEventListener("pairing", redraw);
  };
}
