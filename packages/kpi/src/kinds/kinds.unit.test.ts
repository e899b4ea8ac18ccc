import { fc, test } from '@fast-check/vitest';
import type { Calendar } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import type { PeriodGrid } from '../calendar.js';
import { catalogueV1 } from '../catalogue.js';
import { CATALOGUE_V2_KEYS, catalogueV2 } from '../catalogue-v2.js';
import { defineKpi, type KpiDefinitionVersion } from '../definition.js';
import {
  type Contribution,
  createKpiEngine,
  type KpiCheckpoint,
  type KpiEvent,
  type KpiResult,
} from '../engine.js';
import type { MeasureKind } from '../measure-kind.js';
import {
  activePeople,
  at,
  distinctActorsKind,
  type EventSpec,
  emp,
  orgVersionOf,
  stream,
  team,
  utc,
  uuid,
} from '../test-support.test.js';
import { coefficientOfVariationBp, ticketSpan } from './index.js';

const tk = (n: number): string => uuid(0x5000 + n);
const cust = (n: number): string => uuid(0x7000 + n);
const prj = (n: number): string => uuid(0x6000 + n);
const entry = (n: number): string => uuid(0x8000 + n);

const calendarOf = (timeZone: string, start: number, end: number): Calendar.BusinessCalendar => ({
  calendarId: uuid(0xca1) as Calendar.CalendarId,
  version: 1,
  timeZone,
  windows: ([1, 2, 3, 4, 5] as const).map((weekday) => ({ weekday, startMinute: start, endMinute: end })),
  holidays: [],
});
const LONDON = calendarOf('Europe/London', 540, 1020);
const NEW_YORK = calendarOf('America/New_York', 480, 960);

