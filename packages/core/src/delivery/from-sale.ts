import { type LineGroup, lineTotals } from '../commercial/quote/model.js';
import type { QuoteDetails } from '../commercial/quote/state.js';
import type { SaleCreatedPayload } from '../commercial/sale/sale.js';
import { type IdGenerator, type Instant, ValidationError } from '../kernel/index.js';
import {
  milestoneIdSchema,
  type ProjectId,
  projectIdSchema,
  soldConstraintsIdSchema,
  taskIdSchema,
} from './ids.js';
import type { DefineMilestone } from './milestone/commands.js';
import type { CreateProject } from './project/commands.js';
import type { ProjectStatus } from './project/state.js';
import type { ActiveBaselineFact } from './sold-bounds.js';
import type { CreateBaseline, Rebaseline } from './sold-constraints/commands.js';
import type { Baseline } from './sold-constraints/events.js';
import { type WbsMilestone, wbsTotals } from './sold-constraints/wbs.js';
import type { CreateTask, TaskFacts } from './task/commands.js';

/**
 * The WBS snapshot of a quote version: one task per labour line of its implementation groups (duration =
 * minutes × quantity, copied exactly; sell and cost priced as the quote prices them), grouped by the
 * line's quote milestone (lines without one form a milestone named after their group), ordered by the
 * quote's milestone sequence and then by first appearance.
 *
 * @example
 * ```ts
 * const wbs = wbsFromQuote(version.groups, quote.currency);
 * wbsTotals(wbs, quote.currency).minutes; // Σ labour minutes of the quote
 * ```
 */
export function wbsFromQuote(groups: readonly LineGroup[], currency: string): WbsMilestone[] {
  const byRef = new Map<
    string,
    { name: string; order: number; seq: number; tasks: WbsMilestone['tasks'][number][] }
  >();
  for (const g of groups) {
    if (g.kind !== 'implementation') continue;
    for (const line of g.lines) {
      if (line.kind !== 'labour_task') continue;
      const ref =
        line.milestone === null ? `group:${g.groupId}` : `${line.milestone.sequence}:${line.milestone.name}`;
      let m = byRef.get(ref);
      if (m === undefined) {
        m = {
          name: line.milestone?.name ?? g.title,
          order: byRef.size,
          seq: line.milestone?.sequence ?? Number.MAX_SAFE_INTEGER,
          tasks: [],
        };
        byRef.set(ref, m);
      }
      const totals = lineTotals(line, currency);
      m.tasks.push({
        sourceLineId: line.lineId,
        name: line.description,
        minutes: (line.minutes ?? 0) * line.quantity,
        roleId: line.role?.roleId ?? null,
        sell: totals.sell,
        cost: totals.cost,
      });
    }
  }
  return [...byRef]
    .sort(([, a], [, b]) => a.seq - b.seq || a.order - b.order)
    .map(([ref, m], i) => ({ ref, name: m.name, sequence: i + 1, tasks: m.tasks }));
}

/** Commands for a WBS's milestones and tasks, each task with the facts its plan check needs. */
export interface WbsPlan {
  readonly milestones: readonly DefineMilestone[];
  readonly tasks: readonly { readonly command: CreateTask; readonly facts: TaskFacts }[];
}

