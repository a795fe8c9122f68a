// Every view the router knows, by route name (#/pair, where pairing links land, is the
// Settings screen), as a function that loads its module. A view module exports `title`
// and `render(outlet, { params, query, navigate })`, which may return a cleanup function.
// Each is loaded when it is first opened, so a first visit waits only for the screen it
// shows (index.html preloads home's modules; the service worker keeps them all).
export const views = {
  home: () => import("./home.js"),
  journal: () => import("./journal.js"),
  boundaries: () => import("./boundaries.js"),
  pair: () => import("./settings.js"),
  energy: () => import("./energy.js"),
  gratitude: () => import("./gratitude.js"),
  appointments: () => import("./appointments.js"),
  experiments: () => import("./experiments.js"),
  checkin: () => import("./checkin.js"),
  progress: () => import("./progress.js"),
  reminders: () => import("./reminders.js"),
};
