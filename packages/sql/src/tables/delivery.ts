import type { CurrencyCode, Delivery, EventDraft, Identity, Instant, Money } from '@pet-ops/core';
import { type ChildTable, defineChildTable, defineStateTable, type StateTable } from '../state-table.js';

type ProjectId = Delivery.ProjectId;
const money = (amountMinor: number, currency: string): Money => ({
  amountMinor,
  currency: currency as CurrencyCode,
});

const projectColumns = {
  state: { type: 'enum' },
  project_kind: { type: 'enum' },
  name: { type: 'text' },
  customer_id: { type: 'id', nullable: true },
  site_id: { type: 'id', nullable: true },
  source_quote_id: { type: 'id', nullable: true },
  sale_id: { type: 'id', nullable: true },
  sold_constraints_apply: { type: 'bool' },
  sold_minutes: { type: 'minutes', nullable: true },
  sold_value: { type: 'money', nullable: true },
  sold_currency: { type: 'text', nullable: true },
  start_date: { type: 'text', nullable: true },
  end_date: { type: 'text', nullable: true },
  planned_at: { type: 'instant', nullable: true },
  activated_at: { type: 'instant', nullable: true },
  closed_at: { type: 'instant', nullable: true },
  cancel_reason: { type: 'text', nullable: true },
  created_at: { type: 'instant' },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `project` aggregate's state table, `<prefix>projects` (spec §2.14).
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(projectsTable)).load(projectId));
 * ```
 */
export const projectsTable: StateTable<Delivery.ProjectState, typeof projectColumns> = defineStateTable({
  streamType: 'project',
  table: 'projects',
  columns: projectColumns,
  initialState: (): Delivery.ProjectState => ({ status: 'absent' }),
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('projectsTable.toRow: an absent project has no row');
    return {
      state: s.status,
      project_kind: s.kind,
      name: s.name,
      customer_id: s.customerId,
      site_id: s.siteId,
      source_quote_id: s.sourceQuoteId,
      sale_id: s.saleId,
      sold_constraints_apply: s.soldConstraintsApply,
      sold_minutes: s.soldMinutes,
      sold_value: s.soldValue?.amountMinor ?? null,
      sold_currency: s.soldValue?.currency ?? null,
      start_date: s.startDate,
      end_date: s.endDate,
      planned_at: s.plannedAt,
      activated_at: s.activatedAt,
      closed_at: s.closedAt,
      cancel_reason: s.cancelReason,
      created_at: s.createdAt,
      archived_at: s.archivedAt,
    };
  },
  fromRow: (r, id) => ({
    status: r.state as Delivery.ProjectStatus,
    projectId: id as ProjectId,
    kind: r.project_kind as Delivery.ProjectKind,
    name: r.name,
    customerId: r.customer_id,
    siteId: r.site_id,
    sourceQuoteId: r.source_quote_id,
    saleId: r.sale_id,
    soldConstraintsApply: r.sold_constraints_apply,
    soldMinutes: r.sold_minutes,
    soldValue: r.sold_value === null ? null : money(r.sold_value, r.sold_currency ?? ''),
    startDate: r.start_date as Identity.IsoDate | null,
    endDate: r.end_date as Identity.IsoDate | null,
    createdAt: r.created_at as Instant,
    plannedAt: r.planned_at as Instant | null,
    activatedAt: r.activated_at as Instant | null,
    closedAt: r.closed_at as Instant | null,
    cancelReason: r.cancel_reason,
    archivedAt: r.archived_at as Instant | null,
  }),
});

const baselineColumns = {
  id: { type: 'id' },
  project_id: { type: 'id' },
  version_number: { type: 'int' },
  reason: { type: 'enum' },
  sale_id: { type: 'id', nullable: true },
  source_quote_id: { type: 'id', nullable: true },
  source_quote_version: { type: 'int', nullable: true },
  currency: { type: 'text' },
  sold_minutes: { type: 'minutes' },
  sold_value: { type: 'money' },
  internal_cost_ceiling: { type: 'money' },
  margin_at_sale: { type: 'money' },
  sold_wbs_json: { type: 'json' },
  cause: { type: 'text', nullable: true },
  approved_by: { type: 'id', nullable: true },
  created_at: { type: 'instant' },
} as const;

const BASELINE_EVENTS: ReadonlySet<string> = new Set(['project.baseline_created', 'project.rebaselined']);

/**
 * `<prefix>project_sold_constraints` (spec §2.15): one immutable row per baseline
 * version, written from `project.baseline_created` / `project.rebaselined` in the same transaction; the
 * database refuses UPDATE and DELETE of its rows.
 *
 * @example `soldConstraintsTable.children` → `[projSoldConstraintsTable]`
 */
export const projSoldConstraintsTable: ChildTable<typeof baselineColumns> = defineChildTable({
  table: 'project_sold_constraints',
  columns: baselineColumns,
  rowsOf: (e: EventDraft) => {
    if (!BASELINE_EVENTS.has(e.type)) return [];
    const b = e.payload as Delivery.Baseline;
    return [
      {
        id: b.constraintId,
        project_id: b.projectId,
        version_number: b.version,
        reason: b.reason,
        sale_id: b.saleId,
        source_quote_id: b.sourceQuoteId,
        source_quote_version: b.sourceQuoteVersion,
        currency: b.soldValue.currency,
        sold_minutes: b.soldMinutes,
        sold_value: b.soldValue.amountMinor,
        internal_cost_ceiling: b.internalCostCeiling.amountMinor,
        margin_at_sale: b.marginAtSale.amountMinor,
        sold_wbs_json: b.wbs,
        cause: b.cause,
        approved_by: b.approvedBy,
        created_at: b.createdAt,
      },
    ];
  },
});

const soldConstraintSetColumns = {
  project_id: { type: 'id' },
  currency: { type: 'text' },
  active_version: { type: 'int' },
  active_constraint_id: { type: 'id' },
  versions_json: { type: 'json' },
} as const;

/**
 * The sold-constraints aggregate's state table, `<prefix>sold_constraint_sets` (one row per project, id =
 * `Delivery.soldConstraintsStreamId(projectId)`): the active version and every version's numbers and WBS;
 * each version is also one immutable `project_sold_constraints` row (its child table).
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(soldConstraintsTable)).load(Delivery.soldConstraintsStreamId(projectId)));
 * ```
 */
