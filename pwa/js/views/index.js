// Every view the router knows, by route name (#/pair, where pairing links land, is the
// Settings screen), as a function that loads its module. A view module exports `title`
// and `render(outlet, { params, query, navigate })`, which may return a cleanup function.
// Each is loaded when it is first opened, so a first visit waits only for the screen it
// shows (index.html preloads home's modules; the service worker keeps them all).
import { stylesheet } from "../shell/stylesheets.js";

// A screen with styles of its own waits for them as well as for its module.
const withStyles = (load, ...sheets) => () =>
  Promise.all([load(), ...sheets.map(stylesheet)]).then(([view]) => view);

export const views = {
  home: () => import("./home.js"),
  journal: () => import("./journal.js"),
  boundaries: () => import("./boundaries.js"),
  pair: () => import("./settings.js"),
  energy: withStyles(() => import("./energy.js"), "/css/energy.css"),
  gratitude: withStyles(() => import("./gratitude.js"), "/css/gratitude.css"),
  appointments: withStyles(() => import("./appointments.js"), "/css/appointments.css"),
  experiments: withStyles(() => import("./experiments.js"), "/css/experiments.css", "/css/reminders.css"),
  paced: withStyles(() => import("./paced.js"), "/css/paced.css"),
  checkin: withStyles(() => import("./checkin.js"), "/css/reminders.css"),
  progress: withStyles(() => import("./progress.js"), "/css/progress.css"),
  reminders: withStyles(() => import("./reminders.js"), "/css/reminders.css"),
  privacy: () => import("./privacy.js"),
  help: withStyles(() => import("./help.js"), "/css/help.css"),
  "good-to-know": withStyles(() => import("./good-to-know.js"), "/css/help.css"),
};
