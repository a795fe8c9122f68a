// el("p", { class: "lede" }, "text", childNode): builds elements without innerHTML, so
// nothing a person writes can ever become markup. Strings become text nodes.

// Fields a person types words into: typed in the direction of what they write (a Hebrew
// note right to left), whatever the page's own language; and with autocomplete off unless
// the field says otherwise, because otherwise the browser keeps their words in files of its
// own, out of the lock's reach (Chromium's session restore wrote a half-written entry into
// the profile's Sessions files: tests/test_app_drafts.py).
const TYPED = new Set(["text", "search", "email", undefined]);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  if (tag === "textarea" || (tag === "input" && TYPED.has(attrs?.type))) {
    if (!attrs?.dir) node.dir = "auto";
    if (!attrs?.autocomplete) node.setAttribute("autocomplete", "off");
  }
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The standard top of a view: an h1 and an optional lede. */
export function viewHeader(title, lede) {
  return el("header", { class: "view-header" },
    el("h1", {}, title),
    lede ? el("p", { class: "lede" }, lede) : null);
}
