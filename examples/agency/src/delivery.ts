// Delivery after acceptance, project by project, each command at its simulated business time: a ticket
// per task (the ticket backbone time is booked through), assignees, plan, work (time logged and
// submitted by the assignees), adjustments and a refused edit, completion — and the two overruns: a plan
// beyond sold (refused, recorded as a variance, resolved by a change order whose acceptance creates
// baseline v2) and time beyond sold (a variance at completion, written off).
import {
  type CommandMetadata,
  type Commercial,
  createCommandHandler,
  Delivery,
  type Identity,
  money,
  type Rejection,
  type Result,
  type Support,
  type Uuid,
} from '@pet-ops/core';
import { createQuoting, deliveryBindings, markOpportunityWon, supportBindings } from '@pet-ops/sql';
import type { Agency } from './agency.js';
import { type ChangeOrderTarget, deliveryHandOff, type HandOff } from './hand-off.js';
import { labourLine, type PipelineResult, type SoldDeal } from './pipeline.js';
import type { Progress } from './progress.js';
import { CURRENCY, type Scenario } from './scenario.js';
import type { DeliveryAction, ProjectPlan } from './scenario-execute.js';
import { simClock } from './sim-clock.js';
import { type AdjustmentReport, type RefusalReport, timeDesk } from './time.js';

/** A variance as printed: what breached, by how much, against which baseline, and how it was resolved. */
export interface VarianceReport {
  readonly quoteNumber: string;
  readonly varianceType: string;
  readonly sold: number;
  readonly observed: number;
  readonly delta: number;
  readonly baselineVersion: number;
  readonly resolution: string;
  readonly cause: string;
  readonly changeOrderQuoteNumber: string | null;
  readonly newBaselineVersion: number | null;
}

/** What the delivery part did. */
export interface DeliverySummary {
  readonly projects: number;
  /** Projects by the state they end the quarter in. */
  readonly states: Readonly<Record<'created' | 'planned' | 'active' | 'completed', number>>;
  readonly tasks: number;
  readonly tickets: number;
  readonly variances: readonly VarianceReport[];
  /** The plan beyond sold, refused with its numbers. */
  readonly refusedPlan: RefusalReport | null;
  /** Completion refused while the time-over-sold variance was open. */
  readonly refusedCompletion: RefusalReport | null;
  /** The change order: its quote, the baseline versions' sold minutes (v1 kept, v2 active). */
  readonly changeOrder: {
    readonly quoteNumber: string;
    readonly originalQuoteNumber: string;
    readonly addedMinutes: number;
    readonly soldMinutesByVersion: readonly number[];
  } | null;
  readonly commands: number;
}

/** What delivery leaves for the time part's report. */
export interface DeliveryResult {
  readonly summary: DeliverySummary;
  readonly adjustments: readonly AdjustmentReport[];
  readonly refusedEdit: RefusalReport | null;
}

/** Projects replayed at once (each project's own steps stay in order). */
const CONCURRENCY = 8;

function expectOk<T>(what: string, r: Result<T, Rejection>): T {
  if (!r.ok) throw new Error(`${what} was rejected: [${r.error.code}] ${r.error.message}`);
  return r.value;
}

const asUuid = (id: string): Uuid => id as Uuid;
const refusal = (r: Rejection): RefusalReport => ({ code: r.code, message: r.message, details: r.details });

/**
 * Replays every sold project's quarter (`scenario.execute.projects`), {@link CONCURRENCY} at a time.
 *
 * @example
 * ```ts
 * const delivery = await runDelivery(agency, scenario, { employeeIds, pipeline }, progress);
 * ```
 */
