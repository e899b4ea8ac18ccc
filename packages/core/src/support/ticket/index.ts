/**
 * The ticket aggregate (spec §2.22): the universal work unit, owned by one primary container (support,
 * project or internal) whose lifecycle it follows.
 *
 * Reopening — the decision on §8.5's contradiction: `resolved` (support) and `done` (project, internal)
 * may be reopened (back to `open` / `in_progress`), and the SLA resolution clock then continues from its
 * elapsed time, the time spent resolved not counted (scenario 63). `closed` is terminal and immutable —
 * no reopen, no time, no edit (`TICKET_CLOSED`); later work on the same matter is a new ticket linked to
 * the closed one with `link_type = ticket`. PET's code, which lets any status follow `closed` and clears
 * `closed_at`, is not followed.
 *
 * @module
 */
export {
  type AddTicketLink,
  type AllocateTicket,
  type ChangeTicketPriority,
  type ChangeTicketStatus,
  type CreateTicket,
  type ParentTicketFact,
  type PreferAssignee,
  type PullTicket,
  type QueueTicket,
  type RespondToTicket,
  type SlaApplicability,
  type SplitChild,
  type SplitTicket,
  type TicketCommand,
  type TicketFacts,
  type TicketKind,
  type TicketLinkType,
  type TicketPriority,
  ticketCommandSchema,
} from './commands.js';
export { decideTicket } from './decide.js';
export { ticketDecider } from './decider.js';
export {
  type AssignmentMode,
  TICKET_STREAM_TYPE,
  type TicketAssignedPayload,
  type TicketCreatedPayload,
  type TicketEvent,
  type TicketLinkAddedPayload,
  type TicketPriorityChangedPayload,
  type TicketRespondedPayload,
  type TicketSplitPayload,
  type TicketStatusChangedPayload,
  ticketAssigned,
  ticketCreated,
  ticketEvents,
  ticketLinkAdded,
  ticketPriorityChanged,
  ticketResponded,
  ticketSplit,
  ticketStatusChanged,
} from './events.js';
export {
  allowedTicketTransitions,
  initialTicketStatus,
  type SlaClockEffect,
  slaEffectOfStatusChange,
  slaEffectOfTicketEvent,
  type TicketOwner,
  type TicketStatus,
} from './lifecycle.js';
export { ticketAcceptsTime } from './policy.js';
export { TICKET_REJECTION_CODES, type TicketRejection, type TicketRejectionCode } from './rejections.js';
export { evolveTicket, initialTicketState, type TicketDetails, type TicketState } from './state.js';
