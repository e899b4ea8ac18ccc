import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { LocalDate } from '../../calendar/index.js';
import { assertEvolveNeverThrows, assertReplayDeterministic } from '../../testing/index.js';
import {
  adjId,
  allocation,
  at,
  emp,
  entryId,
  quote,
  role,
  sale,
  task,
  ticket,
} from '../test-support.test.js';
import type { TimeEntryEvent } from '../time-entry/events.js';
import { type AttestedTimeEntry, evolveTimeEntry, initialTimeEntryState } from '../time-entry/state.js';
import type { ResourceAllocationCommand, ResourceAllocationFacts } from './commands.js';
import { resourceAllocationDecider } from './decider.js';
import type { ResourceAllocationEvent } from './events.js';
import { actualMinutes, planVersusActual } from './plans.js';
import {
  evolveResourceAllocation,
  initialResourceAllocationState,
  type ResourceAllocationState,
} from './state.js';

const d = (s: string) => s as LocalDate;
const N = 4;
const fold = (events: readonly ResourceAllocationEvent[]): ResourceAllocationState =>
  events.reduce(evolveResourceAllocation, initialResourceAllocationState());

const commandArb: fc.Arbitrary<ResourceAllocationCommand> = fc.oneof(
  fc
    .record({
      layer: fc.constantFrom('forecast', 'committed', 'scheduled' as const),
      minutes: fc.integer({ min: 1, max: 5000 }),
    })
    .map(
      ({ layer, minutes }): ResourceAllocationCommand => ({
        type: 'plan',
        allocationId: allocation(0),
        layer,
        subject:
          layer === 'scheduled'
            ? { kind: 'employee', employeeId: emp(1) }
            : { kind: 'role', roleId: role(1) },
        source:
          layer === 'forecast'
            ? { type: 'quote', id: quote(1) }
            : layer === 'committed'
              ? { type: 'sale', id: sale(1) }
              : { type: 'task', id: task(1) },
        periodStart: d('2026-03-02'),
        periodEnd: d('2026-03-06'),
        plannedMinutes: minutes,
        at: at(0),
      }),
    ),
  fc
    .integer({ min: 1, max: N })
    .map((n): ResourceAllocationCommand => ({ type: 'supersede', supersededBy: allocation(n), at: at(1) })),
  fc
    .constantFrom('quote_rejected', 'quote_expired', 'completed', 'cancelled' as const)
    .map((reason): ResourceAllocationCommand => ({ type: 'release', reason, at: at(2) })),
);
const factsArb: fc.Arbitrary<ResourceAllocationFacts> = fc.record({
  sourceQuote: fc.record({
    quoteId: fc.constant(quote(1)),
    approved: fc.boolean(),
    probabilityBp: fc.integer({ min: 0, max: 10_000 }),
  }),
  load: fc.record({
    capacityMinutes: fc.integer({ min: 0, max: 3000 }),
    scheduledMinutes: fc.integer({ min: 0, max: 5000 }),
  }),
});

const stats = { accepted: 0, warnings: 0, terminal: 0 };

/** Reference rounding: n / d to the nearest integer, ties to even (small non-negative integers only). */
function halfEven(n: number, d: number): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  if (2 * r > d) return q + 1;
  if (2 * r < d) return q;
  return q % 2 === 0 ? q : q + 1;
}

describe('resource allocation invariants under random command sequences', () => {
  test.prop(
    [
      fc.array(fc.tuple(fc.integer({ min: 1, max: N }), commandArb, factsArb), {
        minLength: 1,
        maxLength: 40,
      }),
    ],
    { numRuns: 200 },
  )(
    'superseded/released never change; a forecast is weighted by its quote’s probability; the default policy never blocks a schedule',
    (steps) => {
      const streams = new Map<number, ResourceAllocationEvent[]>();
      for (const [n, raw, facts] of steps) {
        const command = raw.type === 'plan' ? { ...raw, allocationId: allocation(n) } : raw;
        const events = streams.get(n) ?? [];
        const before = fold(events);
        const r = resourceAllocationDecider.decide(command, before, facts);
        if (before.status === 'superseded' || before.status === 'released') {
          expect(r.ok).toBe(false);
          stats.terminal += 1;
        }
        if (command.type === 'plan' && command.layer === 'scheduled' && before.status === 'absent')
          expect(r.ok).toBe(true);
        if (!r.ok) continue;
        stats.accepted += 1;
        if (r.value.some((e) => e.type === 'resource_allocation.over_allocated')) stats.warnings += 1;
        const all = [...events, ...r.value];
        streams.set(n, all);
        const after = fold(all);
        expect(fold(all)).toEqual(after);
        if (after.status !== 'absent' && command.type === 'plan') {
          const bp = after.layer === 'forecast' ? (facts.sourceQuote?.probabilityBp ?? -1) : 10_000;
          expect(after.probabilityBp).toBe(bp);
          expect(after.weightedMinutes).toBe(halfEven(after.plannedMinutes * bp, 10_000));
          expect(after.weightedMinutes).toBeLessThanOrEqual(after.plannedMinutes);
        }
      }
    },
  );

  test('non-vacuity: plans, warnings and refusals of terminal rows all happen', () => {
    expect(stats.accepted).toBeGreaterThan(100);
    expect(stats.warnings).toBeGreaterThan(10);
    expect(stats.terminal).toBeGreaterThan(10);
  });
});

