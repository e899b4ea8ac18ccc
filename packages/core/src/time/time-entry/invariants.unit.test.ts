import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { LocalDate } from '../../calendar/index.js';
import { assertEvolveNeverThrows, assertReplayDeterministic } from '../../testing/index.js';
import { adjId, at, emp, entryId, project, task, ticket } from '../test-support.test.js';
import type { AdjustmentChange, TimeEntryCommand, TimeEntryFacts } from './commands.js';
import { timeEntryDecider } from './decider.js';
import type { TimeEntryEvent } from './events.js';
import { evolveTimeEntry, initialTimeEntryState, netMinutes, type TimeEntryState } from './state.js';
import type { TicketFact, WorkContextFacts } from './work-context.js';

const owner = emp(1);
const id = entryId(1);
const fold = (events: readonly TimeEntryEvent[]): TimeEntryState =>
  events.reduce(evolveTimeEntry, initialTimeEntryState());

const leafOf = (n: number, patch: Partial<TicketFact> = {}): TicketFact => ({
  ticketId: ticket(n),
  isRollup: false,
  closed: false,
  lifecycleOwner: 'project',
  projectId: project(1),
  ...patch,
});
const goodCtx: WorkContextFacts = {
  task: { taskId: task(1), ticketId: ticket(1), status: 'in_progress', projectId: project(1) },
  ticket: leafOf(1),
  project: { projectId: project(1), status: 'active' },
};

const created = (minutes: number): TimeEntryEvent => ({
  type: 'time_entry.created',
  payload: {
    timeEntryId: id,
    employeeId: owner,
    start: at(0),
    end: at(minutes),
    minutes,
    description: '',
    billable: true,
    workType: 'project',
    ticketId: null,
    taskId: task(1),
    bucketId: null,
    createdAt: at(minutes),
  },
});
const submitted = (minutes: number): TimeEntryEvent => ({
  type: 'time_entry.submitted',
  payload: {
    timeEntryId: id,
    employeeId: owner,
    minutes,
    ticketId: ticket(1),
    projectId: project(1),
    workDate: '2026-03-02' as LocalDate,
    attestedBy: owner,
    submittedAt: at(minutes + 1),
  },
});
const locked: TimeEntryEvent = {
  type: 'time_entry.locked',
  payload: {
    timeEntryId: id,
    ticketId: ticket(1),
    projectId: project(1),
    lockedBy: null,
    lockedAt: at(5000),
    commercial: {
      billable: true,
      billingContext: 'internal',
      ratePlanRef: null,
      hourlyRate: null,
      value: null,
      agreement: null,
    },
  },
};

const changeArb: fc.Arbitrary<AdjustmentChange> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .integer({ min: -300, max: 300 })
      .map((d) => ({ kind: 'duration_delta' as const, deltaMinutes: d })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reversal' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reclassify' as const), billable: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 3 }).map((n) => ({
      kind: 'reattribute' as const,
      ticketId: ticket(n),
      taskId: null,
      bucketId: null,
    })),
  },
);
const adjustmentArb = fc.record({
  n: fc.integer({ min: 1, max: 12 }),
  change: changeArb,
  reason: fc.constantFrom('fix', ' ', 'client request'),
  rollup: fc.boolean(),
  invoiced: fc.boolean(),
});

let acceptedAdjustments = 0;
let refusedAdjustments = 0;