describe('measure kinds, one by one', () => {
  it('coefficient of variation: 0 for an even load, σ ÷ mean otherwise', () => {
    expect(coefficientOfVariationBp(new Map([['a', 100]]))).toBe(0);
    expect(
      coefficientOfVariationBp(
        new Map([
          ['a', 100],
          ['b', 100],
        ]),
      ),
    ).toBe(0);
    // 60 and 180: mean 120, σ 60 → 5000 bp.
    expect(
      coefficientOfVariationBp(
        new Map([
          ['a', 60],
          ['b', 180],
        ]),
      ),
    ).toBe(5000);
    // 0, 0, 300: mean 100, σ √20 000 ≈ 141.42 → 14 142 bp.
    expect(
      coefficientOfVariationBp(
        new Map([
          ['a', 0],
          ['b', 0],
          ['c', 300],
        ]),
      ),
    ).toBe(14_142);
    expect(coefficientOfVariationBp(new Map())).toBe(0);
  });

  it('a ticket span counts business minutes of its calendar snapshot, wall minutes without one', () => {
    const ms = (s: string) => Date.parse(s);
    // Friday 16:00 → Monday 10:00 London: 60 + 60 business minutes; 66 hours on the wall clock.
    expect(ticketSpan(LONDON, ms('2026-01-09T16:00Z'), ms('2026-01-12T10:00Z')).minutes).toBe(120);
    expect(ticketSpan(null, ms('2026-01-09T16:00Z'), ms('2026-01-12T10:00Z')).minutes).toBe(66 * 60);
    // In New York (UTC−5 in January) 08:00–16:00 local is 13:00–21:00 UTC.
    expect(ticketSpan(NEW_YORK, ms('2026-01-05T12:00Z'), ms('2026-01-05T14:30Z')).minutes).toBe(90);
    expect(ticketSpan(LONDON, ms('2026-01-05T09:00Z'), ms('2026-01-06T11:00Z')).detail).toContain(
      '600 business minutes [2026-01-05T09:00Z, 2026-01-06T11:00Z) = 480 (2026-01-05) + 120 (2026-01-06) in calendar',
    );
    // Local dates of the calendar's zone: 20:00–21:00 UTC is 15:00–16:00 on Monday in New York, and
    // 13:00–14:00 UTC 08:00–09:00 on Tuesday.
    expect(ticketSpan(NEW_YORK, ms('2026-01-05T20:00Z'), ms('2026-01-06T14:00Z')).detail).toContain(
      '120 business minutes [2026-01-05T20:00Z, 2026-01-06T14:00Z) = 60 (2026-01-05) + 60 (2026-01-06)',
    );
    // Near local midnight the date is New York's: 23:30 on 5 January local is 04:30 UTC on the 6th.
    const allDay = {
      ...NEW_YORK,
      windows: NEW_YORK.windows.map((w) => ({ ...w, startMinute: 0, endMinute: 1440 })),
    };
    expect(ticketSpan(allDay, ms('2026-01-06T04:30Z'), ms('2026-01-06T05:30Z')).detail).toContain(
      '60 business minutes [2026-01-06T04:30Z, 2026-01-06T05:30Z) = 30 (2026-01-05) + 30 (2026-01-06)',
    );
  });

  it('a plug-in kind registered by the host folds like a built-in one, and an unknown one is refused', async () => {
    // Counts distinct actors per cell: entities are plain JSON, cells take a count per new actor.
    const distinctActors = distinctActorsKind;
    const definition = activePeople('plugin:distinct-actors', 'org');
    const engine = createKpiEngine({
      definitions: [definition],
      orgTimeZone: 'UTC',
      measureKinds: [distinctActors],
    });
    const events = stream(
      [1, 2, 1, 3, 1].map((n, i) => ({
        type: 'lead.created',
        at: at(i),
        payload: { leadId: uuid(n + 10 * i) },
        actor: emp(n),
      })),
    );
    const state = await engine.run(engine.initialState(), events);
    expect(engine.results(state).map((r) => [r.periodStart, r.value])).toEqual([['2026-01-01', 3]]);
    expect(() => createKpiEngine({ definitions: [definition], orgTimeZone: 'UTC' })).toThrow(
      /no registered measure kind/,
    );
    expect(() => defineKpi({ ...definition, aggregation: 'sum' }, [distinctActors as never])).toThrow(
      /aggregation/,
    );
  });

  it('a plug-in kind’s tracker folds each event once for all its measures; its entities are checkpointed', async () => {
    let tracked = 0;
    // Qualified leads of one source: the source is a lead's fact, kept once by the kind's tracker.
    const bySource: MeasureKind = {
      kind: 'plugin:qualified-by-source',
      version: 1,
      aggregations: ['count'],
      tracker: {
        eventTypes: ['lead.created', 'lead.qualified'],
        fold(ctx) {
          tracked++;
          const p = ctx.event.payload as { leadId: string; source?: string };
          if (ctx.event.type === 'lead.created') ctx.set(p.leadId, { source: p.source });
          const lead = ctx.get<{ source: string }>(p.leadId);
          return lead === undefined ? null : { key: p.leadId, value: lead };
        },
      },
      compile: (raw) => {
        const source = (raw as { options: { source: string } }).options.source;
        return {
          eventTypes: ['lead.qualified'],
          fold(ctx) {
            if ((ctx.tracked?.value as { source: string } | undefined)?.source !== source) return;
            ctx.add(ctx.eventScopes(), ctx.periodStart, { count: 1 }, [
              { position: ctx.event.position, eventId: ctx.event.eventId, role: 'event', numerator: 1 },
            ]);
          },
        };
      },
    };
    const definition = (source: string): KpiDefinitionVersion => ({
      key: `sales.qualified-from-${source}`,
      version: 1,
      name: `Leads from ${source} qualified`,
      description: 'qualified leads of one source',
      unit: 'count',
      aggregation: 'count',
      scope: 'org',
      period: 'month',
      measure: { kind: 'plugin:qualified-by-source', options: { source } },
      target: null,
      thresholds: null,
    });
    const engine = createKpiEngine({
      definitions: [definition('web'), definition('fair')],
      orgTimeZone: 'UTC',
      measureKinds: [bySource],
    });
    const events = stream([
      { type: 'lead.created', at: at(0), payload: { leadId: uuid(1), source: 'web' } },
      { type: 'lead.created', at: at(1), payload: { leadId: uuid(2), source: 'fair' } },
      { type: 'lead.qualified', at: at(2), payload: { leadId: uuid(1) } },
      { type: 'lead.qualified', at: at(3), payload: { leadId: uuid(2) } },
      { type: 'lead.qualified', at: at(4), payload: { leadId: uuid(3) } },
    ]);
    const head = await engine.run(engine.initialState(), events.slice(0, 3));
    expect(tracked).toBe(3);
    const saved = JSON.parse(JSON.stringify(engine.checkpoint(head)));
    expect(saved.entities).toEqual([
      ['tracker:plugin:qualified-by-source', uuid(1), { source: 'web' }, '1'],
      ['tracker:plugin:qualified-by-source', uuid(2), { source: 'fair' }, '2'],
    ]);
    const resumed = await engine.run(engine.restore(saved), events.slice(3));
    const value = (r: KpiResult) => [r.definitionKey, r.value];
    expect(engine.results(resumed).map(value)).toEqual([
      ['sales.qualified-from-fair', 1],
      ['sales.qualified-from-web', 1],
    ]);
    expect(tracked).toBe(5);
    // Folded alone, a definition sees the same facts.
    const one = engine.subset(['sales.qualified-from-fair@1']);
    expect(one.results(await one.run(one.initialState(), events)).map(value)).toEqual([
      ['sales.qualified-from-fair', 1],
    ]);
  });

  it('defineKpi checks the new kinds: aggregation per kind (per metric for tickets), paths, options', () => {
    const base = catalogueV2().find((d) => d.key === 'support.sla-compliance') as KpiDefinitionVersion;
    const issues = (d: KpiDefinitionVersion): string[] => {
      try {
        defineKpi(d);
        return [];
      } catch (e) {
        return (e as { issues: { field: string; rule: string }[] }).issues.map(
          (i) => `${i.field}: ${i.rule}`,
        );
      }
    };
    expect(issues(base)).toEqual([]);
    expect(issues({ ...base, aggregation: 'avg' })).toEqual([
      'aggregation: must be one of ratio for measure kind ticket:sla-compliance',
    ]);
    expect(issues({ ...base, measure: { kind: 'ticket', metric: 'mttr' } as never })[0]).toMatch(
      /^measure.metric/,
    );
    expect(
      issues({
        ...base,
        measure: {
          kind: 'sum-ratio',
          eventTypes: ['delivery.milestone_completed'],
          numerator: { path: 'soldMinutes' },
          denominator: { path: 'payload.actualMinutes' },
        },
      })[0],
    ).toMatch(/^measure.numerator/);
    expect(issues({ ...base, scope: 'sla_tier' })).toEqual([]);
    expect(issues({ ...base, scope: 'tier' as never })[0]).toMatch(/^scope/);
  });

  it('scope specs are data: a host maps the customer scope to another payload field', async () => {
    const definition = catalogueV1({ currency: 'EUR', scopes: ['customer'] }).find((d) =>
      d.key.startsWith('sales.sold-value'),
    ) as KpiDefinitionVersion;
    const engine = createKpiEngine({
      definitions: [definition],
      orgTimeZone: 'UTC',
      scopes: { customer: { paths: ['payload.accountId'] } },
    });
    const events = stream([
      {
        type: 'quote.accepted',
        at: at(0),
        payload: { quoteId: uuid(1), accountId: cust(9), totalSell: { amountMinor: 500, currency: 'EUR' } },
        customerId: cust(1),
      },
    ]);
    const state = await engine.run(engine.initialState(), events);
    expect(engine.results(state).map((r) => [r.scopeId, r.value])).toEqual([[cust(9), 500]]);
    // Another mapping is another computation: its checkpoints are not interchangeable.
    expect(engine.fingerprint).not.toBe(
      createKpiEngine({ definitions: [definition], orgTimeZone: 'UTC' }).fingerprint,
    );
    expect(() =>
      createKpiEngine({ definitions: [definition], orgTimeZone: 'UTC', scopes: { customer: {} } }),
    ).toThrow(/where its ids come from/);
  });

  it('catalogue v1 engines keep their fingerprint: the plug-in machinery is additive', () => {
    const definitions = catalogueV1({ currency: 'EUR' });
    const a = createKpiEngine({ definitions, orgTimeZone: 'UTC' });
    const b = createKpiEngine({ definitions: [...definitions, ...catalogueV2()], orgTimeZone: 'UTC' });
    expect(a.subset(definitions.map((d) => `${d.key}@${d.version}`)).fingerprint).toBe(a.fingerprint);
    expect(b.fingerprint).not.toBe(a.fingerprint);
  });
});

