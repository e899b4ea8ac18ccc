import type { Rejection } from '../../kernel/index.js';

/**
 * Why a milestone command was refused (stable codes):
 * - `MILESTONE_ALREADY_EXISTS` — `define` on an existing milestone.
 * - `MILESTONE_NOT_FOUND` — any other command before `define`.
 * - `MILESTONE_PROJECT_CLOSED` — defining a milestone on a completed, cancelled or archived project.
 * - `MILESTONE_SOLD_IMMUTABLE` — an edit of the milestone's sold minutes (details: sold, requested, delta).
 * - `MILESTONE_ILLEGAL_TRANSITION` — a transition the state machine does not allow (`from`, `to`).
 * - `MILESTONE_COMPLETED` — any change to a completed or archived milestone other than archiving.
 * - `MILESTONE_TASKS_OPEN` — completing while some of its tasks are neither completed nor cancelled.
 * - `MILESTONE_FACTS_MISSING` — the application did not load the facts the command needs.
 */
export type MilestoneRejectionCode =
  | 'MILESTONE_ALREADY_EXISTS'
  | 'MILESTONE_NOT_FOUND'
  | 'MILESTONE_PROJECT_CLOSED'
  | 'MILESTONE_SOLD_IMMUTABLE'
  | 'MILESTONE_ILLEGAL_TRANSITION'
  | 'MILESTONE_COMPLETED'
  | 'MILESTONE_TASKS_OPEN'
  | 'MILESTONE_FACTS_MISSING';

/** A refused milestone command. */
export type MilestoneRejection = Rejection<MilestoneRejectionCode>;

/**
 * Every milestone rejection code.
 *
 * @example `expect([...seen].sort()).toEqual([...MILESTONE_REJECTION_CODES].sort())`
 */
export const MILESTONE_REJECTION_CODES: readonly MilestoneRejectionCode[] = [
  'MILESTONE_ALREADY_EXISTS',
  'MILESTONE_NOT_FOUND',
  'MILESTONE_PROJECT_CLOSED',
  'MILESTONE_SOLD_IMMUTABLE',
  'MILESTONE_ILLEGAL_TRANSITION',
  'MILESTONE_COMPLETED',
  'MILESTONE_TASKS_OPEN',
  'MILESTONE_FACTS_MISSING',
];
