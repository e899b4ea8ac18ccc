import type { Calendar, Identity, StoredEvent } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_V2_KEYS, catalogueV2 } from './catalogue-v2.js';
import { type Contribution, createKpiEngine, type KpiResult } from './engine.js';
import { explain } from './explain.js';
import { type EventSpec, emp, orgVersionOf, stream, team, utc, uuid } from './test-support.test.js';

const tk = (n: number): string => uuid(0x5000 + n);
const prj = (n: number): string => uuid(0x6000 + n);
const cust = (n: number): string => uuid(0x7000 + n);
const entry = (n: number): string => uuid(0x8000 + n);
const variance = (n: number): string => uuid(0x9000 + n);
const SLA_DEF = uuid(0xa001);
const TEAM_A = team(1);

/** Mon–Fri 09:00–17:00 in London (UTC+0 in January): a business day is 480 minutes. */
const LONDON: Calendar.BusinessCalendar = {
  calendarId: uuid(0xca1) as Calendar.CalendarId,
  version: 1,
  timeZone: 'Europe/London',
  windows: ([1, 2, 3, 4, 5] as const).map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })),
  holidays: [],
};

const orgVersions: Identity.OrgVersionSnapshot[] = [
  orgVersionOf(1, utc('2025-12-01T00:00:00'), [
    [emp(1), TEAM_A],
    [emp(2), TEAM_A],
  ]),
];

const engineFor = () =>
  createKpiEngine({
    definitions: catalogueV2({ scopes: ['org', 'team', 'customer', 'project', 'employee', 'sla_tier'] }),
    orgTimeZone: 'Europe/London',
    orgVersions,
  });

async function fold(specs: readonly EventSpec[]): Promise<{ results: KpiResult[]; events: StoredEvent[] }> {
  const engine = engineFor();
  const events = stream(specs);
  const state = await engine.run(engine.initialState(), events);
  return { results: engine.results(state), events };
}

const rows = (all: readonly KpiResult[], key: string) =>
  all
    .filter((r) => r.definitionKey === key)
    .map((r) => ({
      scope: r.scopeId,
      period: r.periodStart,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      classification: r.classification,
    }));

// Ticket-side event builders (payload fields as the support context's events carry them).
const created = (at: string, n: number, extra: Record<string, unknown> = {}): EventSpec => ({
  type: 'ticket.created',
  at: utc(at),
  payload: {
    ticketId: tk(n),
    owner: 'support',
    status: 'new',
    customerId: cust(1),
    projectId: null,
    priority: 'medium',
    ...extra,
  },
});
const status = (at: string, n: number, to: string): EventSpec => ({
  type: 'ticket.status_changed',
  at: utc(at),
  payload: { ticketId: tk(n), from: 'open', to },
});
const bound = (at: string, n: number): EventSpec => ({
  type: 'sla.bound',
  at: utc(at),
  payload: { ticketId: tk(n), slaDefinitionId: SLA_DEF, slaVersionNumber: 1, calendar: LONDON },
});
const clock = (
  type: string,
  at: string,
  n: number,
  targetKind: 'response' | 'resolution',
  elapsed: number,
  target: number,
): EventSpec => ({
  type,
  at: utc(at),
  payload: { ticketId: tk(n), targetKind, elapsedBusinessMinutes: elapsed, targetMinutes: target },
});