// Random streams over the delivery, time, support and knowledge events: small id pools so that entities
// meet, instants out of order, tickets re-assigned, re-prioritised, resolved, closed, linked.
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const ticketN = fc.integer({ min: 1, max: 4 });
const eventArb: fc.Arbitrary<EventSpec> = fc
  .tuple(
    fc.oneof(
      fc.record({
        type: fc.constant('ticket.created'),
        payload: fc.record({
          ticketId: ticketN.map(tk),
          owner: pick('support', 'support', 'project'),
          status: fc.constant('new'),
          customerId: fc.option(pick(cust(1), cust(2)), { nil: null }),
          projectId: fc.option(pick(prj(1), prj(2)), { nil: null }),
          priority: pick('low', 'medium', 'high', 'critical'),
        }),
      }),
      fc.record({
        type: fc.constant('ticket.assigned'),
        payload: fc.oneof(
          fc.record({
            ticketId: ticketN.map(tk),
            assignedTeamId: pick(team(1), team(2)),
            assignedEmployeeId: fc.constant(null),
          }),
          fc.record({
            ticketId: ticketN.map(tk),
            assignedTeamId: fc.constant(null),
            assignedEmployeeId: pick(emp(1), emp(2), emp(3)),
          }),
        ),
      }),
      fc.record({
        type: fc.constant('ticket.priority_changed'),
        payload: fc.record({
          ticketId: ticketN.map(tk),
          from: fc.constant('low'),
          to: pick('low', 'medium', 'high', 'critical'),
        }),
      }),
      fc.record({
        type: fc.constant('ticket.status_changed'),
        payload: fc.record({
          ticketId: ticketN.map(tk),
          from: fc.constant('open'),
          to: pick('open', 'pending', 'resolved', 'resolved', 'closed'),
        }),
      }),
      fc.record({
        type: fc.constant('sla.created'),
        payload: fc.record({
          slaDefinitionId: pick(uuid(0xa1), uuid(0xa2)),
          terms: fc.record({ tier: pick('gold', 'silver') }),
        }),
      }),
      fc.record({
        type: fc.constant('sla.bound'),
        payload: fc.record({
          ticketId: ticketN.map(tk),
          slaDefinitionId: pick(uuid(0xa1), uuid(0xa2)),
          calendar: pick(LONDON, NEW_YORK),
        }),
      }),
      {
        weight: 4,
        arbitrary: fc.record({
          type: pick('sla.breached', 'sla.escalated', 'sla.responded', 'sla.resolved'),
          payload: fc.record({
            ticketId: ticketN.map(tk),
            targetKind: pick('response', 'resolution'),
            elapsedBusinessMinutes: fc.integer({ min: 0, max: 2000 }),
            targetMinutes: fc.integer({ min: 1, max: 1000 }),
            stage: fc.constant(1),
          }),
        }),
      },
      fc.record({
        type: fc.constant('knowledge.linked'),
        payload: fc.record({
          articleId: fc.constant(uuid(0xd1)),
          target: fc.record({ kind: pick('ticket', 'project'), id: ticketN.map(tk) }),
        }),
      }),
      fc.record({
        type: fc.constant('time_entry.submitted'),
        payload: fc.record({
          timeEntryId: fc.integer({ min: 1, max: 6 }).map(entry),
          employeeId: pick(emp(1), emp(2), emp(3)),
          minutes: fc.integer({ min: 1, max: 600 }),
          ticketId: ticketN.map(tk),
          projectId: fc.option(pick(prj(1), prj(2)), { nil: null }),
        }),
      }),
      fc.record({
        type: fc.constant('time_entry.adjusted'),
        payload: fc.record({
          timeEntryId: fc.integer({ min: 1, max: 6 }).map(entry),
          deltaMinutes: fc.integer({ min: -120, max: 120 }),
          newTicketId: fc.option(ticketN.map(tk), { nil: null }),
        }),
      }),
      fc.record({
        type: fc.constant('delivery.project_created'),
        payload: fc.record({ projectId: pick(prj(1), prj(2)), kind: pick('presales', 'sold') }),
      }),
      fc.record({
        type: fc.constant('opportunity.won'),
        payload: fc.record({ opportunityId: fc.constant(uuid(0xe1)), opportunityClass: fc.constant('gold') }),
      }),
      fc.record({
        type: fc.constant('delivery.task_created'),
        payload: fc.record({
          projectId: pick(prj(1), prj(2)),
          estimatedMinutes: fc.integer({ min: 0, max: 900 }),
        }),
      }),
      fc.record({
        type: fc.constant('delivery.task_re_estimated'),
        payload: fc.record({
          projectId: pick(prj(1), prj(2)),
          from: fc.integer({ min: 0, max: 900 }),
          to: fc.integer({ min: 0, max: 900 }),
        }),
      }),
      fc.record({
        type: fc.constant('delivery.milestone_completed'),
        payload: fc.record({
          projectId: pick(prj(1), prj(2)),
          soldMinutes: fc.integer({ min: 0, max: 900 }),
          actualMinutes: fc.integer({ min: 0, max: 900 }),
        }),
      }),
      fc.record({
        type: pick('project.variance_detected', 'project.variance_resolved'),
        payload: fc.record({
          varianceId: fc.integer({ min: 1, max: 3 }).map((n) => uuid(0x9000 + n)),
          projectId: pick(prj(1), prj(2)),
        }),
      }),
    ),
    // Up to ~200 days, not in time order.
    fc.integer({ min: -3 * 1440, max: 200 * 1440 }),
    fc.option(pick(emp(1), emp(2), emp(3)), { nil: null }),
  )
  .map(([e, minutes, actor]) => ({
    type: e.type,
    payload: e.payload as Record<string, unknown>,
    at: at(minutes),
    actor,
  }));

