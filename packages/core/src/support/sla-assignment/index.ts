export {
  elapsedMinutes,
  evaluateSlaClock,
  type SlaClockState,
  type SlaClockView,
  slaClockView,
  type TargetView,
  thresholdMinutes,
} from './clock.js';
export {
  type AlterSlaBreach,
  type BindSla,
  type ChangeSlaClock,
  type EvaluateSla,
  type OptOutOfSla,
  type SlaAssignmentCommand,
  type SlaAssignmentFacts,
  type SlaBindingSource,
  type SlaVersionFact,
  slaAssignmentCommandSchema,
} from './commands.js';
export { decideSlaAssignment } from './decide.js';
export { slaAssignmentDecider } from './decider.js';
export {
  SLA_ASSIGNMENT_STREAM_TYPE,
  type SlaAssignmentEvent,
  type SlaBoundPayload,
  type SlaClockPayload,
  type SlaEscalatedPayload,
  type SlaOptedOutPayload,
  type SlaResumedPayload,
  type SlaTargetKind,
  type SlaThresholdPayload,
  type SlaUnboundPayload,
  slaAssignmentEvents,
  slaBound,
  slaBreached,
  slaEscalated,
  slaOptedOut,
  slaPaused,
  slaResolved,
  slaResponded,
  slaResumed,
  slaUnbound,
  slaWarning,
} from './events.js';
export {
  SLA_ASSIGNMENT_REJECTION_CODES,
  type SlaAssignmentRejection,
  type SlaAssignmentRejectionCode,
} from './rejections.js';
export {
  type BoundSla,
  evolveSlaAssignment,
  initialSlaAssignmentState,
  type SlaAssignmentState,
  type TargetClock,
} from './state.js';
