import { describe, expect, test } from 'vitest';
import { type CalendarId, type LocalDate, parseBusinessCalendar } from '../../calendar/index.js';
import type { BasisPoints } from '../../kernel/index.js';
import { DeciderSpecification } from '../../testing/index.js';
import { allocation, at, emp, quote, role, sale, task, tracked, uuid } from '../test-support.test.js';
import { type PlanAllocation, resourceAllocationCommandSchema } from './commands.js';
import { resourceAllocationDecider } from './decider.js';
import type { ResourceAllocationEvent } from './events.js';
import { commitForecast, forecastFromQuote, schedulingLoad } from './plans.js';
import { RESOURCE_ALLOCATION_REJECTION_CODES } from './rejections.js';
import { evolveResourceAllocation, initialResourceAllocationState } from './state.js';

const { decider, seen } = tracked(resourceAllocationDecider);
const spec = DeciderSpecification.for(decider);
const d = (s: string) => s as LocalDate;
const bp = (n: number) => n as BasisPoints;

const forecastPlan: PlanAllocation = {
  type: 'plan',
  allocationId: allocation(1),
  layer: 'forecast',
  subject: { kind: 'role', roleId: role(1) },
  source: { type: 'quote', id: quote(1) },
  periodStart: d('2026-04-01'),
  periodEnd: d('2026-06-30'),
  plannedMinutes: 6000,
  at: at(0),
};
const approved = { sourceQuote: { quoteId: quote(1), approved: true, probabilityBp: 6000 } };
const planned: ResourceAllocationEvent = {
  type: 'resource_allocation.planned',
  payload: {
    allocationId: allocation(1),
    layer: 'forecast',
    subject: { kind: 'role', roleId: role(1) },
    source: { type: 'quote', id: quote(1) },
    periodStart: d('2026-04-01'),
    periodEnd: d('2026-06-30'),
    plannedMinutes: 6000,
    probabilityBp: bp(6000),
    plannedAt: at(0),
  },
};
const schedule: PlanAllocation = {
  type: 'plan',
  allocationId: allocation(2),
  layer: 'scheduled',
  subject: { kind: 'employee', employeeId: emp(1) },
  source: { type: 'task', id: task(1) },
  periodStart: d('2026-03-02'),
  periodEnd: d('2026-03-06'),
  plannedMinutes: 600,
  at: at(0),
};
const scheduledEvent = (extra: Partial<PlanAllocation> = {}): ResourceAllocationEvent => {
  const c = { ...schedule, ...extra };
  return {
    type: 'resource_allocation.planned',
    payload: {
      allocationId: c.allocationId,
      layer: c.layer,
      subject: c.subject,
      source: c.source,
      periodStart: c.periodStart,
      periodEnd: c.periodEnd,
      plannedMinutes: c.plannedMinutes,
      probabilityBp: bp(10_000),
      plannedAt: c.at,
    },
  };
};

describe('resource allocation: forecast (scenario 10)', () => {
  test('a forecast from an approved quote carries the probability; its weight is WBS minutes × 0.60', () => {
    spec.given([]).when(forecastPlan, approved).then([planned]);
    const state = evolveResourceAllocation(initialResourceAllocationState(), planned);
    expect(state).toMatchObject({ status: 'active', plannedMinutes: 6000, weightedMinutes: 3600 });
  });

  test('forecastFromQuote: one row per role with labour, each weighted by the probability when planned', () => {
    const labour = {
      quoteId: quote(1),
      approved: true,
      probabilityBp: 6000,
      minutesByRole: { [role(2)]: 2400, [role(1)]: 6000, [role(3)]: 0 },
    };
    const r = forecastFromQuote(
      labour,
      { periodStart: d('2026-04-01'), periodEnd: d('2026-06-30') },
      [allocation(1), allocation(2)],
      at(0),
    );
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.commands.map((c) => [c.subject, c.plannedMinutes])).toEqual([
      [{ kind: 'role', roleId: role(1) }, 6000],
      [{ kind: 'role', roleId: role(2) }, 2400],
    ]);
    const weighted = r.value.commands.map((c) => {
      const out = resourceAllocationDecider.decide(c, initialResourceAllocationState(), r.value.facts);
      if (!out.ok) throw new Error(out.error.code);
      return out.value.reduce(evolveResourceAllocation, initialResourceAllocationState());
    });
    expect(weighted.map((s) => (s.status === 'active' ? s.weightedMinutes : -1))).toEqual([3600, 1440]);
    expect(
      forecastFromQuote(
        { ...labour, approved: false },
        { periodStart: d('2026-04-01'), periodEnd: d('2026-06-30') },
        [],
        at(0),
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'ALLOCATION_QUOTE_NOT_APPROVED' },
    });
    expect(() =>
      forecastFromQuote(
        labour,
        { periodStart: d('2026-04-01'), periodEnd: d('2026-06-30') },
        [allocation(1)],
        at(0),
      ),
    ).toThrow(RangeError);
  });

  test('forecast only from approved quotes: not approved → ALLOCATION_QUOTE_NOT_APPROVED; not loaded → ALLOCATION_FACTS_MISSING', () => {
    spec
      .given([])
      .when(forecastPlan, { sourceQuote: { ...approved.sourceQuote, approved: false } })
      .thenRejects('ALLOCATION_QUOTE_NOT_APPROVED', { quoteId: quote(1) });
    spec.given([]).when(forecastPlan).thenRejects('ALLOCATION_FACTS_MISSING', { fact: 'sourceQuote' });
    spec
      .given([])
      .when(forecastPlan, { sourceQuote: { ...approved.sourceQuote, quoteId: quote(2) } })
      .thenRejects('ALLOCATION_FACTS_MISSING');
  });

  test('each layer fits its source: forecast ← quote, committed ← sale, scheduled = employee on a task or ticket', () => {
    spec
      .given([])
      .when({ ...forecastPlan, source: { type: 'sale', id: sale(1) } }, approved)
      .thenRejects('ALLOCATION_SOURCE_MISMATCH', { allowedSources: ['quote'] });
    spec
      .given([])
      .when({ ...forecastPlan, layer: 'committed' })
      .thenRejects('ALLOCATION_SOURCE_MISMATCH');
    spec
      .given([])
      .when({ ...schedule, subject: { kind: 'role', roleId: role(1) } })
      .thenRejects('ALLOCATION_SOURCE_MISMATCH', { subjectKind: 'role' });
  });

  test('bad plans: no minutes or a period ending before it starts → ALLOCATION_INVALID_PLAN', () => {
    spec
      .given([])
      .when({ ...forecastPlan, plannedMinutes: 0 }, approved)
      .thenRejects('ALLOCATION_INVALID_PLAN');
    spec
      .given([])
      .when({ ...forecastPlan, periodEnd: d('2026-03-31') }, approved)
      .thenRejects('ALLOCATION_INVALID_PLAN');
    spec
      .given([planned])
      .when(forecastPlan, approved)
      .thenRejects('ALLOCATION_ALREADY_EXISTS', { status: 'active' });
  });
});

