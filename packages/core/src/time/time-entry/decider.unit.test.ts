import { describe, expect, test } from 'vitest';
import type { LocalDate } from '../../calendar/index.js';
import { money } from '../../kernel/index.js';
import { DeciderSpecification } from '../../testing/index.js';
import { adjId, at, bucket, emp, entryId, project, task, ticket, tracked } from '../test-support.test.js';
import { type CreateTimeEntry, type TimeEntryFacts, timeEntryCommandSchema } from './commands.js';
import type { CommercialTerms } from './commercial.js';
import { timeEntryDecider } from './decider.js';
import type { TimeEntryEvent } from './events.js';
import { TIME_ENTRY_REJECTION_CODES } from './rejections.js';
import { effectiveAttribution, evolveTimeEntry, initialTimeEntryState, netMinutes } from './state.js';
import type { ProjectFact, TaskFact, TicketFact, WorkContextFacts } from './work-context.js';

const { decider, seen } = tracked(timeEntryDecider);
const spec = DeciderSpecification.for(decider);

const owner = emp(1);
const other = emp(2);
const manager = emp(3);
const id = entryId(1);

const create: CreateTimeEntry = {
  type: 'create',
  timeEntryId: id,
  employeeId: owner,
  start: at(0),
  end: at(90),
  description: 'workshop',
  billable: true,
  workType: 'project',
  ticketId: null,
  taskId: task(1),
  bucketId: null,
  at: at(95),
};
const created: TimeEntryEvent = {
  type: 'time_entry.created',
  payload: {
    timeEntryId: id,
    employeeId: owner,
    start: at(0),
    end: at(90),
    minutes: 90,
    description: 'workshop',
    billable: true,
    workType: 'project',
    ticketId: null,
    taskId: task(1),
    bucketId: null,
    createdAt: at(95),
  },
};

const leaf: TicketFact = {
  ticketId: ticket(1),
  isRollup: false,
  closed: false,
  lifecycleOwner: 'project',
  projectId: project(1),
};
const openTask: TaskFact = {
  taskId: task(1),
  ticketId: ticket(1),
  status: 'in_progress',
  projectId: project(1),
};
const activeProject: ProjectFact = { projectId: project(1), status: 'active' };
const ctx: WorkContextFacts = { task: openTask, ticket: leaf, project: activeProject };
const openPeriod = { timeZone: 'UTC', closedThrough: null };
const submitFacts: TimeEntryFacts = { workContext: ctx, lockPeriod: openPeriod };
const submit = { type: 'submit', actorId: owner, attest: true, at: at(100) } as const;

const submitted: TimeEntryEvent = {
  type: 'time_entry.submitted',
  payload: {
    timeEntryId: id,
    employeeId: owner,
    minutes: 90,
    ticketId: ticket(1),
    projectId: project(1),
    workDate: '2026-03-02' as LocalDate,
    attestedBy: owner,
    submittedAt: at(100),
  },
};
const terms: CommercialTerms = {
  billingContext: 'agreement',
  ratePlanRef: 'RP-STD',
  hourlyRate: money(120_00, 'EUR'),
  agreement: { agreementRef: 'AG-7', remainingMinutes: 60 },
};
const lock = { type: 'lock', lockedBy: manager, at: at(2000) } as const;
const locked: TimeEntryEvent = {
  type: 'time_entry.locked',
  payload: {
    timeEntryId: id,
    ticketId: ticket(1),
    projectId: project(1),
    lockedBy: manager,
    lockedAt: at(2000),
    commercial: {
      billable: true,
      billingContext: 'agreement',
      ratePlanRef: 'RP-STD',
      hourlyRate: money(120_00, 'EUR'),
      value: money(180_00, 'EUR'),
      agreement: {
        agreementRef: 'AG-7',
        remainingBeforeMinutes: 60,
        drawdownMinutes: 60,
        overageMinutes: 30,
      },
    },
  },
};
const notInvoiced = { billing: { invoiceRef: null } };
const adjust = (n: number, change: Parameters<typeof adjustCommand>[1], reason = 'fix') =>
  adjustCommand(n, change, reason);
