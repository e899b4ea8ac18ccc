import type { PeriodGrid } from './calendar.js';
import { CATALOGUE_V1_KEYS } from './catalogue.js';
import { CATALOGUE_V2_KEYS } from './catalogue-v2.js';
import type { Classification } from './classify.js';
import type { KpiDefinitionVersion, KpiUnit } from './definition.js';
import { formatDuration } from './duration.js';
import type { KpiResult } from './engine.js';

/** One result's explanation as the report shows it (what {@link explain} gives, collected). */
export interface ReportExplanation {
  readonly why: string;
  readonly contributing: readonly {
    readonly position: bigint;
    readonly eventId: string;
    readonly role: string;
    readonly numerator?: number;
    readonly denominator?: number;
    readonly detail?: string;
  }[];
}

/**
 * The chart library the report inlines into its page: uPlot's browser build (it defines the global
 * `uPlot`) and stylesheet, and its licence, which travels with every copy. `uplotChartLibrary()` of
 * `@pet-ops/kpi/node` reads it from the installed `uplot` package.
 */
export interface ChartLibrary {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly script: string;
  readonly style: string;
}

/** What {@link renderKpiReportHtml} draws. */
export interface KpiReportInput {
  readonly title: string;
  /** The definitions the results name (an engine's `definitions`). */
  readonly definitions: readonly KpiDefinitionVersion[];
  readonly results: readonly KpiResult[];
  /** Explanations by result id; a result without one shows its formula's numbers and reason only. */
  readonly explanations?: ReadonlyMap<string, ReportExplanation>;
  /** Dashboards in order: a title and the base keys of its KPIs (default: spec §4's, from the catalogues). */
  readonly dashboards?: readonly { readonly title: string; readonly keys: readonly string[] }[];
  /** A note under the title (e.g. the watermark and when the results were computed). */
  readonly note?: string;
  /** uPlot, inlined so the page needs no network (`uplotChartLibrary()` of `@pet-ops/kpi/node`). */
  readonly chartLibrary: ChartLibrary;
}

/**
 * The dashboards of spec §4 with the catalogues' base keys.
 *
 * @example `DEFAULT_DASHBOARDS.map((d) => d.title)` → `['Executive', 'Sales', 'Delivery', 'Support', 'People', 'Knowledge']`
 */
export const DEFAULT_DASHBOARDS: readonly { readonly title: string; readonly keys: readonly string[] }[] = [
  { title: 'Executive', keys: CATALOGUE_V2_KEYS.executive },
  { title: 'Sales', keys: [...CATALOGUE_V1_KEYS, ...CATALOGUE_V2_KEYS.sales] },
  { title: 'Delivery', keys: CATALOGUE_V2_KEYS.delivery },
  { title: 'Support', keys: CATALOGUE_V2_KEYS.support },
  { title: 'People', keys: CATALOGUE_V2_KEYS.people },
  { title: 'Knowledge', keys: CATALOGUE_V2_KEYS.knowledge },
];

const esc = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * A value as people read it: basis points as a percentage, minutes as a normalised duration, minor units
 * with two decimals, counts as they are.
 *
 * @example `formatValue(9091, 'basis_points')` → `'90.91 %'`
 */
export function formatValue(value: number, unit: KpiUnit): string {
  switch (unit) {
    case 'basis_points':
      return `${(value / 100).toFixed(2)} %`;
    case 'minutes':
      return formatDuration(value);
    case 'money_minor':
      return (value / 100).toFixed(2);
    case 'count':
      return String(value);
  }
}

/** One result's point on its chart, as the page's script reads it. */
interface ChartPoint {
  readonly value: number | null;
  /** The value as people read it ({@link formatValue}). */
  readonly label: string;
  readonly classification: Classification;
  /** The period as the x axis names it, and in full (`first … last day`). */
  readonly tick: string;
  readonly span: string;
  /** The id of the result's explanation in the page. */
  readonly anchor: string;
}

/** One KPI's chart as the page's script reads it: JSON in the page, never markup. */
interface ChartData {
  readonly unit: KpiUnit;
  readonly points: readonly ChartPoint[];
  /** Target and thresholds as dashed lines; lines at one value share one label. */
  readonly rules: readonly {
    readonly y: number;
    readonly kind: 'target' | 'good' | 'warning';
    readonly label: string;
  }[];
  /** The y range: every value, every line and zero, with a margin. */
  readonly range: readonly [number, number];
}

