import { z } from 'zod';
import { type LocalDate, localDateSchema } from '../../calendar/index.js';
import { type EmployeeId, employeeIdSchema } from '../../identity/index.js';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import {
  type ExternalRef,
  externalRefSchema,
  type OperationalBucketId,
  operationalBucketIdSchema,
  type ProjectId,
  projectIdSchema,
  type TaskId,
  type TicketId,
  type TimeEntryAdjustmentId,
  type TimeEntryId,
  taskIdSchema,
  ticketIdSchema,
  timeEntryAdjustmentIdSchema,
  timeEntryIdSchema,
} from '../ids.js';
import { type CommercialSnapshot, commercialSnapshotSchema } from './commercial.js';
import type { WorkType } from './work-context.js';

/**
 * The stream type of time-entry streams (and the key of the `time_entries` state table; adjustments
 * live in the same stream, as rows of `time_entry_adjustments`).
 *
 * @example `const definition: AggregateDefinition<TimeEntryState> = { streamType: TIME_ENTRY_STREAM_TYPE, … }`
 */
export const TIME_ENTRY_STREAM_TYPE = 'time_entry';

/** Zod schema of a {@link WorkType}. @example `workTypeSchema.parse('support')` */
export const workTypeSchema: z.ZodType<WorkType> = z.enum(['project', 'support', 'admin']);

/** Payload of `time_entry.created` v1: the new draft, with its duration in whole minutes. */
export interface TimeEntryCreatedPayload {
  readonly timeEntryId: TimeEntryId;
  readonly employeeId: EmployeeId;
  readonly start: Instant;
  readonly end: Instant;
  readonly minutes: number;
  readonly description: string;
  readonly billable: boolean | null;
  readonly workType: WorkType | null;
  readonly ticketId: TicketId | null;
  readonly taskId: TaskId | null;
  readonly bucketId: OperationalBucketId | null;
  readonly createdAt: Instant;
}

/** The draft fields an edit may change; `time_entry.updated` carries only the changed ones. */
export interface TimeEntryChanges {
  readonly start?: Instant;
  readonly end?: Instant;
  readonly minutes?: number;
  readonly description?: string;
  readonly billable?: boolean | null;
  readonly workType?: WorkType | null;
  readonly ticketId?: TicketId | null;
  readonly taskId?: TaskId | null;
  readonly bucketId?: OperationalBucketId | null;
}

/** Payload of `time_entry.updated` v1: a draft edited by its owner. */
export interface TimeEntryUpdatedPayload {
  readonly timeEntryId: TimeEntryId;
  readonly changes: TimeEntryChanges;
  readonly at: Instant;
}

/**
 * Payload of `time_entry.submitted` v1 (`time.submitted` in PET's registry): the owner's attestation.
 * `ticketId` is the resolved leaf ticket (through the task when the entry names one); `workDate` the
 * local date of the start in the employee's zone.
 */
export interface TimeEntrySubmittedPayload {
  readonly timeEntryId: TimeEntryId;
  readonly employeeId: EmployeeId;
  readonly minutes: number;
  readonly ticketId: TicketId;
  readonly projectId: ProjectId | null;
  readonly workDate: LocalDate;
  readonly attestedBy: EmployeeId;
  readonly submittedAt: Instant;
}

/** Payload of `time_entry.locked` v1: the period closed over the entry and its commercial snapshot. */
export interface TimeEntryLockedPayload {
  readonly timeEntryId: TimeEntryId;
  readonly ticketId: TicketId;
  readonly projectId: ProjectId | null;
  /** The manager who locked it, or `null` for a scheduled period close. */
  readonly lockedBy: EmployeeId | null;
  readonly lockedAt: Instant;
  readonly commercial: CommercialSnapshot;
}

/** The four kinds of correction; each is a new row, the original is never touched. */
export type AdjustmentType = 'duration_delta' | 'reclassify' | 'reattribute' | 'reversal';

