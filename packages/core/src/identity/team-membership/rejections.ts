import type { Rejection } from '../../kernel/index.js';

/**
 * Why a membership command was refused (stable codes):
 * - `MEMBERSHIP_ALREADY_EXISTS` — `add` on an existing membership stream.
 * - `MEMBERSHIP_NOT_FOUND` — `remove` before `add`.
 * - `MEMBERSHIP_ALREADY_REMOVED` — `remove` on a closed membership (history is immutable).
 * - `MEMBERSHIP_ALREADY_OPEN` — the employee already has an open membership in the team.
 * - `MEMBERSHIP_TEAM_NOT_ACTIVE` — the team is archived.
 * - `MEMBERSHIP_EMPLOYEE_NOT_ACTIVE` — the employee is not active.
 * - `MEMBERSHIP_INVALID_PERIOD` — the removal would come before the assignment.
 * - `MEMBERSHIP_FACTS_MISSING` — the application did not load the facts `add` needs.
 */
export type TeamMembershipRejectionCode =
  | 'MEMBERSHIP_ALREADY_EXISTS'
  | 'MEMBERSHIP_NOT_FOUND'
  | 'MEMBERSHIP_ALREADY_REMOVED'
  | 'MEMBERSHIP_ALREADY_OPEN'
  | 'MEMBERSHIP_TEAM_NOT_ACTIVE'
  | 'MEMBERSHIP_EMPLOYEE_NOT_ACTIVE'
  | 'MEMBERSHIP_INVALID_PERIOD'
  | 'MEMBERSHIP_FACTS_MISSING';

/** A refused membership command. */
export type TeamMembershipRejection = Rejection<TeamMembershipRejectionCode>;

/**
 * Every membership rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...TEAM_MEMBERSHIP_REJECTION_CODES].sort());
 * ```
 */
export const TEAM_MEMBERSHIP_REJECTION_CODES: readonly TeamMembershipRejectionCode[] = [
  'MEMBERSHIP_ALREADY_EXISTS',
  'MEMBERSHIP_NOT_FOUND',
  'MEMBERSHIP_ALREADY_REMOVED',
  'MEMBERSHIP_ALREADY_OPEN',
  'MEMBERSHIP_TEAM_NOT_ACTIVE',
  'MEMBERSHIP_EMPLOYEE_NOT_ACTIVE',
  'MEMBERSHIP_INVALID_PERIOD',
  'MEMBERSHIP_FACTS_MISSING',
];
