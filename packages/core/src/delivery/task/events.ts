import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import {
  type MilestoneId,
  milestoneIdSchema,
  type ProjectId,
  projectIdSchema,
  refSchema,
  type TaskId,
  taskIdSchema,
} from '../ids.js';

/**
 * The stream type of task streams (key of the `tasks` state table).
 *
 * @example `const definition: AggregateDefinition<TaskState> = { streamType: TASK_STREAM_TYPE, … }`
 */
export const TASK_STREAM_TYPE = 'task';

/** Payload of `delivery.task_created` v1 (PET's `ProjectTaskCreated`). */
export interface TaskCreatedPayload {
  readonly taskId: TaskId;
  readonly projectId: ProjectId;
  readonly milestoneId: MilestoneId | null;
  /** The support ticket this task is bridged to (unique; null until tickets exist). */
  readonly ticketId: string | null;
  readonly name: string;
  /** Planned minutes (refined by the project manager within sold). */
  readonly estimatedMinutes: number;
  /** The original commitment from the WBS (0 for a task added during delivery). Immutable. */
  readonly soldMinutes: number;
  readonly roleId: string | null;
  readonly assigneeId: string | null;
  readonly sequence: number;
  /** The quote line it comes from, or null. */
  readonly sourceLineId: string | null;
  readonly at: Instant;
}

/** Payload of `delivery.task_re_estimated` v1: planned minutes from → to. */
export interface TaskReEstimatedPayload {
  readonly taskId: TaskId;
  readonly projectId: ProjectId;
  readonly from: number;
  readonly to: number;
  readonly at: Instant;
}

/** The fields that may be refined (reassign, resequence, move within the project). */
export interface TaskChanges {
  readonly name?: string;
  readonly milestoneId?: MilestoneId | null;
  readonly roleId?: string | null;
  readonly assigneeId?: string | null;
  readonly sequence?: number;
}

/** Payload of `delivery.task_updated` v1: only the changed fields. */
export interface TaskUpdatedPayload {
  readonly taskId: TaskId;
  readonly projectId: ProjectId;
  readonly changes: TaskChanges;
}

/** Payload of `delivery.task_started|completed|archived` v1. */
export interface TaskTransitionPayload {
  readonly taskId: TaskId;
  readonly projectId: ProjectId;
  readonly at: Instant;
}

/** Payload of `delivery.task_cancelled` v1. */
export interface TaskCancelledPayload {
  readonly taskId: TaskId;
  readonly projectId: ProjectId;
  readonly reason: string;
  readonly at: Instant;
}

/** Payload of `delivery.task_ticket_linked` v1: the ticket backbone bridge. */
export interface TaskTicketLinkedPayload {
  readonly taskId: TaskId;
  readonly projectId: ProjectId;
  readonly ticketId: string;
}

const ids = { taskId: taskIdSchema, projectId: projectIdSchema };
const name = z.string().trim().min(1).max(1000);
const minutes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const sequence = z.number().int().min(1).max(1_000_000);

/**
 * `delivery.task_created` v1.
 *
 * @example `if (e.type === taskCreated.type) console.log(e.payload.soldMinutes, e.payload.estimatedMinutes)`
 */
export const taskCreated: EventDefinition<
  'delivery.task_created',
  z.ZodType<TaskCreatedPayload>
> = defineEvent({
  type: 'delivery.task_created',
  version: 1,
  payload: z.object({
    ...ids,
    milestoneId: milestoneIdSchema.nullable(),
    ticketId: refSchema.nullable(),
    name,
    estimatedMinutes: minutes,
    soldMinutes: minutes,
    roleId: refSchema.nullable(),
    assigneeId: refSchema.nullable(),
    sequence,
    sourceLineId: refSchema.nullable(),
    at: instantSchema,
  }),
});

/**
 * `delivery.task_re_estimated` v1.
 *
 * @example `taskReEstimated.payload.parse({ taskId, projectId, from: 600, to: 480, at })`
 */
export const taskReEstimated: EventDefinition<
  'delivery.task_re_estimated',
  z.ZodType<TaskReEstimatedPayload>