export const soldConstraintsTable: StateTable<
  Delivery.SoldConstraintsState,
  typeof soldConstraintSetColumns
> = defineStateTable({
  streamType: 'project_sold_constraints',
  table: 'sold_constraint_sets',
  columns: soldConstraintSetColumns,
  initialState: (): Delivery.SoldConstraintsState => ({ status: 'absent' }),
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('soldConstraintsTable.toRow: no baseline, no row');
    const active = s.versions.find((v) => v.version === s.activeVersion);
    if (active === undefined)
      throw new TypeError('soldConstraintsTable.toRow: the active version is missing');
    return {
      project_id: s.projectId,
      currency: s.currency,
      active_version: s.activeVersion,
      active_constraint_id: active.constraintId,
      versions_json: s.versions,
    };
  },
  fromRow: (r) => ({
    status: 'baselined',
    projectId: r.project_id as ProjectId,
    currency: r.currency,
    versions: r.versions_json as readonly Delivery.Baseline[],
    activeVersion: r.active_version,
  }),
  children: [projSoldConstraintsTable],
});

const milestoneColumns = {
  project_id: { type: 'id' },
  state: { type: 'enum' },
  name: { type: 'text' },
  description: { type: 'longText', nullable: true },
  sequence: { type: 'int' },
  sold_minutes: { type: 'minutes' },
  planned_minutes: { type: 'minutes', nullable: true },
  actual_minutes: { type: 'minutes', nullable: true },
  source_quote_milestone_ref: { type: 'text', nullable: true },
  defined_at: { type: 'instant' },
  completed_at: { type: 'instant', nullable: true },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `milestone` aggregate's state table, `<prefix>milestones` (spec §2.16); planned and actual minutes
 * are the values frozen at completion.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(milestonesTable)).load(milestoneId));
 * ```
 */
export const milestonesTable: StateTable<Delivery.MilestoneState, typeof milestoneColumns> = defineStateTable(
  {
    streamType: 'milestone',
    table: 'milestones',
    columns: milestoneColumns,
    initialState: (): Delivery.MilestoneState => ({ status: 'absent' }),
    toRow: (s) => {
      if (s.status === 'absent') throw new TypeError('milestonesTable.toRow: an absent milestone has no row');
      return {
        project_id: s.projectId,
        state: s.status,
        name: s.name,
        description: s.description,
        sequence: s.sequence,
        sold_minutes: s.soldMinutes,
        planned_minutes: s.frozen?.plannedMinutes ?? null,
        actual_minutes: s.frozen?.actualMinutes ?? null,
        source_quote_milestone_ref: s.sourceRef,
        defined_at: s.definedAt,
        completed_at: s.completedAt,
        archived_at: s.archivedAt,
      };
    },
    fromRow: (r, id) => ({
      status: r.state as Delivery.MilestoneStatus,
      milestoneId: id as Delivery.MilestoneId,
      projectId: r.project_id as ProjectId,
      name: r.name,
      description: r.description,
      sequence: r.sequence,
      soldMinutes: r.sold_minutes,
      sourceRef: r.source_quote_milestone_ref,
      definedAt: r.defined_at as Instant,
      completedAt: r.completed_at as Instant | null,
      frozen:
        r.planned_minutes === null
          ? null
          : { plannedMinutes: r.planned_minutes, actualMinutes: r.actual_minutes ?? 0 },
      archivedAt: r.archived_at as Instant | null,
    }),
  },
);

const taskColumns = {
  project_id: { type: 'id' },
  milestone_id: { type: 'id', nullable: true },
  ticket_id: { type: 'id', nullable: true },
  name: { type: 'text' },
  estimated_minutes: { type: 'minutes' },
  sold_minutes: { type: 'minutes' },
  role_id: { type: 'id', nullable: true },
  assignee_employee_id: { type: 'id', nullable: true },
  sequence: { type: 'int' },
  source_line_id: { type: 'id', nullable: true },
  state: { type: 'enum' },
  started_at: { type: 'instant', nullable: true },
  closed_at: { type: 'instant', nullable: true },
  cancel_reason: { type: 'text', nullable: true },
  created_at: { type: 'instant' },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `task` aggregate's state table, `<prefix>tasks` (spec §2.17); `ticket_id` is UNIQUE in the database.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(tasksTable)).load(taskId));
 * ```
 */
