import type { Rejection } from '../../kernel/index.js';

/**
 * Why a task command was refused (stable codes):
 * - `TASK_ALREADY_EXISTS` — `create` on an existing task.
 * - `TASK_NOT_FOUND` — any other command before `create`.
 * - `TASK_PROJECT_CLOSED` — creating or growing a task of a completed, cancelled or archived project.
 * - `TASK_PLAN_EXCEEDS_SOLD` — the project's Σ planned minutes would exceed the active baseline's sold
 *   minutes (or, while the project stays within sold, a milestone's Σ would exceed the milestone's sold
 *   minutes) and no acknowledged variance covers it. Details: sold, planned, delta, baselineVersion,
 *   constraintId, milestoneId (null for the project) and `openVarianceId` (the open variance already
 *   recording it, or null: raise one with `detectionFor`). Lowering an estimate is never refused.
 * - `TASK_SOLD_IMMUTABLE` — an edit of the task's sold minutes (the original commitment stays visible).
 * - `TASK_ILLEGAL_TRANSITION` — a transition the state machine does not allow (`from`, `to`).
 * - `TASK_CLOSED` — any change to a completed, cancelled or archived task other than archiving.
 * - `TASK_TICKET_TAKEN` — the ticket is already bridged to another task (`ticket_id` is unique).
 * - `TASK_TICKET_ALREADY_LINKED` — the task is already bridged to a ticket.
 * - `TASK_FACTS_MISSING` — the application did not load the facts the command needs.
 */
export type TaskRejectionCode =
  | 'TASK_ALREADY_EXISTS'
  | 'TASK_NOT_FOUND'
  | 'TASK_PROJECT_CLOSED'
  | 'TASK_PLAN_EXCEEDS_SOLD'
  | 'TASK_SOLD_IMMUTABLE'
  | 'TASK_ILLEGAL_TRANSITION'
  | 'TASK_CLOSED'
  | 'TASK_TICKET_TAKEN'
  | 'TASK_TICKET_ALREADY_LINKED'
  | 'TASK_FACTS_MISSING';

/** A refused task command. */
export type TaskRejection = Rejection<TaskRejectionCode>;

/**
 * Every task rejection code.
 *
 * @example `expect([...seen].sort()).toEqual([...TASK_REJECTION_CODES].sort())`
 */
export const TASK_REJECTION_CODES: readonly TaskRejectionCode[] = [
  'TASK_ALREADY_EXISTS',
  'TASK_NOT_FOUND',
  'TASK_PROJECT_CLOSED',
  'TASK_PLAN_EXCEEDS_SOLD',
  'TASK_SOLD_IMMUTABLE',
  'TASK_ILLEGAL_TRANSITION',
  'TASK_CLOSED',
  'TASK_TICKET_TAKEN',
  'TASK_TICKET_ALREADY_LINKED',
  'TASK_FACTS_MISSING',
];
