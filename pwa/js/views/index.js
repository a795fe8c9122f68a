// Every view the router knows, by route name. A view module exports `title` and
// `render(outlet, { params, query, navigate })`, which may return a cleanup function.
import * as home from "./home.js";
import * as journal from "./journal.js";
import * as boundaries from "./boundaries.js";
import * as pair from "./pair.js";
import * as energy from "./energy.js";
import * as gratitude from "./gratitude.js";
import * as appointments from "./appointments.js";
import * as experiments from "./experiments.js";
import * as checkin from "./checkin.js";
import * as progress from "./progress.js";
import * as reminders from "./reminders.js";

export const views = { home, journal, boundaries, pair, energy, gratitude, appointments, experiments, checkin, progress, reminders };
