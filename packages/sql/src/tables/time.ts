import type { Calendar, EventDraft, Identity, Instant, Time } from '@pet-ops/core';
import { type ChildTable, defineChildTable, defineStateTable, type StateTable } from '../state-table.js';

const adjustmentColumns = {
  id: { type: 'id' },
  time_entry_id: { type: 'id' },
  type: { type: 'enum' },
  delta_minutes: { type: 'minutes' },
  new_is_billable: { type: 'bool', nullable: true },
  new_work_type: { type: 'enum', nullable: true },
  new_ticket_id: { type: 'id', nullable: true },
  new_task_id: { type: 'id', nullable: true },
  new_operational_bucket_id: { type: 'id', nullable: true },
  reason: { type: 'text' },
  created_at: { type: 'instant' },
  created_by_employee_id: { type: 'id' },
} as const;

/**
 * `<prefix>time_entry_adjustments`: one append-only row per `time_entry.adjusted` event, written with the
 * entry's events in the same transaction (the database refuses UPDATE and DELETE of these rows).
 *
 * @example
 * ```ts
 * timeEntryAdjustmentsTable.rowsOf(adjustedDraft, entryId); // [{ id: adjustmentId, delta_minutes: -60, … }]
 * ```
 */
export const timeEntryAdjustmentsTable: ChildTable<typeof adjustmentColumns> = defineChildTable({
  table: 'time_entry_adjustments',
  columns: adjustmentColumns,
  rowsOf: (event: EventDraft, entryId: string) => {
    if (event.type !== 'time_entry.adjusted') return [];
    const p = event.payload as Time.TimeEntryAdjustedPayload;
    return [
      {
        id: p.adjustmentId,
        time_entry_id: entryId,
        type: p.adjustmentType,
        delta_minutes: p.deltaMinutes,
        new_is_billable: p.newBillable,
        new_work_type: p.newWorkType,
        new_ticket_id: p.newTicketId,
        new_task_id: p.newTaskId,
        new_operational_bucket_id: p.newBucketId,
        reason: p.reason,
        created_at: p.at,
        created_by_employee_id: p.authorId,
      },
    ];
  },
});

const timeEntryColumns = {
  state: { type: 'enum' },
  employee_id: { type: 'id' },
  ticket_id: { type: 'id', nullable: true },
  task_id: { type: 'id', nullable: true },
  operational_bucket_id: { type: 'id', nullable: true },
  project_id: { type: 'id', nullable: true },
  start_time: { type: 'instant' },
  end_time: { type: 'instant' },
  duration_minutes: { type: 'minutes' },
  is_billable: { type: 'bool', nullable: true },
  work_type: { type: 'enum', nullable: true },
  description: { type: 'longText' },
  work_date: { type: 'text', nullable: true },
  attested_by_employee_id: { type: 'id', nullable: true },
  submitted_at: { type: 'instant', nullable: true },
  locked_by_employee_id: { type: 'id', nullable: true },
  locked_at: { type: 'instant', nullable: true },
  commercial_snapshot_json: { type: 'json', nullable: true },
  net_minutes: { type: 'minutes' },
  adjustments_json: { type: 'json' },
  created_at: { type: 'instant' },
} as const;

/**
 * The `time_entry` aggregate's state table, `<prefix>time_entries`, with its append-only child
 * `time_entry_adjustments`. Content columns change only while the entry is a draft: no event after
 * `time_entry.submitted` changes them, so from then on the unit of work writes them with the same
 * values, and a lock or an adjustment changes only `state`, the lock columns, `net_minutes` and
 * `adjustments_json` (the fold's copy of the adjustment rows, so the entry loads from its row alone).
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: [timeEntriesTable] });
 * await uow.run((scope) => scope.aggregate(aggregateOf(timeEntriesTable)).load(entryId));
 * ```
 */
export const timeEntriesTable: StateTable<Time.TimeEntryState, typeof timeEntryColumns> = defineStateTable({
  streamType: 'time_entry',
  table: 'time_entries',
  columns: timeEntryColumns,
  children: [timeEntryAdjustmentsTable],
  initialState: (): Time.TimeEntryState => ({ status: 'absent' }),
  toRow: (s) => {
    // An absent aggregate is never saved: saving needs events, and every event makes it present.
    if (s.status === 'absent') throw new TypeError('timeEntriesTable.toRow: an absent entry has no row');
    const content = {
      state: s.status,
      employee_id: s.employeeId,
      ticket_id: s.ticketId,
      task_id: s.taskId,
      operational_bucket_id: s.bucketId,
      start_time: s.start,
      end_time: s.end,
      duration_minutes: s.minutes,
      is_billable: s.billable,
      work_type: s.workType,
      description: s.description,
      created_at: s.createdAt,
    };
    if (s.status === 'draft')
      return {
        ...content,
        project_id: null,
        work_date: null,
        attested_by_employee_id: null,
        submitted_at: null,
        locked_by_employee_id: null,
        locked_at: null,
        commercial_snapshot_json: null,
        net_minutes: s.minutes,
        adjustments_json: [],
      };
    const locked = s.status === 'locked';
    return {
      ...content,
      project_id: s.projectId,
      work_date: s.workDate,
      attested_by_employee_id: s.attestedBy,
      submitted_at: s.submittedAt,
      locked_by_employee_id: locked ? s.lockedBy : null,
      locked_at: locked ? s.lockedAt : null,
      commercial_snapshot_json: locked ? s.commercial : null,
      net_minutes: s.adjustments.reduce((sum, a) => sum + a.deltaMinutes, s.minutes),
      adjustments_json: s.adjustments,
    };
  },
  fromRow: (r, id) => {
    const content: Time.TimeEntryContent = {
      timeEntryId: id as Time.TimeEntryId,
      employeeId: r.employee_id as Identity.EmployeeId,
      start: r.start_time as Instant,
      end: r.end_time as Instant,
      minutes: r.duration_minutes,
      description: r.description,
      billable: r.is_billable,
      workType: r.work_type as Time.WorkType | null,
      ticketId: r.ticket_id as Time.TicketId | null,
      taskId: r.task_id as Time.TaskId | null,
      bucketId: r.operational_bucket_id as Time.OperationalBucketId | null,
      createdAt: r.created_at as Instant,
    };
    if (r.state === 'draft') return { ...content, status: 'draft' };
    const attested = {
      ...content,
      ticketId: r.ticket_id as Time.TicketId,
      projectId: r.project_id as Time.ProjectId | null,
      workDate: r.work_date as Calendar.LocalDate,
      attestedBy: r.attested_by_employee_id as Identity.EmployeeId,
      submittedAt: r.submitted_at as Instant,
      adjustments: r.adjustments_json as readonly Time.TimeEntryAdjustment[],
    };
    if (r.state === 'submitted') return { ...attested, status: 'submitted' };
    return {
      ...attested,
      status: 'locked',
      lockedAt: r.locked_at as Instant,
      lockedBy: r.locked_by_employee_id as Identity.EmployeeId | null,
      commercial: r.commercial_snapshot_json as Time.CommercialSnapshot,
    };
  },
});

