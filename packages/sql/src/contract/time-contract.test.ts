/**
 * The time context's persistence contract, written once and run against every database (not a test file
 * itself: each adapter's `time.int.test.ts` calls {@link describeTimeContract}). Scenario 3 end to end
 * through the command handler and the seam's unit of work, the append-only adjustment rows, refusals that
 * write nothing, and concurrent adjustments on two connections.
 */
import {
  type CommandRuntime,
  createCommandHandler,
  Delivery,
  type Instant,
  instantFromEpochMs,
  money,
  type PetError,
  Support,
  Time,
  type UnitOfWork,
  type Uuid,
} from '@pet-ops/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeBindings } from '../contexts/time.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import { aggregateOf, type ColumnSpec, decodeColumn, type StateTable } from '../state-table.js';
import { projectsTable, tasksTable } from '../tables/delivery.js';
import { STATE_TABLES } from '../tables/index.js';
import { ticketsTable } from '../tables/support.js';
import { resourceAllocationsTable, timeEntriesTable, timeEntryAdjustmentsTable } from '../tables/time.js';
import { createUnitOfWork } from '../unit-of-work.js';
import { caught, draft, newId } from './event-store-contract.test.js';

/** One migrated database under test, reachable over two connections. */
export interface TimeTarget {
  readonly prefix: string;
  readonly first: { readonly db: AnyDatabase; readonly dialect: PetDialect };
  readonly second: { readonly db: AnyDatabase; readonly dialect: PetDialect };
  readonly close: () => Promise<void>;
}

const minute = 60_000;
const base = Date.UTC(2026, 2, 2, 9); // Monday 2 March 2026, 09:00 UTC
const at = (minutes: number): Instant => instantFromEpochMs(base + minutes * minute, 0);

const lockPeriod = { timeZone: 'Europe/Berlin', closedThrough: '2026-02-28' };
const commercial: Time.CommercialTerms = {
  billingContext: 'project',
  ratePlanRef: 'RP-STD',
  hourlyRate: money(150_00, 'EUR'),
  agreement: null,
};

/**
 * Declares the time context's contract tests for one database.
 *
 * @example
 * ```ts
 * describeTimeContract('sqlite', async () => sqliteTimeTarget());
 * ```
 */
