import { describe, expect, it } from 'vitest';
import { catalogueV1 } from './catalogue.js';
import { catalogueV2 } from './catalogue-v2.js';
import { createKpiEngine, type KpiResult } from './engine.js';
import { explain } from './explain.js';
import { uplotChartLibrary } from './node/index.js';
import { formatValue, type ReportExplanation, renderKpiReportHtml } from './report-html.js';
import { type EventSpec, stream, utc, uuid } from './test-support.test.js';

const milestone = (day: string, sold: number, actual: number): EventSpec => ({
  type: 'delivery.milestone_completed',
  at: utc(`${day}T12:00:00`),
  payload: { projectId: uuid(0x6001), soldMinutes: sold, actualMinutes: actual },
});
const ticket = (day: string, n: number, to: string | null): EventSpec =>
  to === null
    ? {
        type: 'ticket.created',
        at: utc(`${day}T09:00:00`),
        payload: {
          ticketId: uuid(0x5000 + n),
          owner: 'support',
          status: 'new',
          customerId: null,
          priority: 'high',
        },
      }
    : {
        type: 'ticket.status_changed',
        at: utc(`${day}T15:30:00`),
        payload: { ticketId: uuid(0x5000 + n), to },
      };

const chartLibrary = uplotChartLibrary();

interface ChartJson {
  readonly unit: string;
  readonly points: readonly {
    readonly value: number | null;
    readonly label: string;
    readonly classification: string;
    readonly anchor: string;
  }[];
  readonly rules: readonly { readonly y: number; readonly kind: string; readonly label: string }[];
  readonly range: readonly [number, number];
}

/** The charts' data block of a page, parsed as the page's script parses it. */
function chartsOf(html: string): ChartJson[] {
  const json = /<script type="application\/json" id="kpi-charts">([^<]*)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no chart data in the page');
  return JSON.parse(json) as ChartJson[];
}

async function report() {
  const engine = createKpiEngine({
    definitions: [...catalogueV1({ currency: 'EUR', scopes: ['org'] }), ...catalogueV2({ scopes: ['org'] })],
    orgTimeZone: 'UTC',
  });
  const events = stream([
    milestone('2026-01-10', 600, 500),
    milestone('2026-02-10', 300, 600),
    ticket('2026-01-05', 1, null),
    ticket('2026-01-05', 1, 'resolved'),
    ticket('2026-02-02', 2, null),
  ]);
  const state = await engine.run(engine.initialState(), events);
  const results = engine.results(state);
  const explanations = new Map<string, ReportExplanation>();
  for (const r of results) {
    const x = explain(engine, r, () => events);
    const contributing = [];
    for await (const c of x.contributing) contributing.push(c);
    explanations.set(r.id, { why: x.why, contributing });
  }
  return {
    results,
    html: renderKpiReportHtml({
      title: 'Q1 <2026>',
      definitions: engine.definitions,
      results,
      explanations,
      chartLibrary,
    }),
  };
}

/** One `knowledge.reuse` result of January 2026 (value 2, no thresholds), with `overrides`. */
const reuseResult = (overrides: { readonly id: string; readonly periodStart?: string }): KpiResult => ({
  definitionKey: 'knowledge.reuse',
  definitionVersion: 1,
  unit: 'count',
  scopeType: 'org',
  scopeId: 'org',
  periodStart: '2026-01-01',
  periodEnd: '2026-01-31',
  value: 2,
  numerator: 2,
  denominator: null,
  target: null,
  classification: 'unclassified',
  classificationReason: 'version 1 defines no thresholds',
  orgStructureVersion: null,
  watermark: 9n,
  contributingEventCount: 2,
  ...overrides,
});

