import type { Decider } from '../../kernel/index.js';
import type { TicketCommand, TicketFacts } from './commands.js';
import { decideTicket } from './decide.js';
import type { TicketEvent } from './events.js';
import type { TicketRejection } from './rejections.js';
import { evolveTicket, initialTicketState, type TicketState } from './state.js';

/**
 * The ticket aggregate as a decider (stream type `ticket`).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: ticketDecider, commandSchema: ticketCommandSchema });
 * ```
 */
export const ticketDecider: Decider<
  TicketState,
  TicketCommand,
  TicketEvent,
  TicketFacts | undefined,
  TicketRejection
> = {
  initialState: initialTicketState,
  decide: decideTicket,
  evolve: evolveTicket,
};
