import { z } from 'zod';
import { type EmployeeId, employeeIdSchema } from '../../identity/index.js';
import { type Instant, instantSchema } from '../../kernel/index.js';
import {
  type ExternalRef,
  type OperationalBucketId,
  operationalBucketIdSchema,
  type TaskId,
  type TicketId,
  type TimeEntryAdjustmentId,
  type TimeEntryId,
  taskIdSchema,
  ticketIdSchema,
  timeEntryAdjustmentIdSchema,
  timeEntryIdSchema,
} from '../ids.js';
import type { CommercialTerms } from './commercial.js';
import { timeEntryFieldSchemas, workTypeSchema } from './events.js';
import type { WorkContextFacts, WorkType } from './work-context.js';

/** Logs a draft for `employeeId` (the owner). `timeEntryId` is the stream id; `at` the application's clock. */
export interface CreateTimeEntry {
  readonly type: 'create';
  readonly timeEntryId: TimeEntryId;
  readonly employeeId: EmployeeId;
  readonly start: Instant;
  readonly end: Instant;
  readonly description: string;
  readonly billable: boolean | null;
  readonly workType: WorkType | null;
  readonly ticketId: TicketId | null;
  readonly taskId: TaskId | null;
  readonly bucketId: OperationalBucketId | null;
  readonly at: Instant;
}

/** The draft fields an owner may edit (unchanged ones are ignored; no change emits nothing). */
export interface TimeEntryEdit {
  readonly start?: Instant;
  readonly end?: Instant;
  readonly description?: string;
  readonly billable?: boolean | null;
  readonly workType?: WorkType | null;
  readonly ticketId?: TicketId | null;
  readonly taskId?: TaskId | null;
  readonly bucketId?: OperationalBucketId | null;
}

/** Edits a draft; only its owner (`actorId`) may. */
export interface UpdateTimeEntry {
  readonly type: 'update';
  readonly actorId: EmployeeId;
  readonly changes: TimeEntryEdit;
  readonly at: Instant;
}

/** draft → submitted: the owner attests the entry (`attest` must be `true`: submission is never implicit). */
export interface SubmitTimeEntry {
  readonly type: 'submit';
  readonly actorId: EmployeeId;
  readonly attest: boolean;
  readonly at: Instant;
}

/** submitted → locked (a period close): re-runs the checks and freezes the commercial snapshot. */
export interface LockTimeEntry {
  readonly type: 'lock';
  /** The manager who locks, or `null` for a scheduled period close. */
  readonly lockedBy: EmployeeId | null;
  readonly at: Instant;
}

/**
 * Asks to send an attested entry back to draft. Always refused once submitted (`submitted → draft`
 * is forbidden: corrections are adjustments); a no-op on a draft. It exists so hosts get a stable code.
 */
export interface ReopenTimeEntry {
  readonly type: 'reopen';
  readonly actorId: EmployeeId;
  readonly at: Instant;
}

/** The correction an adjustment makes. */
export type AdjustmentChange =
  /** Adds a signed number of minutes (≠ 0); the net may not go below 0. */
  | { readonly kind: 'duration_delta'; readonly deltaMinutes: number }
  /** Changes billable and/or work type (at least one, and to a different value). */
  | {
      readonly kind: 'reclassify';
      readonly billable?: boolean;
      readonly workType?: WorkType;
    }
  /** Moves the time to another ticket / task / bucket; the target passes the submit checks. */
  | {
      readonly kind: 'reattribute';
      readonly ticketId: TicketId | null;
      readonly taskId: TaskId | null;
      readonly bucketId: OperationalBucketId | null;
    }
  /** Cancels the entry: a delta of −net, so the net becomes 0. */
  | { readonly kind: 'reversal' };

/** Records one adjustment on a submitted or locked entry (a new row; the entry itself never changes). */
export interface AdjustTimeEntry {
  readonly type: 'adjust';
  readonly adjustmentId: TimeEntryAdjustmentId;
  readonly change: AdjustmentChange;
  readonly reason: string;
  readonly authorId: EmployeeId;
  readonly at: Instant;
}