describe('the HTML report', () => {
  it('is one self-contained page: dashboards, a chart per KPI, each result explained one click away', async () => {
    const { results, html } = await report();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Nothing loaded from elsewhere: uPlot's script and stylesheet are in the page, with its licence.
    expect(html).not.toMatch(/\ssrc=|<link|@import|url\(/);
    expect(html).toContain(chartLibrary.script);
    expect(html).toContain(chartLibrary.style);
    expect(html).toMatch(
      /<script>\/\*! uplot@\d+\.\d+\.\d+, inlined[\s\S]*The MIT License[\s\S]*\*\/\nvar uPlot=/,
    );
    expect(html).toContain('.uplot canvas {');
    expect(html.match(/<script[ >]/g)).toHaveLength(3);
    expect(html).toContain('<title>Q1 &lt;2026&gt;</title>');
    expect([...html.matchAll(/<section><h2>([^<]+)<\/h2>/g)].map((m) => m[1])).toEqual([
      'Executive',
      'Delivery',
      'Support',
    ]);
    // One card per KPI with results, each with its chart's container and that chart's data, in order.
    const cards = [...html.matchAll(/<article class="kpi [\s\S]*?<\/article>/g)].map((m) => m[0]);
    expect(cards.length).toBe(new Set(results.map((r) => r.definitionKey)).size);
    const charts = chartsOf(html);
    expect(charts).toHaveLength(cards.length);
    cards.forEach((card, i) => {
      expect(card).toMatch(
        new RegExp(`<figure class="chart" aria-label="[^"]+"><div class="plot" data-chart="${i}">`),
      );
      // The chart's points are the card's results, period by period, each pointing at its explanation.
      const chart = charts[i] as ChartJson;
      const explained = [...card.matchAll(/<p class="why" id="([^"]+)"/g)].map((m) => m[1]);
      expect(chart.points.map((p) => p.anchor)).toEqual(explained);
      const [lo, hi] = chart.range;
      for (const y of [0, ...chart.points.map((p) => p.value ?? 0), ...chart.rules.map((r) => r.y)])
        expect(lo <= y && y <= hi).toBe(true);
    });
    // Every result has its explanation.
    for (const r of results) expect(html).toContain(`id="r-${r.id.replace(/[^A-Za-z0-9_-]/g, '_')}"`);
    expect(charts.flatMap((c) => c.points)).toHaveLength(results.length);
    // The efficiency card: January 600 ÷ 500 (good), February 300 ÷ 600 (breach); target and thresholds drawn.
    expect(html).toContain('Delivery efficiency (version 1): 300 ÷ 600 = 5000 bp');
    const efficiency = charts.find((c) => c.points.some((p) => p.anchor.startsWith('r-delivery_efficiency')));
    expect(efficiency?.points.map((p) => [p.value, p.label, p.classification])).toEqual([
      [12_000, '120.00 %', 'good'],
      [5000, '50.00 %', 'breach'],
    ]);
    expect(efficiency?.rules.map((r) => [r.y, r.kind])).toEqual([
      [10_000, 'target'],
      [9500, 'good'],
      [8000, 'warning'],
    ]);
    expect(html).toContain(
      '<figcaption class="rules"><span class="rule target">target 100.00 %</span> <span class="rule good">good 95.00 %</span> <span class="rule warning">warning 80.00 %</span></figcaption>',
    );
    // MTTR's explanation lists its events with their shares and the span's arithmetic.
    expect(html).toContain('390 wall-clock minutes [2026-01-05T09:00Z, 2026-01-05T15:30Z) (no SLA bound)');
    expect(html).toContain('(+390 / +1)');
  });

  it('escapes every text it prints', () => {
    const def = catalogueV2({ scopes: ['org'] }).find((d) => d.key === 'knowledge.reuse');
    if (def === undefined) throw new Error('no definition');
    const evil = { ...def, name: '<img onerror=x>' };
    const html = renderKpiReportHtml({
      title: 't',
      chartLibrary,
      definitions: [evil],
      results: [reuseResult({ id: 'knowledge.reuse@1/org:org/2026-01-01' })],
    });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img onerror=x&gt;');
  });

  it('keeps its chart data out of the markup: a `</script>` in it stays text', () => {
    const def = catalogueV2({ scopes: ['org'] }).find((d) => d.key === 'knowledge.reuse');
    if (def === undefined) throw new Error('no definition');
    const id = 'knowledge.reuse@1/org:org/</script><script>alert(1)</script>';
    const html = renderKpiReportHtml({
      title: 't',
      chartLibrary,
      definitions: [def],
      results: [reuseResult({ id, periodStart: '2026-01-01</script>' })],
    });
    expect(html).not.toContain('alert(1)</script>');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    // A single period: one point, no line but its own, the range still around zero and the value.
    const [chart] = chartsOf(html);
    expect(chart?.points.map((p) => p.label)).toEqual(['2']);
    expect(chart?.rules).toEqual([]);
    expect(chart?.range[0]).toBeLessThan(0);
    expect(chart?.range[1]).toBeGreaterThan(2);
  });

  it('inlines the installed uPlot, and refuses a library whose text would close its element', () => {
    expect(chartLibrary.name).toBe('uplot');
    expect(chartLibrary.version).toMatch(/^1\.\d+\.\d+$/);
    expect(chartLibrary.license).toMatch(/^The MIT License/);
    expect(chartLibrary.script).toMatch(/var uPlot=/);
    expect(chartLibrary.style).toContain('.uplot');
    expect(uplotChartLibrary()).toBe(chartLibrary);
    const input = { title: 't', definitions: [], results: [] };
    expect(renderKpiReportHtml({ ...input, chartLibrary })).toContain('<h1>t</h1>');
    for (const bad of [
      { ...chartLibrary, script: 'var s = "</SCRIPT>";' },
      { ...chartLibrary, script: 'var s = "<!--";' },
      { ...chartLibrary, style: '</style><script>' },
      { ...chartLibrary, license: 'x */ alert(1) /*' },
    ])
      expect(() => renderKpiReportHtml({ ...input, chartLibrary: bad })).toThrow(/would break out/);
  });

  it('prints values as people read them', () => {
    expect(formatValue(9091, 'basis_points')).toBe('90.91 %');
    expect(formatValue(10_079, 'minutes')).toBe('7 d 0 h');
    expect(formatValue(123_456, 'money_minor')).toBe('1234.56');
    expect(formatValue(3, 'count')).toBe('3');
  });
});