/** A period as a chart's x axis names it: months and quarters short, days and weeks by their first day. */
function periodTick(periodStart: string, grid: PeriodGrid): string {
  if (grid === 'month') return periodStart.slice(0, 7);
  if (grid === 'quarter')
    return `${periodStart.slice(0, 4)} Q${Math.floor((Number(periodStart.slice(5, 7)) - 1) / 3) + 1}`;
  return periodStart;
}

/** What one KPI's chart draws: its values over its periods, target and thresholds, the y range. */
function chartData(
  def: KpiDefinitionVersion,
  series: readonly KpiResult[],
  anchor: (r: KpiResult) => string,
): ChartData {
  const lines: { y: number; kind: 'target' | 'good' | 'warning' }[] = [];
  if (def.target !== null) lines.push({ y: def.target, kind: 'target' });
  if (def.thresholds !== null)
    lines.push({ y: def.thresholds.good, kind: 'good' }, { y: def.thresholds.warning, kind: 'warning' });
  // A target equal to a threshold is one line with one label (`target, good 100.00 %`), not two on top of each other.
  const rules = [...new Set(lines.map((l) => l.y))].map((y) => {
    const at = lines.filter((l) => l.y === y);
    return {
      y,
      kind: (at[0] as (typeof lines)[number]).kind,
      label: `${at.map((l) => l.kind).join(', ')} ${formatValue(y, def.unit)}`,
    };
  });
  const points = series.map((r) => ({
    value: Number.isFinite(r.value) ? r.value : null,
    label: Number.isFinite(r.value) ? formatValue(r.value, r.unit) : 'no value',
    classification: r.classification,
    tick: periodTick(r.periodStart, def.period),
    span: `${r.periodStart} … ${r.periodEnd}`,
    anchor: anchor(r),
  }));
  const ys = [...points.flatMap((p) => (p.value === null ? [] : [p.value])), ...lines.map((l) => l.y), 0];
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (lo === hi) hi = lo + 1;
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  return { unit: def.unit, points, rules, range: [lo, hi] };
}

/**
 * A chart's place in its card: the element uPlot fills (by its index in the page's chart data) and, as
 * text under it, the key of its dashed lines, so the values of target and thresholds read without
 * labels crowding the plot and without a script.
 */
function figure(index: number, def: KpiDefinitionVersion, chart: ChartData): string {
  const key = chart.rules.map((r) => `<span class="rule ${r.kind}">${esc(r.label)}</span>`).join(' ');
  return `<figure class="chart" aria-label="${esc(`${def.name} by period`)}"><div class="plot" data-chart="${index}"></div>${
    key === '' ? '' : `<figcaption class="rules">${key}</figcaption>`
  }</figure>`;
}

/**
 * JSON that can sit in a `<script type="application/json">`: no `<` (so no `</script>` or `<!--`), `>`,
 * `&` or line separators in it, each written as its `\uXXXX` escape, which JSON.parse reads back.
 */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * The page's own script: one uPlot per `.plot[data-chart]` from the JSON block, target and thresholds
 * drawn as dashed lines under the series, the points in their classification's colour over it, and per
 * point a link to its result's explanation laid over the canvas (a real link: keyboard reachable, and the
 * browser opens the closed `<details>` it lands in). A click elsewhere on a chart opens the nearest
 * period's explanation. Colours come from the page's CSS variables, so the cards and charts agree.
 */
