import type { Decider } from '../../kernel/index.js';
import type { VarianceCommand, VarianceFacts } from './commands.js';
import { decideVariance } from './decide.js';
import type { VarianceEvent } from './events.js';
import type { VarianceRejection } from './rejections.js';
import { evolveVariance, initialVarianceState, type VarianceState } from './state.js';

/**
 * The project-variance aggregate as a decider (stream type `project_variance`).
 *
 * @example `DeciderSpecification.for(varianceDecider).given([detected]).when(acknowledge).then([acknowledged])`
 */
export const varianceDecider: Decider<
  VarianceState,
  VarianceCommand,
  VarianceEvent,
  VarianceFacts | undefined,
  VarianceRejection
> = { initialState: initialVarianceState, decide: decideVariance, evolve: evolveVariance };
