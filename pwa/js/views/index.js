// Every view the router knows, by route name (#/pair, where pairing links land, is the
// Settings screen). A view module exports `title` and `render(outlet, { params, query,
// navigate })`, which may return a cleanup function.
import * as home from "./home.js";
import * as journal from "./journal.js";
import * as boundaries from "./boundaries.js";
import * as settings from "./settings.js";
import * as energy from "./energy.js";
import * as gratitude from "./gratitude.js";
import * as appointments from "./appointments.js";
import * as experiments from "./experiments.js";
import * as checkin from "./checkin.js";
import * as progress from "./progress.js";
import * as reminders from "./reminders.js";

export const views = { home, journal, boundaries, pair: settings, energy, gratitude, appointments, experiments, checkin, progress, reminders };