describe('adjustments: net = original + Σ accepted deltas ≥ 0; a refused adjustment writes nothing', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 600 }),
      fc.boolean(),
      fc.array(adjustmentArb, { minLength: 1, maxLength: 25 }),
    ],
    { numRuns: 200 },
  )('for any sequence of adjustments on a submitted or locked entry', (minutes, isLocked, steps) => {
    const events: TimeEntryEvent[] = [created(minutes), submitted(minutes), ...(isLocked ? [locked] : [])];
    const original = fold(events);
    let deltas = 0;
    for (const s of steps) {
      const state = fold(events);
      const command: TimeEntryCommand = {
        type: 'adjust',
        adjustmentId: adjId(s.n),
        change: s.change,
        reason: s.reason,
        authorId: emp(9),
        at: at(9000),
      };
      const facts: TimeEntryFacts = {
        billing: { invoiceRef: s.invoiced ? 'INV-1' : null },
        workContext: {
          ticket:
            s.change.kind === 'reattribute'
              ? leafOf(Number(s.change.ticketId?.slice(-1)), { isRollup: s.rollup })
              : null,
          project: goodCtx.project ?? null,
        },
      };
      const r = timeEntryDecider.decide(command, state, facts);
      if (!r.ok) {
        refusedAdjustments += 1;
        expect(fold(events)).toEqual(state); // nothing was written
        continue;
      }
      acceptedAdjustments += 1;
      events.push(...r.value);
      for (const e of r.value) if (e.type === 'time_entry.adjusted') deltas += e.payload.deltaMinutes;
      const after = fold(events);
      if (after.status !== 'submitted' && after.status !== 'locked')
        throw new Error('attested entry expected');
      expect(netMinutes(after)).toBe(minutes + deltas);
      expect(netMinutes(after)).toBeGreaterThanOrEqual(0);
      // The original content is never touched: only the adjustment list grows.
      const { adjustments: _a, ...content } = after;
      const { adjustments: _b, ...originalContent } = original as typeof after;
      expect(content).toEqual(originalContent);
      expect(after.adjustments.length).toBe(
        r.value.filter((e) => e.type === 'time_entry.adjusted').length +
          (state as typeof after).adjustments.length,
      );
    }
  });

  test('non-vacuity: the generator both accepts and refuses adjustments', () => {
    expect(acceptedAdjustments).toBeGreaterThan(50);
    expect(refusedAdjustments).toBeGreaterThan(50);
  });
});

// Every non-adjusting command of the context, with facts that would let a draft pass.
const nonAdjustingArb: fc.Arbitrary<TimeEntryCommand> = fc.oneof(
  fc.constant<TimeEntryCommand>({
    type: 'create',
    timeEntryId: id,
    employeeId: owner,
    start: at(0),
    end: at(30),
    description: '',
    billable: true,
    workType: 'project',
    ticketId: null,
    taskId: task(1),
    bucketId: null,
    at: at(1),
  }),
  fc
    .record({
      actorId: fc.constantFrom(owner, emp(2)),
      billable: fc.boolean(),
      end: fc.integer({ min: 1, max: 500 }),
    })
    .map(
      ({ actorId, billable, end }): TimeEntryCommand => ({
        type: 'update',
        actorId,
        changes: { billable, end: at(end) },
        at: at(600),
      }),
    ),
  fc
    .record({ actorId: fc.constantFrom(owner, emp(2)), attest: fc.boolean() })
    .map(({ actorId, attest }): TimeEntryCommand => ({ type: 'submit', actorId, attest, at: at(600) })),
  fc
    .constantFrom(owner, emp(2))
    .map((actorId): TimeEntryCommand => ({ type: 'reopen', actorId, at: at(600) })),
);
const allFacts: TimeEntryFacts = {
  workContext: goodCtx,
  lockPeriod: { timeZone: 'UTC', closedThrough: null },
  commercial: { billingContext: 'internal', ratePlanRef: null, hourlyRate: null, agreement: null },
  billing: { invoiceRef: null },
};

let tried = 0;
describe('attested entries are immutable', () => {
  test.prop([fc.integer({ min: 1, max: 600 }), nonAdjustingArb], { numRuns: 300 })(
    'every create / edit / submit / reopen against a submitted entry, and those plus lock against a locked one, is refused',
    (minutes, command) => {
      for (const history of [
        [created(minutes), submitted(minutes)],
        [created(minutes), submitted(minutes), locked],
      ]) {
        tried += 1;
        expect(timeEntryDecider.decide(command, fold(history), allFacts).ok).toBe(false);
      }
      const lockedState = fold([created(minutes), submitted(minutes), locked]);
      expect(
        timeEntryDecider.decide({ type: 'lock', lockedBy: null, at: at(1) }, lockedState, allFacts).ok,
      ).toBe(false);
    },
  );

  test('the same commands are accepted on a draft (so the refusals above are not vacuous)', () => {
    expect(tried).toBeGreaterThan(0);
    const draft = fold([created(60)]);
    expect(
      timeEntryDecider.decide({ type: 'submit', actorId: owner, attest: true, at: at(100) }, draft, allFacts)
        .ok,
    ).toBe(true);
    expect(
      timeEntryDecider.decide(
        { type: 'update', actorId: owner, changes: { billable: false }, at: at(100) },
        draft,
        allFacts,
      ).ok,
    ).toBe(true);
  });
});

