// End to end: runs the example as a user does (a child process, `--json` so the output is machine
// readable) at a small size, on the embedded SQLite default and on MariaDB, then checks the KPI table
// against values computed here, independently of the KPI engine, from the same seeded scenario the
// example replays (nothing is pinned by hand). Both databases must give the same dashboard.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DashboardRow } from './dashboard.js';
import { monthIn } from './dashboard.js';
import { DEFAULT_SEED, generateScenario, ORG_TIME_ZONE, type Scenario, type StoryStep } from './scenario.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const SIZE = 0.2;
const DATABASE = `pet_agency_e2e_${process.pid}`;

interface Output {
  readonly import: { rows: number; created: number; rejected: number; rejections: { reason: string }[] };
  readonly pipeline: {
    leads: number;
    sales: number;
    doubleAccept: { loserCode: string; winnerSaleId: string } | null;
  };
  readonly dashboard: DashboardRow[];
  readonly explained: {
    resultId: string;
    why: string;
    events: { position: string; role: string; type: string }[];
  } | null;
}

function runExample(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=@pet-ops/source', MAIN, ...args],
      { cwd: ROOT, env: { ...process.env, PET_URL: undefined }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') return reject(error);
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/** Counts per (key, month) — the independent model of the catalogue's org-scope KPIs. */
class Tally {
  readonly cells = new Map<string, { numerator: number; denominator: number }>();
  add(kpi: string, at: number, numerator: number, denominator: number): void {
    const key = `${kpi}|${monthIn(ORG_TIME_ZONE, at)}`;
    const cell = this.cells.get(key) ?? { numerator: 0, denominator: 0 };
    cell.numerator += numerator;
    cell.denominator += denominator;
    this.cells.set(key, cell);
  }
}

const find = <K extends StoryStep['kind']>(steps: readonly StoryStep[], kind: K) =>
  steps.find((s) => s.kind === kind) as Extract<StoryStep, { kind: K }> | undefined;

/** Sell total of a version: Σ rate × hours (whole hours, so no rounding is involved). */
const sellOf = (lines: readonly { sellRateMinor: number; minutes: number }[]): number =>
  lines.reduce((s, l) => s + (l.sellRateMinor * l.minutes) / 60, 0);

function expectedOrgKpis(scenario: Scenario): Tally {
  const t = new Tally();
  for (const lead of scenario.leads) {
    const s = lead.steps;
    const opportunity = find(s, 'opportunity_created');
    t.add('sales.lead-conversion', lead.createdAt, opportunity === undefined ? 0 : 1, 1);
    const qualified = find(s, 'qualified');
    const disqualified = find(s, 'disqualified');
    if (qualified !== undefined) {
      t.add('sales.disqualification-rate', qualified.at, 0, 1);
      t.add('sales.time-to-qualification', qualified.at, (qualified.at - lead.createdAt) / 60_000, 1);
    }
    if (disqualified !== undefined) t.add('sales.disqualification-rate', disqualified.at, 1, 1);
    const accepted = find(s, 'quote_accepted');
    const lost = find(s, 'opportunity_lost');
    const cls = qualified?.opportunityClass;
    for (const [key, won] of [
      ['sales.win-rate', accepted],
      [`sales.win-rate.${cls}`, accepted],
    ] as const) {
      if (won !== undefined) t.add(key, won.at, 1, 1);
    }
    if (lost !== undefined) {
      t.add('sales.win-rate', lost.at, 0, 1);
      t.add(`sales.win-rate.${cls}`, lost.at, 0, 1);
    }
    if (accepted !== undefined) {
      const finalLines = find(s, 'quote_revised')?.lines ?? find(s, 'quote_created')!.lines;
      t.add('sales.sold-value', accepted.at, sellOf(finalLines), 0);
    }
  }
  return t;
}

const scenario = generateScenario({ seed: DEFAULT_SEED, size: SIZE });
const dir = mkdtempSync(join(tmpdir(), 'pet-agency-e2e-'));
const mysqlUrl = (): string => `${inject('mysqlUrl').replace(/\/$/, '')}/${DATABASE}`;
const outputs = new Map<string, Output>();

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const conn = await createConnection({ uri: inject('mysqlUrl') });
  await conn.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await conn.end();
});

