// Scenario 3 end to end through the command handler and the in-memory unit of work: what a host's
// application layer does (load → decide → evolve → save), without a database.
import { describe, expect, test } from 'vitest';
import {
  type AggregateDefinition,
  type CommandRuntime,
  createCommandHandler,
  money,
  type StoredEvent,
  uuidV7Schema,
} from '../kernel/index.js';
import {
  createInMemoryEventStore,
  createInMemoryUnitOfWork,
  fixedClock,
  sequentialIds,
} from '../testing/index.js';
import { timeEventRegistry } from './events.js';
import { adjId, at, emp, entryId, project, task, ticket } from './test-support.test.js';
import {
  netMinutes,
  TIME_ENTRY_STREAM_TYPE,
  type TimeEntryFacts,
  type TimeEntryState,
  timeEntryCommandSchema,
  timeEntryDecider,
} from './time-entry/index.js';

const owner = emp(1);
const manager = emp(3);
const id = entryId(1);
const streamId = uuidV7Schema.parse(id); // the entry's id is its stream id
const definition: AggregateDefinition<TimeEntryState> = {
  streamType: TIME_ENTRY_STREAM_TYPE,
  initialState: timeEntryDecider.initialState,
  encode: (s) => JSON.parse(JSON.stringify(s)) as unknown,
  decode: (stored) => stored as TimeEntryState,
};
const facts: TimeEntryFacts = {
  workContext: {
    task: { taskId: task(1), ticketId: ticket(1), status: 'in_progress', projectId: project(1) },
    ticket: {
      ticketId: ticket(1),
      isRollup: false,
      closed: false,
      lifecycleOwner: 'project',
      projectId: project(1),
    },
    project: { projectId: project(1), status: 'active' },
  },
  lockPeriod: { timeZone: 'Europe/Berlin', closedThrough: '2026-02-28' },
  commercial: {
    billingContext: 'project',
    ratePlanRef: 'RP-STD',
    hourlyRate: money(150_00, 'EUR'),
    agreement: null,
  },
  billing: { invoiceRef: 'INV-2026-0042' },
};

function setup() {
  const store = createInMemoryEventStore();
  const runtime: CommandRuntime = {
    unitOfWork: createInMemoryUnitOfWork(store),
    registry: timeEventRegistry,
    clock: fixedClock('2026-04-10T08:00:00.000000Z', 1000),
    ids: sequentialIds(),
  };
  const handle = createCommandHandler(runtime, {
    definition,
    decider: timeEntryDecider,
    commandSchema: timeEntryCommandSchema,
  });
  const stream = async (): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  };
  return { handle, stream };
}
const as = (who: string) => ({ metadata: { actor: { type: 'employee' as const, id: who } } });

async function lockedAndInvoiced(handle: ReturnType<typeof setup>['handle']) {
  const steps = [
    {
      command: {
        type: 'create',
        timeEntryId: id,
        employeeId: owner,
        start: at(0),
        end: at(90),
        billable: true,
        workType: 'project',
        taskId: task(1),
        at: at(91),
      },
      who: owner,
    },
    { command: { type: 'submit', actorId: owner, attest: true, at: at(100) }, who: owner },
    { command: { type: 'lock', lockedBy: manager, at: at(5000) }, who: manager },
  ];
  for (const s of steps) {
    const r = await handle({ streamId, command: s.command as never, facts, ...as(s.who) });
    expect(r.ok).toBe(true);
  }
}

describe('scenario 3: a submitted, locked, invoiced entry is corrected only by an adjustment', () => {
  test('edit blocked and nothing written; adjustment −60: entry unchanged, net 30, reconciliation event', async () => {
    const { handle, stream } = setup();
    await lockedAndInvoiced(handle);
    const before = await stream();

    const edit = await handle({
      streamId,
      command: { type: 'update', actorId: owner, changes: { end: at(30) }, at: at(6000) },
      facts,
      ...as(owner),
    });
    expect(edit.ok ? null : edit.error.code).toBe('TIME_ENTRY_NOT_DRAFT');
    expect(await stream()).toHaveLength(before.length);

    const adjust = await handle({
      streamId,
      command: {
        type: 'adjust',
        adjustmentId: adjId(1),
        change: { kind: 'duration_delta', deltaMinutes: -60 },
        reason: 'client disputed an hour',
        authorId: manager,
        at: at(6001),
      },
      facts,
      ...as(manager),
    });
    if (!adjust.ok) throw new Error(adjust.error.code);
    expect(adjust.value.events.map((e) => e.type)).toEqual([
      'time_entry.adjusted',
      'time_entry.reconciliation_required',
    ]);
    const state = adjust.value.state;
    if (state.status !== 'locked') throw new Error('locked expected');
    expect([state.start, state.end, state.minutes, state.billable]).toEqual([at(0), at(90), 90, true]);
    expect(netMinutes(state)).toBe(30);
    expect(state.commercial.value).toEqual(money(225_00, 'EUR')); // the snapshot at lock stays as it was
    // The events before the adjustment are the same stored events (append-only).
    expect((await stream()).slice(0, before.length)).toEqual(before);
  });

  test('concurrent adjustments cannot take the net below 0: the stream version serialises them', async () => {
    const { handle } = setup();
    await lockedAndInvoiced(handle);
    const cut = (n: number) =>
      handle({
        streamId,
        command: {
          type: 'adjust',
          adjustmentId: adjId(n),
          change: { kind: 'duration_delta', deltaMinutes: -50 },
          reason: 'overlap',
          authorId: manager,
          at: at(7000),
        },
        facts: { ...facts, billing: { invoiceRef: null } },
        ...as(manager),
      });
    const results = await Promise.all([cut(1), cut(2)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.flatMap((r) => (r.ok ? [] : [r.error.code]))).toEqual(['TIME_ENTRY_NET_NEGATIVE']);
  });

  test('a bad command is a typed validation error naming the field, and writes nothing', async () => {
    const { handle, stream } = setup();
    await expect(
      handle({
        streamId,
        command: {
          type: 'create',
          timeEntryId: id,
          employeeId: owner,
          start: 'yesterday',
          end: at(1),
          at: at(2),
        } as never,
        facts,
        ...as(owner),
      }),
    ).rejects.toThrow(/start/);
    expect(await stream()).toHaveLength(0);
  });
});
