import type { Decider } from '../../kernel/index.js';
import type { MilestoneCommand, MilestoneFacts } from './commands.js';
import { decideMilestone } from './decide.js';
import type { MilestoneEvent } from './events.js';
import type { MilestoneRejection } from './rejections.js';
import { evolveMilestone, initialMilestoneState, type MilestoneState } from './state.js';

/**
 * The milestone aggregate as a decider (stream type `milestone`).
 *
 * @example `DeciderSpecification.for(milestoneDecider).given([defined]).when({ type: 'activate', at }).then([activated])`
 */
export const milestoneDecider: Decider<
  MilestoneState,
  MilestoneCommand,
  MilestoneEvent,
  MilestoneFacts | undefined,
  MilestoneRejection
> = { initialState: initialMilestoneState, decide: decideMilestone, evolve: evolveMilestone };