const allocationColumns = {
  state: { type: 'enum' },
  layer: { type: 'enum' },
  employee_id: { type: 'id', nullable: true },
  role_id: { type: 'id', nullable: true },
  department_id: { type: 'id', nullable: true },
  source_type: { type: 'enum' },
  source_id: { type: 'id' },
  period_start: { type: 'text' },
  period_end: { type: 'text' },
  planned_minutes: { type: 'minutes' },
  probability_weight: { type: 'basisPoints' },
  weighted_minutes: { type: 'minutes' },
  planned_at: { type: 'instant' },
  superseded_by_id: { type: 'id', nullable: true },
  release_reason: { type: 'enum', nullable: true },
  ended_at: { type: 'instant', nullable: true },
} as const;

function subjectOf(r: {
  employee_id: string | null;
  role_id: string | null;
  department_id: string | null;
}): Time.AllocationSubject {
  if (r.employee_id !== null) return { kind: 'employee', employeeId: r.employee_id as Identity.EmployeeId };
  if (r.role_id !== null) return { kind: 'role', roleId: r.role_id as Time.RoleId };
  return { kind: 'department', departmentId: r.department_id as Time.DepartmentId };
}

/**
 * The `resource_allocation` aggregate's state table, `<prefix>resource_allocations` (exactly one of
 * `employee_id`, `role_id`, `department_id` is set: the allocation's subject).
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: [resourceAllocationsTable] });
 * await uow.run((scope) => scope.aggregate(aggregateOf(resourceAllocationsTable)).load(allocationId));
 * ```
 */
export const resourceAllocationsTable: StateTable<Time.ResourceAllocationState, typeof allocationColumns> =
  defineStateTable({
    streamType: 'resource_allocation',
    table: 'resource_allocations',
    columns: allocationColumns,
    initialState: (): Time.ResourceAllocationState => ({ status: 'absent' }),
    toRow: (s) => {
      if (s.status === 'absent')
        throw new TypeError('resourceAllocationsTable.toRow: an absent allocation has no row');
      const subject = s.subject;
      return {
        state: s.status,
        layer: s.layer,
        employee_id: subject.kind === 'employee' ? subject.employeeId : null,
        role_id: subject.kind === 'role' ? subject.roleId : null,
        department_id: subject.kind === 'department' ? subject.departmentId : null,
        source_type: s.source.type,
        source_id: s.source.id,
        period_start: s.periodStart,
        period_end: s.periodEnd,
        planned_minutes: s.plannedMinutes,
        probability_weight: s.probabilityBp,
        weighted_minutes: s.weightedMinutes,
        planned_at: s.plannedAt,
        superseded_by_id: s.status === 'superseded' ? s.supersededBy : null,
        release_reason: s.status === 'released' ? s.releaseReason : null,
        ended_at: s.status === 'active' ? null : s.endedAt,
      };
    },
    fromRow: (r, id) => {
      const details: Time.AllocationDetails = {
        allocationId: id as Time.ResourceAllocationId,
        layer: r.layer as Time.AllocationLayer,
        subject: subjectOf(r),
        source: { type: r.source_type as Time.AllocationSource['type'], id: r.source_id },
        periodStart: r.period_start as Calendar.LocalDate,
        periodEnd: r.period_end as Calendar.LocalDate,
        plannedMinutes: r.planned_minutes,
        probabilityBp: r.probability_weight as Time.AllocationDetails['probabilityBp'],
        weightedMinutes: r.weighted_minutes,
        plannedAt: r.planned_at as Instant,
      };
      switch (r.state) {
        case 'superseded':
          return {
            ...details,
            status: 'superseded',
            supersededBy: r.superseded_by_id as Time.ResourceAllocationId,
            endedAt: r.ended_at as Instant,
          };
        case 'released':
          return {
            ...details,
            status: 'released',
            releaseReason: r.release_reason as Time.AllocationReleaseReason,
            endedAt: r.ended_at as Instant,
          };
        default:
          return { ...details, status: 'active' };
      }
    },
  });
