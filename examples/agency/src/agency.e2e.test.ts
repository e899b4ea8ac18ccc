// End to end: runs the example as a user does (a child process, `--json` so the output is machine
// readable) at a small size, on the embedded SQLite default and on MariaDB, then checks the KPI table
// against values computed here, independently of the KPI engine, from the same seeded scenario the
// example replays (nothing is pinned by hand). Both databases must give the same dashboard.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPostgres } from '@pet-ops/adapters-postgres';
import { sql } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DashboardRow } from './dashboard.js';
import { monthIn } from './dashboard.js';
import type { DeliverySummary } from './delivery.js';
import { DEFAULT_SEED, generateScenario, ORG_TIME_ZONE, type Scenario, type StoryStep } from './scenario.js';
import type { SupportSummary } from './support.js';
import type { TimeSummary } from './time.js';

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
  readonly delivery: DeliverySummary;
  readonly time: TimeSummary;
  readonly support: SupportSummary;
  readonly dashboard: DashboardRow[];
  readonly report: string | null;
  readonly explainedSla: {
    resultId: string;
    why: string;
    events: { position: string; role: string; type: string; numerator?: number; denominator?: number }[];
  } | null;
  readonly explained: {
    resultId: string;
    why: string;
    events: { position: string; role: string; type: string }[];
  } | null;
  readonly explainedUtilisation: {
    team: string;
    loggedMinutes: number;
    capacityMinutes: number;
    utilisationBp: number | null;
    why: string;
    events: { position: string; role: string; type: string; numerator?: number; denominator?: number }[];
    capacity: { employee: string; numerator: number; denominator: number }[];
  };
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
  // The change order is a sale of its own (a quote referencing the original), accepted in delivery.
  for (const p of scenario.execute.projects) {
    const sent = p.actions.find((a) => a.kind === 'change_order_sent');
    const accepted = p.actions.find((a) => a.kind === 'change_order_accepted');
    if (sent?.kind === 'change_order_sent' && accepted !== undefined)
      t.add('sales.sold-value', accepted.at, sellOf([sent.line]), 0);
  }
  return t;
}

const MINUTE = 60_000;

/** Wall-clock parts of an instant in a zone (the platform's time-zone data, not the library's). */
const formats = new Map<string, Intl.DateTimeFormat>();
function wall(zone: string, ms: number): { date: string; weekday: string; minute: number; offset: string } {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'shortOffset',
    });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: get('weekday'),
    minute: Number(get('hour')) * 60 + Number(get('minute')),
    offset: get('timeZoneName'),
  };
}

/**
 * A deliberately simple reference: walks minute by minute from `start` and returns the instant the
 * desk's calendar has counted `target` business minutes (start inclusive), for the SLA checks.
 */
function dueByWalking(scenario: Scenario, start: number, target: number): number {
  const desk = scenario.execute.support;
  let counted = 0;
  for (let t = start; ; t += MINUTE) {
    if (counted === target) return t;
    const w = wall(desk.timeZone, t);
    const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(w.weekday) + 1;
    const open = desk.windows.some(
      (x) => x.weekday === weekday && x.startMinute <= w.minute && w.minute < x.endMinute,
    );
    if (open && !desk.holidays.includes(w.date)) counted++;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

/** The team an employee was in on a date (the org change moves one person on 17 August). */
function teamOn(scenario: Scenario, key: string, date: string): string | null {
  const e = scenario.employees.find((x) => x.key === key)!;
  const change = scenario.orgChange;
  if (key !== change.employeeKey) return e.teamKey;
  return date < new Date(change.at).toISOString().slice(0, 10) ? change.fromTeamKey : change.toTeamKey;
}

/** Logged net minutes and capacity (Mon–Fri × 480 minus approved leave) per team, from the scenario. */
function expectedUtilisation(scenario: Scenario): Map<string, { logged: number; capacity: number }> {
  const x = scenario.execute;
  const out = new Map(scenario.teams.map((t) => [t.key, { logged: 0, capacity: 0 }]));
  const delta = new Map<number, number>();
  for (const a of x.adjustments)
    if (a.change.kind === 'duration_delta') delta.set(a.entryIndex, a.change.deltaMinutes);
  for (const e of x.entries) {
    const team = teamOn(scenario, e.employeeKey, e.date)!;
    out.get(team)!.logged += e.minutes + (delta.get(e.index) ?? 0);
  }
  for (const e of scenario.employees.filter((y) => y.teamKey !== null)) {
    for (let d = Date.UTC(2026, 6, 1); d < Date.UTC(2026, 9, 1); d += 86_400_000) {
      const date = new Date(d).toISOString().slice(0, 10);
      const weekday = new Date(d).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      if (x.leave.some((l) => l.employeeKey === e.key && l.from <= date && date <= l.to)) continue;
      out.get(teamOn(scenario, e.key, date)!)!.capacity += 480;
    }
  }
  return out;
}

const scenario = generateScenario({ seed: DEFAULT_SEED, size: SIZE });
const dir = mkdtempSync(join(tmpdir(), 'pet-agency-e2e-'));
const mysqlUrl = (): string => `${inject('mysqlUrl').replace(/\/$/, '')}/${DATABASE}`;
const outputs = new Map<string, Output>();
const PG_SCHEMA = `agency_e2e_${process.pid}`;
const postgresUrl = (): string =>
  `${process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'}?schema=${PG_SCHEMA}`;

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const conn = await createConnection({ uri: inject('mysqlUrl') });
  await conn.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await conn.end();
  const pg = await openPostgres({ url: postgresUrl(), schema: 'public' });
  await sql`DROP SCHEMA IF EXISTS ${sql.id(PG_SCHEMA)} CASCADE`.execute(pg.db);
  await pg.close();
});