function planFromWbs(
  wbs: readonly WbsMilestone[],
  input: {
    readonly projectId: ProjectId;
    readonly baseline: ActiveBaselineFact;
    readonly plannedMinutesElsewhere: number;
    readonly firstSequence: number;
    readonly firstTaskSequence: number;
    readonly projectStatus: ProjectStatus;
    readonly ids: IdGenerator;
    readonly at: Instant;
  },
): WbsPlan {
  const milestones: DefineMilestone[] = [];
  const tasks: { command: CreateTask; facts: TaskFacts }[] = [];
  let planned = input.plannedMinutesElsewhere;
  let sequence = input.firstTaskSequence - 1;
  wbs.forEach((m, i) => {
    const milestoneId = milestoneIdSchema.parse(input.ids.next());
    const soldMinutes = m.tasks.reduce((n, t) => n + t.minutes, 0);
    let plannedInMilestone = 0;
    milestones.push({
      type: 'define',
      milestoneId,
      projectId: input.projectId,
      name: m.name,
      description: null,
      sequence: input.firstSequence + i,
      soldMinutes,
      sourceRef: m.ref,
      at: input.at,
    });
    for (const t of m.tasks) {
      sequence += 1;
      tasks.push({
        command: {
          type: 'create',
          taskId: taskIdSchema.parse(input.ids.next()),
          projectId: input.projectId,
          milestoneId,
          ticketId: null,
          name: t.name,
          estimatedMinutes: t.minutes,
          soldMinutes: t.minutes,
          roleId: t.roleId,
          assigneeId: null,
          sequence,
          sourceLineId: t.sourceLineId,
          at: input.at,
        },
        facts: {
          projectStatus: input.projectStatus,
          plan: {
            baseline: input.baseline,
            variances: [],
            plannedMinutesElsewhere: planned,
            milestone: { milestoneId, soldMinutes, plannedMinutesElsewhere: plannedInMilestone },
          },
        },
      });
      planned += t.minutes;
      plannedInMilestone += t.minutes;
    }
  });
  return { milestones, tasks };
}

/** Everything the acceptance hand-off creates in delivery, as commands for the acceptance transaction. */
export interface DeliveryHandOff extends WbsPlan {
  readonly project: CreateProject;
  readonly soldConstraints: CreateBaseline;
  readonly wbs: readonly WbsMilestone[];
}

/**
 * Builds the delivery side of a quote acceptance from the sale and the accepted quote: the sold project
 * (customer and commercial context inherited, sold minutes and value = the WBS totals), baseline v1 with
 * the WBS snapshot, and one milestone per quote milestone and one task per quote labour task (hierarchy
 * kept, durations copied exactly, estimate = sold). Pure: ids come from `ids`, time from `at`. The
 * acceptance workflow runs these commands as one `AcceptanceStep`, in the sale's transaction. Throws a
 * `ValidationError` when the sale is not of this quote or names a version the quote does not have.
 *
 * @example
 * ```ts
 * const handOff = deliveryFromSale({ sale, quote, siteId: null, ids, at: sale.acceptedAt });
 * await workflow.execute(projects, { streamId: handOff.project.projectId, command: handOff.project });
 * ```
 */
export function deliveryFromSale(input: {
  readonly sale: SaleCreatedPayload;
  readonly quote: QuoteDetails;
  readonly siteId: string | null;
  readonly name?: string;
  readonly ids: IdGenerator;
  readonly at: Instant;
}): DeliveryHandOff {
  const { sale, quote } = input;
  const version = quote.versions.find((v) => v.version === sale.quoteVersion);
  const issues = [
    ...(sale.quoteId === quote.quoteId
      ? []
      : [{ field: 'sale.quoteId', rule: 'must be the quote handed over' }]),
    ...(version === undefined
      ? [{ field: 'sale.quoteVersion', rule: 'must be a version of the quote' }]
      : []),
  ];
  if (issues.length > 0 || version === undefined) throw new ValidationError('delivery hand-off', issues);
  const currency = quote.currency;
  const wbs = wbsFromQuote(version.groups, currency);
  const totals = wbsTotals(wbs, currency);
  const projectId = projectIdSchema.parse(input.ids.next());
  const constraintId = soldConstraintsIdSchema.parse(input.ids.next());
  const project: CreateProject = {
    type: 'create',
    projectId,
    kind: 'sold',
    name: input.name ?? version.title,
    customerId: sale.customerId,
    siteId: input.siteId,
    sourceQuoteId: sale.quoteId,
    saleId: sale.saleId,
    soldConstraintsApply: true,
    soldMinutes: totals.minutes,
    soldValue: totals.sell,
    startDate: null,
    endDate: null,
    at: input.at,
  };
  const soldConstraints: CreateBaseline = {
    type: 'create',
    constraintId,
    projectId,
    reason: 'acceptance',
    saleId: sale.saleId,
    sourceQuoteId: sale.quoteId,
    sourceQuoteVersion: sale.quoteVersion,
    currency,
    wbs,
    approvedBy: null,
    at: input.at,
  };
  const baseline: ActiveBaselineFact = {
    constraintId,
    version: 1,
    soldMinutes: totals.minutes,
    soldValue: totals.sell,
    internalCostCeiling: totals.cost,
    marginAtSale: totals.margin,
  };
  const plan = planFromWbs(wbs, {
    projectId,
    baseline,
    plannedMinutesElsewhere: 0,
    firstSequence: 1,
    firstTaskSequence: 1,
    projectStatus: 'created',
    ids: input.ids,
    at: input.at,
  });
  return { project, soldConstraints, wbs, ...plan };
}