export async function runDelivery(
  agency: Agency,
  scenario: Scenario,
  refs: {
    readonly employeeIds: ReadonlyMap<string, Identity.EmployeeId>;
    readonly pipeline: PipelineResult;
  },
  progress: Progress,
): Promise<DeliveryResult> {
  const plans = scenario.execute.projects;
  const phase = progress.phase('delivery and time', plans.length);
  const definitions = Delivery.definitionsOf(deliveryBindings);
  const totals = { tasks: 0, tickets: 0, commands: 0 };
  const states = { created: 0, planned: 0, active: 0, completed: 0 };
  const variances: VarianceReport[] = [];
  const adjustments: AdjustmentReport[] = [];
  let refusedPlan: RefusalReport | null = null;
  let refusedCompletion: RefusalReport | null = null;
  let refusedEdit: RefusalReport | null = null;
  let changeOrder: DeliverySummary['changeOrder'] = null;
  const entryIds = new Map<number, string>();
  const employeeName = new Map(scenario.employees.map((e) => [e.key, `${e.firstName} ${e.lastName}`]));

  async function replay(plan: ProjectPlan): Promise<void> {
    const deal: SoldDeal | undefined = refs.pipeline.sold.get(plan.leadIndex);
    if (deal === undefined) throw new Error(`lead ${plan.leadIndex} has no sale`);
    const clock = simClock(plan.acceptedAt);
    const runtime = agency.runtime(clock);
    const ids = runtime.ids;
    const at = (): ReturnType<typeof clock.now> => clock.now();
    const pm: CommandMetadata = {
      actor: { type: 'employee', id: deal.ownerId },
      context: { customerId: deal.customerId },
    };
    const count = (): void => {
      totals.commands++;
    };
    const project = createCommandHandler(runtime, deliveryBindings.project);
    const task = createCommandHandler(runtime, deliveryBindings.task);
    const variance = createCommandHandler(runtime, deliveryBindings.variance);
    const ticket = createCommandHandler(runtime, supportBindings.ticket);
    const desk = timeDesk(runtime);
    const projectId = deal.delivery.projectId;
    const milestoneIds = [...deal.delivery.milestoneIds];
    const varianceIds: Delivery.VarianceId[] = [];
    let actualMinutes = 0;

    // The hand-off's tasks, in the quote's line order (one milestone per line, so sequence = order).
    const loaded = await agency.unitOfWork.run(async (scope) => {
      const out: { taskId: Delivery.TaskId; sequence: number; minutes: number }[] = [];
      for (const id of deal.delivery.taskIds) {
        const s = (await scope.aggregate(definitions.task).load(asUuid(id))).state;
        if (s.status === 'absent') throw new Error(`task ${id} is missing`);
        out.push({ taskId: s.taskId, sequence: s.sequence, minutes: s.estimatedMinutes });
      }
      return out.sort((a, b) => a.sequence - b.sequence);
    });
    const taskIds: Delivery.TaskId[] = loaded.map((t) => t.taskId);
    loaded.forEach((t, i) => {
      if (t.minutes !== plan.tasks[i]?.minutes)
        throw new Error(`task ${i} of lead ${plan.leadIndex} differs from its line`);
    });
    const ticketIds: Support.TicketId[] = [];
    const taskFacts = (extra: { ticketId?: string } = {}) =>
      Delivery.taskFacts(definitions, { projectId, taskIds, varianceIds, ...extra });
    const projectFacts = () => Delivery.projectFacts(definitions, { taskIds, varianceIds, actualMinutes });
    const varianceFacts = (breach?: Delivery.DetectVariance) =>
      Delivery.varianceFacts(definitions, {
        projectId,
        varianceIds,
        ...(breach === undefined ? {} : { breach }),
      });
    const ticketStatus = async (i: number, to: Support.TicketStatus): Promise<void> => {
      count();
      expectOk(
        `moving a task's ticket to ${to}`,
        await ticket({
          streamId: asUuid(ticketIds[i]!),
          command: { type: 'change_status', to, at: at() },
          metadata: pm,
        }),
      );
    };

    /** The task's ticket (project-owned, the task's sold minutes), the link, and its assignee. */
    const prepareTask = async (i: number): Promise<void> => {
      const t = plan.tasks[i]!;
      const ticketId = ids.next() as unknown as Support.TicketId;
      count();
      expectOk(
        'opening a task ticket',
        await ticket({
          streamId: asUuid(ticketId),
          command: {
            type: 'create',
            ticketId,
            owner: 'project',
            customerId: null,
            siteId: null,
            projectId: projectId as unknown as Support.ProjectId,
            subject: t.title,
            priority: 'medium',
            kind: 'work',
            soldMinutes: t.minutes,
            sla: { mode: 'opt_out', reason: 'project work is held to its sold baseline' },
            parentTicketId: null,
            at: at(),
          },
          metadata: pm,
        }),
      );
      ticketIds[i] = ticketId;
      totals.tickets++;
      count();
      expectOk(
        'linking the task to its ticket',
        await task({
          streamId: asUuid(taskIds[i]!),
          command: { type: 'link_ticket', ticketId },
          metadata: pm,
          loadFacts: taskFacts({ ticketId }),
        }),
      );
      if (t.assigneeKey !== null) {
        count();
        expectOk(
          'assigning the task',
          await task({
            streamId: asUuid(taskIds[i]!),
            command: { type: 'update', changes: { assigneeId: refs.employeeIds.get(t.assigneeKey)! } },
            metadata: pm,
            loadFacts: taskFacts(),
          }),
        );
      }
      totals.tasks++;
    };

    // The change order's quote, opened with the original as its parent.
    const coQuoteId = ids.next() as unknown as Commercial.QuoteId;
    let coQuoteNumber = '';
    let coVersion = 0;
    let coApplied: Delivery.AppliedChangeOrder | null = null;
    let overrunVariance: Delivery.DetectVariance | null = null;
    const quoting = createQuoting({
      runtime,
      acceptanceSteps: [
        markOpportunityWon,
        deliveryHandOff({
          ids,
          target: (parent): ChangeOrderTarget | undefined =>
            parent === deal.quoteId
              ? {
                  projectId,
                  taskIds,
                  milestoneCount: milestoneIds.length,
                  approvedBy: deal.ownerId,
                  cause: 'The customer bought the extra work the plan needs',
                }
              : undefined,
          record: (_quoteId, handOff: HandOff) => {
            if (handOff.kind === 'change_order') coApplied = handOff.applied;
          },
        }),
      ],
    });
    const quoteCommand = async (
      what: string,
      command: Parameters<typeof quoting.handle>[0]['command'],
    ): Promise<Commercial.QuoteState> => {
      count();
      return expectOk(what, await quoting.handle({ quoteId: coQuoteId, command }, pm)).state;
    };

    const step = async (a: DeliveryAction): Promise<void> => {
      clock.set(a.at);
      switch (a.kind) {
        case 'plan': {
          for (let i = 0; i < taskIds.length; i++) await prepareTask(i);
          count();
          expectOk(
            'planning the project',
            await project({
              streamId: asUuid(projectId),
              command: { type: 'plan', at: at() },
              metadata: pm,
              loadFacts: projectFacts(),
            }),
          );
          return;
        }
        case 'overrun': {
          const planned = loaded.reduce((s, t) => s + t.minutes, 0);
          count();
          const r = await task({
            streamId: asUuid(taskIds[a.taskIndex]!),
            command: {
              type: 're_estimate',
              estimatedMinutes: plan.tasks[a.taskIndex]!.minutes + a.extraMinutes,
              at: at(),
            },
            metadata: pm,
            loadFacts: taskFacts(),
          });
          if (r.ok) throw new Error('a plan beyond sold was accepted');
          refusedPlan = refusal(r.error);
          const check = await agency.unitOfWork.run(async (scope) =>
            Delivery.checkAgainstSold(
              {
                baseline: await Delivery.loadActiveBaseline(scope, definitions, projectId),
                variances: await Delivery.loadVarianceFacts(scope, definitions, varianceIds),
              },
              'planned_over_sold',
              planned + a.extraMinutes,
            ),
          );
          const detect = Delivery.detectionFor(check, {
            varianceId: ids.next() as unknown as Delivery.VarianceId,
            projectId,
            currency: null,
            detectedAt: at(),
          });
          if (detect === null) throw new Error('the plan beyond sold is no breach');
          count();
          expectOk(
            'recording the variance',
            await variance({
              streamId: asUuid(detect.varianceId),
              command: detect,
              metadata: pm,
              loadFacts: varianceFacts(detect),
            }),
          );
          varianceIds.push(detect.varianceId);
          overrunVariance = detect;
          return;
        }
        case 'change_order_sent': {
          count();
          const opened = expectOk(
            'opening the change order',
            await quoting.open(
              {
                quoteId: coQuoteId,
                opportunityId: deal.opportunityId,
                customerId: deal.customerId,
                currency: CURRENCY,
                title: `Change order to ${deal.quoteNumber}`,
                parentQuoteId: deal.quoteId,
              },
              pm,
            ),
          );
          if (opened.state.status !== 'absent') coQuoteNumber = opened.state.quoteNumber;
          const groupId = ids.next();
          await quoteCommand('adding the change order group', {
            type: 'add_group',
            groupId,
            kind: 'implementation',
            title: 'Change order',
            recurring: null,
          });
          await quoteCommand('adding the change order line', {
            type: 'add_line',
            groupId,
            line: labourLine(a.line, 1, ids.next(), refs.pipeline.roleId(a.line.roleId)),
          });
          const sell = Math.round((a.line.sellRateMinor * a.line.minutes) / 60);
          await quoteCommand('defining the payment schedule', {
            type: 'define_payment_schedule',
            items: [
              { itemId: ids.next(), title: 'On acceptance', amount: money(sell, CURRENCY), dueDate: null },
            ],
          });
          count();
          let sent = await quoting.handle({ quoteId: coQuoteId, command: { type: 'send' } }, pm);
          if (!sent.ok && sent.error.code === 'QUOTE_APPROVAL_REQUIRED') {
            await quoteCommand('approving the change order', {
              type: 'approve',
              approverEmployeeId: deal.ownerId,
            });
            count();
            sent = await quoting.handle({ quoteId: coQuoteId, command: { type: 'send' } }, pm);
          }
          const state = expectOk('sending the change order', sent).state;
          if (state.status === 'absent') throw new Error('the change order vanished');
          coVersion = state.versions.at(-1)!.version;
          return;
        }
        case 'change_order_accepted': {
          count();
          expectOk(
            'accepting the change order',
            await quoting.accept(
              {
                quoteId: coQuoteId,
                saleId: ids.next() as unknown as Commercial.SaleId,
                version: coVersion,
                acceptedBy: deal.ownerId,
                acceptedAt: at(),
              },
              pm,
            ),
          );
          const applied = coApplied as Delivery.AppliedChangeOrder | null;
          if (applied === null) throw new Error('the change order created no baseline');
          taskIds.push(...applied.taskIds);
          milestoneIds.push(...applied.milestoneIds);
          for (let i = loaded.length; i < taskIds.length; i++) await prepareTask(i);
          const detect = overrunVariance as Delivery.DetectVariance | null;
          if (detect === null) throw new Error('no variance to resolve');
          const cause = 'The plan needs more than was sold; the customer bought it as a change order';
          count();
          expectOk(
            'resolving the variance by the change order',
            await variance({
              streamId: asUuid(detect.varianceId),
              command: {
                type: 'resolve',
                resolution: 'change_order',
                cause,
                changeOrderQuoteId: coQuoteId,
                newBaselineVersion: applied.version,
                by: deal.ownerId,
                at: at(),
              },
              metadata: pm,
              loadFacts: varianceFacts(),
            }),
          );
          const versions = await agency.unitOfWork.run(async (scope) => {
            const s = (
              await scope
                .aggregate(definitions.soldConstraints)
                .load(Delivery.soldConstraintsStreamId(projectId))
            ).state;
            return s.status === 'absent' ? [] : s.versions.map((v) => v.soldMinutes);
          });
          variances.push({
            quoteNumber: deal.quoteNumber,
            varianceType: detect.varianceType,
            sold: detect.sold,
            observed: detect.observed,
            delta: detect.observed - detect.sold,
            baselineVersion: detect.baselineVersion,
            resolution: 'change_order',
            cause,
            changeOrderQuoteNumber: coQuoteNumber,
            newBaselineVersion: applied.version,
          });
          changeOrder = {
            quoteNumber: coQuoteNumber,
            originalQuoteNumber: deal.quoteNumber,
            addedMinutes: plan.tasks.slice(loaded.length).reduce((s, t) => s + t.minutes, 0),
            soldMinutesByVersion: versions,
          };
          return;
        }
        case 'task_start':
          count();
          expectOk(
            'starting a task',
            await task({
              streamId: asUuid(taskIds[a.taskIndex]!),
              command: { type: 'start', at: at() },
              metadata: pm,
            }),
          );
          await ticketStatus(a.taskIndex, 'ready');
          await ticketStatus(a.taskIndex, 'in_progress');
          return;
        case 'activate':
          count();
          expectOk(
            'activating the project',
            await project({
              streamId: asUuid(projectId),
              command: { type: 'activate', at: at() },
              metadata: pm,
              loadFacts: projectFacts(),
            }),
          );
          return;
        case 'entry': {
          const e = scenario.execute.entries[a.entryIndex]!;
          totals.commands += 2;
          const id = await desk.logAndSubmit({
            employeeId: refs.employeeIds.get(e.employeeKey)!,
            taskId: taskIds[e.taskIndex]!,
            start: e.start,
            minutes: e.minutes,
            description: `${plan.tasks[e.taskIndex]!.title} — ${deal.quoteNumber}`,
            submittedAt: a.at,
          });
          entryIds.set(e.index, id);
          actualMinutes += e.minutes;
          return;
        }
        case 'adjust': {
          const adj = scenario.execute.adjustments[a.adjustmentIndex]!;
          const e = scenario.execute.entries[adj.entryIndex]!;
          count();
          const net = await desk.adjust({
            entryId: entryIds.get(e.index)! as never,
            authorId: refs.employeeIds.get(e.employeeKey)!,
            change: adj.change,
            reason: adj.reason,
            at: a.at,
          });
          if (adj.change.kind === 'duration_delta') actualMinutes += adj.change.deltaMinutes;
          adjustments.push({
            employee: employeeName.get(e.employeeKey)!,
            date: e.date,
            change:
              adj.change.kind === 'duration_delta'
                ? `${adj.change.deltaMinutes} min`
                : `billable → ${adj.change.billable ? 'yes' : 'no'}`,
            reason: adj.reason,
            netMinutes: net,
          });
          return;
        }
        case 'refused_edit': {
          const e = scenario.execute.entries[a.entryIndex]!;
          count();
          const r = await desk.tryEdit({
            entryId: entryIds.get(e.index)! as never,
            employeeId: refs.employeeIds.get(e.employeeKey)!,
            end: e.start + (e.minutes - 30) * 60_000,
            at: a.at,
          });
          if (r === null) throw new Error('an edit of submitted time was accepted');
          refusedEdit = refusal(r);
          return;
        }
        case 'task_complete':
          count();
          expectOk(
            'completing a task',
            await task({
              streamId: asUuid(taskIds[a.taskIndex]!),
              command: { type: 'complete', at: at() },
              metadata: pm,
            }),
          );
          await ticketStatus(a.taskIndex, 'done');
          return;
        case 'close': {
          // Actual against sold, as the PM checks before closing: a breach is a variance.
          const check = await agency.unitOfWork.run(async (scope) =>
            Delivery.checkAgainstSold(
              {
                baseline: await Delivery.loadActiveBaseline(scope, definitions, projectId),
                variances: await Delivery.loadVarianceFacts(scope, definitions, varianceIds),
              },
              'actual_over_sold',
              actualMinutes,
            ),
          );
          const detect = Delivery.detectionFor(check, {
            varianceId: ids.next() as unknown as Delivery.VarianceId,
            projectId,
            currency: null,
            detectedAt: at(),
          });
          if ((detect !== null) !== a.writeOff)
            throw new Error(`lead ${plan.leadIndex}: actual vs sold is not as planned`);
          if (detect !== null) {
            count();
            expectOk(
              'recording the variance',
              await variance({
                streamId: asUuid(detect.varianceId),
                command: detect,
                metadata: pm,
                loadFacts: varianceFacts(detect),
              }),
            );
            varianceIds.push(detect.varianceId);
            count();
            const blocked = await project({
              streamId: asUuid(projectId),
              command: { type: 'complete', at: at() },
              metadata: pm,
              loadFacts: projectFacts(),
            });
            if (blocked.ok) throw new Error('a project with an open variance completed');
            refusedCompletion = refusal(blocked.error);
            clock.set(a.at + 30 * 60_000);
            const cause = 'The first task took longer than estimated; the agency absorbs it';
            count();
            expectOk(
              'writing the variance off',
              await variance({
                streamId: asUuid(detect.varianceId),
                command: { type: 'resolve', resolution: 'write_off', cause, by: deal.ownerId, at: at() },
                metadata: pm,
                loadFacts: varianceFacts(),
              }),
            );
            variances.push({
              quoteNumber: deal.quoteNumber,
              varianceType: detect.varianceType,
              sold: detect.sold,
              observed: detect.observed,
              delta: detect.observed - detect.sold,
              baselineVersion: detect.baselineVersion,
              resolution: 'write_off',
              cause,
              changeOrderQuoteNumber: null,
              newBaselineVersion: null,
            });
            clock.set(a.at + 60 * 60_000);
          }
          count();
          expectOk(
            'completing the project',
            await project({
              streamId: asUuid(projectId),
              command: { type: 'complete', at: at() },
              metadata: pm,
              loadFacts: projectFacts(),
            }),
          );
          return;
        }
      }
    };
    for (const a of plan.actions) await step(a);
    const final = await agency.unitOfWork.run((scope) =>
      scope.aggregate(definitions.project).load(asUuid(projectId)),
    );
    if (final.state.status === 'absent') throw new Error('the project vanished');
    const s = final.state.status;
    if (s !== plan.finalState)
      throw new Error(`lead ${plan.leadIndex}: the project ends ${s}, planned ${plan.finalState}`);
    states[s as keyof typeof states]++;
  }

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plans.length) {
      const plan = plans[next++]!;
      await replay(plan);
      phase.tick();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  variances.sort((a, b) => a.resolution.localeCompare(b.resolution));
  phase.done(
    `${plans.length} projects (${states.completed} completed, ${states.active} active, ${states.planned} planned, ${states.created} created), ${totals.tasks} tasks, ${variances.length} variances (${totals.commands} commands)`,
  );
  return {
    summary: {
      projects: plans.length,
      states,
      ...totals,
      variances,
      refusedPlan,
      refusedCompletion,
      changeOrder,
    },
    adjustments: adjustments.sort((a, b) => a.date.localeCompare(b.date) || a.reason.localeCompare(b.reason)),
    refusedEdit,
  };
}
