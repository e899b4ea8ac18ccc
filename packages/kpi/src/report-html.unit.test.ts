import { describe, expect, it } from 'vitest';
import { catalogueV1 } from './catalogue.js';
import { catalogueV2 } from './catalogue-v2.js';
import { createKpiEngine } from './engine.js';
import { explain } from './explain.js';
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
    html: renderKpiReportHtml({ title: 'Q1 <2026>', definitions: engine.definitions, results, explanations }),
  };
}

describe('the HTML report', () => {
  it('is one self-contained page: dashboards, a chart per KPI, each result explained one click away', async () => {
    const { results, html } = await report();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Nothing loaded from elsewhere, no script.
    expect(html).not.toMatch(/https?:\/\/|<script|src=|<link/);
    expect(html).toContain('<title>Q1 &lt;2026&gt;</title>');
    expect([...html.matchAll(/<section><h2>([^<]+)<\/h2>/g)].map((m) => m[1])).toEqual([
      'Executive',
      'Delivery',
      'Support',
    ]);
    // One card and one chart per KPI with results.
    const cards = html.match(/<article class="kpi /g) ?? [];
    expect(cards.length).toBe(new Set(results.map((r) => r.definitionKey)).size);
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBe(cards.length);
    // Every result has its explanation, and every chart point links to one.
    for (const r of results) expect(html).toContain(`id="r-${r.id.replace(/[^A-Za-z0-9_-]/g, '_')}"`);
    const links = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBe(results.length);
    for (const id of links) expect(html).toContain(`id="${id}"`);
    // The efficiency card: January 600 ÷ 500 (good), February 300 ÷ 600 (breach); target and thresholds drawn.
    expect(html).toContain('Delivery efficiency (version 1): 300 ÷ 600 = 5000 bp');
    expect(html).toMatch(/<line class="rule target"[^>]*><title>target 100.00 %<\/title>/);
    expect(html).toMatch(/<circle class="point breach"/);
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
      definitions: [evil],
      results: [
        {
          id: 'knowledge.reuse@1/org:org/2026-01-01',
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
        },
      ],
    });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img onerror=x&gt;');
  });

  it('prints values as people read them', () => {
    expect(formatValue(9091, 'basis_points')).toBe('90.91 %');
    expect(formatValue(10_079, 'minutes')).toBe('7 d 0 h');
    expect(formatValue(123_456, 'money_minor')).toBe('1234.56');
    expect(formatValue(3, 'count')).toBe('3');
  });
});
