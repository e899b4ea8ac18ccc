import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import {
  type MilestoneId,
  milestoneIdSchema,
  type ProjectId,
  projectIdSchema,
  refSchema,
  type TaskId,
  taskIdSchema,
} from '../ids.js';
import type { ProjectStatus } from '../project/state.js';
import type { MilestoneBound, SoldBoundFacts } from '../sold-bounds.js';

/** Creates a task of a project (from the WBS with its sold minutes, or added during delivery with 0). */
export interface CreateTask {
  readonly type: 'create';
  readonly taskId: TaskId;
  readonly projectId: ProjectId;
  readonly milestoneId: MilestoneId | null;
  readonly ticketId: string | null;
  readonly name: string;
  readonly estimatedMinutes: number;
  readonly soldMinutes: number;
  readonly roleId: string | null;
  readonly assigneeId: string | null;
  readonly sequence: number;
  readonly sourceLineId: string | null;
  readonly at: Instant;
}

/** Changes the planned minutes. Raising them is checked against sold; lowering never is. */
export interface ReEstimateTask {
  readonly type: 're_estimate';
  readonly estimatedMinutes: number;
  readonly at: Instant;
}

/** What an edit may send; `soldMinutes` is accepted only to be refused with its numbers. */
export interface TaskUpdateRequest {
  readonly name?: string;
  readonly milestoneId?: MilestoneId | null;
  readonly roleId?: string | null;
  readonly assigneeId?: string | null;
  readonly sequence?: number;
  readonly soldMinutes?: number;
}

/** Refines, reassigns or resequences a task; a command that changes nothing emits nothing. */
export interface UpdateTask {
  readonly type: 'update';
  readonly changes: TaskUpdateRequest;
}
/** planned → in_progress. */
export interface StartTask {
  readonly type: 'start';
  readonly at: Instant;
}
/** in_progress → completed (immutable from then on; no more time). */
export interface CompleteTask {
  readonly type: 'complete';
  readonly at: Instant;
}
/** planned | in_progress → cancelled. */
export interface CancelTask {
  readonly type: 'cancel';
  readonly reason: string;
  readonly at: Instant;
}
/** completed | cancelled → archived. */
export interface ArchiveTask {
  readonly type: 'archive';
  readonly at: Instant;
}
/** Bridges the task to its support ticket (the ticket backbone; `ticket_id` is unique). */
export interface LinkTicket {
  readonly type: 'link_ticket';
  readonly ticketId: string;
}

/** Every task command. */
export type TaskCommand =
  | CreateTask
  | ReEstimateTask
  | UpdateTask
  | StartTask
  | CompleteTask
  | CancelTask
  | ArchiveTask
  | LinkTicket;

/** A milestone's sold bound and Σ estimated minutes of its other live tasks. */
export interface MilestonePlanFact extends MilestoneBound {
  readonly plannedMinutesElsewhere: number;
}

/**
 * The sold-bound facts of a plan change: the baseline and variances, Σ estimated minutes of the
 * project's other live tasks (planned or in progress), and — when the task is (or moves) in a milestone —
 * that milestone's bound.
 */
export interface PlanFacts extends SoldBoundFacts {
  readonly plannedMinutesElsewhere: number;
  readonly milestone?: MilestonePlanFact;
}

/**
 * What task decisions need: `projectStatus` and `plan` whenever planned minutes grow (create, a raised
 * estimate, a move to another milestone); `ticketHolder` (the task that holds the ticket, or null) when a
 * ticket is linked.
 */
export interface TaskFacts {
  readonly projectStatus?: ProjectStatus;
  readonly plan?: PlanFacts;
  readonly ticketHolder?: TaskId | null;
}

const name = z.string().trim().min(1).max(1000);
const minutes = z.number().int().min(0).max(100_000_000);
const sequence = z.number().int().min(1).max(1_000_000);

/**
 * Zod schema of a {@link TaskCommand}.
 *
 * @example `const command = parseInput(taskCommandSchema, raw, 'task command');`
 */
export const taskCommandSchema: z.ZodType<TaskCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    taskId: taskIdSchema,
    projectId: projectIdSchema,
    milestoneId: milestoneIdSchema.nullable().default(null),
    ticketId: refSchema.nullable().default(null),
    name,
    estimatedMinutes: minutes,
    soldMinutes: minutes.default(0),
    roleId: refSchema.nullable().default(null),
    assigneeId: refSchema.nullable().default(null),
    sequence,
    sourceLineId: refSchema.nullable().default(null),
    at: instantSchema,
  }),
  z.object({ type: z.literal('re_estimate'), estimatedMinutes: minutes, at: instantSchema }),
  z.object({
    type: z.literal('update'),
    changes: z
      .object({
        name: name.exactOptional(),
        milestoneId: milestoneIdSchema.nullable().exactOptional(),
        roleId: refSchema.nullable().exactOptional(),
        assigneeId: refSchema.nullable().exactOptional(),
        sequence: sequence.exactOptional(),
        soldMinutes: minutes.exactOptional(),
      })
      .strict(),
  }),
  z.object({ type: z.literal('start'), at: instantSchema }),
  z.object({ type: z.literal('complete'), at: instantSchema }),
  z.object({ type: z.literal('cancel'), reason: z.string().trim().min(1).max(2000), at: instantSchema }),
  z.object({ type: z.literal('archive'), at: instantSchema }),
  z.object({ type: z.literal('link_ticket'), ticketId: refSchema }),
]);
