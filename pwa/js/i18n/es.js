// Las palabras de Hearth en español (i18n/en.js es el original).
export default {
  "shell.skip": "Ir al contenido",
  "shell.brand_home": "Hearth, inicio",
  "shell.update_title": "Hay una versión nueva",
  "shell.update_note": "Tarda un momento y conserva todo lo que has escrito.",
  "shell.update_now": "Actualizar ahora",
  "shell.update_later": "Ahora no",
  "tabs.label": "Principal",
  "tabs.home": "Inicio",
  "tabs.journal": "Diario",
  "tabs.boundaries": "Límites",
  "tabs.settings": "Ajustes",
  "hide.button": "Ocultar la pantalla",
  "hide.hint": "Oculta la pantalla (o pulsa Escape dos veces). Toca la pantalla en blanco para volver.",
  "hide.come_back": "Toca para volver",
  "hide.neutral_title": "Nueva pestaña",

  "language.title": "Idioma",
  "language.intro": "Hearth usa el idioma de tu teléfono cuando puede. Aquí puedes elegir otro, solo para este teléfono.",
  "language.label": "Idioma de Hearth",
  "language.phone": "El idioma del teléfono ({name})",
  "language.incomplete": "{name} (sin terminar: algunas palabras siguen en inglés)",
  "language.note": "Hearth vuelve a empezar en el idioma que elijas. Nada de lo que has escrito cambia.",

  // --- home: views/home.js, views/home/*, the status line, the install hint, the lock screen

  // --- journal and boundaries: views/journal.js, views/boundaries.js, views/boundaries/*, length limits, drafts
};