const commandArb: fc.Arbitrary<TimeEntryCommand> = fc.oneof(
  nonAdjustingArb,
  fc.constant<TimeEntryCommand>({ type: 'submit', actorId: owner, attest: true, at: at(650) }),
  fc.constant<TimeEntryCommand>({ type: 'lock', lockedBy: null, at: at(700) }),
  fc.record({ n: fc.integer({ min: 1, max: 5 }), change: changeArb }).map(
    ({ n, change }): TimeEntryCommand => ({
      type: 'adjust',
      adjustmentId: adjId(n),
      change,
      reason: 'r',
      authorId: emp(9),
      at: at(800),
    }),
  ),
);
const RANK = { absent: 0, draft: 1, submitted: 2, locked: 3 } as const;
const reached = { submitted: 0, locked: 0 };

describe('lifecycle under random command sequences', () => {
  test.prop([fc.array(commandArb, { minLength: 1, maxLength: 30 })], { numRuns: 200 })(
    'status only moves forward (draft → submitted → locked), state = replay(events), content frozen once submitted',
    (rest) => {
      // Most random sequences would never create the entry: start them with a create.
      const commands: TimeEntryCommand[] = [
        {
          type: 'create',
          timeEntryId: id,
          employeeId: owner,
          start: at(0),
          end: at(45),
          description: '',
          billable: true,
          workType: 'project',
          ticketId: null,
          taskId: task(1),
          bucketId: null,
          at: at(46),
        },
        ...rest,
      ];
      const events: TimeEntryEvent[] = [];
      let state = fold(events);
      let frozen: string | null = null;
      for (const c of commands) {
        const r = timeEntryDecider.decide(c, state, allFacts);
        if (!r.ok) continue;
        events.push(...r.value);
        const next = fold(events);
        expect(RANK[next.status]).toBeGreaterThanOrEqual(RANK[state.status]);
        if (next.status !== state.status && (next.status === 'submitted' || next.status === 'locked'))
          reached[next.status] += 1;
        if (next.status === 'submitted' || next.status === 'locked') {
          const { adjustments: _a, status: _s, ...content } = next;
          const {
            lockedAt: _l,
            lockedBy: _b,
            commercial: _c,
            ...rest
          } = content as typeof content & Record<string, unknown>;
          const text = JSON.stringify(rest);
          frozen ??= text;
          expect(text).toBe(frozen);
        }
        state = next;
      }
    },
  );

  test('non-vacuity: random sequences do reach submitted and locked', () => {
    expect(reached.submitted).toBeGreaterThan(20);
    expect(reached.locked).toBeGreaterThan(10);
  });
});

const eventArb: fc.Arbitrary<TimeEntryEvent> = fc.oneof(
  fc.integer({ min: 1, max: 300 }).map(created),
  fc.integer({ min: 1, max: 300 }).map(submitted),
  fc.constant(locked),
  fc.integer({ min: -50, max: 50 }).map(
    (d): TimeEntryEvent => ({
      type: 'time_entry.adjusted',
      payload: {
        adjustmentId: adjId(1),
        timeEntryId: id,
        adjustmentType: 'duration_delta',
        deltaMinutes: d,
        newBillable: null,
        newWorkType: null,
        newTicketId: null,
        newTaskId: null,
        newBucketId: null,
        reason: 'r',
        authorId: emp(9),
        at: at(1),
      },
    }),
  ),
  fc.constant<TimeEntryEvent>({
    type: 'time_entry.updated',
    payload: { timeEntryId: id, changes: { billable: false }, at: at(2) },
  }),
);

describe('time entry laws', () => {
  test('evolve never throws and replay is deterministic for any event sequence', () => {
    assertEvolveNeverThrows(timeEntryDecider, fc.array(eventArb, { maxLength: 20 }), { numRuns: 200 });
    assertReplayDeterministic(timeEntryDecider, fc.array(eventArb, { maxLength: 20 }), { numRuns: 200 });
  });
});
