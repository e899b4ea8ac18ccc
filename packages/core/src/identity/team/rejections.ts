import type { Rejection } from '../../kernel/index.js';

/**
 * Why a team command was refused (stable codes):
 * - `TEAM_ALREADY_EXISTS` — `create` on an existing team.
 * - `TEAM_NOT_FOUND` — any other command before `create`.
 * - `TEAM_ARCHIVED` — any change to an archived team (terminal, immutable).
 * - `TEAM_NAME_TAKEN` — another active team under the same parent has this name (case-insensitive).
 * - `TEAM_PARENT_NOT_ACTIVE` — the parent team is archived.
 * - `TEAM_PARENT_CYCLE` — the team would become its own ancestor.
 * - `TEAM_MANAGER_NOT_ACTIVE` — the manager is not an active employee.
 * - `TEAM_ESCALATION_MANAGER_NOT_ACTIVE` — the escalation manager is not an active employee.
 * - `TEAM_HAS_ACTIVE_CHILDREN` — archiving a team that still has active sub-teams.
 * - `TEAM_FACTS_MISSING` — the application did not load the facts the command needs.
 */
export type TeamRejectionCode =
  | 'TEAM_ALREADY_EXISTS'
  | 'TEAM_NOT_FOUND'
  | 'TEAM_ARCHIVED'
  | 'TEAM_NAME_TAKEN'
  | 'TEAM_PARENT_NOT_ACTIVE'
  | 'TEAM_PARENT_CYCLE'
  | 'TEAM_MANAGER_NOT_ACTIVE'
  | 'TEAM_ESCALATION_MANAGER_NOT_ACTIVE'
  | 'TEAM_HAS_ACTIVE_CHILDREN'
  | 'TEAM_FACTS_MISSING';

/** A refused team command. */
export type TeamRejection = Rejection<TeamRejectionCode>;

/**
 * Every team rejection code.
 *
 * @example
 * ```ts
 * const isTeamCode = (code: string) => (TEAM_REJECTION_CODES as readonly string[]).includes(code);
 * ```
 */
export const TEAM_REJECTION_CODES: readonly TeamRejectionCode[] = [
  'TEAM_ALREADY_EXISTS',
  'TEAM_NOT_FOUND',
  'TEAM_ARCHIVED',
  'TEAM_NAME_TAKEN',
  'TEAM_PARENT_NOT_ACTIVE',
  'TEAM_PARENT_CYCLE',
  'TEAM_MANAGER_NOT_ACTIVE',
  'TEAM_ESCALATION_MANAGER_NOT_ACTIVE',
  'TEAM_HAS_ACTIVE_CHILDREN',
  'TEAM_FACTS_MISSING',
];
