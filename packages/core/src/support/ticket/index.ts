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
