import { CATALOGUE_V1_KEYS } from './catalogue.js';
import { CATALOGUE_V2_KEYS } from './catalogue-v2.js';
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

const W = 360;
const H = 140;
const PAD = { left: 8, right: 8, top: 10, bottom: 22 };

/** An inline SVG line chart of one KPI's values over its periods, with target and thresholds drawn in. */
function chart(
  def: KpiDefinitionVersion,
  series: readonly KpiResult[],
  anchor: (r: KpiResult) => string,
): string {
  const lines: { y: number; cls: string; label: string }[] = [];
  if (def.target !== null)
    lines.push({ y: def.target, cls: 'target', label: `target ${formatValue(def.target, def.unit)}` });
  if (def.thresholds !== null) {
    lines.push({
      y: def.thresholds.good,
      cls: 'good',
      label: `good ${formatValue(def.thresholds.good, def.unit)}`,
    });
    lines.push({
      y: def.thresholds.warning,
      cls: 'warning',
      label: `warning ${formatValue(def.thresholds.warning, def.unit)}`,
    });
  }
  const ys = [...series.map((r) => r.value), ...lines.map((l) => l.y), 0];
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (lo === hi) hi = lo + 1;
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  const x = (i: number): number =>
    series.length <= 1 ? W / 2 : PAD.left + (i * (W - PAD.left - PAD.right)) / (series.length - 1);
  const y = (v: number): number => PAD.top + ((hi - v) * (H - PAD.top - PAD.bottom)) / (hi - lo);
  const f = (n: number): string => n.toFixed(1);
  const parts: string[] = [];
  for (const l of lines) {
    parts.push(
      `<line class="rule ${l.cls}" x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(y(l.y))}" y2="${f(y(l.y))}"><title>${esc(l.label)}</title></line>`,
    );
  }
  if (series.length > 1) {
    parts.push(
      `<polyline class="series" points="${series.map((r, i) => `${f(x(i))},${f(y(r.value))}`).join(' ')}"/>`,
    );
  }
  series.forEach((r, i) => {
    parts.push(
      `<a href="#${anchor(r)}"><circle class="point ${r.classification}" cx="${f(x(i))}" cy="${f(y(r.value))}" r="4"><title>${esc(
        `${r.periodStart}: ${formatValue(r.value, r.unit)} (${r.classification})`,
      )}</title></circle></a>`,
    );
  });
  const first = series[0];
  const last = series[series.length - 1];
  if (first !== undefined && last !== undefined) {
    parts.push(`<text class="axis" x="${PAD.left}" y="${H - 6}">${esc(first.periodStart)}</text>`);
    if (series.length > 1)
      parts.push(`<text class="axis end" x="${W - PAD.right}" y="${H - 6}">${esc(last.periodStart)}</text>`);
  }
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`${def.name} by period`)}">${parts.join('')}</svg>`;
}

const baseKey = (key: string): string => key.replace(/\.by-[a-z-]+$/, '');

/**
 * One self-contained HTML page of KPI dashboards: per KPI a small chart of its organisation-wide values
 * (or, without an org scope, its first scope's) over its periods with target and thresholds drawn in, the
 * results coloured by classification, and each result's explanation one click away (a chart point links
 * to it): the formula with its numbers, the reason, and its contributing events with their shares. No
 * script, no external resource: it opens from a file. Pure: the caller passes results and explanations.
 *
 * @example
 * ```ts
 * const html = renderKpiReportHtml({ title: 'Q1 2026', definitions: engine.definitions, results: engine.results(state) });
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
          // <details> opens it (HTML's ancestor-revealing rule), so a chart point opens its explanation
          // without a script.
          return `<details class="${r.classification}"><summary><span class="period">${esc(
            `${r.periodStart} … ${r.periodEnd}`,
          )}</span> <strong>${esc(formatValue(r.value, r.unit))}</strong> <span class="badge ${r.classification}">${esc(
            r.classification,
          )}</span></summary><p class="why" id="${anchor(r)}">${esc(why)}</p><p class="meta">${r.contributingEventCount} contributing event(s) up to #${esc(
            String(r.watermark),
          )} · ${esc(r.id)}</p>${events}</details>`;
        })
        .join('');
      cards.push(
        `<article class="kpi ${latest.classification}"><header><h3>${esc(def.name)}</h3><p class="value">${esc(
          formatValue(latest.value, latest.unit),
        )} <span class="badge ${latest.classification}">${esc(latest.classification)}</span></p><p class="scope">${esc(
          `${shown} · ${def.key}@${def.version} · ${def.period}`,
        )}</p></header>${chart(def, series, anchor)}<p class="description">${esc(def.description)}</p>${rows}</article>`,
      );
    }
    if (cards.length > 0)
      sections.push(
        `<section><h2>${esc(board.title)}</h2><div class="grid">${cards.join('')}</div></section>`,
      );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style>
:root{--good:#1a7f37;--warning:#b35900;--breach:#c62828;--unclassified:#57606a;--ink:#1f2328;--muted:#57606a;--line:#d0d7de}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);margin:24px;background:#f6f8fa}
h1{margin:0 0 4px}h2{margin:28px 0 12px;border-bottom:1px solid var(--line);padding-bottom:4px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:16px}
.kpi{background:#fff;border:1px solid var(--line);border-left:6px solid var(--unclassified);border-radius:6px;padding:12px}
.kpi.good{border-left-color:var(--good)}.kpi.warning{border-left-color:var(--warning)}.kpi.breach{border-left-color:var(--breach)}
.kpi h3{margin:0;font-size:15px}.value{font-size:22px;margin:4px 0}.scope,.description,.meta,.note{color:var(--muted);font-size:12px;margin:2px 0}
.badge{font-size:11px;padding:1px 6px;border-radius:10px;color:#fff;background:var(--unclassified);vertical-align:middle}
.badge.good{background:var(--good)}.badge.warning{background:var(--warning)}.badge.breach{background:var(--breach)}
.chart{width:100%;height:auto;margin:6px 0}.series{fill:none;stroke:#0969da;stroke-width:2}
.point{stroke:#fff;stroke-width:1.5;fill:var(--unclassified)}.point.good{fill:var(--good)}.point.warning{fill:var(--warning)}.point.breach{fill:var(--breach)}
.rule{stroke-width:1;stroke-dasharray:4 3}.rule.target{stroke:#0969da}.rule.good{stroke:var(--good)}.rule.warning{stroke:var(--warning)}
.axis{font-size:10px;fill:var(--muted)}.axis.end{text-anchor:end}
details{border-top:1px solid var(--line);padding:4px 0}summary{cursor:pointer}details:has(:target){background:#fff8c5}
.why{margin:4px 0}.events{margin:4px 0 4px 18px;padding:0;font-size:12px}.detail,.share{color:var(--muted)}
</style></head><body>
<h1>${esc(input.title)}</h1>${input.note === undefined ? '' : `<p class="note">${esc(input.note)}</p>`}
${sections.join('\n')}
</body></html>
`;
}
