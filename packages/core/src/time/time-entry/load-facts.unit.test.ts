// The work-context loader reads tickets, tasks and projects through the unit-of-work port (here the
// in-memory one): what the seam's bindings wire once those contexts declare their state tables.
import { describe, expect, test } from 'vitest';
import type { AggregateDefinition, EventDraft, UnitOfWorkScope, Uuid } from '../../kernel/index.js';
import { createInMemoryEventStore, createInMemoryUnitOfWork } from '../../testing/index.js';
import { at, bucket, emp, entryId, project, task, ticket } from '../test-support.test.js';
import type { TaskLike, TicketLike } from './facts-from.js';
import { projectFactOf, taskFactOf, ticketFactOf } from './facts-from.js';
import { factSource, loadWorkContext, timeEntryFactsLoader, type WorkContextSources } from './load-facts.js';
import type { TimeEntryState } from './state.js';
import { checkWorkContext, type ProjectFact, type WorkAttribution } from './work-context.js';

type Stored<T> = { readonly value: T | null };
const definitionOf = <T>(streamType: string): AggregateDefinition<Stored<T>> => ({
  streamType,
  initialState: () => ({ value: null }),
  encode: (s) => s,
  decode: (row) => row as Stored<T>,
});
const tickets = definitionOf<TicketLike>('ticket');
const tasks = definitionOf<TaskLike>('task');
const projects = definitionOf<ProjectFact>('project');
const present = <T>(s: Stored<T>): T | null => s.value;

const ticketSource = factSource(tickets, (s) => {
  const t = present(s);
  return t === null ? null : ticketFactOf(t);
});
const sources: WorkContextSources = {
  ticket: ticketSource,
  task: factSource(tasks, (s) => {
    const t = present(s);
    return t === null ? null : taskFactOf(t);
  }),
  project: factSource(projects, (s) => {
    const p = present(s);
    return p === null ? null : projectFactOf(p);
  }),
};

let n = 0;
const seeded = (streamType: string): EventDraft => ({
  eventId: `019b76da-a800-7000-9000-${(++n).toString(16).padStart(12, '0')}` as Uuid,
  type: 'test.seeded',
  schemaVersion: 1,
  streamType,
  occurredAt: at(0),
  actor: { type: 'system', id: null },
  context: {},
  correlationId: null,
  causationId: null,
  payload: {},
});

async function world() {
  const uow = createInMemoryUnitOfWork(createInMemoryEventStore());
  await uow.run(async (scope) => {
    const put = async <T>(d: AggregateDefinition<Stored<T>>, id: string, state: NoInfer<T>) =>
      scope.aggregate(d).save(id as Uuid, 0, { value: state }, [seeded(d.streamType)]);
    await put(tasks, task(1), {
      taskId: task(1),
      status: 'in_progress',
      projectId: project(1),
      ticketId: ticket(1),
    });
    await put(tickets, ticket(1), {
      ticketId: ticket(1),
      owner: 'project',
      status: 'in_progress',
      isRollup: false,
      projectId: project(1),
    });
    await put(projects, project(1), { projectId: project(1), status: 'active' });
    await put(tickets, ticket(2), {
      ticketId: ticket(2),
      owner: 'support',
      status: 'closed',
      isRollup: false,
      projectId: null,
    });
  });
  return <T>(work: (scope: UnitOfWorkScope) => Promise<T>) => uow.run(work);
}

const attribution = (a: Partial<WorkAttribution>): WorkAttribution => ({
  billable: true,
  workType: 'project',
  ticketId: null,
  taskId: null,
  bucketId: null,
  ...a,
});

describe('loadWorkContext', () => {
  test('given a task bridged to a project ticket, when loaded, then task, ticket and project come through the unit of work and the checks pass', async () => {
    const run = await world();
    const facts = await run((s) => loadWorkContext(s, attribution({ taskId: task(1) }), sources));
    expect(facts).toEqual({
      task: { taskId: task(1), ticketId: ticket(1), status: 'in_progress', projectId: project(1) },
      ticket: {
        ticketId: ticket(1),
        isRollup: false,
        closed: false,
        lifecycleOwner: 'project',
        projectId: project(1),
      },
      project: { projectId: project(1), status: 'active' },
    });
    expect(checkWorkContext(attribution({ taskId: task(1) }), facts)).toEqual({
      ok: true,
      value: { ticketId: ticket(1), projectId: project(1) },
    });
  });

  test('given a closed support ticket or an unknown task, then the facts say so and the checks refuse', async () => {
    const run = await world();
    const closed = await run((s) =>
      loadWorkContext(s, attribution({ workType: 'support', ticketId: ticket(2) }), sources),
    );
    expect(closed).toEqual({ ticket: expect.objectContaining({ closed: true }) });
    const unknown = await run((s) => loadWorkContext(s, attribution({ taskId: task(9) }), sources));
    expect(unknown).toEqual({ task: null });
    const r = checkWorkContext(attribution({ taskId: task(9) }), unknown);
    expect(r.ok ? null : r.error[0]?.code).toBe('TIME_ENTRY_TICKET_UNRESOLVED');
  });

  test('given sources that are not wired, then the facts are left out and the checks fail closed (FACTS_MISSING)', async () => {
    const run = await world();
    const noTask = await run((s) => loadWorkContext(s, attribution({ taskId: task(1) }), {}));
    expect(noTask).toEqual({});
    const noProject = await run((s) =>
      loadWorkContext(s, attribution({ ticketId: ticket(1) }), { ticket: ticketSource }),
    );
    expect(Object.keys(noProject)).toEqual(['ticket']);
    const r = checkWorkContext(attribution({ ticketId: ticket(1) }), noProject);
    expect(r.ok ? null : r.error.map((f) => f.code)).toEqual(['TIME_ENTRY_FACTS_MISSING']);
  });
});

describe('timeEntryFactsLoader', () => {
  const draft: TimeEntryState = {
    status: 'draft',
    timeEntryId: entryId(1),
    employeeId: emp(1),
    start: at(0),
    end: at(60),
    minutes: 60,
    description: '',
    billable: true,
    workType: 'admin',
    ticketId: ticket(1),
    taskId: null,
    bucketId: bucket(1),
    createdAt: at(61),
  };

  test('given a draft, then its own attribution is loaded and the given facts are added', async () => {
    const run = await world();
    const facts = await run((s) =>
      timeEntryFactsLoader(sources, { lockPeriod: { x: 1 } })(s, { state: draft, version: 1 }),
    );
    expect(facts).toMatchObject({ lockPeriod: { x: 1 }, workContext: { ticket: { ticketId: ticket(1) } } });
  });

  test('given a re-attribution target or no entry, then the target is loaded, or only the given facts come back', async () => {
    const run = await world();
    const target = attribution({ ticketId: ticket(2) });
    const facts = await run((s) =>
      timeEntryFactsLoader(sources, { attribution: target, billing: { invoiceRef: null } })(s, {
        state: draft,
        version: 1,
      }),
    );
    expect(facts).toEqual({
      billing: { invoiceRef: null },
      workContext: { ticket: expect.objectContaining({ ticketId: ticket(2) }) },
    });
    const none = await run((s) =>
      timeEntryFactsLoader(sources, { billing: { invoiceRef: null } })(s, {
        state: { status: 'absent' },
        version: 0,
      }),
    );
    expect(none).toEqual({ billing: { invoiceRef: null } });
  });
});