function adjustCommand(
  n: number,
  change:
    | { kind: 'duration_delta'; deltaMinutes: number }
    | { kind: 'reversal' }
    | { kind: 'reclassify'; billable?: boolean; workType?: 'project' | 'support' | 'admin' }
    | {
        kind: 'reattribute';
        ticketId: ReturnType<typeof ticket> | null;
        taskId: ReturnType<typeof task> | null;
        bucketId: ReturnType<typeof bucket> | null;
      },
  reason: string,
) {
  return {
    type: 'adjust',
    adjustmentId: adjId(n),
    change,
    reason,
    authorId: manager,
    at: at(3000 + n),
  } as const;
}
const adjusted = (
  n: number,
  deltaMinutes: number,
  extra: Partial<Record<string, unknown>> = {},
): TimeEntryEvent => ({
  type: 'time_entry.adjusted',
  payload: {
    adjustmentId: adjId(n),
    timeEntryId: id,
    adjustmentType: 'duration_delta',
    deltaMinutes,
    newBillable: null,
    newWorkType: null,
    newTicketId: null,
    newTaskId: null,
    newBucketId: null,
    reason: 'fix',
    authorId: manager,
    at: at(3000 + n),
    ...extra,
  } as never,
});

describe('time entry: create and edit a draft', () => {
  test('given nothing, when created, then time_entry.created with ⌈(end − start)/60 s⌉ minutes', () => {
    spec.given([]).when(create).then([created]);
    spec
      .given([])
      .when({ ...create, end: '2026-03-02T10:30:00.000001Z' as never })
      .then([
        {
          type: 'time_entry.created',
          payload: { ...created.payload, end: '2026-03-02T10:30:00.000001Z', minutes: 91 } as never,
        },
      ]);
  });

  test('when end is not after start, then TIME_ENTRY_INVALID_INTERVAL (create and edit)', () => {
    spec
      .given([])
      .when({ ...create, end: at(0) })
      .thenRejects('TIME_ENTRY_INVALID_INTERVAL', { minutes: 0 });
    spec
      .given([])
      .when({ ...create, end: at(-5) })
      .thenRejects('TIME_ENTRY_INVALID_INTERVAL', { minutes: -5 });
    spec
      .given([created])
      .when({ type: 'update', actorId: owner, changes: { start: at(90) }, at: at(99) })
      .thenRejects('TIME_ENTRY_INVALID_INTERVAL');
  });

  test('given an entry, when created again, then TIME_ENTRY_ALREADY_EXISTS; anything else before create is TIME_ENTRY_NOT_FOUND', () => {
    spec.given([created]).when(create).thenRejects('TIME_ENTRY_ALREADY_EXISTS', { status: 'draft' });
    spec.given([]).when(submit, submitFacts).thenRejects('TIME_ENTRY_NOT_FOUND');
  });

  test('the owner edits a draft: only changed fields, minutes follow the interval', () => {
    spec
      .given([created])
      .when({
        type: 'update',
        actorId: owner,
        changes: { end: at(120), description: 'workshop', billable: false },
        at: at(99),
      })
      .then([
        {
          type: 'time_entry.updated',
          payload: { timeEntryId: id, changes: { end: at(120), billable: false, minutes: 120 }, at: at(99) },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'update', actorId: owner, changes: { description: 'workshop' }, at: at(99) })
      .then([]);
  });

  test('somebody else edits or submits the draft: TIME_ENTRY_NOT_OWNER', () => {
    spec
      .given([created])
      .when({ type: 'update', actorId: other, changes: { billable: false }, at: at(99) })
      .thenRejects('TIME_ENTRY_NOT_OWNER', { ownerId: owner, actorId: other });
    spec
      .given([created])
      .when({ ...submit, actorId: manager }, submitFacts)
      .thenRejects('TIME_ENTRY_NOT_OWNER');
  });
});

describe('time entry: submit (explicit attestation + the check chain)', () => {
  test('scenario 15: the entry names a task with a ticket; submit resolves the ticket and passes', () => {
    spec.given([created]).when(submit, submitFacts).then([submitted]);
    spec
      .given([created])
      .when(submit, submitFacts)
      .thenState({
        ...created.payload,
        status: 'submitted',
        ticketId: ticket(1),
        projectId: project(1),
        workDate: '2026-03-02' as LocalDate,
        attestedBy: owner,
        submittedAt: at(100),
        adjustments: [],
      } as never);
  });

  test('submission is never implicit: attest false → TIME_ENTRY_ATTESTATION_REQUIRED', () => {
    spec
      .given([created])
      .when({ ...submit, attest: false }, submitFacts)
      .thenRejects('TIME_ENTRY_ATTESTATION_REQUIRED');
  });

  test('scenario 14: a draft without ticket or task cannot be submitted', () => {
    const bare: TimeEntryEvent = {
      type: 'time_entry.created',
      payload: { ...created.payload, taskId: null } as never,
    };
    spec
      .given([bare])
      .when(submit, { workContext: {}, lockPeriod: openPeriod })
      .thenRejects('TIME_ENTRY_TICKET_UNRESOLVED', { reason: 'no_ticket_or_task' });
  });

  test('scenario 16/17: a roll-up ticket is refused, a leaf ticket passes', () => {
    const direct: TimeEntryEvent = {
      type: 'time_entry.created',
      payload: { ...created.payload, taskId: null, ticketId: ticket(1) } as never,
    };
    spec
      .given([direct])
      .when(submit, {
        workContext: { ticket: { ...leaf, isRollup: true }, project: activeProject },
        lockPeriod: openPeriod,
      })
      .thenRejects('TIME_ENTRY_TICKET_ROLLUP', {
        ticketId: ticket(1),
        failures: ['TIME_ENTRY_TICKET_ROLLUP'],
      });
    spec
      .given([direct])
      .when(submit, { workContext: { ticket: leaf, project: activeProject }, lockPeriod: openPeriod })
      .then([submitted]);
  });

  test('scenario 30: after an upgrade without backfill, the task’s ticket resolves the entry', () => {
    // The entry (old schema) names only its task; the task carries the bridge.
    spec.given([created]).when(submit, submitFacts).then([submitted]);
  });

  test('scenario 31: backfill not run — a task without a ticket, or no link at all, cannot be submitted', () => {
    spec
      .given([created])
      .when(submit, {
        workContext: { ...ctx, task: { ...openTask, ticketId: null } },
        lockPeriod: openPeriod,
      })
      .thenRejects('TIME_ENTRY_TICKET_UNRESOLVED', { reason: 'task_has_no_ticket' });
    spec
      .given([created])
      .when(submit, { workContext: { ...ctx, task: null }, lockPeriod: openPeriod })
      .thenRejects('TIME_ENTRY_TICKET_UNRESOLVED', { reason: 'task_not_found' });
  });

  test('a named ticket that differs from the task’s ticket, or that does not exist, does not resolve', () => {
    const both: TimeEntryEvent = {
      type: 'time_entry.created',
      payload: { ...created.payload, ticketId: ticket(2) } as never,
    };
    spec.given([both]).when(submit, submitFacts).thenRejects('TIME_ENTRY_TICKET_UNRESOLVED', {
      reason: 'ticket_differs_from_task_ticket',
    });
    spec
      .given([created])
      .when(submit, { workContext: { ...ctx, ticket: null }, lockPeriod: openPeriod })
      .thenRejects('TIME_ENTRY_TICKET_UNRESOLVED', { reason: 'ticket_not_found' });
  });

  test('closed ticket, closed task, completed project: refused, every failure listed', () => {
    spec
      .given([created])
      .when(submit, { workContext: { ...ctx, ticket: { ...leaf, closed: true } }, lockPeriod: openPeriod })
      .thenRejects('TIME_ENTRY_TICKET_CLOSED');
    for (const status of ['completed', 'archived', 'cancelled'] as const)
      spec
        .given([created])
        .when(submit, { workContext: { ...ctx, task: { ...openTask, status } }, lockPeriod: openPeriod })
        .thenRejects('TIME_ENTRY_TASK_CLOSED', { status });
    spec
      .given([created])
      .when(submit, {
        workContext: { ...ctx, project: { ...activeProject, status: 'completed' } },
        lockPeriod: openPeriod,
      })
      .thenRejects('TIME_ENTRY_PROJECT_COMPLETED', { status: 'completed' });
    spec
      .given([created])
      .when(submit, {
        workContext: {
          ...ctx,
          ticket: { ...leaf, isRollup: true, closed: true },
          project: { ...activeProject, status: 'completed' },
        },
        lockPeriod: openPeriod,
      })
      .thenRejects('TIME_ENTRY_TICKET_ROLLUP', {
        failures: ['TIME_ENTRY_TICKET_ROLLUP', 'TIME_ENTRY_TICKET_CLOSED', 'TIME_ENTRY_PROJECT_COMPLETED'],
      });
  });

  test('classification, support and admin rules', () => {
    const unclassified: TimeEntryEvent = {
      type: 'time_entry.created',
      payload: { ...created.payload, billable: null } as never,
    };
    spec
      .given([unclassified])
      .when(submit, submitFacts)
      .thenRejects('TIME_ENTRY_CLASSIFICATION_MISSING', { billable: null });
    const supportViaTask: TimeEntryEvent = {
      type: 'time_entry.created',
      payload: { ...created.payload, workType: 'support' } as never,
    };
    spec.given([supportViaTask]).when(submit, submitFacts).thenRejects('TIME_ENTRY_SUPPORT_NEEDS_TICKET');
    const adminNoBucket: TimeEntryEvent = {
      type: 'time_entry.created',
      payload: { ...created.payload, workType: 'admin' } as never,
    };
    spec.given([adminNoBucket]).when(submit, submitFacts).thenRejects('TIME_ENTRY_BUCKET_REQUIRED');
    const admin: TimeEntryEvent = {
      type: 'time_entry.created',
      payload: { ...created.payload, workType: 'admin', bucketId: bucket(1) } as never,
    };
    spec.given([admin]).when(submit, submitFacts).then([submitted]);
  });

  test('facts not loaded: TIME_ENTRY_FACTS_MISSING naming the fact (a project that cannot be read fails closed)', () => {
    spec.given([created]).when(submit).thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'workContext' });
    spec
      .given([created])
      .when(submit, { workContext: {}, lockPeriod: openPeriod })
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'task' });
    spec
      .given([created])
      .when(submit, { workContext: { task: openTask }, lockPeriod: openPeriod })
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'ticket' });
    spec
      .given([created])
      .when(submit, { workContext: { task: openTask, ticket: leaf }, lockPeriod: openPeriod })
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'project' });
    spec
      .given([created])
      .when(submit, { workContext: { ...ctx, project: null }, lockPeriod: openPeriod })
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'project' });
    spec
      .given([created])
      .when(submit, { workContext: ctx })
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'lockPeriod' });
  });

  test('lock periods fail closed: an unreadable configuration refuses; a closed period refuses', () => {
    for (const bad of [
      null,
      {},
      { timeZone: 'Mars/Olympus', closedThrough: null },
      { timeZone: 'UTC', closedThrough: '2026-02-30' },
    ])
      spec
        .given([created])
        .when(submit, { workContext: ctx, lockPeriod: bad })
        .thenRejects('TIME_ENTRY_PERIOD_CONFIG_INVALID');
    spec
      .given([created])
      .when(submit, { workContext: ctx, lockPeriod: { timeZone: 'UTC', closedThrough: '2026-03-02' } })
      .thenRejects('TIME_ENTRY_PERIOD_CLOSED', { workDate: '2026-03-02', closedThrough: '2026-03-02' });
  });

  test('a submitted or locked entry is never edited, re-submitted or sent back to draft', () => {
    for (const history of [
      [created, submitted],
      [created, submitted, locked],
    ]) {
      const status = history.length === 2 ? 'submitted' : 'locked';
      spec
        .given(history)
        .when({ type: 'update', actorId: owner, changes: { billable: false }, at: at(500) })
        .thenRejects('TIME_ENTRY_NOT_DRAFT', { status });
      spec.given(history).when(submit, submitFacts).thenRejects('TIME_ENTRY_NOT_DRAFT');
      spec
        .given(history)
        .when({ type: 'reopen', actorId: owner, at: at(500) })
        .thenRejects('TIME_ENTRY_REOPEN_FORBIDDEN', { status });
    }
    spec
      .given([created])
      .when({ type: 'reopen', actorId: owner, at: at(500) })
      .then([]);
  });
});

