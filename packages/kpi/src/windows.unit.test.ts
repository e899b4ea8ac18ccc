import { describe, expect, it } from 'vitest';
import { catalogueV2 } from './catalogue-v2.js';
import { createKpiEngine } from './engine.js';
import { type EventSpec, stream, utc, uuid } from './test-support.test.js';
import { windowResults, windowStart } from './windows.js';

const prj = (n: number): string => uuid(0x6000 + n);
const milestone = (day: string, sold: number, actual: number): EventSpec => ({
  type: 'delivery.milestone_completed',
  at: utc(`${day}T12:00:00`),
  payload: { projectId: prj(1), soldMinutes: sold, actualMinutes: actual },
});
const variance = (type: string, day: string, n: number): EventSpec => ({
  type,
  at: utc(`${day}T12:00:00`),
  payload: { varianceId: uuid(0x9000 + n), projectId: prj(1) },
});

async function daily() {
  const engine = createKpiEngine({
    definitions: catalogueV2({ period: 'day', scopes: ['org', 'team'] }),
    orgTimeZone: 'UTC',
  });
  const state = await engine.run(
    engine.initialState(),
    stream([
      milestone('2026-01-10', 600, 500),
      milestone('2026-01-25', 400, 600),
      variance('project.variance_detected', '2026-01-05', 1),
      variance('project.variance_detected', '2026-01-06', 2),
      milestone('2026-02-20', 300, 300),
      variance('project.variance_resolved', '2026-02-02', 1),
      milestone('2026-03-15', 100, 200),
    ]),
  );
  return { engine, results: engine.results(state) };
}

describe('KPI windows', () => {
  it('start where the dashboards say: today, month, quarter and year to date, the last 30 or 90 days', () => {
    expect(windowStart('today', '2026-05-14')).toBe('2026-05-14');
    expect(windowStart('mtd', '2026-05-14')).toBe('2026-05-01');
    expect(windowStart('qtd', '2026-05-14')).toBe('2026-04-01');
    expect(windowStart('ytd', '2026-05-14')).toBe('2026-01-01');
    expect(windowStart('rolling-30', '2026-03-15')).toBe('2026-02-14');
    expect(windowStart('rolling-90', '2026-03-31')).toBe('2026-01-01');
    expect(() => windowStart('mtd', '2026-5-14')).toThrow(/YYYY-MM-DD/);
  });

  it('combine daily ratios as Σ numerator ÷ Σ denominator, never as an average of daily values', async () => {
    const { engine, results } = await daily();
    const eff = (window: Parameters<typeof windowResults>[3], to: string) =>
      windowResults(engine, 'delivery.efficiency@1', results, window, to).map((r) => [
        r.from,
        r.value,
        r.numerator,
        r.denominator,
        r.classification,
        r.resultIds.length,
      ]);
    expect(eff('today', '2026-02-20')).toEqual([['2026-02-20', 10_000, 300, 300, 'good', 1]]);
    expect(eff('mtd', '2026-01-31')).toEqual([['2026-01-01', 9091, 1000, 1100, 'warning', 2]]);
    // Quarter to date: (600 + 400 + 300 + 100) ÷ (500 + 600 + 300 + 200) = 1400 ÷ 1600 = 8750 bp.
    expect(eff('qtd', '2026-03-31')).toEqual([['2026-01-01', 8750, 1400, 1600, 'warning', 4]]);
    expect(eff('ytd', '2026-03-31')).toEqual([['2026-01-01', 8750, 1400, 1600, 'warning', 4]]);
    // The last 30 days to 15 March (from 14 February): 400 ÷ 500 = 8000 bp.
    expect(eff('rolling-30', '2026-03-15')).toEqual([['2026-02-14', 8000, 400, 500, 'warning', 2]]);
    expect(eff('today', '2026-02-21')).toEqual([]);
    // Estimate accuracy over the same days: 1 − (0 + 100) ÷ (300 + 100) = 7500 bp.
    expect(
      windowResults(engine, 'delivery.estimate-accuracy@1', results, 'rolling-30', '2026-03-15').map(
        (r) => r.value,
      ),
    ).toEqual([7500]);
  });

  it('a running level takes its last day on or before the window end; uncombinable measures are refused', async () => {
    const { engine, results } = await daily();
    // V1 and V2 open from January; V1 resolved on 2 February: 1 open on 10 March.
    const org = createKpiEngine({
      definitions: catalogueV2({ period: 'day', scopes: ['project'] }),
      orgTimeZone: 'UTC',
    });
    const state = await org.run(
      org.initialState(),
      stream([
        variance('project.variance_detected', '2026-01-05', 1),
        variance('project.variance_detected', '2026-01-06', 2),
        variance('project.variance_resolved', '2026-02-02', 1),
      ]),
    );
    expect(
      windowResults(org, 'delivery.open-variances.by-project@1', org.results(state), 'mtd', '2026-03-10').map(
        (r) => [r.scopeId, r.value, r.resultIds],
      ),
    ).toEqual([[prj(1), 1, [`delivery.open-variances.by-project@1/project:${prj(1)}/2026-02-02`]]]);
    expect(() =>
      windowResults(engine, 'people.team-load-spread.by-team@1', results, 'mtd', '2026-01-31'),
    ).toThrow(/do not combine/);
    const monthly = createKpiEngine({ definitions: catalogueV2(), orgTimeZone: 'UTC' });
    expect(() => windowResults(monthly, 'delivery.efficiency@1', [], 'mtd', '2026-01-31')).toThrow(
      /day grid/,
    );
  });
});
