// A small hash router: #/home, #/journal, #/boundaries, #/pair.
// Pairing links look like #/pair?v=1&s=…&e=… (the secret lives in the fragment so it never
// reaches a server). They route to the pair view with the query intact and are never
// rewritten here; the pair view decides when to clear them from the address bar.

export const DEFAULT_ROUTE = "home";

/** "#/pair?v=1&s=x" -> { name: "pair", query: "v=1&s=x", params: URLSearchParams } */
export function parseHash(hash) {
  const raw = (hash || "").replace(/^#/, "");
  const path = raw.startsWith("/") ? raw.slice(1) : raw;
  const q = path.indexOf("?");
  const name = (q === -1 ? path : path.slice(0, q)).replace(/\/+$/, "");
  const query = q === -1 ? "" : path.slice(q + 1);
  return { name, query, params: new URLSearchParams(query) };
}

export function hrefFor(name, query = "") {
  return `#/${name}${query ? `?${query}` : ""}`;
}

/**
 * Starts routing. views: { name: () => Promise<{ title, render(outlet, ctx) -> cleanup? }> }.
 * onRoute(route) runs after each view is rendered (the shell marks the current tab there).
 */
export function startRouter({ views, outlet, onRoute = () => {} }) {
  let cleanup = null;
  let first = true;
  let currentKey = null;

  function show() {
    let route = parseHash(location.hash);
    if (!(route.name in views)) {
      // An empty or unknown hash: go home without adding a history entry.
      route = parseHash(hrefFor(DEFAULT_ROUTE));
      history.replaceState(history.state, "", hrefFor(DEFAULT_ROUTE));
    }
    const key = `${route.name}?${route.query}`;
    if (key === currentKey) return;
    currentKey = key;
    views[route.name]().then((view) => {
      if (key === currentKey) render(view, route);   // not if another route was asked for meanwhile
    }, (err) => {
      console.warn("a screen did not load", err);
      if (key !== currentKey) return;
      currentKey = null;   // so the same tab tries again
      outlet.replaceChildren(Object.assign(document.createElement("p"), {
        className: "notice", textContent: "This screen didn't load. Check the connection, then try again." }));
    });
  }

  function render(view, route) {
    if (typeof cleanup === "function") {
      try { cleanup(); } catch (err) { console.warn("view cleanup failed", err); }
    }
    cleanup = null;
    outlet.replaceChildren();
    outlet.dataset.view = route.name;
    cleanup = view.render(outlet, { params: route.params, query: route.query, navigate }) || null;
    document.title = route.name === DEFAULT_ROUTE ? "Hearth" : `${view.title} · Hearth`;
    onRoute(route);

    if (!first) {
      // Move focus to the new view's heading so screen readers announce where we are.
      const heading = outlet.querySelector("h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
      scrollTo(0, 0);
    }
    first = false;
  }

  function navigate(name, query = "") {
    const href = hrefFor(name, query);
    if (location.hash === href) show(); else location.hash = href;
  }

  addEventListener("hashchange", show);
  show();
  return { navigate, current: () => parseHash(location.hash) };
}