describe('time entry: lock (checks again + commercial snapshot)', () => {
  test('given a submitted entry, when locked, then the snapshot values it and draws the agreement down (scenario 26)', () => {
    spec.given([created, submitted]).when(lock, { workContext: ctx, commercial: terms }).then([locked]);
  });

  test('the snapshot uses the net minutes and the effective classification at lock', () => {
    const reclassified = adjusted(2, 0, { adjustmentType: 'reclassify', newBillable: false });
    spec
      .given([created, submitted, adjusted(1, -30), reclassified])
      .when(lock, { workContext: ctx, commercial: terms })
      .then([
        {
          ...locked,
          payload: {
            ...locked.payload,
            commercial: {
              ...(locked.payload as { commercial: object }).commercial,
              billable: false,
              value: null,
              agreement: {
                agreementRef: 'AG-7',
                remainingBeforeMinutes: 60,
                drawdownMinutes: 0,
                overageMinutes: 0,
              },
            },
          } as never,
        },
      ]);
  });

  test('lock re-runs the checks: a task completed meanwhile blocks the lock', () => {
    spec
      .given([created, submitted])
      .when(lock, { workContext: { ...ctx, task: { ...openTask, status: 'completed' } }, commercial: terms })
      .thenRejects('TIME_ENTRY_TASK_CLOSED');
  });

  test('lock needs a submitted entry and its facts', () => {
    spec
      .given([created])
      .when(lock, { workContext: ctx, commercial: terms })
      .thenRejects('TIME_ENTRY_NOT_SUBMITTED', { status: 'draft' });
    spec
      .given([created, submitted, locked])
      .when(lock, { workContext: ctx, commercial: terms })
      .thenRejects('TIME_ENTRY_NOT_SUBMITTED', { status: 'locked' });
    spec
      .given([created, submitted])
      .when(lock, { workContext: ctx })
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'commercial' });
    spec
      .given([created, submitted])
      .when(lock, { commercial: terms })
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'workContext' });
  });
});

