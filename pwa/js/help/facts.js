// A sentence the app shows on its care screens, with what it rests on. `fact` is a claim
// about health or care and names the pages (scripts/care_sources.json) that say so; `ours` is
// Hearth's own encouragement or invitation, which claims nothing and needs no page.
export const fact = (text, ...sources) => Object.freeze({ text, sources: Object.freeze(sources) });
export const ours = (text) => Object.freeze({ text, sources: Object.freeze([]) });

/** Every sentence in a tree of sections, notes and lists, in reading order. */
export function sentences(tree) {
  if (Array.isArray(tree)) return tree.flatMap(sentences);
  if (tree && typeof tree === "object") {
    if (typeof tree.text === "string" && Array.isArray(tree.sources)) return [tree];
    return Object.values(tree).flatMap(sentences);
  }
  return [];
}
