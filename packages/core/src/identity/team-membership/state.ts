import type { Instant } from '../../kernel/index.js';
import type { EmployeeId, TeamId, TeamMembershipId } from '../ids.js';
import type { MembershipRole, TeamMembershipEvent } from './events.js';

/** The fields every membership has. Everything but `removedAt` (set once) is immutable. */
export interface MembershipDetails {
  readonly membershipId: TeamMembershipId;
  readonly teamId: TeamId;
  readonly employeeId: EmployeeId;
  readonly role: MembershipRole;
  readonly assignedAt: Instant;
}

/** A membership's state: open (current) or closed (history), a union on `status`. */
export type TeamMembershipState =
  | { readonly status: 'absent' }
  | (MembershipDetails & { readonly status: 'open' })
  | (MembershipDetails & { readonly status: 'closed'; readonly removedAt: Instant });

/** The state before any event. @example `initialTeamMembershipState()` → `{ status: 'absent' }` */
export function initialTeamMembershipState(): TeamMembershipState {
  return { status: 'absent' };
}

/**
 * Folds one event into a membership's state; an event that does not fit leaves it unchanged.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveTeamMembership, initialTeamMembershipState());
 * ```
 */
export function evolveTeamMembership(
  state: TeamMembershipState,
  event: TeamMembershipEvent,
): TeamMembershipState {
  switch (event.type) {
    case 'team.member_added':
      return state.status === 'absent' ? { status: 'open', ...event.payload } : state;
    case 'team.member_removed':
      return state.status === 'open'
        ? { ...state, status: 'closed', removedAt: event.payload.removedAt }
        : state;
  }
}