export const tasksTable: StateTable<Delivery.TaskState, typeof taskColumns> = defineStateTable({
  streamType: 'task',
  table: 'tasks',
  columns: taskColumns,
  initialState: (): Delivery.TaskState => ({ status: 'absent' }),
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('tasksTable.toRow: an absent task has no row');
    return {
      project_id: s.projectId,
      milestone_id: s.milestoneId,
      ticket_id: s.ticketId,
      name: s.name,
      estimated_minutes: s.estimatedMinutes,
      sold_minutes: s.soldMinutes,
      role_id: s.roleId,
      assignee_employee_id: s.assigneeId,
      sequence: s.sequence,
      source_line_id: s.sourceLineId,
      state: s.status,
      started_at: s.startedAt,
      closed_at: s.closedAt,
      cancel_reason: s.cancelReason,
      created_at: s.createdAt,
      archived_at: s.archivedAt,
    };
  },
  fromRow: (r, id) => ({
    status: r.state as Delivery.TaskStatus,
    taskId: id as Delivery.TaskId,
    projectId: r.project_id as ProjectId,
    milestoneId: r.milestone_id as Delivery.MilestoneId | null,
    ticketId: r.ticket_id,
    name: r.name,
    estimatedMinutes: r.estimated_minutes,
    soldMinutes: r.sold_minutes,
    roleId: r.role_id,
    assigneeId: r.assignee_employee_id,
    sequence: r.sequence,
    sourceLineId: r.source_line_id,
    createdAt: r.created_at as Instant,
    startedAt: r.started_at as Instant | null,
    closedAt: r.closed_at as Instant | null,
    cancelReason: r.cancel_reason,
    archivedAt: r.archived_at as Instant | null,
  }),
});