/** Tickets created first (so that later events find them), then anything. */
const streamArb: fc.Arbitrary<EventSpec[]> = fc
  .tuple(
    fc.uniqueArray(
      fc.record({
        ticketId: ticketN.map(tk),
        owner: pick('support', 'support', 'project'),
        status: fc.constant('new'),
        customerId: fc.option(pick(cust(1), cust(2)), { nil: null }),
        projectId: fc.option(pick(prj(1), prj(2)), { nil: null }),
        priority: pick('low', 'medium', 'high', 'critical'),
      }),
      { selector: (p) => p.ticketId, maxLength: 4 },
    ),
    fc.integer({ min: -3 * 1440, max: 20 * 1440 }),
    fc.array(eventArb, { minLength: 5, maxLength: 80 }),
  )
  .map(([tickets, minutes, rest]) => [
    ...tickets.map((payload, i) => ({ type: 'ticket.created', payload, at: at(minutes + i), actor: null })),
    ...rest,
  ]);

const orgVersions = [
  orgVersionOf(1, utc('2025-12-01T00:00:00'), [
    [emp(1), team(1)],
    [emp(2), team(1)],
    [emp(3), team(2)],
  ]),
  orgVersionOf(2, utc('2026-03-01T00:00:00'), [
    [emp(1), team(2)],
    [emp(2), team(1)],
    [emp(3), team(2)],
  ]),
];