describe('resource allocation: supersede, release, commit (scenario 11: forecast → committed)', () => {
  test('a new quote version supersedes the forecast; rejection or expiry releases it', () => {
    spec
      .given([planned])
      .when({ type: 'supersede', supersededBy: allocation(9), at: at(5) })
      .then([
        {
          type: 'resource_allocation.superseded',
          payload: { allocationId: allocation(1), supersededBy: allocation(9), at: at(5) },
        },
      ]);
    spec
      .given([planned])
      .when({ type: 'release', reason: 'quote_expired', at: at(5) })
      .then([
        {
          type: 'resource_allocation.released',
          payload: { allocationId: allocation(1), reason: 'quote_expired', at: at(5) },
        },
      ]);
    spec
      .given([planned])
      .when({ type: 'supersede', supersededBy: allocation(1), at: at(5) })
      .thenRejects('ALLOCATION_INVALID_PLAN');
  });

  test('superseded and released are final; nothing before plan', () => {
    const released: ResourceAllocationEvent = {
      type: 'resource_allocation.released',
      payload: { allocationId: allocation(1), reason: 'quote_rejected', at: at(5) },
    };
    spec
      .given([planned, released])
      .when({ type: 'release', reason: 'cancelled', at: at(6) })
      .thenRejects('ALLOCATION_NOT_ACTIVE', { status: 'released' });
    spec
      .given([planned, released])
      .when({ type: 'supersede', supersededBy: allocation(2), at: at(6) })
      .thenRejects('ALLOCATION_NOT_ACTIVE');
    spec
      .given([])
      .when({ type: 'release', reason: 'cancelled', at: at(6) })
      .thenRejects('ALLOCATION_NOT_FOUND');
  });

  test('commitForecast: the committed row is unweighted and supersedes the forecast', () => {
    const forecast = evolveResourceAllocation(initialResourceAllocationState(), planned);
    if (forecast.status !== 'active') throw new Error('active expected');
    const { plan, supersede } = commitForecast(forecast, allocation(5), sale(1), at(9));
    spec
      .given([])
      .when(plan)
      .then([
        {
          type: 'resource_allocation.planned',
          payload: {
            ...planned.payload,
            allocationId: allocation(5),
            layer: 'committed',
            source: { type: 'sale', id: sale(1) },
            probabilityBp: bp(10_000),
            plannedAt: at(9),
          } as never,
        },
      ]);
    spec
      .given([planned])
      .when(supersede)
      .then([
        {
          type: 'resource_allocation.superseded',
          payload: { allocationId: allocation(1), supersededBy: allocation(5), at: at(9) },
        },
      ]);
  });
});

