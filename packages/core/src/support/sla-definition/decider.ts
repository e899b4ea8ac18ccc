import type { Decider } from '../../kernel/index.js';
import type { SlaDefinitionCommand, SlaDefinitionFacts } from './commands.js';
import { decideSlaDefinition } from './decide.js';
import type { SlaDefinitionEvent } from './events.js';
import type { SlaDefinitionRejection } from './rejections.js';
import { evolveSlaDefinition, initialSlaDefinitionState, type SlaDefinitionState } from './state.js';

/**
 * The SLA definition version aggregate as a decider (stream type `sla_definition`).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: slaDefinitionDecider, commandSchema: slaDefinitionCommandSchema });
 * ```
 */
export const slaDefinitionDecider: Decider<
  SlaDefinitionState,
  SlaDefinitionCommand,
  SlaDefinitionEvent,
  SlaDefinitionFacts | undefined,
  SlaDefinitionRejection
> = { initialState: initialSlaDefinitionState, decide: decideSlaDefinition, evolve: evolveSlaDefinition };