/** Zod schema of an {@link AdjustmentType}. @example `adjustmentTypeSchema.parse('reversal')` */
export const adjustmentTypeSchema: z.ZodType<AdjustmentType> = z.enum([
  'duration_delta',
  'reclassify',
  'reattribute',
  'reversal',
]);

/**
 * Payload of `time_entry.adjusted` v1: one adjustment row. `deltaMinutes` is signed (0 for reclassify
 * and re-attribute); the `new…` fields are `null` unless the adjustment changes them (a re-attribution
 * carries its resolved ticket in `newTicketId`).
 */
export interface TimeEntryAdjustedPayload {
  readonly adjustmentId: TimeEntryAdjustmentId;
  readonly timeEntryId: TimeEntryId;
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

/** Payload of `time_entry.reconciliation_required` v1: an adjustment hit an already invoiced entry. */
export interface TimeEntryReconciliationPayload {
  readonly timeEntryId: TimeEntryId;
  readonly adjustmentId: TimeEntryAdjustmentId;
  readonly invoiceRef: ExternalRef;
  readonly deltaMinutes: number;
  readonly billableBefore: boolean;
  readonly billableAfter: boolean;
  readonly at: Instant;
}

const nullableAttribution = {
  billable: z.boolean().nullable(),
  workType: workTypeSchema.nullable(),
  ticketId: ticketIdSchema.nullable(),
  taskId: taskIdSchema.nullable(),
  bucketId: operationalBucketIdSchema.nullable(),
};
const positiveMinutes = z.number().int().min(1, 'must be at least 1 minute');
const reasonSchema = z.string().trim().min(1, 'is required').max(1000, 'must be at most 1000 characters');

/**
 * `time_entry.created` v1: a draft logged.
 *
 * @example `timeEntryCreated.payload.parse(raw)` → throws unless `minutes` ≥ 1
 */
export const timeEntryCreated: EventDefinition<
  'time_entry.created',
  z.ZodType<TimeEntryCreatedPayload>
> = defineEvent({
  type: 'time_entry.created',
  version: 1,
  payload: z.object({
    timeEntryId: timeEntryIdSchema,
    employeeId: employeeIdSchema,
    start: instantSchema,
    end: instantSchema,
    minutes: positiveMinutes,
    description: z.string().max(10_000),
    ...nullableAttribution,
    createdAt: instantSchema,
  }),
});

/**
 * `time_entry.updated` v1: only the changed draft fields (at least one).
 *
 * @example `timeEntryUpdated.payload.parse({ timeEntryId, changes: { billable: true }, at })`
 */
export const timeEntryUpdated: EventDefinition<
  'time_entry.updated',
  z.ZodType<TimeEntryUpdatedPayload>
> = defineEvent({
  type: 'time_entry.updated',
  version: 1,
  payload: z.object({
    timeEntryId: timeEntryIdSchema,
    changes: z
      .object({
        start: instantSchema.exactOptional(),
        end: instantSchema.exactOptional(),
        minutes: positiveMinutes.exactOptional(),
        description: z.string().max(10_000).exactOptional(),
        billable: z.boolean().nullable().exactOptional(),
        workType: workTypeSchema.nullable().exactOptional(),
        ticketId: ticketIdSchema.nullable().exactOptional(),
        taskId: taskIdSchema.nullable().exactOptional(),
        bucketId: operationalBucketIdSchema.nullable().exactOptional(),
      })
      .refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
    at: instantSchema,
  }),
});

/**
 * `time_entry.submitted` v1: draft → submitted, attested by the owner.
 *
 * @example `if (e.type === timeEntrySubmitted.type) minutesByEmployee[e.payload.employeeId] += e.payload.minutes;`
 */
export const timeEntrySubmitted: EventDefinition<
  'time_entry.submitted',
  z.ZodType<TimeEntrySubmittedPayload>
> = defineEvent({
  type: 'time_entry.submitted',
  version: 1,
  payload: z.object({
    timeEntryId: timeEntryIdSchema,
    employeeId: employeeIdSchema,
    minutes: positiveMinutes,
    ticketId: ticketIdSchema,
    projectId: projectIdSchema.nullable(),
    workDate: localDateSchema,
    attestedBy: employeeIdSchema,
    submittedAt: instantSchema,
  }),
});

/**
 * `time_entry.locked` v1: submitted → locked, with the commercial snapshot.
 *
 * @example `timeEntryLocked.payload.parse(raw).commercial.agreement?.drawdownMinutes`
 */
export const timeEntryLocked: EventDefinition<
  'time_entry.locked',
  z.ZodType<TimeEntryLockedPayload>
> = defineEvent({
  type: 'time_entry.locked',
  version: 1,
  payload: z.object({
    timeEntryId: timeEntryIdSchema,
    ticketId: ticketIdSchema,
    projectId: projectIdSchema.nullable(),
    lockedBy: employeeIdSchema.nullable(),
    lockedAt: instantSchema,
    commercial: commercialSnapshotSchema,
  }),
});

/**
 * `time_entry.adjusted` v1: one compensating adjustment.
 *
 * @example `net = original + Σ (e.type === timeEntryAdjusted.type ? e.payload.deltaMinutes : 0)`
 */
export const timeEntryAdjusted: EventDefinition<
  'time_entry.adjusted',
  z.ZodType<TimeEntryAdjustedPayload>
> = defineEvent({
  type: 'time_entry.adjusted',
  version: 1,
  payload: z.object({
    adjustmentId: timeEntryAdjustmentIdSchema,
    timeEntryId: timeEntryIdSchema,
    adjustmentType: adjustmentTypeSchema,
    deltaMinutes: z.number().int(),
    newBillable: z.boolean().nullable(),
    newWorkType: workTypeSchema.nullable(),
    newTicketId: ticketIdSchema.nullable(),
    newTaskId: taskIdSchema.nullable(),
    newBucketId: operationalBucketIdSchema.nullable(),
    reason: reasonSchema,
    authorId: employeeIdSchema,
    at: instantSchema,
  }),
});

/**
 * `time_entry.reconciliation_required` v1: an invoiced entry was adjusted; billing must reconcile.
 *
 * @example `if (e.type === timeEntryReconciliationRequired.type) queueCreditNote(e.payload.invoiceRef);`
 */
export const timeEntryReconciliationRequired: EventDefinition<
  'time_entry.reconciliation_required',
  z.ZodType<TimeEntryReconciliationPayload>
> = defineEvent({
  type: 'time_entry.reconciliation_required',
  version: 1,
  payload: z.object({
    timeEntryId: timeEntryIdSchema,
    adjustmentId: timeEntryAdjustmentIdSchema,
    invoiceRef: externalRefSchema,
    deltaMinutes: z.number().int(),
    billableBefore: z.boolean(),
    billableAfter: z.boolean(),
    at: instantSchema,
  }),
});

/** Every event a time-entry stream holds. */
export type TimeEntryEvent =
  | EventOf<typeof timeEntryCreated>
  | EventOf<typeof timeEntryUpdated>
  | EventOf<typeof timeEntrySubmitted>
  | EventOf<typeof timeEntryLocked>
  | EventOf<typeof timeEntryAdjusted>
  | EventOf<typeof timeEntryReconciliationRequired>;

/**
 * The time-entry event definitions (current versions), for the context's registry.
 *
 * @example `createEventRegistry({ events: timeEntryEvents }).knownTypes()`
 */
export const timeEntryEvents: readonly EventDefinition[] = [
  timeEntryCreated,
  timeEntryUpdated,
  timeEntrySubmitted,
  timeEntryLocked,
  timeEntryAdjusted,
  timeEntryReconciliationRequired,
];

/** Zod field schemas shared with the commands (reason, attribution). */
export const timeEntryFieldSchemas: {
  readonly reason: z.ZodType<string, string>;
  readonly positiveMinutes: z.ZodType<number, number>;
} = { reason: reasonSchema, positiveMinutes };
