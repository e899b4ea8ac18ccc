import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import type { EmployeeStatus } from '../employee/state.js';
import {
  type EmployeeId,
  employeeIdSchema,
  type TeamId,
  type TeamMembershipId,
  teamIdSchema,
  teamMembershipIdSchema,
} from '../ids.js';
import type { TeamStatus } from '../team/state.js';
import { type MembershipRole, membershipRoleSchema } from './events.js';

/** Opens a membership from `at`. `membershipId` is the stream id. A role change is remove + add. */
export interface AddMember {
  readonly type: 'add';
  readonly membershipId: TeamMembershipId;
  readonly teamId: TeamId;
  readonly employeeId: EmployeeId;
  readonly role: MembershipRole;
  readonly at: Instant;
}

/** Closes the membership at `at` (not before it started). */
export interface RemoveMember {
  readonly type: 'remove';
  readonly at: Instant;
}

/** Every membership command. */
export type TeamMembershipCommand = AddMember | RemoveMember;

/**
 * What `add` needs from elsewhere: the team's and the employee's status, and the ids of the employee's
 * open memberships in that team (at most one may be open).
 */
export interface TeamMembershipFacts {
  readonly team: { readonly teamId: TeamId; readonly status: TeamStatus };
  readonly employee: { readonly employeeId: EmployeeId; readonly status: EmployeeStatus };
  readonly openMembershipIds: readonly TeamMembershipId[];
}

/**
 * Zod schema of a {@link TeamMembershipCommand} (`role` defaults to `member`).
 *
 * @example
 * ```ts
 * const command = parseInput(teamMembershipCommandSchema, raw, 'membership command');
 * ```
 */
export const teamMembershipCommandSchema: z.ZodType<TeamMembershipCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('add'),
    membershipId: teamMembershipIdSchema,
    teamId: teamIdSchema,
    employeeId: employeeIdSchema,
    role: membershipRoleSchema.default('member'),
    at: instantSchema,
  }),
  z.object({ type: z.literal('remove'), at: instantSchema }),
]);