const PAGE_SCRIPT = `(function () {
  'use strict';
  var charts = JSON.parse(document.getElementById('kpi-charts').textContent);
  var css = getComputedStyle(document.documentElement);
  var colour = function (name) { return css.getPropertyValue('--' + name).trim(); };
  var HEIGHT = 150;
  // Steps of minutes people count in (an hour, a day, a week), so duration ticks land on round values.
  var MINUTES = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200, 86400];
  // Counts tick in whole numbers only (1, 2, 5, 10, …), never 0.5 of a ticket.
  var WHOLE = [];
  for (var m = 1; m <= 1e9; m *= 10) WHOLE.push(m, 2 * m, 5 * m);
  var FONT = '10px system-ui, sans-serif';
  function tick(unit, v) {
    var a = Math.abs(v);
    if (v === 0) return '0';
    if (unit === 'basis_points') return +(v / 100).toFixed(2) + ' %';
    if (unit === 'minutes')
      return a >= 1440 ? +(v / 1440).toFixed(1) + ' d' : a >= 60 ? +(v / 60).toFixed(1) + ' h' : +v.toFixed(0) + ' min';
    if (unit === 'money_minor') { v = v / 100; a = a / 100; }
    return a >= 1e6 ? +(v / 1e6).toFixed(2) + 'M' : a >= 1e4 ? +(v / 1e3).toFixed(1) + 'k' : String(+v.toFixed(2));
  }
  function reveal(anchor) {
    var target = document.getElementById(anchor);
    if (target === null) return;
    var details = target.closest('details');
    if (details !== null) details.open = true;
    if (location.hash === '#' + anchor) target.scrollIntoView({ block: 'center' });
    else location.hash = anchor;
  }
  function drawRules(d) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, px = uPlot.pxRatio;
      ctx.save();
      ctx.lineWidth = 1.5 * px;
      ctx.setLineDash([5 * px, 3 * px]);
      d.rules.forEach(function (r) {
        var y = Math.round(u.valToPos(r.y, 'y', true)) + 0.5;
        ctx.strokeStyle = colour(r.kind);
        ctx.beginPath();
        ctx.moveTo(b.left, y);
        ctx.lineTo(b.left + b.width, y);
        ctx.stroke();
      });
      ctx.restore();
    };
  }
  function drawPoints(d) {
    return function (u) {
      var ctx = u.ctx, px = uPlot.pxRatio;
      ctx.save();
      ctx.lineWidth = 1.5 * px;
      ctx.strokeStyle = '#fff';
      d.points.forEach(function (p, i) {
        if (p.value === null) return;
        ctx.fillStyle = colour(p.classification);
        ctx.beginPath();
        ctx.arc(u.valToPos(i, 'x', true), u.valToPos(p.value, 'y', true), 4.5 * px, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      });
      ctx.restore();
    };
  }
  document.querySelectorAll('.plot[data-chart]').forEach(function (el) {
    var d = charts[Number(el.getAttribute('data-chart'))];
    if (d === undefined) return;
    var n = d.points.length;
    var links = d.points.map(function (p) {
      var a = document.createElement('a');
      a.className = 'pt ' + p.classification;
      a.href = '#' + p.anchor;
      a.title = p.span + ': ' + p.label + ' (' + p.classification + ')';
      a.setAttribute('aria-label', a.title);
      a.hidden = p.value === null;
      return a;
    });
    var at = function (i) { return d.points[i === null || i === undefined ? n - 1 : i]; };
    var axis = { stroke: colour('muted'), font: FONT, ticks: { stroke: colour('line'), size: 4 }, grid: { stroke: colour('line'), width: 1 } };
    var u = new uPlot({
      width: Math.max(el.clientWidth, 200),
      height: HEIGHT,
      // No drag-to-zoom on charts this small; the hovered point is ringed, its colour left showing.
      cursor: { drag: { x: false, y: false }, points: { size: 13, width: 2, fill: 'rgba(0,0,0,0)', stroke: colour('ink') } },
      legend: { live: true, markers: { show: false } },
      scales: { x: { time: false, range: [-0.5, n - 0.5] }, y: { range: d.range } },
      axes: [
        Object.assign({}, axis, {
          grid: { show: false },
          size: 28,
          space: 64,
          incrs: [1, 2, 3, 4, 6, 8, 12, 16, 26, 52, 104],
          values: function (u, splits) { return splits.map(function (i) { return d.points[i] === undefined ? '' : d.points[i].tick; }); },
        }),
        Object.assign({}, axis, d.unit === 'minutes' ? { incrs: MINUTES } : d.unit === 'count' ? { incrs: WHOLE } : {}, {
          size: 58,
          values: function (u, splits) { return splits.map(function (v) { return tick(d.unit, v); }); },
        }),
      ],
      series: [
        { label: 'period', value: function (u, v, s, i) { return at(i) === undefined ? '' : at(i).span; } },
        {
          label: 'value',
          stroke: colour('series'),
          width: 1.5,
          points: { show: false },
          value: function (u, v, s, i) { var p = at(i); return p === undefined ? '' : p.label + ' (' + p.classification + ')'; },
        },
      ],
      hooks: {
        drawAxes: [drawRules(d)],
        draw: [
          drawPoints(d),
          function (u) {
            d.points.forEach(function (p, i) {
              if (p.value === null) return;
              links[i].style.left = u.valToPos(i, 'x') + 'px';
              links[i].style.top = u.valToPos(p.value, 'y') + 'px';
            });
          },
        ],
      },
    }, [d.points.map(function (p, i) { return i; }), d.points.map(function (p) { return p.value; })], el);
    links.forEach(function (a) { u.over.appendChild(a); });
    u.over.addEventListener('click', function (e) {
      if (e.target.closest('a') !== null) return;
      var i = u.cursor.idx;
      if (i !== null && i !== undefined && d.points[i] !== undefined) reveal(d.points[i].anchor);
    });
    new ResizeObserver(function () {
      var width = Math.max(el.clientWidth, 200);
      if (width !== u.width) u.setSize({ width: width, height: HEIGHT });
    }).observe(el);
  });
})();`;