describe('allocations are never counted as actual', () => {
  // Real attested entries, folded from the events a time-entry stream holds.
  const entry = (minutes: number, deltas: readonly number[], billable: boolean): AttestedTimeEntry => {
    const id = entryId(1);
    const events: TimeEntryEvent[] = [
      {
        type: 'time_entry.created',
        payload: {
          timeEntryId: id,
          employeeId: emp(1),
          start: at(0),
          end: at(minutes),
          minutes,
          description: '',
          billable,
          workType: 'project',
          ticketId: ticket(1),
          taskId: null,
          bucketId: null,
          createdAt: at(minutes),
        },
      },
      {
        type: 'time_entry.submitted',
        payload: {
          timeEntryId: id,
          employeeId: emp(1),
          minutes,
          ticketId: ticket(1),
          projectId: null,
          workDate: d('2026-03-02'),
          attestedBy: emp(1),
          submittedAt: at(minutes),
        },
      },
      ...deltas.map(
        (deltaMinutes, i): TimeEntryEvent => ({
          type: 'time_entry.adjusted',
          payload: {
            adjustmentId: adjId(i),
            timeEntryId: id,
            adjustmentType: 'duration_delta',
            deltaMinutes,
            newBillable: null,
            newWorkType: null,
            newTicketId: null,
            newTaskId: null,
            newBucketId: null,
            reason: 'r',
            authorId: emp(2),
            at: at(minutes),
          },
        }),
      ),
    ];
    const state = events.reduce(evolveTimeEntry, initialTimeEntryState());
    if (state.status !== 'submitted') throw new Error('submitted entry expected');
    return state;
  };

  test.prop(
    [
      fc.array(fc.tuple(fc.integer({ min: 1, max: N }), commandArb, factsArb), { maxLength: 20 }),
      fc.array(
        fc.tuple(
          fc.integer({ min: 1, max: 500 }),
          fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }),
        ),
        { maxLength: 5 },
      ),
    ],
    { numRuns: 150 },
  )('actual = Σ net minutes of the time entries, whatever allocations exist', (steps, raw) => {
    const entries = raw.map(([m, ds], i) => entry(m, ds, i % 2 === 0));
    const states = steps.flatMap(([n, c, f]) => {
      const command = c.type === 'plan' ? { ...c, allocationId: allocation(n) } : c;
      const r = resourceAllocationDecider.decide(command, initialResourceAllocationState(), f);
      return r.ok ? [fold(r.value)] : [];
    });
    const expected = raw.reduce((s, [m, ds]) => s + m + ds.reduce((a, b) => a + b, 0), 0);
    const result = planVersusActual(states, entries);
    expect(result.actual).toBe(expected);
    expect(planVersusActual([], entries).actual).toBe(expected);
    const billable = raw.filter((_, i) => i % 2 === 0);
    expect(actualMinutes(entries, { billableOnly: true })).toBe(
      billable.reduce((s, [m, ds]) => s + m + ds.reduce((a, b) => a + b, 0), 0),
    );
    const active = states.filter((s) => s.status === 'active');
    expect(result.forecast + result.committed + result.scheduled).toBe(
      active.reduce((s, a) => s + (a.status === 'active' ? a.weightedMinutes : 0), 0),
    );
  });
});

const eventArb: fc.Arbitrary<ResourceAllocationEvent> = fc.oneof(
  fc.integer({ min: 1, max: 1000 }).map(
    (m): ResourceAllocationEvent => ({
      type: 'resource_allocation.planned',
      payload: {
        allocationId: allocation(1),
        layer: 'forecast',
        subject: { kind: 'role', roleId: role(1) },
        source: { type: 'quote', id: quote(1) },
        periodStart: d('2026-03-02'),
        periodEnd: d('2026-03-06'),
        plannedMinutes: m,
        probabilityBp: 5000 as never,
        plannedAt: at(0),
      },
    }),
  ),
  fc.constant<ResourceAllocationEvent>({
    type: 'resource_allocation.superseded',
    payload: { allocationId: allocation(1), supersededBy: allocation(2), at: at(1) },
  }),
  fc.constant<ResourceAllocationEvent>({
    type: 'resource_allocation.released',
    payload: { allocationId: allocation(1), reason: 'completed', at: at(1) },
  }),
);

describe('resource allocation laws', () => {
  test('evolve never throws and replay is deterministic', () => {
    assertEvolveNeverThrows(resourceAllocationDecider, fc.array(eventArb, { maxLength: 10 }), {
      numRuns: 150,
    });
    assertReplayDeterministic(resourceAllocationDecider, fc.array(eventArb, { maxLength: 10 }), {
      numRuns: 150,
    });
  });
});