describe('catalogue v2: executive and delivery', () => {
  const milestone = (at: string, p: number, sold: number, actual: number): EventSpec => ({
    type: 'delivery.milestone_completed',
    at: utc(at),
    payload: {
      projectId: prj(p),
      milestoneId: uuid(0xb000 + sold),
      soldMinutes: sold,
      actualMinutes: actual,
    },
  });

  it('delivery efficiency is Σ sold ÷ Σ actual and estimate accuracy 1 − Σ|actual − sold| ÷ Σ sold, per completion month', async () => {
    // Given milestones completed: January 600 sold / 500 actual and 400 / 600; February 300 / 300.
    const { results } = await fold([
      milestone('2026-01-10T12:00:00', 1, 600, 500),
      milestone('2026-01-20T12:00:00', 1, 400, 600),
      milestone('2026-02-10T12:00:00', 2, 300, 300),
    ]);
    // Then efficiency January: 1000 ÷ 1100 = 9091 bp (warning: < 9500, ≥ 8000); February 300 ÷ 300.
    expect(rows(results, 'delivery.efficiency')).toEqual([
      {
        scope: 'org',
        period: '2026-01-01',
        value: 9091,
        numerator: 1000,
        denominator: 1100,
        classification: 'warning',
      },
      {
        scope: 'org',
        period: '2026-02-01',
        value: 10_000,
        numerator: 300,
        denominator: 300,
        classification: 'good',
      },
    ]);
    // And accuracy January: 1 − (100 + 200) ÷ 1000 = 7000 bp (breach: < 8000); February 10 000.
    expect(rows(results, 'delivery.estimate-accuracy')).toEqual([
      {
        scope: 'org',
        period: '2026-01-01',
        value: 7000,
        numerator: 300,
        denominator: 1000,
        classification: 'breach',
      },
      {
        scope: 'org',
        period: '2026-02-01',
        value: 10_000,
        numerator: 0,
        denominator: 300,
        classification: 'good',
      },
    ]);
    expect(rows(results, 'delivery.efficiency.by-project').map((r) => [r.scope, r.value])).toEqual([
      [prj(1), 9091],
      [prj(2), 10_000],
    ]);
  });

  it('variance trend counts detections per month; open variances run per project until resolved', async () => {
    const detected = (at: string, v: number, p: number): EventSpec => ({
      type: 'project.variance_detected',
      at: utc(at),
      payload: { varianceId: variance(v), projectId: prj(p), delta: 60 },
    });
    const resolved = (at: string, v: number, p: number): EventSpec => ({
      type: 'project.variance_resolved',
      at: utc(at),
      payload: { varianceId: variance(v), projectId: prj(p), resolution: 'write_off' },
    });
    // Given V1, V2 on P1 in January; V1 resolved and V3 detected on P2 in February; V2 resolved in March.
    const { results } = await fold([
      detected('2026-01-05T10:00:00', 1, 1),
      detected('2026-01-06T10:00:00', 2, 1),
      resolved('2026-02-02T10:00:00', 1, 1),
      detected('2026-02-03T10:00:00', 3, 2),
      resolved('2026-03-02T10:00:00', 2, 1),
    ]);
    expect(rows(results, 'delivery.variance-trend').map((r) => [r.period, r.value])).toEqual([
      ['2026-01-01', 2],
      ['2026-02-01', 1],
    ]);
    // Then P1 has 2 open in January (warning at 2), 1 in February, 0 in March (good); P2 1 from February.
    expect(
      rows(results, 'delivery.open-variances.by-project').map((r) => [
        r.scope,
        r.period,
        r.value,
        r.classification,
      ]),
    ).toEqual([
      [prj(1), '2026-01-01', 2, 'warning'],
      [prj(1), '2026-02-01', 1, 'warning'],
      [prj(1), '2026-03-01', 0, 'good'],
      [prj(2), '2026-02-01', 1, 'warning'],
    ]);
  });

  it('planned vs actual runs to date per project: net actual minutes (with adjustments) ÷ planned minutes (with re-estimates)', async () => {
    const submitted = (at: string, e: number, minutes: number): EventSpec => ({
      type: 'time_entry.submitted',
      at: utc(at),
      payload: { timeEntryId: entry(e), employeeId: emp(1), minutes, ticketId: tk(90), projectId: prj(1) },
    });
    const { results } = await fold([
      // January: tasks of 600 and 400 planned minutes; 300 minutes logged.
      {
        type: 'delivery.task_created',
        at: utc('2026-01-05T09:00:00'),
        payload: { taskId: uuid(0xc001), projectId: prj(1), estimatedMinutes: 600, soldMinutes: 600 },
      },
      {
        type: 'delivery.task_created',
        at: utc('2026-01-05T09:01:00'),
        payload: { taskId: uuid(0xc002), projectId: prj(1), estimatedMinutes: 400, soldMinutes: 400 },
      },
      submitted('2026-01-20T17:00:00', 1, 300),
      // February: task 2 re-estimated 400 → 600; 1000 minutes logged.
      {
        type: 'delivery.task_re_estimated',
        at: utc('2026-02-02T09:00:00'),
        payload: { taskId: uuid(0xc002), projectId: prj(1), from: 400, to: 600 },
      },
      submitted('2026-02-20T17:00:00', 2, 1000),
      // March: entry 2 corrected by −100 minutes.
      {
        type: 'time_entry.adjusted',
        at: utc('2026-03-02T09:00:00'),
        payload: { timeEntryId: entry(2), adjustmentType: 'duration_delta', deltaMinutes: -100 },
      },
    ]);
    // Then January 300 ÷ 1000 = 3000 bp; February 1300 ÷ 1200 = 10 833 bp (warning: ≤ 11 000);
    // March 1200 ÷ 1200 = 10 000 bp (good).
    expect(rows(results, 'delivery.planned-vs-actual.by-project')).toEqual([
      {
        scope: prj(1),
        period: '2026-01-01',
        value: 3000,
        numerator: 300,
        denominator: 1000,
        classification: 'good',
      },
      {
        scope: prj(1),
        period: '2026-02-01',
        value: 10_833,
        numerator: 1300,
        denominator: 1200,
        classification: 'warning',
      },
      {
        scope: prj(1),
        period: '2026-03-01',
        value: 10_000,
        numerator: 1200,
        denominator: 1200,
        classification: 'good',
      },
    ]);
  });
});