const definitionsFor = (period: PeriodGrid) =>
  catalogueV2({
    period,
    scopes: ['org', 'team', 'department', 'customer', 'project', 'employee', 'sla_tier'],
  });

describe('ticket facts tracked once per engine', () => {
  const definitions = catalogueV2({ period: 'month', scopes: ['org'] }).filter(
    (d) => d.key === 'support.open-tickets' || d.key === 'support.sla-breach-rate',
  );
  const ticket = '00000000-0000-4000-8000-000000005001';
  const event = (position: bigint, type: string, payload: Record<string, unknown>, occurredAt: string) =>
    ({
      position,
      eventId: `00000000-0000-4000-8000-00000000e00${position}`,
      type,
      occurredAt,
      actor: { type: 'system', id: 'test' },
      context: {},
      payload,
    }) as KpiEvent;
  const events = [
    event(
      1n,
      'ticket.created',
      {
        ticketId: ticket,
        owner: 'support',
        status: 'new',
        priority: 'high',
        customerId: null,
        projectId: null,
      },
      '2026-01-05T10:00:00.000000Z',
    ),
    event(
      2n,
      'sla.bound',
      { ticketId: ticket, slaDefinitionId: '00000000-0000-4000-8000-00000000a001' },
      '2026-01-05T10:01:00.000000Z',
    ),
  ];
  // What ticket kind v1 (each measure kept the whole ticket) checkpointed after `events`.
  const v1Facts = {
    c: 1767607200000,
    cp: '1',
    ci: '00000000-0000-4000-8000-00000000e001',
    pr: 'high',
    ow: 'support',
    st: 'new',
    cu: null,
    pj: null,
    te: null,
    em: null,
    cal: null,
    tier: null,
    bp: '2',
    bi: '00000000-0000-4000-8000-00000000e002',
    br: [],
    art: false,
  };
  const v1Flags = { bs: null, bps: null, bc: false, rs: false, rc: false, os: null };
  const v1Checkpoint: KpiCheckpoint = {
    format: 4,
    fingerprint: 'ece3c1bfb1fc2e98',
    watermark: '2',
    maxOccurredAt: '2026-01-05T10:01:00.000000Z',
    applied: 2,
    cells: [
      ['support.open-tickets@1', 'org', '2026-01-01', 0, 1, 0, 0, 1, '1', null, null],
      ['support.sla-breach-rate@1', 'org', '2026-01-01', 0, 0, 0, 1, 1, '2', null, null],
    ],
    entities: [
      ['support.open-tickets@1', ticket, { ...v1Facts, ...v1Flags, os: ['org'] }, '2'],
      ['support.sla-breach-rate@1', ticket, { ...v1Facts, ...v1Flags, bs: ['org'], bps: '2026-01-01' }, '2'],
    ],
  };

  it('a checkpoint of ticket kind v1 is refused, never misread: the host rebuilds, to the same results', async () => {
    const engine = createKpiEngine({ definitions, orgTimeZone: 'UTC' });
    expect(() => engine.restore(v1Checkpoint)).toThrowError(/fingerprint/);
    const rebuilt = await engine.run(engine.initialState(), events);
    expect(engine.checkpoint(rebuilt).cells).toEqual(v1Checkpoint.cells);
  });

  it('keeps a ticket’s facts once, and per measure only what its definition adds; a closed ticket leaves none', async () => {
    const engine = createKpiEngine({ definitions, orgTimeZone: 'UTC' });
    const state = await engine.run(engine.initialState(), events);
    const {
      bs: _bs,
      bps: _bps,
      bc: _bc,
      rs: _rs,
      rc: _rc,
      os: _os,
      ...facts
    } = {
      ...v1Facts,
      ...v1Flags,
    };
    expect(engine.checkpoint(state).entities).toEqual([
      ['support.open-tickets@1', ticket, { os: ['org'] }, '1'],
      ['support.sla-breach-rate@1', ticket, { bs: ['org'], bps: '2026-01-01', bc: false }, '2'],
      ['tracker:ticket', ticket, facts, '2'],
    ]);
    const closed = event(
      3n,
      'ticket.status_changed',
      { ticketId: ticket, to: 'closed' },
      '2026-01-06T10:00:00.000000Z',
    );
    await engine.run(state, [closed]);
    const delta = engine.checkpointDelta(state);
    expect(delta.removed).toEqual([
      ['support.open-tickets@1', ticket],
      ['support.sla-breach-rate@1', ticket],
      ['tracker:ticket', ticket],
    ]);
    expect(engine.checkpoint(state).entities).toEqual([]);
  });

  it('given every ticket metric, when a ticket has lived its whole life and closes, then no measure keeps anything of it', async () => {
    const all = catalogueV2({ period: 'month', scopes: ['org'] }).filter((d) => d.measure.kind === 'ticket');
    const engine = createKpiEngine({ definitions: all, orgTimeZone: 'UTC' });
    const clock = { elapsedBusinessMinutes: 30, targetMinutes: 60 };
    const life = [
      ...events,
      event(
        3n,
        'sla.responded',
        { ticketId: ticket, targetKind: 'response', ...clock },
        '2026-01-05T10:30:00.000000Z',
      ),
      event(
        4n,
        'sla.breached',
        { ticketId: ticket, targetKind: 'resolution' },
        '2026-01-05T11:00:00.000000Z',
      ),
      event(5n, 'sla.escalated', { ticketId: ticket, level: 1 }, '2026-01-05T11:01:00.000000Z'),
      event(
        6n,
        'sla.resolved',
        { ticketId: ticket, targetKind: 'resolution', ...clock },
        '2026-01-05T12:00:00.000000Z',
      ),
      event(7n, 'ticket.status_changed', { ticketId: ticket, to: 'resolved' }, '2026-01-05T12:00:00.000000Z'),
    ];
    const state = await engine.run(engine.initialState(), life);
    // Marks of the breach-rate cohort, the first resolution (every priority's: counted or not) and the
    // first clock stop; the resolved ticket left the open count.
    const marked = new Set(engine.checkpoint(state).entities.map(([group]) => String(group).split('@')[0]));
    expect(marked).toEqual(
      new Set([
        'support.sla-breach-rate',
        ...CATALOGUE_V2_KEYS.support.filter((key) => key.startsWith('support.mttr')),
        'knowledge.resolution-acceleration',
        'support.resolution-compliance',
        'support.sla-compliance',
        'tracker:ticket',
      ]),
    );
    await engine.run(state, [
      event(8n, 'ticket.status_changed', { ticketId: ticket, to: 'closed' }, '2026-01-06T10:00:00.000000Z'),
    ]);
    expect(engine.checkpoint(state).entities).toEqual([]);
  });
});