describe('resource allocation: over-allocation is a warning, not a block', () => {
  test('below 85 %: planned only', () => {
    spec
      .given([])
      .when(schedule, { load: { capacityMinutes: 2400, scheduledMinutes: 1000 } })
      .then([scheduledEvent()]);
  });

  test('at 85 %: planned + over_allocated (warning) with the numbers', () => {
    spec
      .given([])
      .when(schedule, { load: { capacityMinutes: 2400, scheduledMinutes: 1440 } })
      .then([
        scheduledEvent(),
        {
          type: 'resource_allocation.over_allocated',
          payload: {
            allocationId: allocation(2),
            employeeId: emp(1),
            periodStart: d('2026-03-02'),
            periodEnd: d('2026-03-06'),
            level: 'warning',
            scheduledMinutes: 2040,
            capacityMinutes: 2400,
            utilisationBp: 8500,
            thresholdBp: 8500,
            at: at(0),
          },
        },
      ]);
  });

  test('at 100 % and beyond (or on zero capacity): escalation, still accepted', () => {
    const r = resourceAllocationDecider.decide(schedule, initialResourceAllocationState(), {
      load: { capacityMinutes: 2400, scheduledMinutes: 2000 },
    });
    expect(
      r.ok &&
        r.value.map((e) => (e.type === 'resource_allocation.over_allocated' ? e.payload.level : e.type)),
    ).toEqual(['resource_allocation.planned', 'escalation']);
    const zero = resourceAllocationDecider.decide(schedule, initialResourceAllocationState(), {
      load: { capacityMinutes: 0, scheduledMinutes: 0 },
    });
    expect(zero.ok && zero.value[1]).toMatchObject({
      payload: { level: 'escalation', utilisationBp: null, thresholdBp: 10_000 },
    });
  });

  test('configurable: thresholds move; a policy that blocks refuses with ALLOCATION_OVER_CAPACITY', () => {
    spec
      .given([])
      .when(schedule, {
        load: { capacityMinutes: 2400, scheduledMinutes: 1440 },
        policy: { warnAtBp: 9000, escalateAtBp: 12_000, blockAtBp: null },
      })
      .then([scheduledEvent()]);
    spec
      .given([])
      .when(schedule, {
        load: { capacityMinutes: 2400, scheduledMinutes: 2100 },
        policy: { warnAtBp: 8500, escalateAtBp: 10_000, blockAtBp: 11_000 },
      })
      .thenRejects('ALLOCATION_OVER_CAPACITY', {
        scheduledMinutes: 2700,
        capacityMinutes: 2400,
        utilisationBp: 11_250,
        blockAtBp: 11_000,
      } as never);
  });

  test('schedulingLoad: capacity over the period and the overlapping active schedules of that employee only', () => {
    const calendar = parseBusinessCalendar({
      calendarId: uuid(0xb00001) as CalendarId,
      version: 1,
      timeZone: 'Europe/Berlin',
      windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })),
      holidays: [],
    });
    const fold = (events: readonly ResourceAllocationEvent[]) =>
      events.reduce(evolveResourceAllocation, initialResourceAllocationState());
    const released: ResourceAllocationEvent = {
      type: 'resource_allocation.released',
      payload: { allocationId: allocation(5), reason: 'cancelled', at: at(1) },
    };
    const states = [
      fold([scheduledEvent({ allocationId: allocation(3), plannedMinutes: 900 })]),
      fold([
        scheduledEvent({
          allocationId: allocation(4),
          plannedMinutes: 700,
          periodStart: d('2026-03-09'),
          periodEnd: d('2026-03-13'),
        }),
      ]),
      fold([scheduledEvent({ allocationId: allocation(5), plannedMinutes: 500 }), released]),
      fold([
        scheduledEvent({
          allocationId: allocation(6),
          plannedMinutes: 300,
          subject: { kind: 'employee', employeeId: emp(2) },
        }),
      ]),
      fold([planned]),
    ];
    const leave = [{ from: d('2026-03-06'), to: d('2026-03-06'), status: 'approved' as const }];
    const load = schedulingLoad(
      states,
      emp(1),
      { periodStart: d('2026-03-02'), periodEnd: d('2026-03-06') },
      { calendar, leave, overrides: [] },
    );
    expect(load).toEqual({ capacityMinutes: 1920, scheduledMinutes: 900 });
    expect(
      schedulingLoad(
        states,
        emp(1),
        { periodStart: d('2026-03-02'), periodEnd: d('2026-03-06') },
        { calendar, leave, overrides: [] },
        allocation(3),
      ).scheduledMinutes,
    ).toBe(0);
    // 900 + 600 = 1500 of 1920 minutes = 7813 bp: below the 85 % warning.
    spec.given([]).when(schedule, { load }).then([scheduledEvent()]);
  });

  test('a schedule needs the employee’s load', () => {
    spec.given([]).when(schedule).thenRejects('ALLOCATION_FACTS_MISSING', { fact: 'load' });
  });
});

describe('resource allocation command schema', () => {
  test('names bad fields', () => {
    const r = resourceAllocationCommandSchema.safeParse({
      ...schedule,
      plannedMinutes: 0,
      periodStart: '2026-02-30',
      source: { type: 'invoice', id: task(1) },
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'periodStart',
      'plannedMinutes',
      'source.type',
    ]);
    expect(resourceAllocationCommandSchema.parse(schedule)).toEqual(schedule);
  });
});

test('every resource-allocation rejection code is exercised above', () => {
  expect([...seen].sort()).toEqual([...RESOURCE_ALLOCATION_REJECTION_CODES].sort());
});