/** The delivery side of an accepted change order. */
export interface ChangeOrderHandOff extends WbsPlan {
  readonly rebaseline: Rebaseline;
}

/**
 * Builds the delivery side of an accepted change order (a new quote whose parent is the original): the next
 * baseline version = the active version's WBS plus the change order's WBS (its milestone refs prefixed
 * with the new quote id), and new milestones and tasks for the added work. The original project, its
 * tasks and every earlier baseline version stay untouched.
 *
 * @example
 * ```ts
 * const co = deliveryFromChangeOrder({ active, quote: changeOrderQuote, quoteVersion: 1, plannedMinutes, milestoneCount: 3, taskCount: 12, projectStatus: 'active', approvedBy, cause, ids, at });
 * await workflow.execute(baselines, { streamId: soldConstraintsStreamId(active.projectId), command: co.rebaseline });
 * ```
 */
export function deliveryFromChangeOrder(input: {
  /** The active baseline version of the project. */
  readonly active: Baseline;
  readonly quote: QuoteDetails;
  readonly quoteVersion: number;
  readonly saleId?: string | null;
  /** Σ estimated minutes of the project's live tasks now. */
  readonly plannedMinutes: number;
  /** How many milestones and tasks the project has (new ones are sequenced after them). */
  readonly milestoneCount: number;
  readonly taskCount: number;
  readonly projectStatus: ProjectStatus;
  readonly approvedBy: string;
  readonly cause: string;
  readonly ids: IdGenerator;
  readonly at: Instant;
}): ChangeOrderHandOff {
  const { active, quote } = input;
  const currency = active.soldValue.currency;
  const version = quote.versions.find((v) => v.version === input.quoteVersion);
  if (version === undefined)
    throw new ValidationError('change order hand-off', [
      { field: 'quoteVersion', rule: 'must be a version of the change-order quote' },
    ]);
  const added = wbsFromQuote(version.groups, currency).map((m, i) => ({
    ...m,
    ref: `${quote.quoteId}/${m.ref}`,
    sequence: active.wbs.length + i + 1,
  }));
  const wbs = [...active.wbs, ...added];
  const totals = wbsTotals(wbs, currency);
  const constraintId = soldConstraintsIdSchema.parse(input.ids.next());
  const rebaseline: Rebaseline = {
    type: 'rebaseline',
    constraintId,
    reason: 'change_order',
    saleId: input.saleId ?? null,
    sourceQuoteId: quote.quoteId,
    referencesQuoteId: quote.parentQuoteId,
    sourceQuoteVersion: input.quoteVersion,
    wbs,
    cause: input.cause,
    approvedBy: input.approvedBy,
    at: input.at,
  };
  const plan = planFromWbs(added, {
    projectId: active.projectId,
    baseline: {
      constraintId,
      version: active.version + 1,
      soldMinutes: totals.minutes,
      soldValue: totals.sell,
      internalCostCeiling: totals.cost,
      marginAtSale: totals.margin,
    },
    plannedMinutesElsewhere: input.plannedMinutes,
    firstSequence: input.milestoneCount + 1,
    firstTaskSequence: input.taskCount + 1,
    projectStatus: input.projectStatus,
    ids: input.ids,
    at: input.at,
  });
  return { rebaseline, ...plan };
}
