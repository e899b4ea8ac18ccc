export {
  type CreateSlaDefinition,
  type SlaDefinitionCommand,
  type SlaDefinitionFacts,
  slaDefinitionCommandSchema,
  type TransitionSlaDefinition,
  type UpdateSlaDefinition,
} from './commands.js';
export { decideSlaDefinition } from './decide.js';
export { slaDefinitionDecider } from './decider.js';
export {
  SLA_DEFINITION_STREAM_TYPE,
  type SlaCreatedPayload,
  type SlaDefinitionEvent,
  type SlaTransitionPayload,
  type SlaUpdatedPayload,
  slaArchived,
  slaCreated,
  slaDefinitionEvents,
  slaDeprecated,
  slaPublished,
  slaUpdated,
} from './events.js';
export {
  SLA_DEFINITION_REJECTION_CODES,
  type SlaDefinitionRejection,
  type SlaDefinitionRejectionCode,
} from './rejections.js';
export {
  evolveSlaDefinition,
  initialSlaDefinitionState,
  type SlaDefinitionState,
  type SlaDefinitionStatus,
} from './state.js';
export {
  canAttachSla,
  type EscalationAction,
  type EscalationRule,
  escalationStages,
  type NotifyMethod,
  type SlaAttachment,
  type SlaTerms,
  type SlaTier,
  slaTermsSchema,
} from './terms.js';
