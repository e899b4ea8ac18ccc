/**
 * The delivery context's persistence contract, written once and run against every database (not a test
 * file itself: each adapter's `delivery.int.test.ts` calls {@link describeDeliveryContract}). Commands go
 * through `createCommandHandler`, `Delivery.startDelivery` and `Delivery.applyChangeOrder` with the
 * generic unit of work and `deliveryBindings`; facts come from the loaders of core.
 */
import {
  type CommandMetadata,
  type CommandRuntime,
  type Commercial,
  createCommandHandler,
  Delivery,
  type IdGenerator,
  type Instant,
  money,
  type PetError,
  type Uuid,
} from '@pet-ops/core';
import { fixedClock } from '@pet-ops/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryBindings } from '../contexts/delivery.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import { type ColumnSpec, decodeColumn } from '../state-table.js';
import {
  milestonesTable,
  projectsTable,
  projectVariancesTable,
  projSoldConstraintsTable,
  soldConstraintsTable,
  tasksTable,
} from '../tables/delivery.js';
import { STATE_TABLES } from '../tables/index.js';
import { createUnitOfWork } from '../unit-of-work.js';
import { caught, newId } from './event-store-contract.test.js';

/** One database under test: migrated with `prefix`, reached through Kysely and its {@link PetDialect}. */
export interface DeliveryTarget {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  readonly close: () => Promise<void>;
}

type Row = Record<string, unknown>;
type Columns = Readonly<Record<string, ColumnSpec>>;
type ProjectId = Delivery.ProjectId;
type TaskId = Delivery.TaskId;
type VarianceId = Delivery.VarianceId;

const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 3, 1, 9) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;
const eur = (minor: number) => money(minor, 'EUR');
const asUuid = (id: string): Uuid => id as Uuid;

function labour(minutes: number, milestone: { name: string; sequence: number }): Commercial.QuoteLine {
  return {
    lineId: newId(),
    kind: 'labour_task',
    description: `Work of ${minutes} minutes`,
    quantity: 1,
    unitPrice: null,
    unitCost: null,
    minutes,
    catalog: null,
    role: {
      roleId: newId(),
      name: 'Developer',
      sellRatePerHour: eur(120_00),
      costRatePerHour: eur(60_00),
      recommendedSellRatePerHour: null,
    },
    milestone,
  };
}

/** An accepted quote (version 1) with these labour lines in one implementation group. */
function quoteOf(
  lines: readonly Commercial.QuoteLine[],
  parentQuoteId: string | null = null,
): Commercial.QuoteDetails {
  return {
    quoteId: newId() as string as Commercial.QuoteId,
    quoteNumber: 'Q-2026-000042' as Commercial.QuoteNumber,
    opportunityId: newId(),
    customerId: newId(),
    currency: 'EUR',
    parentQuoteId,
    supersedesQuoteId: null,
    versions: [
      {
        version: 1,
        basedOn: null,
        state: 'accepted',
        title: 'Website relaunch',
        validUntil: null,
        groups: [{ groupId: newId(), kind: 'implementation', title: 'Phase 1', recurring: null, lines }],
        schedule: null,
        approvedBy: null,
      },
    ],
    acceptance: null,
    dueItemIds: [],
  };
}

function saleOf(quote: Commercial.QuoteDetails): Commercial.SaleCreatedPayload {
  return {
    saleId: newId() as string as Commercial.SaleId,
    quoteId: quote.quoteId,
    quoteVersion: 1,
    opportunityId: quote.opportunityId,
    customerId: quote.customerId,
    total: eur(4800_00),
    totalCost: eur(2400_00),
    soldMinutesByRole: {},
    acceptedBy: newId(),
    acceptedAt: at(0),
    paymentSchedule: [],
  };
}

/**
 * Declares the delivery persistence contract tests for one database.
 *
 * @example
 * ```ts
 * describeDeliveryContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', close }));
 * ```
 */
