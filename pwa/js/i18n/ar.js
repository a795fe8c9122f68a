// كلمات Hearth بالعربية: غير مكتملة بعد؛ ما ينقص يظهر بالإنجليزية (i18n/en.js هو الأصل).
// Not complete: it is here so that a right-to-left language is laid out right from the start.
export default {
  "shell.skip": "انتقل إلى المحتوى",
  "shell.brand_home": "Hearth، الصفحة الرئيسية",
  "tabs.label": "الرئيسية",
  "tabs.home": "الرئيسية",
  "tabs.journal": "اليوميات",
  "tabs.boundaries": "الحدود",
  "tabs.settings": "الإعدادات",
  "hide.button": "إخفاء الشاشة",
  "hide.come_back": "انقر للعودة",
  "hide.neutral_title": "صفحة جديدة",
  "language.title": "اللغة",
  "language.label": "لغة Hearth",
};
