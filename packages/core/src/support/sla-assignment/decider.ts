import type { Decider } from '../../kernel/index.js';
import type { SlaAssignmentCommand, SlaAssignmentFacts } from './commands.js';
import { decideSlaAssignment } from './decide.js';
import type { SlaAssignmentEvent } from './events.js';
import type { SlaAssignmentRejection } from './rejections.js';
import { evolveSlaAssignment, initialSlaAssignmentState, type SlaAssignmentState } from './state.js';

/**
 * The SLA assignment (binding + clock) aggregate as a decider (stream type `sla_assignment`).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: slaAssignmentDecider, commandSchema: slaAssignmentCommandSchema });
 * ```
 */
export const slaAssignmentDecider: Decider<
  SlaAssignmentState,
  SlaAssignmentCommand,
  SlaAssignmentEvent,
  SlaAssignmentFacts | undefined,
  SlaAssignmentRejection
> = { initialState: initialSlaAssignmentState, decide: decideSlaAssignment, evolve: evolveSlaAssignment };
