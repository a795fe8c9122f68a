// Hearth's words in English for the privacy screen (loaded with its screens: i18n/index.js useWords).
export default {
  "privacy.title": "How your privacy works",
  "privacy.lede": "In plain words: what stays on this phone, what travels, and who can see what.",
  "privacy.phone_title": "On this phone",
  "privacy.phone_kept": "Everything you write is kept on this phone, in this browser's own storage. There's no account and no password to remember.",
  "privacy.between_title": "Between your two phones",
  "privacy.between_locked": "What you share is locked on your phone before it leaves, with keys that only your two phones hold. They were made when you paired, and the six numbers you compared prove nobody slipped in between.",
  "privacy.between_server": "A small server passes the locked messages from one phone to the other and forgets each one once it has arrived. It can't read them: it can't tell a journal entry from a boundary, or what either says.",
  "privacy.between_sees": "It does see that two phones are paired, roughly when they send something, and about how much. Whoever runs that server also serves this app, so run it yourselves or choose someone you trust.",
  "privacy.else_title": "Nothing else",
  "privacy.else_nothing": "Hearth loads nothing from anywhere else: no adverts, no tracking, no fonts or scripts from other sites.",
  "privacy.safe_title": "Keeping it safe",
  "privacy.safe_backup": "A backup is locked with a passphrase you choose; without it, nobody can open the file, us included.",
  "privacy.safe_copy": "A readable copy you download is not locked, so keep it somewhere private.",
  "privacy.safe_hide": "Quick hide covers the screen in a moment. Erasing Hearth from this phone deletes everything it keeps here.",
};
