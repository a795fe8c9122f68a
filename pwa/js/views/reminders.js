// Reminders (#/reminders): turn this phone's gentle reminders on or off, choose whether they
// say what they are about, and see what is coming up. Everything here stays on this phone.
import { addDays, dayAhead, format } from "../core/dates.js";
import { DISCREET, TITLE, dayNumber } from "../core/reminders.js";
import { isPaired } from "../device/identity.js";
import * as records from "../device/records.js";
import { t, useWords } from "../i18n/index.js";
import * as reminders from "../reminders/remind.js";
import { settings as lockSettings } from "../lock/state.js";
import { el, viewHeader } from "../shell/dom.js";
import { coalesce, when } from "./common.js";

await useWords("reminders");

export const title = t("reminders.title");

const SAYS = Object.fromEntries(["denied", "default", "unsupported", "blocked", "asking", "on"]
  .map((state) => [state, t(`reminders.says_${state}`)]));
SAYS.off = "";

const KINDS = { lookback: t("reminders.kind_lookback"), checkin: t("reminders.kind_checkin"),
  appointment: t("reminders.kind_appointment") };
// The check-in day's name in this language: 2026-11-29 was a Sunday (day 0).
const weekdayName = (day) => format(addDays("2026-11-29", dayNumber(day)), "weekday");

function whenLabel(item, today) {
  if (item.date < today) return t("reminders.waiting");
  return dayAhead(item.date);
}

function comingUp({ today, items }, reminded) {
  if (!items.length) {
    return el("p", { class: "empty" },
      t("reminders.nothing_soon"));
  }
  return el("ul", { class: "quiet-list rem-list" }, items.map((item) => el("li", { class: "rem-item", dataset: { key: item.key } },
    el("p", { class: "rem-when" }, whenLabel(item, today),
      reminded[item.key] ? el("span", { class: "badge" }, t("reminders.reminded")) : null),
    el("p", { class: "rem-what" }, el("span", { class: "rem-kind" }, KINDS[item.kind]), item.listed),
    el("a", { class: "rem-open", href: item.route }, t("reminders.open")))));
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
    t("reminders.locked_words"));
  lockSettings().then((lock) => { lockedWords.hidden = !lock; });
  const dayNote = el("p", { class: "hint rem-day" });
  let busy = false;

  async function drawState(said = null) {
    const [mine, allowed] = [await reminders.settings(), reminders.permission()];
    if (!busy) toggle.checked = mine.on;
    discreet.checked = !mine.detailed;
    detailed.checked = mine.detailed;
    preview.replaceChildren(el("span", { class: "rem-preview-label" }, t("reminders.preview_label")),
      el("span", { class: "rem-preview-text" }, mine.detailed
        ? `${TITLE}: ${t("reminders.lookback_detailed", { title: t("reminders.quoted", { text: t("reminders.preview_title") }) })}`
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
      if (state !== "on") wake.textContent = t("reminders.wake_off");
      else wake.textContent = woke ? t("reminders.wake_on_last", { when: when(woke.at, { inSentence: true }) }) : t("reminders.wake_on");
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
      ? [t("reminders.day", { day: weekdayName(coming.checkinDay) }), el("a", { href: "#/checkin" }, t("reminders.day_change"))]
      : [t("reminders.day_unpaired")]));
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
    viewHeader(t("reminders.title"), t("reminders.lede")),
    el("section", { class: "card card-soft rem-about", "aria-labelledby": "rem-about-title" },
      el("h2", { id: "rem-about-title" }, t("reminders.about_title")),
      el("p", {}, t("reminders.about_here")),
      el("p", {}, t("reminders.about_late"))),
    el("section", { class: "card rem-settings", "aria-labelledby": "rem-settings-title" },
      el("h2", { id: "rem-settings-title" }, t("reminders.settings_title")),
      el("label", { class: "check rem-switch", for: toggle.id }, toggle, t("reminders.switch")),
      status,
      wake,
      el("fieldset", { class: "rem-words" },
        el("legend", {}, t("reminders.words_legend")),
        el("div", { class: "rem-choice" },
          el("label", { class: "check", for: discreet.id }, discreet, t("reminders.private")),
          el("p", { class: "hint", id: "rem-discreet-hint" },
            t("reminders.private_hint"))),
        el("div", { class: "rem-choice" },
          el("label", { class: "check", for: detailed.id }, detailed, t("reminders.detailed")),
          el("p", { class: "hint", id: "rem-detailed-hint" },
            t("reminders.detailed_hint"))),
        lockedWords,
        preview)),
    el("section", { class: "card rem-coming", "aria-labelledby": "rem-coming-title" },
      el("h2", { id: "rem-coming-title" }, t("reminders.coming_title")),
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