/** Every time-entry command. */
export type TimeEntryCommand =
  | CreateTimeEntry
  | UpdateTimeEntry
  | SubmitTimeEntry
  | LockTimeEntry
  | ReopenTimeEntry
  | AdjustTimeEntry;

/**
 * What time-entry decisions need from elsewhere, loaded by the application:
 * - `workContext` for `submit`, `lock` and a re-attribution (the task, ticket and project of the
 *   attribution being checked; see {@link WorkContextFacts});
 * - `lockPeriod` for `submit`: the employee's lock configuration **as read**, validated here so that an
 *   unreadable one refuses the submission (fail closed);
 * - `commercial` for `lock`: the terms that become the commercial snapshot;
 * - `billing` for `adjust`: whether the entry is already invoiced (an adjustment then asks billing to
 *   reconcile).
 */
export interface TimeEntryFacts {
  readonly workContext?: WorkContextFacts;
  readonly lockPeriod?: unknown;
  readonly commercial?: CommercialTerms;
  readonly billing?: { readonly invoiceRef: ExternalRef | null };
}

const descriptionSchema = z.string().max(10_000, 'must be at most 10000 characters');

const changeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('duration_delta'),
    deltaMinutes: z
      .number()
      .int('must be a whole number of minutes')
      .refine((n) => n !== 0, 'must not be 0'),
  }),
  z
    .object({
      kind: z.literal('reclassify'),
      billable: z.boolean().exactOptional(),
      workType: workTypeSchema.exactOptional(),
    })
    .refine((c) => c.billable !== undefined || c.workType !== undefined, 'must change billable or workType'),
  z.object({
    kind: z.literal('reattribute'),
    ticketId: ticketIdSchema.nullable().default(null),
    taskId: taskIdSchema.nullable().default(null),
    bucketId: operationalBucketIdSchema.nullable().default(null),
  }),
  z.object({ kind: z.literal('reversal') }),
]);

/**
 * Zod schema of a {@link TimeEntryCommand} (optional attribution defaults to `null`, description to
 * `''`; reasons are trimmed and required). The command handler validates commands with it.
 *
 * @example
 * ```ts
 * const command = parseInput(timeEntryCommandSchema, raw, 'time entry command');
 * ```
 */
export const timeEntryCommandSchema: z.ZodType<TimeEntryCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    timeEntryId: timeEntryIdSchema,
    employeeId: employeeIdSchema,
    start: instantSchema,
    end: instantSchema,
    description: descriptionSchema.default(''),
    billable: z.boolean().nullable().default(null),
    workType: workTypeSchema.nullable().default(null),
    ticketId: ticketIdSchema.nullable().default(null),
    taskId: taskIdSchema.nullable().default(null),
    bucketId: operationalBucketIdSchema.nullable().default(null),
    at: instantSchema,
  }),
  z.object({
    type: z.literal('update'),
    actorId: employeeIdSchema,
    changes: z
      .object({
        start: instantSchema.exactOptional(),
        end: instantSchema.exactOptional(),
        description: descriptionSchema.exactOptional(),
        billable: z.boolean().nullable().exactOptional(),
        workType: workTypeSchema.nullable().exactOptional(),
        ticketId: ticketIdSchema.nullable().exactOptional(),
        taskId: taskIdSchema.nullable().exactOptional(),
        bucketId: operationalBucketIdSchema.nullable().exactOptional(),
      })
      .strict(),
    at: instantSchema,
  }),
  z.object({ type: z.literal('submit'), actorId: employeeIdSchema, attest: z.boolean(), at: instantSchema }),
  z.object({ type: z.literal('lock'), lockedBy: employeeIdSchema.nullable(), at: instantSchema }),
  z.object({ type: z.literal('reopen'), actorId: employeeIdSchema, at: instantSchema }),
  z.object({
    type: z.literal('adjust'),
    adjustmentId: timeEntryAdjustmentIdSchema,
    change: changeSchema,
    reason: timeEntryFieldSchemas.reason,
    authorId: employeeIdSchema,
    at: instantSchema,
  }),
]);
