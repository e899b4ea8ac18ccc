import { z } from 'zod';
import { type Brand, type IdGenerator, idSchema } from '../kernel/index.js';

/** Surrogate id of a time entry (UUIDv7); also its stream id. */
export type TimeEntryId = Brand<string, 'TimeEntryId'>;
/** Surrogate id of one adjustment (a row of `time_entry_adjustments`), UUIDv7. */
export type TimeEntryAdjustmentId = Brand<string, 'TimeEntryAdjustmentId'>;
/** Surrogate id of a resource allocation (UUIDv7); also its stream id. */
export type ResourceAllocationId = Brand<string, 'ResourceAllocationId'>;

/*
 * Ids owned by other contexts. The brand names are the owners' (a `Brand<string, 'TicketId'>` declared
 * here is the same type as one declared by the support context), so they interchange without casts,
 * while this context stays free of imports from contexts still being written.
 */

/** A ticket's id (owned by the support context). */
export type TicketId = Brand<string, 'TicketId'>;
/** A task's id (owned by the delivery context). */
export type TaskId = Brand<string, 'TaskId'>;
/** A project's id (owned by the delivery context). */
export type ProjectId = Brand<string, 'ProjectId'>;
/** A role's id (a quote line's or an employee's role). */
export type RoleId = Brand<string, 'RoleId'>;
/** A department's (or owning team's) id, for role-level planning. */
export type DepartmentId = Brand<string, 'DepartmentId'>;
/** An operational bucket: the non-project container (admin, internal) that gives admin time a context. */
export type OperationalBucketId = Brand<string, 'OperationalBucketId'>;

/** Zod schema of a {@link TimeEntryId}. @example `timeEntryIdSchema.parse(id)` */
export const timeEntryIdSchema: z.ZodType<TimeEntryId, string> = idSchema<'TimeEntryId'>();
/** Zod schema of a {@link TimeEntryAdjustmentId}. @example `timeEntryAdjustmentIdSchema.parse(id)` */
export const timeEntryAdjustmentIdSchema: z.ZodType<TimeEntryAdjustmentId, string> =
  idSchema<'TimeEntryAdjustmentId'>();
/** Zod schema of a {@link ResourceAllocationId}. @example `resourceAllocationIdSchema.parse(id)` */
export const resourceAllocationIdSchema: z.ZodType<ResourceAllocationId, string> =
  idSchema<'ResourceAllocationId'>();
/** Zod schema of a {@link TicketId} (UUIDv7). @example `ticketIdSchema.parse(id)` */
export const ticketIdSchema: z.ZodType<TicketId, string> = idSchema<'TicketId'>();
/** Zod schema of a {@link TaskId} (UUIDv7). @example `taskIdSchema.parse(id)` */
export const taskIdSchema: z.ZodType<TaskId, string> = idSchema<'TaskId'>();
/** Zod schema of a {@link ProjectId} (UUIDv7). @example `projectIdSchema.parse(id)` */
export const projectIdSchema: z.ZodType<ProjectId, string> = idSchema<'ProjectId'>();
/** Zod schema of a {@link RoleId} (UUIDv7). @example `roleIdSchema.parse(id)` */
export const roleIdSchema: z.ZodType<RoleId, string> = idSchema<'RoleId'>();
/** Zod schema of a {@link DepartmentId} (UUIDv7). @example `departmentIdSchema.parse(id)` */
export const departmentIdSchema: z.ZodType<DepartmentId, string> = idSchema<'DepartmentId'>();
/** Zod schema of an {@link OperationalBucketId} (UUIDv7). @example `operationalBucketIdSchema.parse(id)` */
export const operationalBucketIdSchema: z.ZodType<OperationalBucketId, string> =
  idSchema<'OperationalBucketId'>();

/** A free reference to another system's record (an invoice, a rate plan, an agreement): 1–64 characters. */
export type ExternalRef = string;

/** Zod schema of an {@link ExternalRef}. @example `externalRefSchema.parse('INV-2026-0042')` */
export const externalRefSchema: z.ZodType<ExternalRef, string> = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters');

/*
 * Typed id factories, one per aggregate: a new id from the host's {@link IdGenerator} (UUIDv7 in
 * production), already branded, so user code needs no cast.
 */

/**
 * A new {@link TimeEntryId} for a time entry, from the host's id generator (no cast needed).
 *
 * @example `const timeEntryId = Time.newTimeEntryId(ids);`
 */
export function newTimeEntryId(ids: IdGenerator): TimeEntryId {
  return ids.next() as TimeEntryId;
}

/**
 * A new {@link TimeEntryAdjustmentId} for a time-entry adjustment, from the host's id generator (no cast needed).
 *
 * @example `const timeEntryAdjustmentId = Time.newTimeEntryAdjustmentId(ids);`
 */
export function newTimeEntryAdjustmentId(ids: IdGenerator): TimeEntryAdjustmentId {
  return ids.next() as TimeEntryAdjustmentId;
}

/**
 * A new {@link ResourceAllocationId} for a resource allocation, from the host's id generator (no cast needed).
 *
 * @example `const resourceAllocationId = Time.newResourceAllocationId(ids);`
 */
export function newResourceAllocationId(ids: IdGenerator): ResourceAllocationId {
  return ids.next() as ResourceAllocationId;
}