describe('time entry: adjustments only', () => {
  test('scenario 3: a locked, invoiced entry; edit blocked; adjustment −60 → net −60, original unchanged, reconciliation', () => {
    const history = [created, submitted, locked];
    spec
      .given(history)
      .when({ type: 'update', actorId: owner, changes: { end: at(30) }, at: at(4000) })
      .thenRejects('TIME_ENTRY_NOT_DRAFT');
    const cmd = adjust(1, { kind: 'duration_delta', deltaMinutes: -60 }, ' client asked for a correction ');
    const events: TimeEntryEvent[] = [
      adjusted(1, -60, { reason: 'client asked for a correction' }),
      {
        type: 'time_entry.reconciliation_required',
        payload: {
          timeEntryId: id,
          adjustmentId: adjId(1),
          invoiceRef: 'INV-42',
          deltaMinutes: -60,
          billableBefore: true,
          billableAfter: true,
          at: at(3001),
        },
      },
    ];
    spec
      .given(history)
      .when(cmd, { billing: { invoiceRef: 'INV-42' } })
      .then(events);
    const before = history.reduce(evolveTimeEntry, initialTimeEntryState());
    const after = events.reduce(evolveTimeEntry, before);
    if (after.status !== 'locked' || before.status !== 'locked') throw new Error('expected locked');
    const { adjustments: _a, ...contentAfter } = after;
    const { adjustments: _b, ...contentBefore } = before;
    expect(contentAfter).toEqual(contentBefore);
    expect(after.minutes).toBe(90);
    expect(netMinutes(after)).toBe(30);
  });

  test('the net never drops below 0: TIME_ENTRY_NET_NEGATIVE with the numbers', () => {
    spec
      .given([created, submitted, adjusted(1, -60)])
      .when(adjust(2, { kind: 'duration_delta', deltaMinutes: -31 }), notInvoiced)
      .thenRejects('TIME_ENTRY_NET_NEGATIVE', {
        originalMinutes: 90,
        netMinutes: 30,
        deltaMinutes: -31,
        netAfter: -1,
      });
    spec
      .given([created, submitted, adjusted(1, -60)])
      .when(adjust(2, { kind: 'duration_delta', deltaMinutes: -30 }), notInvoiced)
      .then([adjusted(2, -30)]);
  });

  test('a reversal brings the net to 0; reversing again changes nothing', () => {
    spec
      .given([created, submitted, adjusted(1, 15)])
      .when(adjust(2, { kind: 'reversal' }), notInvoiced)
      .then([adjusted(2, -105, { adjustmentType: 'reversal' })]);
    spec
      .given([created, submitted, adjusted(2, -90, { adjustmentType: 'reversal' })])
      .when(adjust(3, { kind: 'reversal' }), notInvoiced)
      .thenRejects('TIME_ENTRY_ADJUSTMENT_NO_CHANGE', { netMinutes: 0 });
  });

  test('reclassify records only what changes; the same classification changes nothing', () => {
    spec
      .given([created, submitted])
      .when(adjust(1, { kind: 'reclassify', billable: false, workType: 'project' }), notInvoiced)
      .then([adjusted(1, 0, { adjustmentType: 'reclassify', newBillable: false })]);
    spec
      .given([created, submitted])
      .when(adjust(1, { kind: 'reclassify', billable: true }), notInvoiced)
      .thenRejects('TIME_ENTRY_ADJUSTMENT_NO_CHANGE');
    spec
      .given([created, submitted])
      .when(adjust(1, { kind: 'duration_delta', deltaMinutes: 0 }), notInvoiced)
      .thenRejects('TIME_ENTRY_ADJUSTMENT_NO_CHANGE');
    // Reclassifying to admin time needs a bucket, as submission does (re-attribute to one first).
    spec
      .given([created, submitted])
      .when(adjust(1, { kind: 'reclassify', workType: 'admin' }), notInvoiced)
      .thenRejects('TIME_ENTRY_BUCKET_REQUIRED', { workType: 'admin' });
  });

  test('a billable change on an invoiced entry asks billing to reconcile', () => {
    spec
      .given([created, submitted, locked])
      .when(adjust(1, { kind: 'reclassify', billable: false }), { billing: { invoiceRef: 'INV-1' } })
      .then([
        adjusted(1, 0, { adjustmentType: 'reclassify', newBillable: false }),
        {
          type: 'time_entry.reconciliation_required',
          payload: {
            timeEntryId: id,
            adjustmentId: adjId(1),
            invoiceRef: 'INV-1',
            deltaMinutes: 0,
            billableBefore: true,
            billableAfter: false,
            at: at(3001),
          },
        },
      ]);
  });

  test('a re-attribution target passes the submit checks; the new ticket is recorded, the original kept', () => {
    const leaf2: TicketFact = { ...leaf, ticketId: ticket(2) };
    const move = adjust(1, { kind: 'reattribute', ticketId: ticket(2), taskId: null, bucketId: null });
    spec
      .given([created, submitted])
      .when(move, { ...notInvoiced, workContext: { ticket: leaf2, project: activeProject } })
      .then([adjusted(1, 0, { adjustmentType: 'reattribute', newTicketId: ticket(2) })]);
    spec
      .given([created, submitted])
      .when(move, {
        ...notInvoiced,
        workContext: { ticket: { ...leaf2, isRollup: true }, project: activeProject },
      })
      .thenRejects('TIME_ENTRY_TICKET_ROLLUP');
    spec
      .given([created, submitted])
      .when(adjust(1, { kind: 'reattribute', ticketId: null, taskId: task(1), bucketId: null }), {
        ...notInvoiced,
        workContext: ctx,
      })
      .thenRejects('TIME_ENTRY_ADJUSTMENT_NO_CHANGE');
    spec
      .given([created, submitted])
      .when(move, notInvoiced)
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'workContext' });
    const state = [
      created,
      submitted,
      adjusted(1, 0, { adjustmentType: 'reattribute', newTicketId: ticket(2) }),
    ].reduce(evolveTimeEntry, initialTimeEntryState());
    if (state.status !== 'submitted') throw new Error('expected submitted');
    expect(state.ticketId).toBe(ticket(1));
    expect(effectiveAttribution(state)).toMatchObject({ ticketId: ticket(2), taskId: null });
  });

  test('adjustments need an attested target, a fresh id, a reason and the billing fact', () => {
    spec
      .given([created])
      .when(adjust(1, { kind: 'reversal' }), notInvoiced)
      .thenRejects('TIME_ENTRY_NOT_ADJUSTABLE', { status: 'draft' });
    spec
      .given([created, submitted, adjusted(1, -10)])
      .when(adjust(1, { kind: 'duration_delta', deltaMinutes: 5 }), notInvoiced)
      .thenRejects('TIME_ENTRY_ADJUSTMENT_EXISTS');
    spec
      .given([created, submitted])
      .when(adjust(1, { kind: 'duration_delta', deltaMinutes: 5 }, '  '), notInvoiced)
      .thenRejects('TIME_ENTRY_REASON_REQUIRED');
    spec
      .given([created, submitted])
      .when(adjust(1, { kind: 'duration_delta', deltaMinutes: 5 }))
      .thenRejects('TIME_ENTRY_FACTS_MISSING', { fact: 'billing' });
  });
});

describe('time entry command schema', () => {
  test('defaults the optional attribution to null and names bad fields', () => {
    expect(
      timeEntryCommandSchema.parse({
        type: 'create',
        timeEntryId: id,
        employeeId: owner,
        start: at(0),
        end: at(30),
        at: at(31),
      }),
    ).toEqual({
      type: 'create',
      timeEntryId: id,
      employeeId: owner,
      start: at(0),
      end: at(30),
      description: '',
      billable: null,
      workType: null,
      ticketId: null,
      taskId: null,
      bucketId: null,
      at: at(31),
    });
    const r = timeEntryCommandSchema.safeParse({
      type: 'adjust',
      adjustmentId: 'x',
      change: { kind: 'duration_delta', deltaMinutes: 0 },
      reason: ' ',
      authorId: manager,
      at: at(1),
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'adjustmentId',
      'change.deltaMinutes',
      'reason',
    ]);
  });
});

test('every time-entry rejection code is exercised above', () => {
  expect([...seen].sort()).toEqual([...TIME_ENTRY_REJECTION_CODES].sort());
});
