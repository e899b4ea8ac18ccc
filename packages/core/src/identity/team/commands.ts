import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import type { EmployeeStatus } from '../employee/state.js';
import { teamNameSchema } from '../fields.js';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../ids.js';
import { type TeamVisual, teamVisualSchema } from './events.js';
import type { TeamStatus } from './state.js';

/** Creates an active team. `teamId` is the stream id. */
export interface CreateTeam {
  readonly type: 'create';
  readonly teamId: TeamId;
  readonly name: string;
  readonly parentTeamId: TeamId | null;
  readonly managerId: EmployeeId | null;
  readonly escalationManagerId: EmployeeId | null;
  readonly visual: TeamVisual | null;
}

/** What an update may change; fields equal to the current value are ignored. */
export interface TeamUpdate {
  readonly name?: string;
  readonly parentTeamId?: TeamId | null;
  readonly managerId?: EmployeeId | null;
  readonly escalationManagerId?: EmployeeId | null;
  readonly visual?: TeamVisual | null;
}

/** Renames, moves (re-parents), changes managers or the visual; a no-op update emits nothing. */
export interface UpdateTeam {
  readonly type: 'update';
  readonly changes: TeamUpdate;
}

/** active → archived at `at`. */
export interface ArchiveTeam {
  readonly type: 'archive';
  readonly at: Instant;
}

/** Every team command. */
export type TeamCommand = CreateTeam | UpdateTeam | ArchiveTeam;

/** The (new) parent team as loaded by the application. */
export interface TeamParentFact {
  readonly teamId: TeamId;
  readonly status: TeamStatus;
  /** The parent's ancestors, nearest first, up to a root team (see `ancestorChain`). */
  readonly ancestorIds: readonly TeamId[];
}

/** An employee's status, for the manager rules. */
export interface EmployeeStatusFact {
  readonly employeeId: EmployeeId;
  readonly status: EmployeeStatus;
}

/**
 * What team decisions need from elsewhere:
 * - `parent` when a command sets a parent;
 * - `siblingNames` (names of the other active teams under the new parent, or of the active root teams)
 *   when a team is created, renamed or moved;
 * - `employees` (statuses) when a command sets a manager or escalation manager;
 * - `activeChildTeamIds` for `archive`.
 */
export interface TeamFacts {
  readonly parent?: TeamParentFact;
  readonly siblingNames?: readonly string[];
  readonly employees?: readonly EmployeeStatusFact[];
  readonly activeChildTeamIds?: readonly TeamId[];
}

/**
 * Zod schema of a {@link TeamCommand} (names trimmed; optional references default to `null`).
 *
 * @example
 * ```ts
 * const command = parseInput(teamCommandSchema, raw, 'team command');
 * ```
 */
export const teamCommandSchema: z.ZodType<TeamCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    teamId: teamIdSchema,
    name: teamNameSchema,
    parentTeamId: teamIdSchema.nullable().default(null),
    managerId: employeeIdSchema.nullable().default(null),
    escalationManagerId: employeeIdSchema.nullable().default(null),
    visual: teamVisualSchema.nullable().default(null),
  }),
  z.object({
    type: z.literal('update'),
    changes: z
      .object({
        name: teamNameSchema.exactOptional(),
        parentTeamId: teamIdSchema.nullable().exactOptional(),
        managerId: employeeIdSchema.nullable().exactOptional(),
        escalationManagerId: employeeIdSchema.nullable().exactOptional(),
        visual: teamVisualSchema.nullable().exactOptional(),
      })
      .strict(),
  }),
  z.object({ type: z.literal('archive'), at: instantSchema }),
]);