describe('catalogue v2: sales', () => {
  it('pre-sales minutes per win: net minutes on pre-sales projects ÷ opportunities won in the period', async () => {
    const project = (n: number, kind: string): EventSpec => ({
      type: 'delivery.project_created',
      at: utc('2026-01-02T09:00:00'),
      payload: { projectId: prj(n), kind, customerId: cust(1) },
    });
    const time = (at: string, e: number, p: number, minutes: number): EventSpec => ({
      type: 'time_entry.submitted',
      at: utc(at),
      payload: { timeEntryId: entry(e), employeeId: emp(1), minutes, ticketId: tk(1), projectId: prj(p) },
    });
    const won = (at: string, n: number): EventSpec => ({
      type: 'opportunity.won',
      at: utc(at),
      payload: { opportunityId: uuid(0xe000 + n), opportunityClass: 'gold', quoteId: null },
      actor: emp(2),
    });
    const { results } = await fold([
      project(1, 'presales'),
      project(2, 'sold'),
      time('2026-01-05T17:00:00', 1, 1, 600),
      time('2026-01-06T17:00:00', 2, 1, 900),
      time('2026-01-06T17:00:00', 3, 2, 480), // delivery time: not pre-sales
      {
        type: 'time_entry.adjusted',
        at: utc('2026-01-07T09:00:00'),
        payload: { timeEntryId: entry(2), adjustmentType: 'duration_delta', deltaMinutes: -60 },
      },
      won('2026-01-20T10:00:00', 1),
      won('2026-01-21T10:00:00', 2),
      time('2026-02-03T17:00:00', 4, 1, 300),
    ]);
    // January: (600 + 900 − 60) ÷ 2 wins = 720 minutes ≤ 960: good. February: time but no win: no result.
    expect(rows(results, 'sales.presales-minutes-per-win')).toEqual([
      {
        scope: 'org',
        period: '2026-01-01',
        value: 720,
        numerator: 1440,
        denominator: 2,
        classification: 'good',
      },
    ]);
    // Time counts for employee 1's team, the wins for employee 2's: both team A.
    expect(rows(results, 'sales.presales-minutes-per-win.by-team').map((r) => [r.scope, r.value])).toEqual([
      [TEAM_A, 720],
    ]);
  });
});

