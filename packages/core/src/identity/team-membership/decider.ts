import type { Decider } from '../../kernel/index.js';
import type { TeamMembershipCommand, TeamMembershipFacts } from './commands.js';
import { decideTeamMembership } from './decide.js';
import type { TeamMembershipEvent } from './events.js';
import type { TeamMembershipRejection } from './rejections.js';
import { evolveTeamMembership, initialTeamMembershipState, type TeamMembershipState } from './state.js';

/**
 * The team-membership aggregate as a decider (stream type `team_membership`).
 *
 * @example
 * ```ts
 * replay(teamMembershipDecider, events); // { status: 'closed', … }
 * ```
 */
export const teamMembershipDecider: Decider<
  TeamMembershipState,
  TeamMembershipCommand,
  TeamMembershipEvent,
  TeamMembershipFacts | undefined,
  TeamMembershipRejection
> = {
  initialState: initialTeamMembershipState,
  decide: decideTeamMembership,
  evolve: evolveTeamMembership,
};
