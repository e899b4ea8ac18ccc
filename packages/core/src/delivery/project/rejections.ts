import type { Rejection } from '../../kernel/index.js';

/**
 * Why a project command was refused (stable codes):
 * - `PROJECT_ALREADY_EXISTS` — `create` on an existing project.
 * - `PROJECT_NOT_FOUND` — any other command before `create`.
 * - `PROJECT_SOLD_CONTEXT_INVALID` — a sold project without its sale, quote, customer or sold values, or
 *   one that says sold constraints do not apply; a manual project that names a sale, or whose sold values
 *   do not match its declaration (`details.field`, `details.rule`).
 * - `PROJECT_DATES_INVALID` — the end date is before the start date.
 * - `PROJECT_SOLD_IMMUTABLE` — an edit of sold minutes or sold value (never raised by a project manager;
 *   re-baseline explicitly). Details: field, sold, requested, delta, activeBaselineVersion.
 * - `PROJECT_FIELD_IMMUTABLE` — an edit of the customer, site, source quote, sale or the declaration.
 * - `PROJECT_ILLEGAL_TRANSITION` — a transition the state machine does not allow (`from`, `to`).
 * - `PROJECT_CLOSED` — any change to a completed, cancelled or archived project other than archiving
 *   (completed ⇒ immutable; no reopening).
 * - `PROJECT_NO_TASKS` — planning a project that has no task.
 * - `PROJECT_NO_WORK_STARTED` — activating before any task started and before any time was booked
 *   (status follows the work; there is no manual override).
 * - `PROJECT_TASKS_OPEN` — completing while tasks are neither completed nor cancelled.
 * - `PROJECT_VARIANCE_OPEN` — completing while a variance is open (neither acknowledged nor resolved);
 *   details list each with sold, observed, delta and baseline version.
 * - `PROJECT_FACTS_MISSING` — the application did not load the facts the command needs.
 */
export type ProjectRejectionCode =
  | 'PROJECT_ALREADY_EXISTS'
  | 'PROJECT_NOT_FOUND'
  | 'PROJECT_SOLD_CONTEXT_INVALID'
  | 'PROJECT_DATES_INVALID'
  | 'PROJECT_SOLD_IMMUTABLE'
  | 'PROJECT_FIELD_IMMUTABLE'
  | 'PROJECT_ILLEGAL_TRANSITION'
  | 'PROJECT_CLOSED'
  | 'PROJECT_NO_TASKS'
  | 'PROJECT_NO_WORK_STARTED'
  | 'PROJECT_TASKS_OPEN'
  | 'PROJECT_VARIANCE_OPEN'
  | 'PROJECT_FACTS_MISSING';

/** A refused project command. */
export type ProjectRejection = Rejection<ProjectRejectionCode>;

/**
 * Every project rejection code.
 *
 * @example `expect([...seen].sort()).toEqual([...PROJECT_REJECTION_CODES].sort())`
 */
export const PROJECT_REJECTION_CODES: readonly ProjectRejectionCode[] = [
  'PROJECT_ALREADY_EXISTS',
  'PROJECT_NOT_FOUND',
  'PROJECT_SOLD_CONTEXT_INVALID',
  'PROJECT_DATES_INVALID',
  'PROJECT_SOLD_IMMUTABLE',
  'PROJECT_FIELD_IMMUTABLE',
  'PROJECT_ILLEGAL_TRANSITION',
  'PROJECT_CLOSED',
  'PROJECT_NO_TASKS',
  'PROJECT_NO_WORK_STARTED',
  'PROJECT_TASKS_OPEN',
  'PROJECT_VARIANCE_OPEN',
  'PROJECT_FACTS_MISSING',
];