describe.each([
  ['SQLite (the embedded default)', () => `sqlite:${join(dir, 'agency.db')}`],
  ['MariaDB', mysqlUrl],
  ['PostgreSQL', postgresUrl],
])('the agency example at size 0.2 (fixed seed) on %s', (name, url) => {
  let output: Output;
  let stderr: string;
  const report = join(dir, `${name.split(' ')[0]}-report.html`);

  beforeAll(async () => {
    const run = await runExample(['--size', String(SIZE), '--json', '--url', url(), '--html', report]);
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
    // Every ratio is its numerator over its denominator in basis points. (Team load spread is in basis
    // points too, but a coefficient of variation: σ ÷ μ of the members' minutes, not numerator ÷ denominator.)
    const ratios = output.dashboard.filter(
      (x) =>
        x.unit === 'basis_points' && x.denominator !== null && !x.kpi.startsWith('people.team-load-spread'),
    );
    expect(ratios.length).toBeGreaterThan(0);
    for (const r of ratios) {
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

  it('explains one SLA compliance result down to its events, whose shares sum to its numerator and denominator', () => {
    const x = output.explainedSla!;
    const row = output.dashboard.find((r) => r.resultId === x.resultId)!;
    expect(row.kpi).toBe('support.sla-compliance');
    expect(x.events).toHaveLength(row.contributingEvents);
    expect(x.why).toContain(`${row.numerator} ÷ ${row.denominator}`);
    const sum = (k: 'numerator' | 'denominator') => x.events.reduce((n, e) => n + (e[k] ?? 0), 0);
    expect([sum('numerator'), sum('denominator')]).toEqual([row.numerator, row.denominator]);
    expect(x.events.every((e) => e.type.startsWith('sla.') || e.type.startsWith('ticket.'))).toBe(true);
  });

  it('explains one team’s utilisation down to its events: their shares sum to its logged minutes, the capacity parts to its capacity', () => {
    const x = output.explainedUtilisation;
    const team = scenario.teams.find((t) => t.key === scenario.orgChange.fromTeamKey)!;
    const row = output.time.utilisation.find((u) => u.team === team.name)!;
    expect(x.team).toBe(team.name);
    expect([x.loggedMinutes, x.capacityMinutes, x.utilisationBp]).toEqual([
      row.loggedMinutes,
      row.capacityMinutes,
      row.utilisationBp,
    ]);
    expect(x.why).toContain(`${row.loggedMinutes} ÷ ${row.capacityMinutes} = ${row.utilisationBp} bp`);
    const sum = (
      parts: readonly { numerator?: number; denominator?: number }[],
      k: 'numerator' | 'denominator',
    ) => parts.reduce((n, p) => n + (p[k] ?? 0), 0);
    const parts = [...x.events, ...x.capacity];
    expect([sum(parts, 'numerator'), sum(parts, 'denominator')]).toEqual([
      row.loggedMinutes,
      row.capacityMinutes,
    ]);
    // Numerator from events only, denominator from capacity only (capacity is not an event).
    expect([sum(x.events, 'denominator'), sum(x.capacity, 'numerator')]).toEqual([0, 0]);
    // Exactly the team's entries (counted by the team at their date) and the adjustments of those.
    const entries = scenario.execute.entries.filter(
      (e) => teamOn(scenario, e.employeeKey, e.date) === team.key,
    );
    const indexes = new Set(entries.map((e) => e.index));
    const adjustments = scenario.execute.adjustments.filter((a) => indexes.has(a.entryIndex));
    const count = (type: string) => x.events.filter((e) => e.type === type).length;
    expect([count('time_entry.submitted'), count('time_entry.adjusted')]).toEqual([
      entries.length,
      adjustments.length,
    ]);
    expect(x.events).toHaveLength(entries.length + adjustments.length);
    // The person the org change moves counts for this team only up to the change.
    const moved = scenario.employees.find((e) => e.key === scenario.orgChange.employeeKey)!;
    expect(x.capacity.map((c) => c.employee)).toContain(`${moved.firstName} ${moved.lastName}`);
  });

  it('writes one HTML page: every dashboard with results, a chart per KPI, both explained results with their events', () => {
    const html = readFileSync(report, 'utf8');
    expect(output.report).toBe(report);
    const titles = [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(titles).toEqual(expect.arrayContaining(['Executive', 'Sales', 'Delivery', 'Support', 'People']));
    const cards = html.match(/<article class="kpi/g)?.length ?? 0;
    expect(html.match(/<figure class="chart"/g)?.length).toBe(cards);
    expect(cards).toBeGreaterThan(20);
    for (const x of [output.explained!, output.explainedSla!]) {
      const at = html.indexOf(`id="r-${x.resultId.replace(/[^A-Za-z0-9_-]/g, '_')}"`);
      expect(at).toBeGreaterThan(0);
      const item = html.slice(at, html.indexOf('</details>', at));
      expect(item.match(/<li>/g)?.length).toBe(x.events.length);
    }
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('delivers every sale: projects in the states the plan implies, one ticket per task', () => {
    const projects = scenario.execute.projects;
    const d = output.delivery;
    expect(d.projects).toBe(scenario.leads.filter((l) => find(l.steps, 'quote_accepted')).length);
    expect(d.projects).toBe(projects.length);
    const states = { created: 0, planned: 0, active: 0, completed: 0 };
    for (const p of projects) states[p.finalState]++;
    expect(d.states).toEqual(states);
    const planned = projects.filter((p) => p.actions.some((a) => a.kind === 'plan'));
    expect(d.tasks).toBe(planned.reduce((n, p) => n + p.tasks.length, 0));
    expect(d.tickets).toBe(d.tasks);
  });

  it('refuses the plan beyond sold, resolves its variance by a change order (baseline v2), writes off the time beyond sold', () => {
    const projects = scenario.execute.projects;
    const co = projects.find((p) => p.overrun === 'change_order')!;
    const wo = projects.find((p) => p.overrun === 'write_off')!;
    const overrun = co.actions.find((a) => a.kind === 'overrun')!;
    const extra = overrun.kind === 'overrun' ? overrun.extraMinutes : 0;
    const soldCo = co.tasks.filter((t) => !t.fromChangeOrder).reduce((n, t) => n + t.minutes, 0);
    const soldWo = wo.tasks.reduce((n, t) => n + t.minutes, 0);
    const workedWo = wo.tasks.reduce((n, t) => n + t.workMinutes, 0);
    const d = output.delivery;
    expect(d.refusedPlan?.code).toBe('TASK_PLAN_EXCEEDS_SOLD');
    expect(d.refusedPlan?.details).toMatchObject({
      sold: soldCo,
      planned: soldCo + extra,
      delta: extra,
      baselineVersion: 1,
    });
    expect(d.variances.map((v) => [v.varianceType, v.resolution, v.sold, v.observed, v.delta])).toEqual([
      ['planned_over_sold', 'change_order', soldCo, soldCo + extra, extra],
      ['actual_over_sold', 'write_off', soldWo, workedWo, workedWo - soldWo],
    ]);
    expect(d.variances[0]).toMatchObject({ baselineVersion: 1, newBaselineVersion: 2 });
    expect(d.variances[0]?.changeOrderQuoteNumber).toBe(d.changeOrder?.quoteNumber);
    expect(d.changeOrder).toMatchObject({
      addedMinutes: extra,
      soldMinutesByVersion: [soldCo, soldCo + extra],
    });
    expect(d.refusedCompletion?.code).toBe('PROJECT_VARIANCE_OPEN');
    expect(d.refusedCompletion?.details).toMatchObject({ delta: workedWo - soldWo, baselineVersion: 1 });
  });

  it('logs the planned time as submitted entries, corrects three by adjustments and refuses an edit of submitted time', () => {
    const x = scenario.execute;
    const t = output.time;
    const submitted = x.entries.reduce((n, e) => n + e.minutes, 0);
    const deltas = x.adjustments.reduce(
      (n, a) => n + (a.change.kind === 'duration_delta' ? a.change.deltaMinutes : 0),
      0,
    );
    expect(t.entries).toBe(x.entries.length);
    expect(t.submittedMinutes).toBe(submitted);
    expect(t.netMinutes).toBe(submitted + deltas);
    expect(t.adjustments.map((a) => a.reason).sort()).toEqual(x.adjustments.map((a) => a.reason).sort());
    expect(t.refusedEdit?.code).toBe('TIME_ENTRY_NOT_DRAFT');
  });

  it('shows each team’s utilisation: net minutes logged over capacity minus leave, counted by team at each date', () => {
    const expected = expectedUtilisation(scenario);
    const byName = new Map(scenario.teams.map((t) => [t.name, t.key]));
    for (const u of output.time.utilisation) {
      const e = expected.get(byName.get(u.team)!)!;
      expect([u.team, u.loggedMinutes, u.capacityMinutes]).toEqual([u.team, e.logged, e.capacity]);
      expect(Math.abs(u.utilisationBp! - (e.logged * 10_000) / e.capacity)).toBeLessThanOrEqual(0.5);
    }
    expect(output.time.utilisation).toHaveLength(scenario.teams.length);
  });

  it('runs the support desk across the DST change: one warning, one escalation, one breach, each once and on time', () => {
    const desk = scenario.execute.support;
    const ticket = desk.tickets.find((t) => t.story === 'breach')!;
    const s = output.support;
    expect(s.tickets).toBe(desk.tickets.length);
    expect(s.resolvedInTime).toBe(desk.tickets.length - 1);
    const crossings = new Map<number, number>();
    const crossing = (bp: number): number => {
      if (!crossings.has(bp))
        crossings.set(bp, dueByWalking(scenario, ticket.createdAt, Math.ceil((960 * bp) / 10_000)));
      return crossings.get(bp)!;
    };
    const firstRunFrom = (ms: number) => desk.evaluations.find((e) => e >= ms)!;
    const expected = [
      ['sla.warning', 8000],
      ['sla.escalated', 9000],
      ['sla.breached', 10_000],
    ].map(([type, bp]) => ({
      ticket: ticket.subject,
      type,
      target: 'resolution',
      dueAt: iso(crossing(bp as number)),
      firedAt: iso(firstRunFrom(crossing(bp as number))),
      thresholdBp: bp,
      stage: type === 'sla.escalated' ? 1 : null,
    }));
    expect(
      s.events.map(({ ticket, type, target, dueAt, firedAt, thresholdBp, stage }) => ({
        ticket,
        type,
        target,
        dueAt,
        firedAt,
        thresholdBp,
        stage,
      })),
    ).toEqual(expected);
    // The clock really ran across the change: opened on standard time, breached on daylight time.
    const breach = crossing(10_000);
    expect(wall(desk.timeZone, ticket.createdAt).offset).toBe('GMT+12');
    expect(wall(desk.timeZone, breach).offset).toBe('GMT+13');
    expect(s.events.at(-1)?.dueLocal).toContain('GMT+13');
    expect(s.acrossDst).toMatchObject({ ticket: ticket.subject });
    expect([s.acrossDst?.opened.slice(-6), s.acrossDst?.resolved.slice(-6)]).toEqual(['GMT+12', 'GMT+13']);
  });
});

/** The run's output without ids and quote numbers (numbers are allocated in the order stories commit). */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !/(Id|quoteNumber|QuoteNumber)$/.test(k))
      .map(([k, v]) => [k, comparable(v)]),
  );
}

describe('every database', () => {
  it('gives the same delivery, time and support results (ids and quote numbers aside)', () => {
    const [a, ...others] = [...outputs.values()];
    for (const b of others) {
      for (const part of ['delivery', 'time', 'support'] as const) {
        const [x, y] = [a?.[part], b?.[part]].map((o) => comparable({ ...o, commands: undefined }));
        expect(x).toEqual(y);
      }
    }
  });

  it('gives the same dashboard (ids aside)', () => {
    const strip = (o: Output | undefined) =>
      o?.dashboard
        .map(({ resultId: _r, ...rest }) => rest)
        .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    expect(outputs.size).toBe(3);
    const [a, ...others] = [...outputs.values()];
    for (const b of others) expect(strip(b)).toEqual(strip(a));
  });
});

describe('bad input', () => {
  it('refuses a bad --size with the rule and exit code 1', async () => {
    const run = await runExample(['--size', 'lots']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--size must be a number in (0, 1000]');
  });
});