const varianceColumns = {
  project_id: { type: 'id' },
  constraint_id: { type: 'id' },
  baseline_version: { type: 'int' },
  variance_type: { type: 'enum' },
  milestone_id: { type: 'id', nullable: true },
  unit: { type: 'enum' },
  currency: { type: 'text', nullable: true },
  sold_value: { type: 'money' },
  observed_value: { type: 'money' },
  delta: { type: 'money' },
  detected_at: { type: 'instant' },
  state: { type: 'enum' },
  cause: { type: 'text', nullable: true },
  acknowledged_by: { type: 'id', nullable: true },
  acknowledged_at: { type: 'instant', nullable: true },
  resolution: { type: 'enum', nullable: true },
  change_order_quote_id: { type: 'id', nullable: true },
  new_baseline_version: { type: 'int', nullable: true },
  resolved_by: { type: 'id', nullable: true },
  resolved_at: { type: 'instant', nullable: true },
  variance_order_json: { type: 'json', nullable: true },
  open_breach: { type: 'text', nullable: true },
} as const;

/**
 * The breach an open variance records, as `project_variances.open_breach` stores it while the variance
 * is open: `uq_open_breach (project_id, open_breach)` lets one open variance record it, whoever detects
 * it at the same moment (migration `2026_12_06_1005`).
 *
 * @example `openBreachKey({ varianceType: 'planned_over_sold', milestoneId: null, baselineVersion: 1 })` → `'planned_over_sold/project/v1'`
 */
export function openBreachKey(breach: {
  readonly varianceType: string;
  readonly milestoneId: string | null;
  readonly baselineVersion: number;
}): string {
  return `${breach.varianceType}/${breach.milestoneId ?? 'project'}/v${breach.baselineVersion}`;
}

type VarianceOrder = Exclude<Delivery.VarianceState, { status: 'absent' }>['varianceOrder'];

/**
 * The `project_variance` aggregate's state table, `<prefix>project_variances` (spec §2.18); the database
 * refuses deleting a row.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(projectVariancesTable)).load(varianceId));
 * ```
 */
export const projectVariancesTable: StateTable<Delivery.VarianceState, typeof varianceColumns> =
  defineStateTable({
    streamType: 'project_variance',
    table: 'project_variances',
    columns: varianceColumns,
    initialState: (): Delivery.VarianceState => ({ status: 'absent' }),
    toRow: (s) => {
      if (s.status === 'absent')
        throw new TypeError('projectVariancesTable.toRow: an absent variance has no row');
      return {
        project_id: s.projectId,
        constraint_id: s.constraintId,
        baseline_version: s.baselineVersion,
        variance_type: s.varianceType,
        milestone_id: s.milestoneId,
        unit: s.unit,
        currency: s.currency,
        sold_value: s.sold,
        observed_value: s.observed,
        delta: s.delta,
        detected_at: s.detectedAt,
        state: s.status,
        cause: s.cause,
        acknowledged_by: s.acknowledgedBy,
        acknowledged_at: s.acknowledgedAt,
        resolution: s.resolved?.resolution ?? null,
        change_order_quote_id: s.resolved?.changeOrderQuoteId ?? null,
        new_baseline_version: s.resolved?.newBaselineVersion ?? null,
        resolved_by: s.resolved?.resolvedBy ?? null,
        resolved_at: s.resolved?.resolvedAt ?? null,
        variance_order_json: s.varianceOrder,
        open_breach: s.status === 'open' ? openBreachKey(s) : null,
      };
    },
    fromRow: (r, id) => ({
      status: r.state as Delivery.VarianceStatus,
      varianceId: id as Delivery.VarianceId,
      projectId: r.project_id as ProjectId,
      constraintId: r.constraint_id as Delivery.SoldConstraintsId,
      baselineVersion: r.baseline_version,
      varianceType: r.variance_type as Delivery.VarianceType,
      milestoneId: r.milestone_id as Delivery.MilestoneId | null,
      unit: r.unit as 'minutes' | 'minor_units',
      currency: r.currency,
      sold: r.sold_value,
      observed: r.observed_value,
      delta: r.delta,
      detectedAt: r.detected_at as Instant,
      cause: r.cause,
      acknowledgedBy: r.acknowledged_by,
      acknowledgedAt: r.acknowledged_at as Instant | null,
      resolved:
        r.resolution === null
          ? null
          : {
              resolution: r.resolution as Delivery.VarianceResolution,
              changeOrderQuoteId: r.change_order_quote_id,
              newBaselineVersion: r.new_baseline_version,
              resolvedBy: r.resolved_by ?? '',
              resolvedAt: r.resolved_at as Instant,
            },
      varianceOrder: r.variance_order_json as VarianceOrder,
    }),
  });