> = defineEvent({
  type: 'delivery.task_re_estimated',
  version: 1,
  payload: z
    .object({ ...ids, from: minutes, to: minutes, at: instantSchema })
    .refine((p) => p.from !== p.to, { message: 'must change the estimate', path: ['to'] }),
});

/**
 * `delivery.task_updated` v1.
 *
 * @example `taskUpdated.payload.parse({ taskId, projectId, changes: { assigneeId } })`
 */
export const taskUpdated: EventDefinition<
  'delivery.task_updated',
  z.ZodType<TaskUpdatedPayload>
> = defineEvent({
  type: 'delivery.task_updated',
  version: 1,
  payload: z.object({
    ...ids,
    changes: z
      .object({
        name: name.exactOptional(),
        milestoneId: milestoneIdSchema.nullable().exactOptional(),
        roleId: refSchema.nullable().exactOptional(),
        assigneeId: refSchema.nullable().exactOptional(),
        sequence: sequence.exactOptional(),
      })
      .refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
  }),
});

const transition = z.object({ ...ids, at: instantSchema });

/** `delivery.task_started` v1: planned → in_progress. @example `{ type: taskStarted.type, payload: { taskId, projectId, at } }` */
export const taskStarted: EventDefinition<
  'delivery.task_started',
  z.ZodType<TaskTransitionPayload>
> = defineEvent({
  type: 'delivery.task_started',
  version: 1,
  payload: transition,
});
/** `delivery.task_completed` v1: in_progress → completed (immutable). @example `{ type: taskCompleted.type, payload: { taskId, projectId, at } }` */
export const taskCompleted: EventDefinition<
  'delivery.task_completed',
  z.ZodType<TaskTransitionPayload>
> = defineEvent({ type: 'delivery.task_completed', version: 1, payload: transition });
/** `delivery.task_archived` v1: completed | cancelled → archived. @example `{ type: taskArchived.type, payload: { taskId, projectId, at } }` */
export const taskArchived: EventDefinition<
  'delivery.task_archived',
  z.ZodType<TaskTransitionPayload>
> = defineEvent({
  type: 'delivery.task_archived',
  version: 1,
  payload: transition,
});

/**
 * `delivery.task_cancelled` v1: planned | in_progress → cancelled (its sold commitment stays visible).
 *
 * @example `taskCancelled.payload.parse({ taskId, projectId, reason: 'descoped', at })`
 */
export const taskCancelled: EventDefinition<
  'delivery.task_cancelled',
  z.ZodType<TaskCancelledPayload>
> = defineEvent({
  type: 'delivery.task_cancelled',
  version: 1,
  payload: z.object({ ...ids, reason: z.string().trim().min(1).max(2000), at: instantSchema }),
});

/**
 * `delivery.task_ticket_linked` v1.
 *
 * @example `taskTicketLinked.payload.parse({ taskId, projectId, ticketId })`
 */
export const taskTicketLinked: EventDefinition<
  'delivery.task_ticket_linked',
  z.ZodType<TaskTicketLinkedPayload>
> = defineEvent({
  type: 'delivery.task_ticket_linked',
  version: 1,
  payload: z.object({ ...ids, ticketId: refSchema }),
});

/** Every event a task stream holds. */
export type TaskEvent =
  | EventOf<typeof taskCreated>
  | EventOf<typeof taskReEstimated>
  | EventOf<typeof taskUpdated>
  | EventOf<typeof taskStarted>
  | EventOf<typeof taskCompleted>
  | EventOf<typeof taskCancelled>
  | EventOf<typeof taskArchived>
  | EventOf<typeof taskTicketLinked>;

/**
 * The task event definitions (current versions).
 *
 * @example `createEventRegistry({ events: taskEvents }).knownTypes()`
 */
export const taskEvents: readonly EventDefinition[] = [
  taskCreated,
  taskReEstimated,
  taskUpdated,
  taskStarted,
  taskCompleted,
  taskCancelled,
  taskArchived,
  taskTicketLinked,
];
