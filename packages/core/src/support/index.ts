/**
 * Support context: tickets, versioned SLA definitions, SLA assignments (each ticket's binding and clock)
 * and SLA events (spec §2.22–2.25). Pure: no I/O, no clock — times arrive in commands.
 *
 * Decisions written down here:
 * - **Reopening (§8.5).** `resolved` (support) and `done` (project, internal) are not terminal: a reopen
 *   goes back to `open` / `in_progress` and the SLA resolution clock continues from its elapsed time (the
 *   time spent resolved does not count) — the cross-engine doc's "reopen resumes the clock" (scenario
 *   63). `closed` is terminal and immutable — the helpdesk's "no reopen" and §0's rule: follow-up work is a
 *   new ticket linked to the closed one (`link_type = ticket`).
 * - **Assignment (§8.6).** Exactly one of team or employee once assigned (the helpdesk rule). A team
 *   queue pull needs the ticket in a queue and the puller in its team, and is refused (409) once an
 *   employee has it; a manager allocation overrides; the preferred assignee (intent) stays recorded next
 *   to the actual one. No assignment or priority change touches the SLA clock.
 * - **SLA names and vocabulary (§8.9).** Events are `sla.warning|breached|escalated|paused|resumed` (plus
 *   `sla.bound`, `sla.opted_out`, `sla.responded`, `sla.resolved`, `sla.unbound`); the warning is the
 *   definition's threshold percentage (not "1 h before"); clock states are active | paused | stopped. A
 *   binding names a real version (≥ 1); a priority change never re-binds; a ChangeOrder unbinds the old
 *   assignment (kept, inactive) and binds a new one.
 * - **Evaluation.** Per target (response, resolution): warning at the threshold, breach at 100 %; the
 *   enabled escalation rules, sorted by threshold, are stages 1, 2, … on the resolution target. A late
 *   run fires every crossed threshold once, in that order, each carrying the instant it was crossed; a
 *   pause, resume or stop first fires what was due, so the evaluation schedule never changes the outcome.
 *   A deprecated SLA still binds through the contract that bought it, not otherwise.
 *
 * @module
 */

export { supportEventDefinitions, supportEventRegistry } from './events.js';
export {
  parentTicketFactOf,
  type SupportDefinitions,
  slaBindFactsLoader,
  slaDefinitionFactsLoader,
  slaVersionFactOf,
  ticketFactsLoader,
} from './facts.js';
export {
  type ContractId,
  type CustomerId,
  contractIdSchema,
  customerIdSchema,
  newSlaAssignmentId,
  newSlaDefinitionId,
  newTicketId,
  type ProjectId,
  projectIdSchema,
  type SiteId,
  type SlaAssignmentId,
  type SlaDefinitionId,
  siteIdSchema,
  slaAssignmentIdSchema,
  slaDefinitionIdSchema,
  type TicketId,
  ticketIdSchema,
} from './ids.js';
export {
  type AlterSlaBreach,
  type BindSla,
  type BoundSla,
  type ChangeSlaClock,
  decideSlaAssignment,
  type EvaluateSla,
  elapsedMinutes,
  evaluateSlaClock,
  evolveSlaAssignment,
  initialSlaAssignmentState,
  type OptOutOfSla,
  SLA_ASSIGNMENT_REJECTION_CODES,
  SLA_ASSIGNMENT_STREAM_TYPE,
  type SlaAssignmentCommand,
  type SlaAssignmentEvent,
  type SlaAssignmentFacts,
  type SlaAssignmentRejection,
  type SlaAssignmentRejectionCode,
  type SlaAssignmentState,
  type SlaBindingSource,
  type SlaBoundPayload,
  type SlaClockPayload,
  type SlaClockState,
  type SlaClockView,
  type SlaEscalatedPayload,
  type SlaOptedOutPayload,
  type SlaResumedPayload,
  type SlaTargetKind,
  type SlaThresholdPayload,
  type SlaUnboundPayload,
  type SlaVersionFact,
  slaAssignmentCommandSchema,
  slaAssignmentDecider,
  slaAssignmentEvents,
  slaBound,
  slaBreached,
  slaClockView,
  slaEscalated,
  slaOptedOut,
  slaPaused,
  slaResolved,
  slaResponded,
  slaResumed,
  slaUnbound,
  slaWarning,
  type TargetClock,
  type TargetView,
  thresholdMinutes,
} from './sla-assignment/index.js';
export {
  type CreateSlaDefinition,
  canAttachSla,
  decideSlaDefinition,
  type EscalationAction,
  type EscalationRule,
  escalationStages,
  evolveSlaDefinition,
  initialSlaDefinitionState,
  type NotifyMethod,
  SLA_DEFINITION_REJECTION_CODES,
  SLA_DEFINITION_STREAM_TYPE,
  type SlaAttachment,
  type SlaCreatedPayload,
  type SlaDefinitionCommand,
  type SlaDefinitionEvent,
  type SlaDefinitionFacts,
  type SlaDefinitionRejection,
  type SlaDefinitionRejectionCode,
  type SlaDefinitionState,
  type SlaDefinitionStatus,
  type SlaTerms,
  type SlaTier,
  type SlaTransitionPayload,
  type SlaUpdatedPayload,
  slaArchived,
  slaCreated,
  slaDefinitionCommandSchema,
  slaDefinitionDecider,
  slaDefinitionEvents,
  slaDeprecated,
  slaPublished,
  slaTermsSchema,
  slaUpdated,
  type TransitionSlaDefinition,
  type UpdateSlaDefinition,
} from './sla-definition/index.js';
export {
  type AddTicketLink,
  type AllocateTicket,
  type AssignmentMode,
  allowedTicketTransitions,
  type ChangeTicketPriority,
  type ChangeTicketStatus,
  type CreateTicket,
  decideTicket,
  evolveTicket,
  initialTicketState,
  initialTicketStatus,
  type ParentTicketFact,
  type PreferAssignee,
  type PullTicket,
  type QueueTicket,
  type RespondToTicket,
  type SlaApplicability,
  type SlaClockEffect,
  type SplitChild,
  type SplitTicket,
  slaEffectOfStatusChange,
  slaEffectOfTicketEvent,
  TICKET_REJECTION_CODES,
  TICKET_STREAM_TYPE,
  type TicketAssignedPayload,
  type TicketCommand,
  type TicketCreatedPayload,
  type TicketDetails,
  type TicketEvent,
  type TicketFacts,
  type TicketKind,
  type TicketLinkAddedPayload,
  type TicketLinkType,
  type TicketOwner,
  type TicketPriority,
  type TicketPriorityChangedPayload,
  type TicketRejection,
  type TicketRejectionCode,
  type TicketRespondedPayload,
  type TicketSplitPayload,
  type TicketState,
  type TicketStatus,
  type TicketStatusChangedPayload,
  ticketAcceptsTime,
  ticketAssigned,
  ticketCommandSchema,
  ticketCreated,
  ticketDecider,
  ticketEvents,
  ticketLinkAdded,
  ticketPriorityChanged,
  ticketResponded,
  ticketSplit,
  ticketStatusChanged,
} from './ticket/index.js';
