// "How your privacy works" (#/privacy), reachable from the welcome and from Settings: what
// stays on this phone, what travels and how, and what the server that passes it on can
// and cannot see, in plain words that match docs/protocol.md.
import { el, viewHeader } from "../shell/dom.js";
import { WHAT_IS_SHARED } from "./home.js";

export const title = "How your privacy works";

const PARTS = [
  ["On this phone", [
    "Everything you write is kept on this phone, in this browser's own storage. There's no account and no password to remember.",
    WHAT_IS_SHARED,
  ]],
  ["Between your two phones", [
    "What you share is locked on your phone before it leaves, with keys that only your two phones hold. " +
      "They were made when you paired, and the six numbers you compared prove nobody slipped in between.",
    "A small server passes the locked messages from one phone to the other and forgets each one once it has arrived. " +
      "It can't read them: it can't tell a journal entry from a boundary, or what either says.",
    "It does see that two phones are paired, roughly when they send something, and about how much. " +
      "Whoever runs that server also serves this app, so run it yourselves or choose someone you trust.",
  ]],
  ["Nothing else", [
    "Hearth loads nothing from anywhere else: no adverts, no tracking, no fonts or scripts from other sites.",
  ]],
  ["Keeping it safe", [
    "A backup is locked with a passphrase you choose; without it, nobody can open the file, us included.",
    "A readable copy you download is not locked, so keep it somewhere private.",
    "Quick hide covers the screen in a moment. Erasing Hearth from this phone deletes everything it keeps here.",
  ]],
];

export function render(outlet) {
  outlet.append(
    viewHeader(title, "In plain words: what stays on this phone, what travels, and who can see what."),
    ...PARTS.map(([heading, lines], i) => el("section", { class: "card", "aria-labelledby": `privacy-${i}` },
      el("h2", { id: `privacy-${i}` }, heading), ...lines.map((line) => el("p", {}, line)))));
}
