// Drawing the care screens' sentences: a paragraph is its sentences in a row, each kept
// word for word as help/getting-help.js and help/notes.js have it in the phone's language
// (docs/care-sources.md quotes the same words).
import { el } from "../../shell/dom.js";

export const paragraph = (sentences, attrs = {}) => el("p", attrs, sentences.map((s) => s.text).join(" "));