describe('checkpoints as data', () => {
  it('given a checkpoint taken as data, when the state folds on and the checkpoint is restored twice, then the checkpoint never changes', async () => {
    const engine = createKpiEngine({
      definitions: definitionsFor('month'),
      orgTimeZone: 'Europe/London',
      orgVersions,
    });
    const breach = (targetKind: string): EventSpec => ({
      type: 'sla.breached',
      at: at(2),
      payload: { ticketId: tk(1), targetKind, elapsedBusinessMinutes: 0, targetMinutes: 1, stage: 1 },
    });
    const events = stream([
      {
        type: 'ticket.created',
        at: at(1),
        payload: {
          ticketId: tk(1),
          owner: 'support',
          status: 'new',
          customerId: null,
          projectId: null,
          priority: 'low',
        },
      },
      breach('response'),
      breach('resolution'),
    ]);
    const state = await engine.run(engine.initialState(), events.slice(0, 2));
    const cp = engine.checkpoint(state);
    const taken = JSON.parse(JSON.stringify(cp)) as unknown;
    // The ticket kind adds the second breach to its value in place.
    await engine.run(state, events.slice(2));
    expect(cp).toEqual(taken);
    const once = await engine.run(engine.restore(cp), events.slice(2));
    const twice = await engine.run(engine.restore(cp), events.slice(2));
    expect(engine.checkpoint(twice)).toEqual(engine.checkpoint(once));
    expect(engine.checkpoint(once)).toEqual(engine.checkpoint(state));
    expect(cp).toEqual(taken);
  });
});

