// The picture of the last weeks: a chart for each of you and one together, each with its
// words and a table beside it for screen readers, and the bars of the insight.
import { format } from "../../core/dates.js";
import * as ins from "../../core/energy-insight.js";
import { locale, t, useWords } from "../../i18n/index.js";
import { el } from "../../shell/dom.js";
import { SCALES, TIME_LABEL } from "./form.js";

await useWords("energy");

const SCALE_LABEL = Object.fromEntries(SCALES.map((s) => [s.name, s.label]));

// --- small helpers -------------------------------------------------------------------------

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  node.append(...children.flat().filter(Boolean));
  return node;
}

const shortDay = (iso) => format(iso, "short");

const longDay = (iso) => format(iso, "long");

// Averages are kept to one decimal, written as the language writes them ("6.5", "6,5").
const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 0 });
export const fmt = (n) => (Number.isInteger(n) ? String(n) : oneDecimal.format(n));

// --- the picture: charts with words and a table beside them --------------------------------

const W = 300;

const H = 120;

const PAD = 8;

function lineFor(points, who) {
  const { dots, runs } = ins.chartPoints(points, { width: W, height: H, pad: PAD });
  return svg("g", { class: `chart-series chart-${who}` },
    runs.filter((r) => r.length > 1).map((r) => svg("polyline", { class: "chart-line", points: r.map((p) => `${p.x},${p.y}`).join(" ") })),
    dots.map((p) => (who === "partner"
      ? svg("rect", { class: "chart-dot", x: p.x - 3.5, y: p.y - 3.5, width: 7, height: 7, rx: 1 })
      : svg("circle", { class: "chart-dot", cx: p.x, cy: p.y, r: 4 }))));
}

function sayAbout(name, points, metric, days) {
  const s = ins.summary(points);
  const what = SCALE_LABEL[metric].toLowerCase();
  if (!s.logged) return [name ? t("energy.chart_nothing_of", { name, what, days }) : t("energy.chart_nothing", { what, days }), ""];
  const spread = s.high.value === s.low.value ? "" : ` ${t("energy.chart_spread", {
    high: fmt(s.high.value), highDay: longDay(s.high.date), low: fmt(s.low.value), lowDay: longDay(s.low.date) })}`;
  // An average and its range, never how often someone logged: skipping a day is fine.
  const average = fmt(s.average);
  return [name ? t("energy.chart_average_of", { name, what, average, days })
    : t("energy.chart_average", { scale: SCALE_LABEL[metric], average, days }), spread];
}

export function chartFigure({ id, title, lines, metric, days, today }) {
  const captionId = `${id}-caption`;
  const grid = [0, 5, 10].map((v) => {
    const y = H - PAD - (v / 10) * (H - 2 * PAD);
    return svg("line", { class: "chart-grid", x1: 0, x2: W, y1: y, y2: y });
  });
  const picture = svg("svg", { class: "chart-svg", viewBox: `0 0 ${W} ${H}`, "aria-hidden": "true", focusable: "false" },
    grid, lines.map(({ points, who }) => lineFor(points, who)));
  const dates = lines[0].points.map((p) => p.date);
  const rows = dates.map((d, i) => ({ d, values: lines.map((l) => l.points[i].value) })).filter((r) => r.values.some((v) => v !== null));
  const table = el("div", { class: "visually-hidden" }, el("table", {},
    el("caption", {}, t("energy.chart_caption", { title, what: SCALE_LABEL[metric].toLowerCase() })),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("energy.chart_day")), lines.map((l) => el("th", { scope: "col" }, l.name)))),
    el("tbody", {}, rows.length ? rows.map((r) => el("tr", {}, el("th", { scope: "row" }, longDay(r.d)),
      r.values.map((v) => el("td", {}, v === null ? t("energy.chart_not_noted") : fmt(v)))))
      : el("tr", {}, el("td", { colspan: lines.length + 1 }, t("energy.chart_nothing_yet"))))));
  return el("figure", { class: "chart", id, "aria-labelledby": captionId },
    el("figcaption", { id: captionId },
      el("span", { class: "chart-title" }, title),
      lines.length > 1
        ? el("span", { class: "chart-summary" }, t("energy.chart_side_by_side"),
          el("span", { class: "visually-hidden" }, lines.map((l) => ` ${sayAbout(l.name, l.points, metric, days).join("")}`)))
        : el("span", { class: "chart-summary" }, lines.map((l) => {
          const [said, more] = sayAbout("", l.points, metric, days);
          return [said, " ", more ? el("span", { class: "visually-hidden" }, more) : null];
        }).flat())),
    lines.length > 1 ? el("ul", { class: "chart-legend" }, lines.map((l) => el("li", { class: `chart-key chart-${l.who}` },
      svg("svg", { class: "chart-swatch", viewBox: "0 0 24 10", "aria-hidden": "true", focusable: "false" },
        svg("line", { class: "chart-line", x1: 1, x2: 23, y1: 5, y2: 5 })), l.name))) : null,
    el("div", { class: "chart-frame", "aria-hidden": "true" },
      el("div", { class: "chart-y" }, el("span", {}, "10"), el("span", {}, "5"), el("span", {}, "0")),
      picture),
    el("div", { class: "chart-x", "aria-hidden": "true" },
      el("span", {}, shortDay(dates[0])), el("span", {}, dates.at(-1) === today ? t("energy.chart_today") : shortDay(dates.at(-1)))),
    table);
}

// Average energy for each part of the day, as short bars with the number beside them.
export function slotBars(byTime) {
  return el("ul", { class: "energy-slots", "aria-label": t("energy.slots_label") },
    ins.TIMES.filter((t) => byTime[t].count).map((t) => el("li", { class: "energy-slot" },
      el("span", { class: "energy-slot-name" }, TIME_LABEL[t]),
      svg("svg", { class: "energy-slot-bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true", focusable: "false" },
        svg("rect", { class: "energy-slot-track", x: 0, y: 0, width: 100, height: 10, rx: 5 }),
        svg("rect", { class: "energy-slot-fill", x: 0, y: 0, width: Math.max(byTime[t].mean * 10, 4), height: 10, rx: 5 })),
      el("span", { class: "energy-slot-value" }, fmt(byTime[t].mean)))));
}