export function describeTimeContract(name: string, open: () => Promise<TimeTarget>): void {
  describe(`time persistence contract (${name})`, () => {
    let t: TimeTarget;
    let events: SqlEventStore;
    let uows: [UnitOfWork, UnitOfWork];
    beforeAll(async () => {
      t = await open();
      const unit = (c: TimeTarget['first']) =>
        createUnitOfWork({
          dialect: c.dialect,
          prefix: t.prefix,
          events: createEventStore({ db: c.db, dialect: c.dialect, prefix: t.prefix }),
          tables: STATE_TABLES,
        });
      events = createEventStore({ db: t.first.db, dialect: t.first.dialect, prefix: t.prefix });
      uows = [unit(t.first), unit(t.second)];
    });
    afterAll(async () => {
      await t?.close();
    });

    let tick = 0;
    const runtime = (uow: UnitOfWork): CommandRuntime => ({
      unitOfWork: uow,
      registry: Time.timeEventRegistry,
      clock: { now: () => instantFromEpochMs(base + 10_000 * minute + tick++) },
      ids: { next: newId },
    });
    const entryHandler = (i: 0 | 1 = 0) => createCommandHandler(runtime(uows[i]), timeBindings.timeEntry);
    const allocationHandler = () => createCommandHandler(runtime(uows[0]), timeBindings.resourceAllocation);
    const as = (who: string) => ({ actor: { type: 'employee' as const, id: who } });

    /** A stored row with its declared columns decoded (and `version` where the table has one). */
    async function row(
      table: string,
      columns: Readonly<Record<string, ColumnSpec>>,
      id: string,
    ): Promise<Record<string, unknown> | undefined> {
      const codecs = t.first.dialect.codecs;
      const r = (await t.first.db
        .selectFrom(`${t.prefix}${table}`)
        .selectAll()
        .where('id', '=', codecs.encodeId(id))
        .executeTakeFirst()) as Record<string, unknown> | undefined;
      if (r === undefined) return undefined;
      const out: Record<string, unknown> = {};
      for (const [column, spec] of Object.entries(columns))
        out[column] = decodeColumn(codecs, spec, r[column]);
      if ('version' in r) out['version'] = Number(r['version']);
      return out;
    }
    const entryRow = (id: string) => row('time_entries', timeEntriesTable.columns, id);
    const adjustmentRows = async (entryId: string) => {
      const codecs = t.first.dialect.codecs;
      const rows = (await t.first.db
        .selectFrom(`${t.prefix}time_entry_adjustments`)
        .select('id')
        .where('time_entry_id', '=', codecs.encodeId(entryId))
        .execute()) as { id: unknown }[];
      return Promise.all(
        rows.map(
          async (r) =>
            (await row(
              'time_entry_adjustments',
              timeEntryAdjustmentsTable.columns,
              codecs.decodeId(r.id),
            )) as Record<string, unknown>,
        ),
      );
    };
    /** Runs a raw statement on the first connection; a refusal comes back as the dialect's PetError. */
    async function exec(statement: ReturnType<typeof sql>): Promise<void> {
      try {
        await statement.execute(t.first.db);
      } catch (e) {
        throw t.first.dialect.classifyError(e, 'exec');
      }
    }

    /** A fresh project task and its leaf ticket, as the submit and lock checks see them. */
    function workContext(): Time.WorkContextFacts & {
      task: Time.TaskFact;
      ticket: Time.TicketFact;
      project: Time.ProjectFact;
    } {
      const [taskId, ticketId, projectId] = [newId(), newId(), newId()];
      return {
        task: {
          taskId: taskId as string as Time.TaskId,
          ticketId: ticketId as string as Time.TicketId,
          status: 'in_progress',
          projectId: projectId as string as Time.ProjectId,
        },
        ticket: {
          ticketId: ticketId as string as Time.TicketId,
          isRollup: false,
          closed: false,
          lifecycleOwner: 'project',
          projectId: projectId as string as Time.ProjectId,
        },
        project: { projectId: projectId as string as Time.ProjectId, status: 'active' },
      };
    }

    /** A 90-minute billable project draft on a task, created by its owner. */
    async function draftEntry(context = workContext()) {
      const [entryId, owner] = [newId(), newId()];
      const created = await entryHandler()({
        streamId: entryId,
        command: {
          type: 'create',
          timeEntryId: entryId as string as Time.TimeEntryId,
          employeeId: owner as string as Time.TimeEntryContent['employeeId'],
          start: at(0),
          end: at(90),
          description: 'Workshop 🦄 with the "plant" team',
          billable: true,
          workType: 'project',
          ticketId: null,
          taskId: context.task.taskId,
          bucketId: null,
          at: at(91),
        },
        facts: undefined,
        metadata: as(owner),
      });
      if (!created.ok) throw new Error(created.error.code);
      return { entryId, owner, context };
    }

    it('given scenario 3 (submitted, locked, invoiced), when edited then adjusted by −60, then the edit is refused, the entry row keeps its content, net is 30, one adjustment row and a reconciliation event are written', async () => {
      const { entryId, owner, context } = await draftEntry();
      const manager = newId();
      const handle = entryHandler();
      const submitted = await handle({
        streamId: entryId,
        command: {
          type: 'submit',
          actorId: owner as string as Time.TimeEntryContent['employeeId'],
          attest: true,
          at: at(100),
        },
        facts: { workContext: context, lockPeriod },
        metadata: as(owner),
      });
      expect(submitted.ok).toBe(true);
      const afterSubmit = await entryRow(entryId);
      expect(afterSubmit).toMatchObject({
        state: 'submitted',
        ticket_id: context.ticket.ticketId,
        task_id: context.task.taskId,
        project_id: context.project.projectId,
        duration_minutes: 90,
        net_minutes: 90,
        work_date: '2026-03-02',
        attested_by_employee_id: owner,
        is_billable: true,
        description: 'Workshop 🦄 with the "plant" team',
        version: 2,
      });

      const locked = await handle({
        streamId: entryId,
        command: {
          type: 'lock',
          lockedBy: manager as string as Time.TimeEntryContent['employeeId'],
          at: at(5000),
        },
        facts: { workContext: context, commercial },
        metadata: as(manager),
      });
      expect(locked.ok).toBe(true);
      const afterLock = await entryRow(entryId);
      expect(afterLock).toMatchObject({
        state: 'locked',
        locked_by_employee_id: manager,
        locked_at: at(5000),
        version: 3,
      });
      expect(afterLock?.['commercial_snapshot_json']).toMatchObject({ value: money(225_00, 'EUR') });

      const before = await events.readStream(entryId);
      const edit = await handle({
        streamId: entryId,
        command: {
          type: 'update',
          actorId: owner as string as Time.TimeEntryContent['employeeId'],
          changes: { end: at(30) },
          at: at(6000),
        },
        facts: undefined,
        metadata: as(owner),
      });
      expect(edit.ok ? null : edit.error.code).toBe('TIME_ENTRY_NOT_DRAFT');
      expect(await events.readStream(entryId)).toEqual(before);
      expect(await entryRow(entryId)).toEqual(afterLock);

      const adjustmentId = newId();
      const adjust = await handle({
        streamId: entryId,
        command: {
          type: 'adjust',
          adjustmentId: adjustmentId as string as Time.TimeEntryAdjustmentId,
          change: { kind: 'duration_delta', deltaMinutes: -60 },
          reason: 'client disputed an hour',
          authorId: manager as string as Time.TimeEntryContent['employeeId'],
          at: at(6001),
        },
        facts: { billing: { invoiceRef: 'INV-2026-0042' } },
        metadata: as(manager),
      });
      if (!adjust.ok) throw new Error(adjust.error.code);
      expect(adjust.value.events.map((e) => e.type)).toEqual([
        'time_entry.adjusted',
        'time_entry.reconciliation_required',
      ]);

      // The original content is what it was at submission; only net and the adjustment copy moved.
      const afterAdjust = await entryRow(entryId);
      const content = (r: Record<string, unknown> | undefined) => {
        const { net_minutes: _n, adjustments_json: _a, version: _v, ...rest } = r ?? {};
        return rest;
      };
      expect(content(afterAdjust)).toEqual(content(afterLock));
      expect(afterAdjust).toMatchObject({ duration_minutes: 90, net_minutes: 30, version: 5 });
      const { state, version } = await uows[0].run((s) =>
        s.aggregate(timeBindings.timeEntry.definition).load(entryId),
      );
      expect(version).toBe(5);
      expect(state).toEqual(adjust.value.state);
      if (state.status !== 'locked') throw new Error('locked expected');
      expect(Time.netMinutes(state)).toBe(30);
      expect([state.start, state.end, state.minutes]).toEqual([at(0), at(90), 90]);

      expect(await adjustmentRows(entryId)).toEqual([
        {
          id: adjustmentId,
          time_entry_id: entryId,
          type: 'duration_delta',
          delta_minutes: -60,
          new_is_billable: null,
          new_work_type: null,
          new_ticket_id: null,
          new_task_id: null,
          new_operational_bucket_id: null,
          reason: 'client disputed an hour',
          created_at: at(6001),
          created_by_employee_id: manager,
        },
      ]);
      expect((await events.readStream(entryId)).slice(0, before.length)).toEqual(before);
    });

    it('given a written adjustment row, when a raw UPDATE or DELETE targets it (or DELETE the entry), then the database refuses it (IMMUTABLE_ROW) and the rows are unchanged', async () => {
      const { entryId, owner, context } = await draftEntry();
      const handle = entryHandler();
      const ownerId = owner as string as Time.TimeEntryContent['employeeId'];
      await handle({
        streamId: entryId,
        command: { type: 'submit', actorId: ownerId, attest: true, at: at(100) },
        facts: { workContext: context, lockPeriod },
        metadata: as(owner),
      });
      const adjustmentId = newId();
      const adjusted = await handle({
        streamId: entryId,
        command: {
          type: 'adjust',
          adjustmentId: adjustmentId as string as Time.TimeEntryAdjustmentId,
          change: { kind: 'reclassify', billable: false },
          reason: 'internal rework',
          authorId: ownerId,
          at: at(200),
        },
        facts: { billing: { invoiceRef: null } },
        metadata: as(owner),
      });
      expect(adjusted.ok).toBe(true);
      const [stored] = await adjustmentRows(entryId);
      expect(stored).toMatchObject({ type: 'reclassify', delta_minutes: 0, new_is_billable: false });

      const table = sql.table(`${t.prefix}time_entry_adjustments`);
      const key = t.first.dialect.codecs.encodeId(adjustmentId);
      const update = await caught(exec(sql`UPDATE ${table} SET delta_minutes = 999 WHERE id = ${key}`));
      expect(update.code).toBe('IMMUTABLE_ROW');
      const del = await caught(exec(sql`DELETE FROM ${table} WHERE id = ${key}`));
      expect(del.code).toBe('IMMUTABLE_ROW');
      expect(await adjustmentRows(entryId)).toEqual([stored]);
      const entryDelete = await caught(
        exec(
          sql`DELETE FROM ${sql.table(`${t.prefix}time_entries`)} WHERE id = ${t.first.dialect.codecs.encodeId(entryId)}`,
        ),
      );
      expect(entryDelete.code).toBe('IMMUTABLE_ROW');
      expect(await entryRow(entryId)).toMatchObject({
        state: 'submitted',
        is_billable: true,
        net_minutes: 90,
      });
    });

    it('given a draft on a roll-up ticket, when submitted, then TIME_ENTRY_TICKET_ROLLUP and nothing is written (row, stream)', async () => {
      const context = workContext();
      const { entryId, owner } = await draftEntry(context);
      const before = await entryRow(entryId);
      const refused = await entryHandler()({
        streamId: entryId,
        command: {
          type: 'submit',
          actorId: owner as string as Time.TimeEntryContent['employeeId'],
          attest: true,
          at: at(100),
        },
        facts: { workContext: { ...context, ticket: { ...context.ticket, isRollup: true } }, lockPeriod },
        metadata: as(owner),
      });
      expect(refused.ok ? null : refused.error.code).toBe('TIME_ENTRY_TICKET_ROLLUP');
      expect(await entryRow(entryId)).toEqual(before);
      expect(before).toMatchObject({ state: 'draft', version: 1, ticket_id: null, submitted_at: null });
      expect((await events.readStream(entryId)).map((e) => e.type)).toEqual(['time_entry.created']);
      expect(await adjustmentRows(entryId)).toEqual([]);
    });

    /** Stores an aggregate of another context as its events fold (the frozen v1 payloads), with its events. */
    async function seed<S>(
      table: StateTable<S, Readonly<Record<string, ColumnSpec>>>,
      evolve: (state: S, event: never) => S,
      id: string,
      stream: readonly { type: string; payload: Record<string, unknown> }[],
    ): Promise<void> {
      const state = stream.reduce((s, e) => evolve(s, e as never), table.initialState());
      const drafts = stream.map((e) =>
        draft({ type: e.type, streamType: table.streamType, payload: e.payload }),
      );
      await uows[0].run((s) => s.aggregate(aggregateOf(table)).save(id as Uuid, 0, state, drafts));
    }

    /** A leaf ticket stored in `tickets` (project-owned when it names a project, else support). */
    async function storedTicket(
      ticketId: Uuid,
      projectId: Uuid | null,
      status: 'planned' | 'closed',
    ): Promise<Uuid> {
      const initial = projectId === null ? 'new' : 'planned';
      await seed(ticketsTable, Support.evolveTicket, ticketId, [
        {
          type: 'ticket.created',
          payload: {
            ticketId,
            owner: projectId === null ? 'support' : 'project',
            status: initial,
            customerId: projectId === null ? newId() : null,
            siteId: null,
            projectId,
            subject: 'Build the API',
            priority: 'medium',
            kind: projectId === null ? 'incident' : 'work',
            soldMinutes: projectId === null ? null : 3600,
            sla: { mode: 'inherit' },
            parentTicketId: null,
            rootTicketId: ticketId,
            at: at(-80),
          },
        },
        ...(status === 'closed'
          ? [
              {
                type: 'ticket.status_changed',
                payload: { ticketId, from: initial, to: 'closed', at: at(-70) },
              },
            ]
          : []),
      ]);
      return ticketId;
    }

    /** A project (active), its leaf ticket and a task bridged to it, stored in their own tables. */
    async function storedWorkContext(ticketStatus: 'planned' | 'closed' = 'planned') {
      const [projectId, ticketId, taskId] = [newId(), newId(), newId()];
      await seed(projectsTable, Delivery.evolveProject, projectId, [
        {
          type: 'delivery.project_created',
          payload: {
            projectId,
            kind: 'sold',
            name: 'Website relaunch',
            customerId: newId(),
            siteId: null,
            sourceQuoteId: newId(),
            saleId: newId(),
            soldConstraintsApply: true,
            soldMinutes: 3600,
            soldValue: { amountMinor: 720000, currency: 'EUR' },
            startDate: '2026-03-02',
            endDate: null,
            createdAt: at(-100),
          },
        },
        { type: 'project.activated', payload: { projectId, at: at(-90) } },
      ]);
      await storedTicket(ticketId, projectId, ticketStatus);
      await seed(tasksTable, Delivery.evolveTask, taskId, [
        {
          type: 'delivery.task_created',
          payload: {
            taskId,
            projectId,
            milestoneId: newId(),
            ticketId,
            name: 'API',
            estimatedMinutes: 3600,
            soldMinutes: 3600,
            roleId: newId(),
            assigneeId: null,
            sequence: 1,
            sourceLineId: newId(),
            at: at(-60),
          },
        },
      ]);
      const ids = workContext();
      return {
        ...ids,
        task: { ...ids.task, taskId: taskId as string as Time.TaskId },
        projectId,
        ticketId,
      };
    }

    const submitWithLoader = (entryId: Uuid, owner: Uuid) =>
      entryHandler()({
        streamId: entryId,
        command: {
          type: 'submit',
          actorId: owner as string as Time.TimeEntryContent['employeeId'],
          attest: true,
          at: at(100),
        },
        loadFacts: Time.timeEntryFactsLoader(timeBindings.workContextSources, { lockPeriod }),
        metadata: as(owner),
      });

    it('given a task bridged to a leaf ticket of an active project (rows of tasks, tickets, projects), when submitted and locked with the seam’s loader, then the facts come through the unit of work and the entry is submitted on the resolved ticket, then locked by a period close', async () => {
      const stored = await storedWorkContext();
      const { entryId, owner } = await draftEntry(stored);
      const submitted = await submitWithLoader(entryId, owner);
      if (!submitted.ok) throw new Error(submitted.error.code);
      expect(await entryRow(entryId)).toMatchObject({
        state: 'submitted',
        task_id: stored.task.taskId,
        ticket_id: stored.ticketId,
        project_id: stored.projectId,
        version: 2,
      });
      const locked = await entryHandler()({
        streamId: entryId,
        command: { type: 'lock', lockedBy: null, at: at(5000) },
        loadFacts: Time.timeEntryFactsLoader(timeBindings.workContextSources, { commercial }),
        metadata: { actor: { type: 'system', id: null } },
      });
      if (!locked.ok) throw new Error(locked.error.code);
      expect(await entryRow(entryId)).toMatchObject({
        state: 'locked',
        locked_by_employee_id: null,
        commercial_snapshot_json: expect.objectContaining({ value: money(225_00, 'EUR') }),
        version: 3,
      });
    });

    it('given a closed ticket or an unknown task, when submitted with the seam’s loader, then TIME_ENTRY_TICKET_CLOSED / TIME_ENTRY_TICKET_UNRESOLVED and nothing is written', async () => {
      const closed = await storedWorkContext('closed');
      const a = await draftEntry(closed);
      const refused = await submitWithLoader(a.entryId, a.owner);
      expect(refused.ok ? null : refused.error.code).toBe('TIME_ENTRY_TICKET_CLOSED');
      expect(await entryRow(a.entryId)).toMatchObject({ state: 'draft', version: 1 });
      expect(await events.readStream(a.entryId)).toHaveLength(1);

      const b = await draftEntry(); // its task has no row
      const unresolved = await submitWithLoader(b.entryId, b.owner);
      expect(unresolved.ok ? null : unresolved.error).toMatchObject({
        code: 'TIME_ENTRY_TICKET_UNRESOLVED',
        details: { reason: 'task_not_found' },
      });
      expect(await entryRow(b.entryId)).toMatchObject({ state: 'draft', version: 1 });
      expect(await events.readStream(b.entryId)).toHaveLength(1);
    });

    it('given a submitted entry, when re-attributed with the seam’s loader to an open support ticket, then an adjustment row carries the new ticket; to a closed one, then TIME_ENTRY_TICKET_CLOSED and nothing is written', async () => {
      const { entryId, owner } = await draftEntry(await storedWorkContext());
      expect((await submitWithLoader(entryId, owner)).ok).toBe(true);
      const [open, closed] = [
        await storedTicket(newId(), null, 'planned'),
        await storedTicket(newId(), null, 'closed'),
      ];
      const reattribute = (ticketId: Uuid) =>
        entryHandler()({
          streamId: entryId,
          command: {
            type: 'adjust',
            adjustmentId: newId() as string as Time.TimeEntryAdjustmentId,
            change: {
              kind: 'reattribute',
              ticketId: ticketId as string as Time.TicketId,
              taskId: null,
              bucketId: null,
            },
            reason: 'booked on the wrong ticket',
            authorId: owner as string as Time.TimeEntryContent['employeeId'],
            at: at(400),
          },
          loadFacts: Time.timeEntryFactsLoader(timeBindings.workContextSources, {
            attribution: {
              billable: true,
              workType: 'project',
              ticketId: ticketId as string as Time.TicketId,
              taskId: null,
              bucketId: null,
            },
            billing: { invoiceRef: null },
          }),
          metadata: as(owner),
        });
      const refused = await reattribute(closed);
      expect(refused.ok ? null : refused.error.code).toBe('TIME_ENTRY_TICKET_CLOSED');
      expect(await adjustmentRows(entryId)).toEqual([]);
      expect(await entryRow(entryId)).toMatchObject({ version: 2 });

      const moved = await reattribute(open);
      if (!moved.ok) throw new Error(moved.error.code);
      expect(await adjustmentRows(entryId)).toEqual([
        expect.objectContaining({
          type: 'reattribute',
          delta_minutes: 0,
          new_ticket_id: open,
          new_task_id: null,
        }),
      ]);
      const state = moved.value.state;
      if (state.status !== 'submitted') throw new Error('submitted expected');
      expect(Time.effectiveAttribution(state).ticketId).toBe(open);
      expect(await entryRow(entryId)).toMatchObject({
        state: 'submitted',
        ticket_id: state.ticketId,
        version: 3,
      });
    });

    it('given a submitted 90-minute entry, when two clients on two connections each adjust it by −50 at once, then exactly one is accepted, the other is refused (net would be −10) and one adjustment row exists', async () => {
      const { entryId, owner, context } = await draftEntry();
      const ownerId = owner as string as Time.TimeEntryContent['employeeId'];
      await entryHandler()({
        streamId: entryId,
        command: { type: 'submit', actorId: ownerId, attest: true, at: at(100) },
        facts: { workContext: context, lockPeriod },
        metadata: as(owner),
      });
      const cut = (i: 0 | 1) =>
        entryHandler(i)({
          streamId: entryId,
          command: {
            type: 'adjust',
            adjustmentId: newId() as string as Time.TimeEntryAdjustmentId,
            change: { kind: 'duration_delta', deltaMinutes: -50 },
            reason: 'overlap with another entry',
            authorId: ownerId,
            at: at(300),
          },
          facts: { billing: { invoiceRef: null } },
          metadata: as(owner),
        });
      const outcomes = await Promise.allSettled([cut(0), cut(1)]);
      const verdicts = outcomes.map((o) =>
        o.status === 'rejected' ? (o.reason as PetError).code : o.value.ok ? 'accepted' : o.value.error.code,
      );
      expect(verdicts.filter((v) => v === 'accepted')).toHaveLength(1);
      expect(verdicts.filter((v) => v !== 'accepted')[0]).toMatch(
        /^(TIME_ENTRY_NET_NEGATIVE|CONCURRENCY_CONFLICT)$/,
      );
      expect(await adjustmentRows(entryId)).toHaveLength(1);
      expect(await entryRow(entryId)).toMatchObject({ net_minutes: 40, version: 3 });
      expect((await events.readStream(entryId)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    });

    it('given a scheduled allocation, when planned and then superseded, then the row holds the subject, weights and end; a superseded allocation refuses release, the database refuses DELETE, and nothing changes', async () => {
      const [allocationId, successor, employee, task] = [newId(), newId(), newId(), newId()];
      const handle = allocationHandler();
      const planned = await handle({
        streamId: allocationId,
        command: {
          type: 'plan',
          allocationId: allocationId as string as Time.ResourceAllocationId,
          layer: 'scheduled',
          subject: {
            kind: 'employee',
            employeeId: employee as string as Time.TimeEntryContent['employeeId'],
          },
          source: { type: 'task', id: task },
          periodStart: '2026-03-02' as Time.AllocationDetails['periodStart'],
          periodEnd: '2026-03-06' as Time.AllocationDetails['periodEnd'],
          plannedMinutes: 1200,
          at: at(0),
        },
        facts: { load: { capacityMinutes: 2400, scheduledMinutes: 0 } },
        metadata: as(employee),
      });
      expect(planned.ok).toBe(true);
      expect(await row('resource_allocations', resourceAllocationsTable.columns, allocationId)).toMatchObject(
        {
          state: 'active',
          layer: 'scheduled',
          employee_id: employee,
          role_id: null,
          department_id: null,
          source_type: 'task',
          source_id: task,
          period_start: '2026-03-02',
          period_end: '2026-03-06',
          planned_minutes: 1200,
          probability_weight: 10_000,
          weighted_minutes: 1200,
          superseded_by_id: null,
          version: 1,
        },
      );
      const superseded = await handle({
        streamId: allocationId,
        command: {
          type: 'supersede',
          supersededBy: successor as string as Time.ResourceAllocationId,
          at: at(60),
        },
        facts: undefined,
        metadata: as(employee),
      });
      if (!superseded.ok) throw new Error(superseded.error.code);
      const stored = await row('resource_allocations', resourceAllocationsTable.columns, allocationId);
      expect(stored).toMatchObject({ state: 'superseded', superseded_by_id: successor, ended_at: at(60) });
      const loaded = await uows[0].run((s) =>
        s.aggregate(timeBindings.resourceAllocation.definition).load(allocationId),
      );
      expect(loaded).toEqual({ state: superseded.value.state, version: 2 });

      const released = await handle({
        streamId: allocationId,
        command: { type: 'release', reason: 'completed', at: at(120) },
        facts: undefined,
        metadata: as(employee),
      });
      expect(released.ok ? null : released.error.code).toBe('ALLOCATION_NOT_ACTIVE');
      const deleted = await caught(
        exec(
          sql`DELETE FROM ${sql.table(`${t.prefix}resource_allocations`)} WHERE id = ${t.first.dialect.codecs.encodeId(allocationId)}`,
        ),
      );
      expect(deleted.code).toBe('IMMUTABLE_ROW');
      expect(await row('resource_allocations', resourceAllocationsTable.columns, allocationId)).toEqual(
        stored,
      );
    });

    it('given a forecast from a quote that is not approved, when planned, then ALLOCATION_QUOTE_NOT_APPROVED and no row', async () => {
      const [allocationId, quote] = [newId(), newId()];
      const refused = await allocationHandler()({
        streamId: allocationId,
        command: {
          type: 'plan',
          allocationId: allocationId as string as Time.ResourceAllocationId,
          layer: 'forecast',
          subject: { kind: 'role', roleId: newId() as string as Time.RoleId },
          source: { type: 'quote', id: quote },
          periodStart: '2026-04-01' as Time.AllocationDetails['periodStart'],
          periodEnd: '2026-04-30' as Time.AllocationDetails['periodEnd'],
          plannedMinutes: 6000,
          at: at(0),
        },
        facts: { sourceQuote: { quoteId: quote, approved: false, probabilityBp: 6000 } },
        metadata: as(newId()),
      });
      expect(refused.ok ? null : refused.error.code).toBe('ALLOCATION_QUOTE_NOT_APPROVED');
      expect(
        await row('resource_allocations', resourceAllocationsTable.columns, allocationId),
      ).toBeUndefined();
      expect(await events.readStream(allocationId as Uuid)).toEqual([]);
    });
  });
}
