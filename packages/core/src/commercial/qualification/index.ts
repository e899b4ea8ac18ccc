export {
  type ArchiveQualification,
  type ChangeQualificationData,
  type CompleteQualification,
  type QualificationCommand,
  qualificationCommandSchema,
  type StartQualification,
} from './commands.js';
export {
  decideQualification,
  evolveQualification,
  initialQualificationState,
  QUALIFICATION_ENTITY_TYPE,
  type QualificationDetails,
  type QualificationFacts,
  type QualificationState,
  type QualificationStatus,
  qualificationDecider,
} from './decider.js';
export {
  QUALIFICATION_STREAM_TYPE,
  type QualificationArchivedPayload,
  type QualificationCompletedPayload,
  type QualificationDataChangedPayload,
  type QualificationEvent,
  type QualificationOutcome,
  type QualificationStartedPayload,
  qualificationArchived,
  qualificationCompleted,
  qualificationDataChanged,
  qualificationEvents,
  qualificationStarted,
} from './events.js';
export {
  QUALIFICATION_REJECTION_CODES,
  type QualificationRejection,
  type QualificationRejectionCode,
} from './rejections.js';