describe('catalogue v2: support', () => {
  it('open tickets by current priority at each month end, moving with priority changes and resolution', async () => {
    const { results } = await fold([
      created('2026-01-10T10:00:00', 1, { priority: 'high' }),
      created('2026-01-12T10:00:00', 2, { priority: 'low' }),
      created('2026-01-20T10:00:00', 3, { priority: 'high' }),
      {
        type: 'ticket.assigned',
        at: utc('2026-01-21T10:00:00'),
        payload: { ticketId: tk(1), assignedTeamId: TEAM_A, assignedEmployeeId: null },
      },
      status('2026-02-03T10:00:00', 1, 'resolved'),
      {
        type: 'ticket.priority_changed',
        at: utc('2026-02-05T10:00:00'),
        payload: { ticketId: tk(2), from: 'low', to: 'high' },
      },
      status('2026-03-03T10:00:00', 3, 'closed'),
    ]);
    expect(rows(results, 'support.open-tickets').map((r) => [r.period, r.value])).toEqual([
      ['2026-01-01', 3],
      ['2026-02-01', 2],
      ['2026-03-01', 1],
    ]);
    // High: T1 and T3 in January; T1 resolved, T2 raised to high in February; T3 closed in March.
    expect(rows(results, 'support.open-tickets.high').map((r) => [r.period, r.value])).toEqual([
      ['2026-01-01', 2],
      ['2026-02-01', 2],
      ['2026-03-01', 1],
    ]);
    expect(rows(results, 'support.open-tickets.low').map((r) => [r.period, r.value])).toEqual([
      ['2026-01-01', 1],
      ['2026-02-01', 0],
    ]);
    // T1 counts for team A from its assignment until its resolution.
    expect(rows(results, 'support.open-tickets.by-team').map((r) => [r.scope, r.period, r.value])).toEqual([
      [TEAM_A, '2026-01-01', 1],
      [TEAM_A, '2026-02-01', 0],
    ]);
  });

  /** T1 and T2 SLA-bound (London business hours), T3 opted out. */
  const slaStream: EventSpec[] = [
    {
      type: 'sla.created',
      at: utc('2025-12-01T09:00:00'),
      payload: { slaDefinitionId: SLA_DEF, versionNumber: 1, terms: { name: 'Gold', tier: 'gold' } },
    },
    // T1: Monday 09:00 → Tuesday 11:00 = 480 + 120 = 600 business minutes, no breach.
    created('2026-01-05T09:00:00', 1),
    bound('2026-01-05T09:00:00', 1),
    clock('sla.responded', '2026-01-05T09:30:00', 1, 'response', 30, 60),
    status('2026-01-06T11:00:00', 1, 'resolved'),
    clock('sla.resolved', '2026-01-06T11:00:00', 1, 'resolution', 600, 960),
    // T2: Friday 16:00 → Monday 10:00 = 60 + 0 + 60 = 120 business minutes; its response breached.
    created('2026-01-09T16:00:00', 2, { customerId: cust(2), priority: 'high' }),
    bound('2026-01-09T16:00:00', 2),
    {
      type: 'ticket.assigned',
      at: utc('2026-01-09T16:05:00'),
      payload: { ticketId: tk(2), assignedTeamId: null, assignedEmployeeId: emp(2) },
    },
    clock('sla.breached', '2026-01-12T09:00:00', 2, 'response', 60, 60),
    {
      ...clock('sla.escalated', '2026-01-12T09:00:00', 2, 'response', 60, 60),
      payload: { ticketId: tk(2), targetKind: 'response', stage: 1 },
    },
    clock('sla.responded', '2026-01-12T09:30:00', 2, 'response', 90, 60),
    status('2026-01-12T10:00:00', 2, 'resolved'),
    clock('sla.resolved', '2026-01-12T10:00:00', 2, 'resolution', 120, 960),
    // T3: no SLA; Wednesday 10:00 → 13:30 = 210 wall minutes.
    created('2026-01-07T10:00:00', 3, { sla: { mode: 'opt_out', reason: 'internal' } }),
    status('2026-01-07T13:30:00', 3, 'resolved'),
  ];

  it('mean time to resolution in business minutes of the bound SLA calendar, wall minutes without one', async () => {
    const { results } = await fold(slaStream);
    // (600 + 120 + 210) ÷ 3 = 310 minutes ≤ 480: good.
    expect(rows(results, 'support.mttr')).toEqual([
      {
        scope: 'org',
        period: '2026-01-01',
        value: 310,
        numerator: 930,
        denominator: 3,
        classification: 'good',
      },
    ]);
    expect(
      rows(results, 'support.mttr.by-customer').map((r) => [r.scope, r.numerator, r.denominator]),
    ).toEqual([
      [cust(1), 810, 2],
      [cust(2), 120, 1],
    ]);
  });

  it('SLA compliance, breach rate, response and resolution compliance, breach and escalation counts', async () => {
    const { results } = await fold(slaStream);
    const org = (key: string) =>
      rows(results, key).map((r) => [r.value, r.numerator, r.denominator, r.classification]);
    // Compliance: T1 resolved clean, T2 after a breach: 1 ÷ 2 = 5000 bp < 9000: breach.
    expect(org('support.sla-compliance')).toEqual([[5000, 1, 2, 'breach']]);
    // Breach rate: of the 2 tickets bound in January, 1 breached: 5000 bp > 1000: breach.
    expect(org('support.sla-breach-rate')).toEqual([[5000, 1, 2, 'breach']]);
    // Responses: T1 30 ≤ 60, T2 90 > 60: 5000 bp. Resolutions: 600 ≤ 960 and 120 ≤ 960: 10 000 bp.
    expect(org('support.response-compliance')).toEqual([[5000, 1, 2, 'breach']]);
    expect(org('support.resolution-compliance')).toEqual([[10_000, 2, 2, 'good']]);
    // One breach and one escalation: above the good threshold 0, within the warning threshold 2.
    expect(org('support.breach-count')).toEqual([[1, 1, null, 'warning']]);
    expect(org('support.escalation-count')).toEqual([[1, 1, null, 'warning']]);
    // The breach is T2's, assigned to employee 2 (team A at the breach's org version); tier gold.
    expect(rows(results, 'support.breach-count.by-employee').map((r) => [r.scope, r.value])).toEqual([
      [emp(2), 1],
    ]);
    expect(rows(results, 'support.breach-count.by-team').map((r) => [r.scope, r.value])).toEqual([
      [TEAM_A, 1],
    ]);
    expect(rows(results, 'support.sla-compliance.by-sla-tier').map((r) => [r.scope, r.value])).toEqual([
      ['gold', 5000],
    ]);
  });

  it('explains an MTTR result down to its events: each contribution is its own share, the shares sum to the numbers', async () => {
    const engine = engineFor();
    const events = stream(slaStream);
    const state = await engine.run(engine.initialState(), events);
    const result = engine.results(state).find((r) => r.id.startsWith('support.mttr@1/org:org/')) as KpiResult;
    const x = explain(engine, result, () => events);
    const found: Contribution[] = [];
    for await (const c of x.contributing) found.push(c as Contribution);
    const typeOf = (id: string) => events.find((e) => e.eventId === id)?.type;
    expect(found.map((c) => [typeOf(c.eventId), c.role, c.numerator ?? 0, c.denominator ?? 0])).toEqual([
      ['ticket.created', 'start', 0, 0],
      ['sla.bound', 'context', 0, 0],
      ['ticket.status_changed', 'end', 600, 1],
      ['ticket.created', 'start', 0, 0],
      ['sla.bound', 'context', 0, 0],
      ['ticket.status_changed', 'end', 120, 1],
      ['ticket.created', 'start', 0, 0],
      ['ticket.status_changed', 'end', 210, 1],
    ]);
    expect(found.reduce((s, c) => s + (c.numerator ?? 0), 0)).toBe(result.numerator);
    expect(found.reduce((s, c) => s + (c.denominator ?? 0), 0)).toBe(result.denominator);
    expect(found.length).toBe(result.contributingEventCount);
    // The business-minute arithmetic of T1's span: Monday's full day and two hours on Tuesday.
    expect(found[2]?.detail).toContain(
      '600 business minutes [2026-01-05T09:00Z, 2026-01-06T11:00Z) = 480 (2026-01-05) + 120 (2026-01-06) in calendar',
    );
    // T2 over a weekend: Friday's last hour, Monday's first.
    expect(found[5]?.detail).toContain(
      '120 business minutes [2026-01-09T16:00Z, 2026-01-12T10:00Z) = 60 (2026-01-09) + 60 (2026-01-12)',
    );
    expect(x.why).toContain('930 ÷ 3 = 310 minutes');
  });

  it('support hours by customer: net minutes on support tickets; adjustments and re-attributions move them', async () => {
    const submitted = (at: string, e: number, t: number, minutes: number): EventSpec => ({
      type: 'time_entry.submitted',
      at: utc(at),
      payload: { timeEntryId: entry(e), employeeId: emp(1), minutes, ticketId: tk(t), projectId: null },
    });
    const { results } = await fold([
      created('2026-01-05T09:00:00', 1),
      created('2026-01-05T09:00:00', 4, { owner: 'project', projectId: prj(1) }),
      created('2026-01-05T09:00:00', 5, { customerId: cust(2) }),
      submitted('2026-01-06T17:00:00', 1, 1, 60),
      submitted('2026-01-06T17:00:00', 2, 1, 30),
      submitted('2026-01-06T17:00:00', 3, 4, 120), // a project ticket: not support time
      {
        type: 'time_entry.adjusted',
        at: utc('2026-01-07T09:00:00'),
        payload: {
          timeEntryId: entry(1),
          adjustmentType: 'duration_delta',
          deltaMinutes: -15,
          newTicketId: null,
        },
      },
      {
        type: 'time_entry.adjusted',
        at: utc('2026-01-07T09:00:00'),
        payload: {
          timeEntryId: entry(2),
          adjustmentType: 'reattribute',
          deltaMinutes: 0,
          newTicketId: tk(5),
        },
      },
    ]);
    // Customer 1: 60 + 30 − 15 − 30 = 45; customer 2: 30 (re-attributed).
    expect(rows(results, 'support.hours-by-customer.by-customer').map((r) => [r.scope, r.value])).toEqual([
      [cust(1), 45],
      [cust(2), 30],
    ]);
  });
});

