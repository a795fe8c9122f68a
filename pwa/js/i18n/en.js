// Hearth's words in English: the source every other catalogue translates. Keys name the
// place and the purpose ("tabs.home"), never the words, so rewording one keeps its
// translations' key. A message with plural forms is { one, other } (Intl.PluralRules'
// categories), chosen by the count it is given.
export default {
  "shell.skip": "Skip to content",
  "shell.brand_home": "Hearth, home",
  "shell.update_title": "A new version is ready",
  "shell.update_note": "It takes a moment and keeps everything you've written.",
  "shell.update_now": "Update now",
  "shell.update_later": "Not now",
  "tabs.label": "Main",
  "tabs.home": "Home",
  "tabs.journal": "Journal",
  "tabs.boundaries": "Boundaries",
  "tabs.settings": "Settings",
  "hide.button": "Hide screen",
  "hide.hint": "Hide the screen (or press Escape twice). Tap the blank screen to come back.",
  "hide.come_back": "Tap to come back",
  "hide.neutral_title": "New page",

  "language.title": "Language",
  "language.intro": "Hearth speaks the language of your phone when it can. You can choose another here, for this phone only.",
  "language.label": "Hearth's language",
  "language.phone": "The phone's language ({name})",
  "language.incomplete": "{name} (not finished: some words stay in English)",
  "language.note": "Hearth starts again in the language you choose. Nothing you've written changes.",

  // --- home: views/home.js, views/home/*, the status line, the install hint, the lock screen

  // --- journal and boundaries: views/journal.js, views/boundaries.js, views/boundaries/*, length limits, drafts
};