export function describeDeliveryContract(name: string, open: () => Promise<DeliveryTarget>): void {
  describe(`delivery persistence contract (${name})`, () => {
    let t: DeliveryTarget;
    let events: SqlEventStore;
    let runtime: CommandRuntime;
    const manager = newId();
    const metadata: CommandMetadata = { actor: { type: 'employee', id: manager } };
    const definitions = Delivery.definitionsOf(deliveryBindings);

    beforeAll(async () => {
      t = await open();
      events = createEventStore({ db: t.db, dialect: t.dialect, prefix: t.prefix });
      runtime = {
        unitOfWork: createUnitOfWork({ dialect: t.dialect, prefix: t.prefix, events, tables: STATE_TABLES }),
        registry: Delivery.deliveryEventRegistry,
        clock: fixedClock('2026-04-01T10:00:00.000000Z', 1),
        ids: { next: newId },
      };
    });
    afterAll(async () => {
      await t?.close();
    });

    const project = () => createCommandHandler(runtime, deliveryBindings.project);
    const baselines = () => createCommandHandler(runtime, deliveryBindings.soldConstraints);
    const task = () => createCommandHandler(runtime, deliveryBindings.task);
    const variance = () => createCommandHandler(runtime, deliveryBindings.variance);
    const table = (logical: string) => `${t.prefix}${logical}`;
    const withId = (columns: Columns): Columns => ({ id: { type: 'id' }, ...columns });

    async function rowsOf(logical: string, columns: Columns, where: string, id: string): Promise<Row[]> {
      const rows = (await t.db
        .selectFrom(table(logical))
        .selectAll()
        .where(where, '=', t.dialect.codecs.encodeId(id))
        .execute()) as Row[];
      return rows
        .map((r) => {
          const out: Row = {};
          for (const [column, spec] of Object.entries(columns))
            out[column] = decodeColumn(t.dialect.codecs, spec, r[column]);
          if ('version' in r) out['version'] = Number(r['version']);
          return out;
        })
        .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    }
    const projectRow = async (id: ProjectId) =>
      (await rowsOf('projects', withId(projectsTable.columns), 'id', id))[0];
    const baselineRows = async (id: ProjectId) =>
      (await rowsOf('project_sold_constraints', projSoldConstraintsTable.columns, 'project_id', id)).sort(
        (a, b) => Number(a['version_number']) - Number(b['version_number']),
      );
    const baselineSetRow = async (id: ProjectId) =>
      (await rowsOf('sold_constraint_sets', withId(soldConstraintsTable.columns), 'project_id', id))[0];
    const milestoneRows = (id: ProjectId) =>
      rowsOf('milestones', withId(milestonesTable.columns), 'project_id', id);
    const taskRows = (id: ProjectId) => rowsOf('tasks', withId(tasksTable.columns), 'project_id', id);
    const taskRow = async (id: TaskId) => (await rowsOf('tasks', withId(tasksTable.columns), 'id', id))[0];
    const varianceRow = async (id: VarianceId) =>
      (await rowsOf('project_variances', withId(projectVariancesTable.columns), 'id', id))[0];

    async function exec(statement: ReturnType<typeof sql>): Promise<void> {
      try {
        await statement.execute(t.db);
      } catch (e) {
        throw t.dialect.classifyError(e, 'exec');
      }
    }

    /** A started delivery of a fresh sale: milestones Design (600) and Build (1200 + 600); 2400 sold. */
    async function started() {
      const design = { name: 'Design', sequence: 1 };
      const build = { name: 'Build', sequence: 2 };
      const quote = quoteOf([labour(600, design), labour(1200, build), labour(600, build)]);
      const sale = saleOf(quote);
      const r = await Delivery.startDelivery(
        runtime,
        deliveryBindings,
        { sale, quote, siteId: null },
        metadata,
      );
      if (!r.ok || r.value.duplicate) throw new Error(`delivery not started: ${JSON.stringify(r)}`);
      return { quote, sale, ...r.value.value };
    }

    it('given an accepted sale, when delivery starts, then project, baseline v1, milestones and tasks land in one unit of work with the sold numbers (scenarios 11, 20)', async () => {
      const d = await started();
      expect(await projectRow(d.projectId)).toMatchObject({
        state: 'created',
        project_kind: 'sold',
        customer_id: d.quote.customerId,
        source_quote_id: d.quote.quoteId,
        sale_id: d.sale.saleId,
        sold_constraints_apply: true,
        sold_minutes: 2400,
        sold_value: 4800_00,
        sold_currency: 'EUR',
        version: 1,
      });
      const [v1, ...more] = await baselineRows(d.projectId);
      expect(more).toEqual([]);
      expect(v1).toMatchObject({
        id: d.constraintId,
        version_number: 1,
        reason: 'acceptance',
        sale_id: d.sale.saleId,
        source_quote_id: d.quote.quoteId,
        source_quote_version: 1,
        currency: 'EUR',
        sold_minutes: 2400,
        sold_value: 4800_00,
        internal_cost_ceiling: 2400_00,
        margin_at_sale: 2400_00,
        cause: null,
      });
      expect(
        ((v1?.['sold_wbs_json'] ?? []) as Delivery.WbsMilestone[]).map((m) => [m.name, m.tasks.length]),
      ).toEqual([
        ['Design', 1],
        ['Build', 2],
      ]);
      expect(await baselineSetRow(d.projectId)).toMatchObject({
        id: d.soldConstraintsStreamId,
        active_version: 1,
        active_constraint_id: d.constraintId,
        version: 1,
      });
      const milestones = await milestoneRows(d.projectId);
      expect(milestones.map((m) => [m['name'], m['sold_minutes'], m['state']]).sort()).toEqual([
        ['Build', 1800, 'defined'],
        ['Design', 600, 'defined'],
      ]);
      const tasks = await taskRows(d.projectId);
      expect(tasks.map((x) => x['estimated_minutes']).sort()).toEqual([1200, 600, 600]);
      for (const x of tasks)
        expect(x).toMatchObject({ state: 'planned', sold_minutes: x['estimated_minutes'] });
      const lineIds = d.quote.versions[0]?.groups[0]?.lines.map((l) => l.lineId) ?? [];
      expect(tasks.map((x) => x['source_line_id']).sort()).toEqual([...lineIds].sort());
      expect((await events.readStream(asUuid(d.projectId))).map((e) => e.type)).toEqual([
        'delivery.project_created',
      ]);
      expect((await events.readStream(asUuid(d.soldConstraintsStreamId))).map((e) => e.type)).toEqual([
        'project.baseline_created',
      ]);
    });

    it('given a started delivery, when the same sale starts delivery again, then the stored events come back as a duplicate and nothing more is written (scenario 11: a second accept adds nothing)', async () => {
      const d = await started();
      const again = await Delivery.startDelivery(
        runtime,
        deliveryBindings,
        { sale: d.sale, quote: d.quote, siteId: null },
        metadata,
      );
      expect(again.ok && again.value.duplicate).toBe(true);
      if (!again.ok || !again.value.duplicate) return;
      expect(again.value.events.map((e) => e.streamId)).toContain(d.projectId);
      const rows = (await t.db
        .selectFrom(table('projects'))
        .select('id')
        .where('sale_id', '=', t.dialect.codecs.encodeId(d.sale.saleId))
        .execute()) as Row[];
      expect(rows).toHaveLength(1);
      expect(await baselineRows(d.projectId)).toHaveLength(1);
      expect(await taskRows(d.projectId)).toHaveLength(3);
    });

    it('given one sale, when delivery starts twice at the same time, then one start writes and the other answers as a duplicate (scenario 11: a concurrent second accept adds nothing)', async () => {
      const quote = quoteOf([labour(600, { name: 'Only', sequence: 1 })]);
      const sale = saleOf(quote);
      const both = await Promise.all(
        [0, 1].map(() =>
          Delivery.startDelivery(runtime, deliveryBindings, { sale, quote, siteId: null }, metadata),
        ),
      );
      expect(both.map((r) => r.ok && r.value.duplicate).sort()).toEqual([false, true]);
      const rows = (await t.db
        .selectFrom(table('projects'))
        .select('id')
        .where('sale_id', '=', t.dialect.codecs.encodeId(sale.saleId))
        .execute()) as Row[];
      expect(rows).toHaveLength(1);
      const projectId = t.dialect.codecs.decodeId(rows[0]?.['id']) as ProjectId;
      expect(await baselineRows(projectId)).toHaveLength(1);
      expect(await taskRows(projectId)).toHaveLength(1);
    });

    it('given a started delivery, when a second start is refused midway (its project id is taken, handed out again by a broken id generator), then CONCURRENCY_CONFLICT names it and nothing of it is written', async () => {
      const d = await started();
      const quote = quoteOf([labour(300, { name: 'Other', sequence: 1 })]);
      const issued: string[] = [];
      let first = true;
      const ids: IdGenerator = {
        next: () => {
          const id = first ? asUuid(d.projectId) : newId();
          first = false;
          issued.push(id);
          return id;
        },
      };
      const r = await Delivery.startDelivery(
        { ...runtime, ids },
        deliveryBindings,
        { sale: saleOf(quote), quote, siteId: null },
        { ...metadata, idempotencyKey: `refused-${newId()}` },
      ).catch((e: unknown) => e);
      // The hand-off's ids are made for it, so its streams are not read first (`isNew`): a taken one
      // collides on its row instead of meeting PROJECT_ALREADY_EXISTS in the decider.
      expect(r).toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        details: { streamId: d.projectId, expected: 0, actual: 1 },
      });
      expect(await projectRow(d.projectId)).toMatchObject({ version: 1, sale_id: d.sale.saleId });
      expect(await baselineRows(d.projectId)).toHaveLength(1);
      expect(await milestoneRows(d.projectId)).toHaveLength(2);
      for (const id of issued.slice(1)) expect(await events.readStream(asUuid(id))).toEqual([]);
    });

    it('given a project sold at 2400 minutes, when a task is re-estimated beyond sold, then it is refused with the numbers and nothing is written; a variance is raised, sold cannot be raised, and once acknowledged the plan goes on (scenario 2)', async () => {
      const d = await started();
      const tasks = await taskRows(d.projectId);
      const big = tasks.find((x) => x['estimated_minutes'] === 1200)?.['id'] as TaskId;
      const varianceIds: VarianceId[] = [];
      const known = () => ({ projectId: d.projectId, taskIds: d.taskIds, varianceIds });
      const reEstimate = (estimatedMinutes: number) =>
        task()({
          streamId: asUuid(big),
          command: { type: 're_estimate', estimatedMinutes, at: at(60) },
          metadata,
          loadFacts: Delivery.taskFacts(definitions, known()),
        });

      const refused = await reEstimate(1500);
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error.code).toBe('TASK_PLAN_EXCEEDS_SOLD');
      expect(refused.error.details).toMatchObject({
        sold: 2400,
        planned: 2700,
        delta: 300,
        baselineVersion: 1,
        constraintId: d.constraintId,
        milestoneId: null,
        openVarianceId: null,
      });
      expect(await taskRow(big)).toMatchObject({ estimated_minutes: 1200, version: 1 });
      expect(await events.readStream(asUuid(big))).toHaveLength(1);

      // The breach is recorded as a variance (one open variance per breach).
      const check = await runtime.unitOfWork.run(async (scope) =>
        Delivery.checkAgainstSold(
          {
            baseline: await Delivery.loadActiveBaseline(scope, definitions, d.projectId),
            variances: await Delivery.loadVarianceFacts(scope, definitions, varianceIds),
          },
          'planned_over_sold',
          2700,
        ),
      );
      const detect = Delivery.detectionFor(check, {
        varianceId: newId() as string as VarianceId,
        projectId: d.projectId,
        currency: null,
        detectedAt: at(61),
      });
      if (detect === null) throw new Error('expected a breach');
      const detected = await variance()({
        streamId: asUuid(detect.varianceId),
        command: detect,
        metadata,
        loadFacts: Delivery.varianceFacts(definitions, { ...known(), breach: detect }),
      });
      expect(detected.ok).toBe(true);
      varianceIds.push(detect.varianceId);
      expect(await varianceRow(detect.varianceId)).toMatchObject({
        project_id: d.projectId,
        constraint_id: d.constraintId,
        baseline_version: 1,
        variance_type: 'planned_over_sold',
        milestone_id: null,
        unit: 'minutes',
        sold_value: 2400,
        observed_value: 2700,
        delta: 300,
        state: 'open',
        resolution: null,
      });
      const twice = await variance()({
        streamId: asUuid(newId()),
        command: { ...detect, varianceId: newId() as string as VarianceId },
        metadata,
        loadFacts: Delivery.varianceFacts(definitions, { ...known(), breach: detect }),
      });
      expect(!twice.ok && twice.error.code).toBe('VARIANCE_ALREADY_OPEN');

      // Still refused while the variance is open, now naming it; sold is never raised.
      const whileOpen = await reEstimate(1500);
      expect(!whileOpen.ok && whileOpen.error.details).toMatchObject({ openVarianceId: detect.varianceId });
      const raise = await project()({
        streamId: asUuid(d.projectId),
        command: { type: 'update', changes: { soldMinutes: 2700 } },
        metadata,
        loadFacts: Delivery.projectFacts(definitions, known()),
      });
      expect(!raise.ok && raise.error.code).toBe('PROJECT_SOLD_IMMUTABLE');
      expect(!raise.ok && raise.error.details).toMatchObject({
        sold: 2400,
        requested: 2700,
        delta: 300,
        activeBaselineVersion: 1,
      });
      expect(await projectRow(d.projectId)).toMatchObject({ sold_minutes: 2400, version: 1 });

      // Acknowledged: the cause is recorded and the plan may go on up to what the variance records.
      const ack = await variance()({
        streamId: asUuid(detect.varianceId),
        command: {
          type: 'acknowledge',
          cause: 'The customer asked for a CMS migration',
          by: manager,
          at: at(62),
        },
        metadata,
      });
      expect(ack.ok).toBe(true);
      expect(await varianceRow(detect.varianceId)).toMatchObject({
        state: 'acknowledged',
        cause: 'The customer asked for a CMS migration',
        acknowledged_by: manager,
      });
      expect((await reEstimate(1500)).ok).toBe(true);
      expect(await taskRow(big)).toMatchObject({ estimated_minutes: 1500, version: 2 });
      expect(await baselineRows(d.projectId)).toHaveLength(1);

      // Never deleted.
      const e = await caught(
        exec(
          sql`DELETE FROM ${sql.table(table('project_variances'))} WHERE id = ${t.dialect.codecs.encodeId(detect.varianceId)}`,
        ),
      );
      expect(e.code).toBe('IMMUTABLE_ROW');
      expect(await varianceRow(detect.varianceId)).toMatchObject({ state: 'acknowledged' });
    });

    it('given two planners who find the same breach at once, when both detect a variance, then one variance is recorded, not two: the database refuses the second, which writes nothing; told of the first, it is VARIANCE_ALREADY_OPEN; once acknowledged, a new breach may be recorded (issue 23)', async () => {
      for (let round = 0; round < 10; round += 1) {
        const d = await started();
        // Each planner checks the plan it would make against sold, knowing no variance of the project.
        const planners = [2700, 2800].map((planned) => ({
          planned,
          varianceId: newId() as string as VarianceId,
        }));
        let arrived = 0;
        let open!: () => void;
        const bothChecked = new Promise<void>((r) => {
          open = r;
        });
        const check = (p: (typeof planners)[number]) =>
          runtime.unitOfWork.run(async (scope) => {
            const found = Delivery.checkAgainstSold(
              {
                baseline: await Delivery.loadActiveBaseline(scope, definitions, d.projectId),
                variances: await Delivery.loadVarianceFacts(scope, definitions, []),
              },
              'planned_over_sold',
              p.planned,
            );
            const command = Delivery.detectionFor(found, {
              varianceId: p.varianceId,
              projectId: d.projectId,
              currency: null,
              detectedAt: at(61),
            });
            if (command === null) throw new Error('expected a breach');
            return command;
          });
        // Both planners have checked (and seen no open variance) before either detects.
        const detect = async (p: (typeof planners)[number]) => {
          const command = await check(p);
          arrived += 1;
          if (arrived === 2) open();
          await bothChecked;
          return variance()({
            streamId: asUuid(p.varianceId),
            command,
            metadata,
            loadFacts: Delivery.varianceFacts(definitions, {
              projectId: d.projectId,
              varianceIds: [],
              breach: command,
            }),
          });
        };
        const outcomes = await Promise.allSettled(planners.map(detect));
        const won = outcomes.flatMap((o, i) =>
          o.status === 'fulfilled' && o.value.ok ? [planners[i] as (typeof planners)[number]] : [],
        );
        const refused = outcomes.flatMap((o, i) =>
          o.status === 'rejected'
            ? [{ planner: planners[i] as (typeof planners)[number], error: o.reason }]
            : [],
        );
        expect(won).toHaveLength(1);
        expect(refused).toHaveLength(1);
        const [winner, { planner: loser, error }] = [won[0], refused[0]] as [
          (typeof planners)[number],
          { planner: (typeof planners)[number]; error: PetError },
        ];
        expect(error.code).toBe('DUPLICATE_KEY');
        const recorded = await rowsOf(
          'project_variances',
          withId(projectVariancesTable.columns),
          'project_id',
          d.projectId,
        );
        expect(recorded).toEqual([
          expect.objectContaining({
            id: winner.varianceId,
            state: 'open',
            observed_value: winner.planned,
            open_breach: 'planned_over_sold/project/v1',
          }),
        ]);
        expect(await events.readStream(asUuid(loser.varianceId))).toHaveLength(0);

        // The second planner detects again, now knowing the first's variance.
        const detectKnowing = (observed: number, detectedAt: Instant) =>
          variance()({
            streamId: asUuid(loser.varianceId),
            command: {
              type: 'detect',
              varianceId: loser.varianceId,
              projectId: d.projectId,
              constraintId: d.constraintId,
              baselineVersion: 1,
              varianceType: 'planned_over_sold',
              milestoneId: null,
              currency: null,
              sold: 2400,
              observed,
              detectedAt,
            },
            metadata,
            loadFacts: Delivery.varianceFacts(definitions, {
              projectId: d.projectId,
              varianceIds: [winner.varianceId],
              breach: { varianceType: 'planned_over_sold', milestoneId: null, baselineVersion: 1 },
            }),
          });

        // Told of the first, the second planner's detection is a rejection that names it.
        const told = await detectKnowing(loser.planned, at(62));
        expect(!told.ok && told.error.code).toBe('VARIANCE_ALREADY_OPEN');
        expect(!told.ok && told.error.details).toMatchObject({ openVarianceId: winner.varianceId });
        if (round > 0) continue;

        // Acknowledged, the breach is no longer open: a later breach of the same baseline is recorded.
        const ack = await variance()({
          streamId: asUuid(winner.varianceId),
          command: { type: 'acknowledge', cause: 'Two planners, one overrun', by: manager, at: at(63) },
          metadata,
        });
        expect(ack.ok).toBe(true);
        expect(await varianceRow(winner.varianceId)).toMatchObject({
          state: 'acknowledged',
          open_breach: null,
        });
        const later = await detectKnowing(3000, at(64));
        expect(later.ok).toBe(true);
        expect(await varianceRow(loser.varianceId)).toMatchObject({
          state: 'open',
          open_breach: 'planned_over_sold/project/v1',
        });
      }
    });

    it('given an active project whose tasks are done, when time went beyond sold, then completion is refused with the open variance’s numbers until it is resolved (scenario 2)', async () => {
      const d = await started();
      const varianceIds: VarianceId[] = [];
      const known = () => ({ projectId: d.projectId, taskIds: d.taskIds, varianceIds, actualMinutes: 2600 });
      const projectCommand = (command: Delivery.ProjectCommand) =>
        project()({
          streamId: asUuid(d.projectId),
          command,
          metadata,
          loadFacts: Delivery.projectFacts(definitions, known()),
        });
      expect((await projectCommand({ type: 'plan', at: at(10) })).ok).toBe(true);
      for (const id of d.taskIds) {
        const s = await task()({ streamId: asUuid(id), command: { type: 'start', at: at(11) }, metadata });
        expect(s.ok).toBe(true);
      }
      expect((await projectCommand({ type: 'activate', at: at(12) })).ok).toBe(true);
      for (const id of d.taskIds) {
        const c = await task()({ streamId: asUuid(id), command: { type: 'complete', at: at(13) }, metadata });
        expect(c.ok).toBe(true);
      }
      const check = await runtime.unitOfWork.run(async (scope) =>
        Delivery.checkAgainstSold(
          { baseline: await Delivery.loadActiveBaseline(scope, definitions, d.projectId), variances: [] },
          'actual_over_sold',
          2600,
        ),
      );
      const detect = Delivery.detectionFor(check, {
        varianceId: newId() as string as VarianceId,
        projectId: d.projectId,
        currency: null,
        detectedAt: at(14),
      });
      if (detect === null) throw new Error('expected a breach');
      const detected = await variance()({
        streamId: asUuid(detect.varianceId),
        command: detect,
        metadata,
        loadFacts: Delivery.varianceFacts(definitions, { ...known(), breach: detect }),
      });
      expect(detected.ok).toBe(true);
      varianceIds.push(detect.varianceId);

      const blocked = await projectCommand({ type: 'complete', at: at(15) });
      expect(!blocked.ok && blocked.error.code).toBe('PROJECT_VARIANCE_OPEN');
      expect(!blocked.ok && blocked.error.details).toMatchObject({
        varianceId: detect.varianceId,
        varianceType: 'actual_over_sold',
        sold: 2400,
        observed: 2600,
        delta: 200,
        baselineVersion: 1,
      });
      expect(await projectRow(d.projectId)).toMatchObject({ state: 'active', closed_at: null });

      const unresolvable = await variance()({
        streamId: asUuid(detect.varianceId),
        command: { type: 'resolve', resolution: 'write_off', by: manager, at: at(16) },
        metadata,
      });
      expect(!unresolvable.ok && unresolvable.error.code).toBe('VARIANCE_CAUSE_REQUIRED');
      expect(await varianceRow(detect.varianceId)).toMatchObject({ state: 'open', version: 1 });

      const resolved = await variance()({
        streamId: asUuid(detect.varianceId),
        command: {
          type: 'resolve',
          resolution: 'write_off',
          cause: 'Estimated too low; absorbed',
          by: manager,
          at: at(16),
        },
        metadata,
      });
      expect(resolved.ok).toBe(true);
      expect(await varianceRow(detect.varianceId)).toMatchObject({
        state: 'resolved',
        resolution: 'write_off',
        resolved_by: manager,
        sold_value: 2400,
        observed_value: 2600,
      });
      expect((await projectCommand({ type: 'complete', at: at(17) })).ok).toBe(true);
      expect(await projectRow(d.projectId)).toMatchObject({ state: 'completed', sold_minutes: 2400 });
    });

    it('given baseline v1, when its sold fields are edited by a command or by raw SQL, then both are refused (the database refuses UPDATE and DELETE) and the row is unchanged (scenario 21)', async () => {
      const d = await started();
      const [before] = await baselineRows(d.projectId);
      const amend = await baselines()({
        streamId: asUuid(d.soldConstraintsStreamId),
        command: { type: 'amend', version: 1, changes: { soldMinutes: 3000 } },
        metadata,
      });
      expect(!amend.ok && amend.error.code).toBe('BASELINE_IMMUTABLE');
      expect(!amend.ok && amend.error.details).toMatchObject({
        field: 'soldMinutes',
        sold: 2400,
        requested: 3000,
        delta: 600,
        version: 1,
      });
      const key = t.dialect.codecs.encodeId(d.constraintId);
      for (const statement of [
        sql`UPDATE ${sql.table(table('project_sold_constraints'))} SET sold_minutes = ${3000} WHERE id = ${key}`,
        sql`DELETE FROM ${sql.table(table('project_sold_constraints'))} WHERE id = ${key}`,
      ]) {
        expect((await caught(exec(statement))).code).toBe('IMMUTABLE_ROW');
      }
      expect(await baselineRows(d.projectId)).toEqual([before]);
      expect(await baselineSetRow(d.projectId)).toMatchObject({ active_version: 1, version: 1 });
      expect(await events.readStream(asUuid(d.soldConstraintsStreamId))).toHaveLength(1);
      const del = await caught(
        exec(
          sql`DELETE FROM ${sql.table(table('projects'))} WHERE id = ${t.dialect.codecs.encodeId(d.projectId)}`,
        ),
      );
      expect(del.code).toBe('IMMUTABLE_ROW');
    });

    it('given a started delivery, when a change order is accepted, then baseline v2 and its new milestone and task land, v1 and the original tasks stay as they were, and plans are measured against v2 (scenarios 13, 22)', async () => {
      const d = await started();
      const [v1Before] = await baselineRows(d.projectId);
      const tasksBefore = await taskRows(d.projectId);
      const changeOrder = quoteOf([labour(300, { name: 'Extra', sequence: 1 })], d.quote.quoteId);
      const r = await Delivery.applyChangeOrder(
        runtime,
        deliveryBindings,
        {
          projectId: d.projectId,
          quote: changeOrder,
          quoteVersion: 1,
          approvedBy: manager,
          cause: 'Customer added a newsletter module',
          at: at(120),
          taskIds: d.taskIds,
          milestoneCount: d.milestoneIds.length,
        },
        metadata,
      );
      expect(r.ok && !r.value.duplicate).toBe(true);
      if (!r.ok || r.value.duplicate) return;
      const applied = r.value.value;
      expect(applied.version).toBe(2);
      const [v1, v2, ...more] = await baselineRows(d.projectId);
      expect(more).toEqual([]);
      expect(v1).toEqual(v1Before);
      expect(v2).toMatchObject({
        id: applied.constraintId,
        version_number: 2,
        reason: 'change_order',
        source_quote_id: changeOrder.quoteId,
        sold_minutes: 2700,
        sold_value: 5400_00,
        internal_cost_ceiling: 2700_00,
        cause: 'Customer added a newsletter module',
        approved_by: manager,
      });
      expect(await baselineSetRow(d.projectId)).toMatchObject({
        active_version: 2,
        active_constraint_id: applied.constraintId,
        version: 2,
      });
      const tasksAfter = await taskRows(d.projectId);
      expect(tasksAfter).toHaveLength(4);
      for (const before of tasksBefore) expect(tasksAfter).toContainEqual(before);
      expect(tasksAfter.find((x) => x['id'] === applied.taskIds[0])).toMatchObject({
        estimated_minutes: 300,
        sold_minutes: 300,
        milestone_id: applied.milestoneIds[0],
      });
      expect(await projectRow(d.projectId)).toMatchObject({ sold_minutes: 2400, version: 1 });

      const big = tasksBefore.find((x) => x['estimated_minutes'] === 1200)?.['id'] as TaskId;
      const refused = await task()({
        streamId: asUuid(big),
        command: { type: 're_estimate', estimatedMinutes: 1600, at: at(121) },
        metadata,
        loadFacts: Delivery.taskFacts(definitions, {
          projectId: d.projectId,
          taskIds: [...d.taskIds, ...applied.taskIds],
          varianceIds: [],
        }),
      });
      expect(!refused.ok && refused.error.details).toMatchObject({
        sold: 2700,
        planned: 3100,
        delta: 400,
        baselineVersion: 2,
        constraintId: applied.constraintId,
      });
    });

    it('given a started delivery, when a change order is refused (its quote does not reference the original) or names a project without baselines, then nothing is written; resent, an applied one is a duplicate', async () => {
      const d = await started();
      const input = (quote: Commercial.QuoteDetails, projectId = d.projectId) => ({
        projectId,
        quote,
        quoteVersion: 1,
        approvedBy: manager,
        cause: 'More work',
        at: at(130),
        taskIds: d.taskIds,
        milestoneCount: d.milestoneIds.length,
      });
      const stray = quoteOf([labour(300, { name: 'Extra', sequence: 1 })], newId());
      const refused = await Delivery.applyChangeOrder(runtime, deliveryBindings, input(stray), metadata);
      expect(!refused.ok && refused.error.code).toBe('BASELINE_SOURCE_REQUIRED');
      expect(!refused.ok && refused.error.details).toMatchObject({
        reason: 'change_order',
        referencesQuoteId: stray.parentQuoteId,
        originalQuoteId: d.quote.quoteId,
      });
      expect(await baselineRows(d.projectId)).toHaveLength(1);
      expect(await baselineSetRow(d.projectId)).toMatchObject({ active_version: 1, version: 1 });
      expect(await taskRows(d.projectId)).toHaveLength(3);
      expect(await milestoneRows(d.projectId)).toHaveLength(2);

      const unknown = newId() as string as ProjectId;
      const noBaseline = await Delivery.applyChangeOrder(
        runtime,
        deliveryBindings,
        input(quoteOf([labour(60, { name: 'X', sequence: 1 })], d.quote.quoteId), unknown),
        metadata,
      );
      expect(!noBaseline.ok && noBaseline.error.code).toBe('BASELINE_NOT_FOUND');

      const changeOrder = quoteOf([labour(300, { name: 'Extra', sequence: 1 })], d.quote.quoteId);
      const first = await Delivery.applyChangeOrder(runtime, deliveryBindings, input(changeOrder), metadata);
      expect(first.ok && !first.value.duplicate).toBe(true);
      const again = await Delivery.applyChangeOrder(runtime, deliveryBindings, input(changeOrder), metadata);
      expect(again.ok && again.value.duplicate).toBe(true);
      expect(await baselineRows(d.projectId)).toHaveLength(2);
      expect(await taskRows(d.projectId)).toHaveLength(4);
    });

    it('given a sale of another quote, when delivery starts, then it throws a ValidationError naming the field and writes nothing', async () => {
      const quote = quoteOf([labour(300, { name: 'Only', sequence: 1 })]);
      const sale = saleOf(quoteOf([labour(300, { name: 'Other', sequence: 1 })]));
      const e = await caught(
        Delivery.startDelivery(runtime, deliveryBindings, { sale, quote, siteId: null }, metadata),
      );
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(e.details)).toContain('sale.quoteId');
      const rows = (await t.db
        .selectFrom(table('projects'))
        .select('id')
        .where('sale_id', '=', t.dialect.codecs.encodeId(sale.saleId))
        .execute()) as Row[];
      expect(rows).toEqual([]);
    });

    it('given an active milestone, when it completes with a task still open, then it is refused and unchanged; once its tasks are done, completion freezes planned and actual minutes in its row', async () => {
      const d = await started();
      const tasks = await taskRows(d.projectId);
      const design = (await milestoneRows(d.projectId)).find((m) => m['name'] === 'Design')?.[
        'id'
      ] as Delivery.MilestoneId;
      const own = tasks.find((x) => x['milestone_id'] === design)?.['id'] as TaskId;
      const milestone = createCommandHandler(runtime, deliveryBindings.milestone);
      const loadFacts = Delivery.milestoneFacts(definitions, {
        projectId: d.projectId,
        taskIds: d.taskIds,
        actualMinutes: 540,
      });
      expect(
        (await milestone({ streamId: asUuid(design), command: { type: 'activate', at: at(20) }, metadata }))
          .ok,
      ).toBe(true);
      const open = await milestone({
        streamId: asUuid(design),
        command: { type: 'complete', at: at(21) },
        metadata,
        loadFacts,
      });
      expect(!open.ok && open.error.code).toBe('MILESTONE_TASKS_OPEN');
      expect(!open.ok && open.error.details).toMatchObject({ openTaskIds: [own] });
      for (const type of ['start', 'complete'] as const)
        expect((await task()({ streamId: asUuid(own), command: { type, at: at(22) }, metadata })).ok).toBe(
          true,
        );
      expect(
        (
          await milestone({
            streamId: asUuid(design),
            command: { type: 'complete', at: at(23) },
            metadata,
            loadFacts,
          })
        ).ok,
      ).toBe(true);
      const [row] = await rowsOf('milestones', withId(milestonesTable.columns), 'id', design);
      expect(row).toMatchObject({
        state: 'completed',
        sold_minutes: 600,
        planned_minutes: 600,
        actual_minutes: 540,
        version: 3,
      });
    });

    it('given an acknowledged cost variance, when it is resolved by a variance order, then the order’s eroded margin is stored and the price stays as sold', async () => {
      const d = await started();
      const varianceIds: VarianceId[] = [];
      const detect: Delivery.DetectVariance = {
        type: 'detect',
        varianceId: newId() as string as VarianceId,
        projectId: d.projectId,
        constraintId: d.constraintId,
        baselineVersion: 1,
        varianceType: 'cost_over_ceiling',
        milestoneId: null,
        currency: 'EUR',
        sold: 2400_00,
        observed: 2600_00,
        detectedAt: at(30),
      };
      const loadFacts = () =>
        Delivery.varianceFacts(definitions, { projectId: d.projectId, varianceIds, breach: detect });
      expect(
        (
          await variance()({
            streamId: asUuid(detect.varianceId),
            command: detect,
            metadata,
            loadFacts: loadFacts(),
          })
        ).ok,
      ).toBe(true);
      varianceIds.push(detect.varianceId);
      const resolved = await variance()({
        streamId: asUuid(detect.varianceId),
        command: {
          type: 'resolve',
          resolution: 'variance_order',
          cause: 'Senior staff needed',
          amount: eur(200_00),
          by: manager,
          at: at(31),
        },
        metadata,
        loadFacts: loadFacts(),
      });
      expect(resolved.ok).toBe(true);
      expect(await varianceRow(detect.varianceId)).toMatchObject({
        state: 'resolved',
        resolution: 'variance_order',
        unit: 'minor_units',
        currency: 'EUR',
        delta: 200_00,
        variance_order_json: {
          amount: eur(200_00),
          price: eur(4800_00),
          marginAtSale: eur(2400_00),
          marginAfter: eur(2200_00),
          erosionBp: 416,
        },
      });
      expect(await projectRow(d.projectId)).toMatchObject({ sold_value: 4800_00 });
    });

    it('given a task bridged to a ticket, when another task links the same ticket, then the loader’s facts refuse it, and the database refuses it even with forged facts', async () => {
      const d = await started();
      const [a, b] = d.taskIds as [TaskId, TaskId];
      const ticketId = newId();
      const link = (id: TaskId, facts?: Delivery.TaskFacts) =>
        task()({
          streamId: asUuid(id),
          command: { type: 'link_ticket', ticketId },
          metadata,
          ...(facts === undefined
            ? {
                loadFacts: Delivery.taskFacts(definitions, {
                  projectId: d.projectId,
                  taskIds: d.taskIds,
                  varianceIds: [],
                  ticketId,
                }),
              }
            : { facts }),
        });
      expect((await link(a)).ok).toBe(true);
      expect(await taskRow(a)).toMatchObject({ ticket_id: ticketId, version: 2 });
      const taken = await link(b);
      expect(!taken.ok && taken.error.code).toBe('TASK_TICKET_TAKEN');
      expect(!taken.ok && taken.error.details).toMatchObject({ ticketId, taskId: a });
      const forged = await caught(link(b, { ticketHolder: null }));
      expect(forged.code).toBe('DUPLICATE_KEY');
      expect(await taskRow(b)).toMatchObject({ ticket_id: null, version: 1 });
      expect(await events.readStream(asUuid(b))).toHaveLength(1);
    });
  });
}
