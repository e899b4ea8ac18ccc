import type { Rejection } from '../../kernel/index.js';

/**
 * Why an SLA assignment (clock) command was refused (stable codes):
 * - `SLA_ASSIGNMENT_ALREADY_EXISTS` — `bind` or `opt_out` on an existing assignment (a binding never
 *   re-binds: a later SLA edit or a priority change leaves it as it is; a ChangeOrder binds a new one).
 * - `SLA_ASSIGNMENT_NOT_FOUND` — any other command before `bind` / `opt_out`.
 * - `SLA_ASSIGNMENT_OPTED_OUT` — a clock command on a ticket that opted out of SLAs.
 * - `SLA_ASSIGNMENT_INACTIVE` — any command after `unbind` (the row is kept with `is_active = 0`).
 * - `SLA_NOT_ATTACHABLE` — binding a draft or archived version, or a deprecated one outside its contract.
 * - `SLA_ASSIGNMENT_FACTS_MISSING` — the SLA version or its calendar was not loaded (or do not match).
 * - `SLA_TARGET_UNREACHABLE` — the calendar holds fewer business minutes than a target within the
 *   horizon of due instants (`BUSINESS_MINUTES_HORIZON_YEARS`): a clock that could never fall due.
 * - `SLA_CLOCK_ALREADY_PAUSED` / `SLA_CLOCK_NOT_PAUSED` — pause while paused / resume while running.
 * - `SLA_CLOCK_STOPPED` — pause, resume or respond on a resolved clock.
 * - `SLA_CLOCK_NOT_STOPPED` — `reopen` on a clock that is not resolved.
 * - `SLA_TARGET_ALREADY_MET` — a second first response.
 * - `SLA_TIME_BEFORE_CLOCK` — a command dated before the clock's last change.
 * - `SLA_BREACH_IMMUTABLE` — editing, dismissing or deleting a recorded breach (disputes go through a
 *   separate concession).
 */
export type SlaAssignmentRejectionCode =
  | 'SLA_ASSIGNMENT_ALREADY_EXISTS'
  | 'SLA_ASSIGNMENT_NOT_FOUND'
  | 'SLA_ASSIGNMENT_OPTED_OUT'
  | 'SLA_ASSIGNMENT_INACTIVE'
  | 'SLA_NOT_ATTACHABLE'
  | 'SLA_ASSIGNMENT_FACTS_MISSING'
  | 'SLA_TARGET_UNREACHABLE'
  | 'SLA_CLOCK_ALREADY_PAUSED'
  | 'SLA_CLOCK_NOT_PAUSED'
  | 'SLA_CLOCK_STOPPED'
  | 'SLA_CLOCK_NOT_STOPPED'
  | 'SLA_TARGET_ALREADY_MET'
  | 'SLA_TIME_BEFORE_CLOCK'
  | 'SLA_BREACH_IMMUTABLE';

/** A refused SLA assignment command. */
export type SlaAssignmentRejection = Rejection<SlaAssignmentRejectionCode>;

/**
 * Every SLA assignment rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...SLA_ASSIGNMENT_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const SLA_ASSIGNMENT_REJECTION_CODES: readonly SlaAssignmentRejectionCode[] = [
  'SLA_ASSIGNMENT_ALREADY_EXISTS',
  'SLA_ASSIGNMENT_NOT_FOUND',
  'SLA_ASSIGNMENT_OPTED_OUT',
  'SLA_ASSIGNMENT_INACTIVE',
  'SLA_NOT_ATTACHABLE',
  'SLA_ASSIGNMENT_FACTS_MISSING',
  'SLA_TARGET_UNREACHABLE',
  'SLA_CLOCK_ALREADY_PAUSED',
  'SLA_CLOCK_NOT_PAUSED',
  'SLA_CLOCK_STOPPED',
  'SLA_CLOCK_NOT_STOPPED',
  'SLA_TARGET_ALREADY_MET',
  'SLA_TIME_BEFORE_CLOCK',
  'SLA_BREACH_IMMUTABLE',
];
