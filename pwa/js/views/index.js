// Every view the router knows, by route name. A view module exports `title` and
// `render(outlet, { params, query, navigate })`, which may return a cleanup function.
import * as home from "./home.js";
import * as journal from "./journal.js";
import * as boundaries from "./boundaries.js";
import * as pair from "./pair.js";

export const views = { home, journal, boundaries, pair };
