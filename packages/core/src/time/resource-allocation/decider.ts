import type { Decider } from '../../kernel/index.js';
import type { ResourceAllocationCommand, ResourceAllocationFacts } from './commands.js';
import { decideResourceAllocation } from './decide.js';
import type { ResourceAllocationEvent } from './events.js';
import type { ResourceAllocationRejection } from './rejections.js';
import {
  evolveResourceAllocation,
  initialResourceAllocationState,
  type ResourceAllocationState,
} from './state.js';

/**
 * The resource-allocation aggregate as a decider (stream type `resource_allocation`).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: resourceAllocationDecider, commandSchema: resourceAllocationCommandSchema });
 * ```
 */
export const resourceAllocationDecider: Decider<
  ResourceAllocationState,
  ResourceAllocationCommand,
  ResourceAllocationEvent,
  ResourceAllocationFacts | undefined,
  ResourceAllocationRejection
> = {
  initialState: initialResourceAllocationState,
  decide: decideResourceAllocation,
  evolve: evolveResourceAllocation,
};