describe('catalogue v2 replay', () => {
  test.prop([streamArb, fc.nat(), fc.nat({ max: 4 }), pick<PeriodGrid>('week', 'month')], {
    numRuns: 60,
  })(
    'a full rebuild ≡ a checkpoint (through JSON) and a catch-up, for any split; checkpoint deltas chain to the same state',
    async (specs, cut, overlap, period) => {
      const engine = createKpiEngine({
        definitions: definitionsFor(period),
        orgTimeZone: 'Europe/London',
        orgVersions,
      });
      const events = stream(specs);
      const split = events.length === 0 ? 0 : cut % (events.length + 1);
      const full = await engine.run(engine.initialState(), events);
      const head = await engine.run(engine.initialState(), events.slice(0, split));
      const saved = JSON.parse(JSON.stringify(engine.checkpoint(head)));
      const base = head.watermark;
      const resumed = await engine.run(engine.restore(saved), events.slice(Math.max(0, split - overlap)));
      expect(engine.results(resumed)).toEqual(engine.results(full));
      expect(engine.checkpoint(resumed)).toEqual(engine.checkpoint(full));
      // What changed since the split, as results() has it.
      const since = engine.resultsSince(resumed, base);
      const all = engine.results(full);
      const ids = new Set(since.map((r) => r.id));
      expect(since).toEqual(all.filter((r) => ids.has(r.id)));
      // The live state's delta after the split restores to the straight fold's state.
      await engine.run(head, events.slice(split));
      const delta = JSON.parse(JSON.stringify(engine.checkpointDelta(head)));
      const restored = engine.restore(saved, [delta]);
      expect(engine.checkpoint(restored)).toEqual(engine.checkpoint(full));
      // The same from the checkpoint's text, read a line at a time however it is cut: the catch-up's delta
      // and checkpoint are those of the restore from the parsed checkpoint.
      const text = [
        ...engine.checkpointJson(await engine.run(engine.initialState(), events.slice(0, split))),
      ].join('');
      const at = cut % (text.length + 1);
      const tail = events.slice(Math.max(0, split - overlap));
      const viaObject = await engine.run(engine.restore(saved), tail);
      const viaText = await engine.run(await engine.restoreJson([text.slice(0, at), text.slice(at)]), tail);
      // Restoring only what the tail reads (plug-in entities and trackers included) changes nothing it writes.
      const partial = await engine.catchUpJson(() => [text.slice(0, at), text.slice(at)], [], tail);
      expect(engine.resultsSince(partial, base)).toEqual(engine.resultsSince(viaText, base));
      const textDelta = engine.checkpointDelta(viaText);
      expect(engine.checkpointDelta(partial)).toEqual(textDelta);
      expect(textDelta).toEqual(engine.checkpointDelta(viaObject));
      expect(engine.results(viaText)).toEqual(engine.results(full));
      expect(engine.checkpoint(viaText)).toEqual(engine.checkpoint(full));
      expect(engine.checkpoint(await engine.restoreJson([text], [delta]))).toEqual(engine.checkpoint(full));
    },
    60_000,
  );

  test.prop([streamArb, pick<PeriodGrid>('week', 'month')], { numRuns: 15 })(
    'one definition folded alone (what explaining folds) gives the full engine’s results for it',
    async (specs, period) => {
      const engine = createKpiEngine({
        definitions: definitionsFor(period),
        orgTimeZone: 'Europe/London',
        orgVersions,
      });
      const events = stream(specs);
      const all = engine.results(await engine.run(engine.initialState(), events));
      for (const d of engine.definitions) {
        const id = `${d.key}@${d.version}`;
        const one = engine.subset([id]);
        const mine = one.results(await one.run(one.initialState(), events));
        expect(mine).toEqual(all.filter((r) => r.id.startsWith(`${id}/`)));
      }
    },
    60_000,
  );

  test.prop([streamArb, pick<PeriodGrid>('day', 'month')], { numRuns: 60 })(
    'every result lists its contributing events, and their shares sum exactly to its numerator and denominator',
    async (specs, period) => {
      const engine = createKpiEngine({
        definitions: definitionsFor(period),
        orgTimeZone: 'Europe/London',
        orgVersions,
      });
      const seen: Contribution[] = [];
      const state = engine.initialState();
      for (const e of stream(specs)) engine.apply(state, e, (c) => seen.push(c));
      const byId = new Map<string, Contribution[]>();
      for (const c of seen) {
        const list = byId.get(c.resultId) ?? [];
        list.push(c);
        byId.set(c.resultId, list);
      }
      const mine = (r: KpiResult): Contribution[] => {
        const vid = `${r.definitionKey}@${r.definitionVersion}`;
        if (!engine.carriesForward(vid)) return byId.get(r.id) ?? [];
        const prefix = `${vid}/${r.scopeType}:${r.scopeId}/`;
        return seen.filter(
          (c) => c.resultId.startsWith(prefix) && c.resultId.slice(prefix.length) <= r.periodStart,
        );
      };
      for (const r of engine.results(state)) {
        const list = mine(r);
        expect(list.length).toBe(r.contributingEventCount);
        // Resolution acceleration reports two means, not sums: its shares are in the details.
        if (r.definitionKey.startsWith('knowledge.resolution-acceleration')) continue;
        expect(list.reduce((s, c) => s + (c.numerator ?? 0), 0)).toBe(r.numerator);
        expect(list.reduce((s, c) => s + (c.denominator ?? 0), 0)).toBe(r.denominator ?? 0);
      }
    },
    60_000,
  );
});
