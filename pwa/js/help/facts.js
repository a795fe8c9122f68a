// A sentence the app shows on its care screens, with what it rests on. `fact` is a claim
// about health or care and names the pages (scripts/care_sources.json) that say so; `ours` is
// Hearth's own encouragement or invitation, which claims nothing and needs no page. Each is
// named by its catalogue key (`id`), and its words are that key's in the phone's language:
// the sources belong to the key, so every language says the same claims on the same pages
// (scripts/care_sources.py checks the Spanish against the English). The key's area must be
// loaded (useWords) before the sentence is made.
import { t } from "../i18n/index.js";

export const fact = (id, ...sources) => Object.freeze({ id, text: t(id), sources: Object.freeze(sources) });
export const ours = (id) => fact(id);

/** Every sentence in a tree of sections, notes and lists, in reading order. */
export function sentences(tree) {
  if (Array.isArray(tree)) return tree.flatMap(sentences);
  if (tree && typeof tree === "object") {
    if (typeof tree.text === "string" && Array.isArray(tree.sources)) return [tree];
    return Object.values(tree).flatMap(sentences);
  }
  return [];
}
