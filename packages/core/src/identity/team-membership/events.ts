import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import {
  type EmployeeId,
  employeeIdSchema,
  type TeamId,
  type TeamMembershipId,
  teamIdSchema,
  teamMembershipIdSchema,
} from '../ids.js';

/**
 * The stream type of membership streams (and the key of the `team_memberships` state table).
 *
 * @example
 * ```ts
 * const definition: Pick<AggregateDefinition<TeamMembershipState>, 'streamType'> = {
 *   streamType: TEAM_MEMBERSHIP_STREAM_TYPE, // with initialState, encode and decode in a real one
 * };
 * ```
 */
export const TEAM_MEMBERSHIP_STREAM_TYPE = 'team_membership';

/** A member's role in a team. Separate from the team's manager roles. */
export type MembershipRole = 'member' | 'lead';

/** Zod schema of a {@link MembershipRole}. @example `membershipRoleSchema.parse('lead')` */
export const membershipRoleSchema: z.ZodType<MembershipRole> = z.enum(['member', 'lead']);

/** Payload of `team.member_added` v1. */
export interface MemberAddedPayload {
  readonly membershipId: TeamMembershipId;
  readonly teamId: TeamId;
  readonly employeeId: EmployeeId;
  readonly role: MembershipRole;
  readonly assignedAt: Instant;
}

/** Payload of `team.member_removed` v1 (the team and employee repeated so the event reads on its own). */
export interface MemberRemovedPayload {
  readonly membershipId: TeamMembershipId;
  readonly teamId: TeamId;
  readonly employeeId: EmployeeId;
  readonly removedAt: Instant;
}

/**
 * `team.member_added` v1: a membership opens.
 *
 * @example
 * ```ts
 * const event = {
 *   type: memberAdded.type,
 *   payload: { membershipId, teamId, employeeId, role: 'member', assignedAt: clock.now() },
 * };
 * ```
 */
export const memberAdded: EventDefinition<'team.member_added', z.ZodType<MemberAddedPayload>> = defineEvent({
  type: 'team.member_added',
  version: 1,
  payload: z.object({
    membershipId: teamMembershipIdSchema,
    teamId: teamIdSchema,
    employeeId: employeeIdSchema,
    role: membershipRoleSchema,
    assignedAt: instantSchema,
  }),
});

/**
 * `team.member_removed` v1: a membership closes (its history is kept).
 *
 * @example `memberRemoved.payload.parse(raw).removedAt`
 */
export const memberRemoved: EventDefinition<
  'team.member_removed',
  z.ZodType<MemberRemovedPayload>
> = defineEvent({
  type: 'team.member_removed',
  version: 1,
  payload: z.object({
    membershipId: teamMembershipIdSchema,
    teamId: teamIdSchema,
    employeeId: employeeIdSchema,
    removedAt: instantSchema,
  }),
});

/** Every event a membership stream holds. */
export type TeamMembershipEvent = EventOf<typeof memberAdded> | EventOf<typeof memberRemoved>;

/**
 * The membership event definitions (current versions).
 *
 * @example `createEventRegistry({ events: teamMembershipEvents })`
 */
export const teamMembershipEvents: readonly EventDefinition[] = [memberAdded, memberRemoved];