const baseKey = (key: string): string => key.replace(/\.by-[a-z-]+$/, '');

/**
 * One self-contained HTML page of KPI dashboards: per KPI a small uPlot chart of its organisation-wide
 * values (or, without an org scope, its first scope's) over its periods with target and thresholds drawn
 * in, the results coloured by classification, and each result's explanation one click away (a chart point
 * links to it): the formula with its numbers, the reason, and its contributing events with their shares.
 * uPlot's script and stylesheet are inlined and the charts' data travels as JSON, never as markup: no
 * external resource, it opens from a file offline. Pure: the caller passes results, explanations and the
 * chart library, and writes the file. Throws when the library's text would close the element it goes in.
 *
 * @example
 * ```ts
 * import { uplotChartLibrary } from '@pet-ops/kpi/node';
 *
 * const html = renderKpiReportHtml({
 *   title: 'Q1 2026',
 *   definitions: engine.definitions,
 *   results: engine.results(state),
 *   chartLibrary: uplotChartLibrary(),
 * });
 * ```
 */
export function renderKpiReportHtml(input: KpiReportInput): string {
  const defs = new Map(input.definitions.map((d) => [`${d.key}@${d.version}`, d]));
  const byBase = new Map<string, KpiResult[]>();
  for (const r of input.results) {
    const list = byBase.get(baseKey(r.definitionKey)) ?? [];
    list.push(r);
    byBase.set(baseKey(r.definitionKey), list);
  }
  const anchor = (r: KpiResult): string => `r-${r.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const charts: ChartData[] = [];
  const sections: string[] = [];
  for (const board of input.dashboards ?? DEFAULT_DASHBOARDS) {
    const cards: string[] = [];
    for (const key of board.keys) {
      const results = byBase.get(key);
      if (results === undefined || results.length === 0) continue;
      const scopes = [...new Set(results.map((r) => `${r.scopeType}:${r.scopeId}`))].sort((a, b) =>
        a.startsWith('org:') ? -1 : b.startsWith('org:') ? 1 : a < b ? -1 : a > b ? 1 : 0,
      );
      const shown = scopes[0] as string;
      const series = results
        .filter((r) => `${r.scopeType}:${r.scopeId}` === shown)
        .sort((a, b) => (a.periodStart < b.periodStart ? -1 : 1));
      const first = series[0] as KpiResult;
      const def = defs.get(`${first.definitionKey}@${first.definitionVersion}`);
      if (def === undefined) continue;
      const latest = series[series.length - 1] as KpiResult;
      const rows = series
        .map((r) => {
          const x = input.explanations?.get(r.id);
          const events =
            x === undefined
              ? ''
              : `<ol class="events">${x.contributing
                  .map(
                    (c) =>
                      `<li><code>#${esc(String(c.position))}</code> <code>${esc(c.eventId)}</code> ${esc(c.role)}${
                        c.numerator !== undefined || c.denominator !== undefined
                          ? ` <span class="share">(+${c.numerator ?? 0} / +${c.denominator ?? 0})</span>`
                          : ''
                      }${c.detail === undefined ? '' : ` <span class="detail">${esc(c.detail)}</span>`}</li>`,
                  )
                  .join('')}</ol>`;
          const why =
            x?.why ??
            `${r.numerator}${r.denominator === null ? '' : ` ÷ ${r.denominator}`} → ${r.value} ${r.unit}; ${r.classificationReason}`;
          // The anchor sits inside the details, not on it: navigating to a fragment inside a closed
          // <details> opens it (HTML's ancestor-revealing rule), so a chart point's link opens its
          // explanation by itself.
          return `<details class="${r.classification}"><summary><span class="period">${esc(
            `${r.periodStart} … ${r.periodEnd}`,
          )}</span> <strong>${esc(formatValue(r.value, r.unit))}</strong> <span class="badge ${r.classification}">${esc(
            r.classification,
          )}</span></summary><p class="why" id="${anchor(r)}">${esc(why)}</p><p class="meta">${r.contributingEventCount} contributing event(s) up to #${esc(
            String(r.watermark),
          )} · ${esc(r.id)}</p>${events}</details>`;
        })
        .join('');
      const chart = chartData(def, series, anchor);
      charts.push(chart);
      cards.push(
        `<article class="kpi ${latest.classification}"><header><h3>${esc(def.name)}</h3><p class="value">${esc(
          formatValue(latest.value, latest.unit),
        )} <span class="badge ${latest.classification}">${esc(latest.classification)}</span></p><p class="scope">${esc(
          `${shown} · ${def.key}@${def.version} · ${def.period}`,
        )}</p></header>${figure(charts.length - 1, def, chart)}<p class="description">${esc(def.description)}</p>${rows}</article>`,
      );
    }
    if (cards.length > 0)
      sections.push(
        `<section><h2>${esc(board.title)}</h2><div class="grid">${cards.join('')}</div></section>`,
      );
  }
  const library = input.chartLibrary;
  if (
    /<\/script|<!--/i.test(library.script) ||
    /<\/style/i.test(library.style) ||
    library.license.includes('*/')
  )
    throw new Error(
      `${library.name}@${library.version}: its text would break out of the element it is inlined into`,
    );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style>${library.style}</style>
<style>
:root{--good:#1a7f37;--warning:#b35900;--breach:#c62828;--unclassified:#57606a;--target:#0969da;--series:#8c959f;--ink:#1f2328;--muted:#57606a;--line:#d0d7de}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);margin:24px;background:#f6f8fa}
h1{margin:0 0 4px}h2{margin:28px 0 12px;border-bottom:1px solid var(--line);padding-bottom:4px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:16px}
.kpi{background:#fff;border:1px solid var(--line);border-left:6px solid var(--unclassified);border-radius:6px;padding:12px}
.kpi.good{border-left-color:var(--good)}.kpi.warning{border-left-color:var(--warning)}.kpi.breach{border-left-color:var(--breach)}
.kpi h3{margin:0;font-size:15px}.value{font-size:22px;margin:4px 0}.scope,.description,.meta,.note{color:var(--muted);font-size:12px;margin:2px 0}
.badge{font-size:11px;padding:1px 6px;border-radius:10px;color:#fff;background:var(--unclassified);vertical-align:middle}
.badge.good{background:var(--good)}.badge.warning{background:var(--warning)}.badge.breach{background:var(--breach)}
.chart{margin:6px 0}.plot{min-height:190px;overflow:hidden}.chart .uplot{font-family:inherit}.chart .u-over{cursor:pointer}
.chart .u-legend{font-size:11px;color:var(--muted)}.chart .u-legend .u-series>*{padding:0 4px}
.rules{font-size:11px;text-align:center;margin:2px 0 0}.rule{white-space:nowrap;margin:0 6px}
.rule::before{content:"";display:inline-block;width:18px;border-top:2px dashed;margin-right:4px;vertical-align:middle}
.rule.target{color:var(--target)}.rule.good{color:var(--good)}.rule.warning{color:var(--warning)}
.chart a.pt{position:absolute;width:14px;height:14px;margin:-7px 0 0 -7px;border-radius:50%}
.chart a.pt:hover,.chart a.pt:focus-visible{outline:2px solid var(--target);outline-offset:1px}
details{border-top:1px solid var(--line);padding:4px 0}summary{cursor:pointer}details:has(:target){background:#fff8c5}
.why{margin:4px 0}.events{margin:4px 0 4px 18px;padding:0;font-size:12px}.detail,.share{color:var(--muted)}
</style></head><body>
<h1>${esc(input.title)}</h1>${input.note === undefined ? '' : `<p class="note">${esc(input.note)}</p>`}
${sections.join('\n')}
<script>/*! ${library.name}@${library.version}, inlined so this page needs no network.
${library.license} */
${library.script}</script>
<script type="application/json" id="kpi-charts">${scriptJson(charts)}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