describe.each([
  ['SQLite (the embedded default)', () => `sqlite:${join(dir, 'agency.db')}`],
  ['MariaDB', mysqlUrl],
])('the agency example at size 0.2 (fixed seed) on %s', (name, url) => {
  let output: Output;
  let stderr: string;

  beforeAll(async () => {
    const run = await runExample(['--size', String(SIZE), '--json', '--url', url()]);
    stderr = run.stderr;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    output = JSON.parse(run.stdout) as Output;
    outputs.set(name, output);
  }, 170_000);

  it('imports the generated CSV and dead-letters exactly its bad rows', () => {
    const bad = scenario.companyRows.filter((r) => r.badReason !== null);
    expect(output.import.rows).toBe(scenario.companyRows.length);
    expect(output.import.created).toBe(scenario.companyRows.length - bad.length);
    expect(output.import.rejected).toBe(bad.length);
    expect(output.import.rejections.map((r) => r.reason).sort()).toEqual(bad.map((r) => r.badReason).sort());
  });

  it('replays every lead and resolves the double accept into one sale and one QUOTE_ACCEPTED', () => {
    expect(output.pipeline.leads).toBe(scenario.leads.length);
    expect(output.pipeline.sales).toBe(scenario.leads.filter((l) => find(l.steps, 'quote_accepted')).length);
    expect(output.pipeline.doubleAccept?.loserCode).toBe('QUOTE_ACCEPTED');
  });

  it('shows the org KPIs the scenario implies (numerators and denominators computed here)', () => {
    const expected = expectedOrgKpis(scenario);
    const shown = new Map(
      output.dashboard
        .filter((r) => r.scopeType === 'org' && expected.cells.has(`${r.kpi}|${r.period}`))
        .map((r) => [`${r.kpi}|${r.period}`, { numerator: r.numerator, denominator: r.denominator ?? 0 }]),
    );
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(expected.cells));
    // Every ratio is its numerator over its denominator in basis points.
    for (const r of output.dashboard.filter((x) => x.unit === 'basis_points' && x.denominator !== null)) {
      expect(Math.abs(r.value - (r.numerator * 10_000) / r.denominator!)).toBeLessThanOrEqual(0.5);
    }
  });

  it('names the definition version, target and classification of every row', () => {
    expect(output.dashboard.length).toBeGreaterThan(0);
    for (const r of output.dashboard) {
      expect(r.definitionVersion).toBe(1);
      expect(['good', 'warning', 'breach', 'unclassified']).toContain(r.classification);
      if (r.unit === 'money_minor') expect(r.classification).toBe('unclassified');
    }
    const winRates = output.dashboard.filter((r) => r.kpi === 'sales.win-rate' && r.scopeType === 'org');
    for (const r of winRates) {
      const expected = r.value >= 4000 ? 'good' : r.value >= 2500 ? 'warning' : 'breach';
      expect([r.period, r.classification]).toEqual([r.period, expected]);
    }
  });

  it('explains one result down to exactly its contributing events', () => {
    const x = output.explained!;
    const row = output.dashboard.find((r) => r.resultId === x.resultId)!;
    expect(x.events).toHaveLength(row.contributingEvents);
    expect(x.why).toContain(`${row.numerator} ÷ ${row.denominator}`);
    expect(new Set(x.events.map((e) => e.type))).toEqual(
      new Set(['opportunity.won', 'opportunity.lost'].filter((t) => x.events.some((e) => e.type === t))),
    );
    expect(x.events.filter((e) => e.type === 'opportunity.won')).toHaveLength(row.numerator);
    expect(stderr).toBe('');
  });
});

describe('both databases', () => {
  it('give the same dashboard (ids aside)', () => {
    const strip = (o: Output | undefined) =>
      o?.dashboard
        .map(({ resultId: _r, ...rest }) => rest)
        .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    expect(outputs.size).toBe(2);
    const [a, b] = [...outputs.values()];
    expect(strip(a)).toEqual(strip(b));
  });
});

describe('bad input', () => {
  it('refuses a bad --size with the rule and exit code 1', async () => {
    const run = await runExample(['--size', 'lots']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--size must be a number in (0, 1000]');
  });
});
