import type { LocalDate } from '../../calendar/index.js';
import type { EmployeeId } from '../../identity/index.js';
import type { Instant } from '../../kernel/index.js';
import type {
  OperationalBucketId,
  ProjectId,
  TaskId,
  TicketId,
  TimeEntryAdjustmentId,
  TimeEntryId,
} from '../ids.js';
import type { CommercialSnapshot } from './commercial.js';
import type { AdjustmentType, TimeEntryEvent } from './events.js';
import type { WorkAttribution, WorkType } from './work-context.js';

/** A time entry's lifecycle: draft → submitted → locked. Nothing goes back; locked is terminal. */
export type TimeEntryStatus = 'draft' | 'submitted' | 'locked';

/** The recorded content of an entry (the `time_entries` row); frozen from submission on. */
export interface TimeEntryContent extends WorkAttribution {
  readonly timeEntryId: TimeEntryId;
  /** The owner: the only one who edits the draft and attests it. */
  readonly employeeId: EmployeeId;
  readonly start: Instant;
  readonly end: Instant;
  /** ⌈(end − start) / 60 s⌉, always ≥ 1. */
  readonly minutes: number;
  readonly description: string;
  readonly createdAt: Instant;
}

/** One adjustment row as recorded (`time_entry_adjustments`). */
export interface TimeEntryAdjustment {
  readonly adjustmentId: TimeEntryAdjustmentId;
  readonly adjustmentType: AdjustmentType;
  readonly deltaMinutes: number;
  readonly newBillable: boolean | null;
  readonly newWorkType: WorkType | null;
  readonly newTicketId: TicketId | null;
  readonly newTaskId: TaskId | null;
  readonly newBucketId: OperationalBucketId | null;
  readonly reason: string;
  readonly authorId: EmployeeId;
  readonly at: Instant;
}

/**
 * What submission fixed: the resolved leaf ticket (written into the entry's `ticketId`, which only a
 * draft may leave empty), the project, the work date and the attestation.
 */
export interface SubmissionRecord {
  readonly ticketId: TicketId;
  readonly projectId: ProjectId | null;
  readonly workDate: LocalDate;
  readonly attestedBy: EmployeeId;
  readonly submittedAt: Instant;
  /** Adjustments in the order they were recorded (the content above never changes). */
  readonly adjustments: readonly TimeEntryAdjustment[];
}

/** A time entry's state, a union on `status` (`absent` = no stream yet). */
export type TimeEntryState =
  | { readonly status: 'absent' }
  | (TimeEntryContent & { readonly status: 'draft' })
  | (TimeEntryContent & SubmissionRecord & { readonly status: 'submitted' })
  | (TimeEntryContent &
      SubmissionRecord & {
        readonly status: 'locked';
        readonly lockedAt: Instant;
        readonly lockedBy: EmployeeId | null;
        readonly commercial: CommercialSnapshot;
      });

/** A submitted or locked entry (the only ones adjustments apply to). */
export type AttestedTimeEntry = Extract<TimeEntryState, { status: 'submitted' | 'locked' }>;

/** The state before any event. @example `initialTimeEntryState()` → `{ status: 'absent' }` */
export function initialTimeEntryState(): TimeEntryState {
  return { status: 'absent' };
}

/**
 * Net minutes of an attested entry: the original duration plus every adjustment's delta (≥ 0 by
 * construction: the decider refuses an adjustment that would make it negative).
 *
 * @example `netMinutes(state)` // 240 original − 60 adjusted → 180
 */
export function netMinutes(entry: AttestedTimeEntry): number {
  return entry.adjustments.reduce((sum, a) => sum + a.deltaMinutes, entry.minutes);
}

/**
 * The attribution in force after every reclassification and re-attribution, in recorded order (the
 * original columns are never touched; readers take this instead). The ticket is the resolved leaf.
 *
 * @example `effectiveAttribution(state).billable` // false after a reclassification to non-billable
 */
export function effectiveAttribution(entry: AttestedTimeEntry): EffectiveAttribution {
  let current: EffectiveAttribution = {
    billable: entry.billable,
    workType: entry.workType,
    ticketId: entry.ticketId,
    taskId: entry.taskId,
    bucketId: entry.bucketId,
  };
  for (const a of entry.adjustments) {
    if (a.adjustmentType === 'reclassify')
      current = {
        ...current,
        ...(a.newBillable === null ? {} : { billable: a.newBillable }),
        ...(a.newWorkType === null ? {} : { workType: a.newWorkType }),
      };
    else if (a.adjustmentType === 'reattribute' && a.newTicketId !== null)
      current = { ...current, ticketId: a.newTicketId, taskId: a.newTaskId, bucketId: a.newBucketId };
  }
  return current;
}

/** An attested entry's attribution: always a resolved ticket. */
export type EffectiveAttribution = WorkAttribution & { readonly ticketId: TicketId };

/**
 * Folds one event into a time entry's state. Events that do not fit the state (which a valid history
 * never contains) leave it unchanged, so `evolve` never throws. No event after submission touches the
 * content: `locked` adds the snapshot, `adjusted` appends a row.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveTimeEntry, initialTimeEntryState());
 * ```
 */
export function evolveTimeEntry(state: TimeEntryState, event: TimeEntryEvent): TimeEntryState {
  switch (event.type) {
    case 'time_entry.created':
      return state.status === 'absent' ? { status: 'draft', ...event.payload } : state;
    case 'time_entry.updated':
      return state.status === 'draft' ? { ...state, ...event.payload.changes } : state;
    case 'time_entry.submitted': {
      if (state.status !== 'draft') return state;
      const p = event.payload;
      return {
        ...state,
        status: 'submitted',
        ticketId: p.ticketId,
        projectId: p.projectId,
        workDate: p.workDate,
        attestedBy: p.attestedBy,
        submittedAt: p.submittedAt,
        adjustments: [],
      };
    }
    case 'time_entry.locked':
      return state.status === 'submitted'
        ? {
            ...state,
            status: 'locked',
            lockedAt: event.payload.lockedAt,
            lockedBy: event.payload.lockedBy,
            commercial: event.payload.commercial,
          }
        : state;
    case 'time_entry.adjusted': {
      if (state.status !== 'submitted' && state.status !== 'locked') return state;
      const { timeEntryId: _entry, ...row } = event.payload;
      return { ...state, adjustments: [...state.adjustments, row] };
    }
    case 'time_entry.reconciliation_required':
      return state;
  }
}
