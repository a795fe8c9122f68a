// A screen's own stylesheet, added to the page the first time the screen opens, so a first
// visit fetches only the styles of the screen it shows. The screen waits for its sheet and
// never shows unstyled; the service worker keeps every sheet for offline use.
const added = new Map();

export function stylesheet(href) {
  if (!added.has(href)) {
    added.set(href, new Promise((resolve) => {
      const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
      link.addEventListener("load", resolve, { once: true });
      link.addEventListener("error", resolve, { once: true });   // unstyled is better than no screen
      document.head.append(link);
    }));
  }
  return added.get(href);
}