describe('catalogue v2: people and knowledge', () => {
  it('team load distribution is the coefficient of variation of member minutes', async () => {
    const submitted = (e: number, who: number, minutes: number): EventSpec => ({
      type: 'time_entry.submitted',
      at: utc('2026-01-06T17:00:00'),
      payload: { timeEntryId: entry(e), employeeId: emp(who), minutes, ticketId: tk(1), projectId: null },
    });
    const { results } = await fold([submitted(1, 1, 60), submitted(2, 1, 60), submitted(3, 2, 360)]);
    // Members 120 and 360: mean 240, σ 120, CV = 5000 bp (warning: ≤ 5000).
    expect(rows(results, 'people.team-load-spread.by-team')).toEqual([
      {
        scope: TEAM_A,
        period: '2026-01-01',
        value: 5000,
        numerator: 480,
        denominator: 2,
        classification: 'warning',
      },
    ]);
  });

  it('article reuse counts links; resolution acceleration is mean minutes without − with a linked article', async () => {
    const linked = (at: string, t: number): EventSpec => ({
      type: 'knowledge.linked',
      at: utc(at),
      payload: { articleId: uuid(0xd001), target: { kind: 'ticket', id: tk(t) }, linkedBy: emp(1) },
      actor: emp(1),
    });
    const { results } = await fold([
      created('2026-01-05T09:00:00', 1),
      linked('2026-01-05T09:10:00', 1),
      status('2026-01-05T10:00:00', 1, 'resolved'), // 60 minutes, with an article
      created('2026-01-05T09:00:00', 2),
      status('2026-01-05T12:00:00', 2, 'resolved'), // 180 minutes
      created('2026-01-05T09:00:00', 3),
      status('2026-01-05T13:00:00', 3, 'resolved'), // 240 minutes
      linked('2026-01-06T09:00:00', 3), // after its resolution: T3 stays "without"
    ]);
    expect(rows(results, 'knowledge.reuse').map((r) => [r.value])).toEqual([[2]]);
    expect(rows(results, 'knowledge.reuse.by-team').map((r) => [r.scope, r.value])).toEqual([[TEAM_A, 2]]);
    // Without: (180 + 240) ÷ 2 = 210; with: 60 → 150 minutes faster (good: ≥ 60).
    expect(rows(results, 'knowledge.resolution-acceleration')).toEqual([
      {
        scope: 'org',
        period: '2026-01-01',
        value: 150,
        numerator: 210,
        denominator: 60,
        classification: 'good',
      },
    ]);
  });

  it('names every key of its dashboards, and each definition is valid in one engine with catalogue v1', () => {
    const keys = new Set(
      catalogueV2({ scopes: ['org', 'team', 'customer', 'project', 'employee', 'sla_tier'] }).map((d) =>
        d.key.replace(/\.by-[a-z-]+$/, ''),
      ),
    );
    expect([...keys].sort()).toEqual(Object.values(CATALOGUE_V2_KEYS).flat().sort());
    // Default scopes are those a result row stores today: no SLA tier.
    expect(catalogueV2().some((d) => d.scope === 'sla_tier')).toBe(false);
  });
});
