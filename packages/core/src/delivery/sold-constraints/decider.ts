import type { Decider } from '../../kernel/index.js';
import type { SoldConstraintsCommand } from './commands.js';
import { decideSoldConstraints } from './decide.js';
import type { SoldConstraintsEvent } from './events.js';
import type { SoldConstraintsRejection } from './rejections.js';
import { evolveSoldConstraints, initialSoldConstraintsState, type SoldConstraintsState } from './state.js';

/**
 * The sold-constraints aggregate (a project's baselines) as a decider (stream type
 * `project_sold_constraints`, stream id = `soldConstraintsStreamId(projectId)`).
 *
 * @example `DeciderSpecification.for(soldConstraintsDecider).given([v1]).when(amend).thenRejects('BASELINE_IMMUTABLE')`
 */
export const soldConstraintsDecider: Decider<
  SoldConstraintsState,
  SoldConstraintsCommand,
  SoldConstraintsEvent,
  undefined,
  SoldConstraintsRejection
> = {
  initialState: initialSoldConstraintsState,
  decide: decideSoldConstraints,
  evolve: evolveSoldConstraints,
};
