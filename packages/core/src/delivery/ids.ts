import type { z } from 'zod';
import { type Brand, type IdGenerator, idSchema } from '../kernel/index.js';

/**
 * Surrogate id of a project (UUIDv7); also the project's stream id. Its sold-constraints stream id is
 * derived from it: `soldConstraintsStreamId(projectId)`.
 */
export type ProjectId = Brand<string, 'ProjectId'>;
/** Surrogate id of one sold-constraints row (one baseline version, UUIDv7). */
export type SoldConstraintsId = Brand<string, 'SoldConstraintsId'>;
/** Surrogate id of a milestone (UUIDv7); also its stream id. */
export type MilestoneId = Brand<string, 'MilestoneId'>;
/** Surrogate id of a project task (UUIDv7); also its stream id. */
export type TaskId = Brand<string, 'TaskId'>;
/** Surrogate id of a project variance (UUIDv7); also its stream id. */
export type VarianceId = Brand<string, 'VarianceId'>;

/** Zod schema of a {@link ProjectId}. @example `projectIdSchema.parse(id)` */
export const projectIdSchema: z.ZodType<ProjectId, string> = idSchema<'ProjectId'>();
/** Zod schema of a {@link SoldConstraintsId}. @example `soldConstraintsIdSchema.parse(id)` */
export const soldConstraintsIdSchema: z.ZodType<SoldConstraintsId, string> = idSchema<'SoldConstraintsId'>();
/** Zod schema of a {@link MilestoneId}. @example `milestoneIdSchema.parse(id)` */
export const milestoneIdSchema: z.ZodType<MilestoneId, string> = idSchema<'MilestoneId'>();
/** Zod schema of a {@link TaskId}. @example `taskIdSchema.parse(id)` */
export const taskIdSchema: z.ZodType<TaskId, string> = idSchema<'TaskId'>();
/** Zod schema of a {@link VarianceId}. @example `varianceIdSchema.parse(id)` */
export const varianceIdSchema: z.ZodType<VarianceId, string> = idSchema<'VarianceId'>();

/**
 * Zod schema of a reference to another context's entity (customer, site, quote, sale, role, employee,
 * ticket): a UUIDv7 kept as a plain string, since delivery only stores and compares it.
 *
 * @example `refSchema.parse(customerId)`
 */
export const refSchema: z.ZodType<string, string> = idSchema<'Ref'>() as z.ZodType<string, string>;

/*
 * Typed id factories, one per aggregate: a new id from the host's {@link IdGenerator} (UUIDv7 in
 * production), already branded, so user code needs no cast.
 */

/**
 * A new {@link ProjectId} for a project, from the host's id generator (no cast needed).
 *
 * @example `const projectId = Delivery.newProjectId(ids);`
 */
export function newProjectId(ids: IdGenerator): ProjectId {
  return ids.next() as ProjectId;
}

/**
 * A new {@link SoldConstraintsId} for a sold-constraints row, from the host's id generator (no cast needed).
 *
 * @example `const soldConstraintsId = Delivery.newSoldConstraintsId(ids);`
 */
export function newSoldConstraintsId(ids: IdGenerator): SoldConstraintsId {
  return ids.next() as SoldConstraintsId;
}

/**
 * A new {@link MilestoneId} for a milestone, from the host's id generator (no cast needed).
 *
 * @example `const milestoneId = Delivery.newMilestoneId(ids);`
 */
export function newMilestoneId(ids: IdGenerator): MilestoneId {
  return ids.next() as MilestoneId;
}

/**
 * A new {@link TaskId} for a task, from the host's id generator (no cast needed).
 *
 * @example `const taskId = Delivery.newTaskId(ids);`
 */
export function newTaskId(ids: IdGenerator): TaskId {
  return ids.next() as TaskId;
}

/**
 * A new {@link VarianceId} for a variance, from the host's id generator (no cast needed).
 *
 * @example `const varianceId = Delivery.newVarianceId(ids);`
 */
export function newVarianceId(ids: IdGenerator): VarianceId {
  return ids.next() as VarianceId;
}
