import type { Decider } from '../../kernel/index.js';
import type { TeamCommand, TeamFacts } from './commands.js';
import { decideTeam } from './decide.js';
import type { TeamEvent } from './events.js';
import type { TeamRejection } from './rejections.js';
import { evolveTeam, initialTeamState, type TeamState } from './state.js';

/**
 * The team aggregate as a decider (stream type `team`).
 *
 * @example
 * ```ts
 * DeciderSpecification.for(teamDecider).given([]).when(createTeam, facts).then([teamCreatedEvent]);
 * ```
 */
export const teamDecider: Decider<TeamState, TeamCommand, TeamEvent, TeamFacts | undefined, TeamRejection> = {
  initialState: initialTeamState,
  decide: decideTeam,
  evolve: evolveTeam,
};
