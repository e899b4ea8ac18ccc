/**
 * The commercial bounded context, lead pipeline (issue 4, part A): malleable schemas (versioned typed
 * field sets per entity type), leads, qualifications and opportunities. Pure deciders; the MySQL
 * adapter enforces the cross-aggregate rules in workflows.
 *
 * @packageDocumentation
 */
export { leadPipelineEventDefinitions, leadPipelineEventRegistry } from './events.js';
export {
  type ArchiveLead,
  type CreateLead,
  type DisqualifyLead,
  type LeadCommand,
  leadCommandSchema,
  type QualifyLead,
  type UpdateLead,
} from './lead/commands.js';
export {
  decideLead,
  evolveLead,
  initialLeadState,
  LEAD_ENTITY_TYPE,
  type LeadDetails,
  type LeadFacts,
  type LeadState,
  type LeadStatus,
  leadDecider,
} from './lead/decider.js';
export {
  LEAD_STREAM_TYPE,
  type LeadArchivedPayload,
  type LeadChanges,
  type LeadCreatedPayload,
  type LeadDisqualifiedPayload,
  type LeadEvent,
  type LeadId,
  type LeadQualifiedPayload,
  type LeadUpdatedPayload,
  leadArchived,
  leadCreated,
  leadDescriptionSchema,
  leadDisqualified,
  leadEvents,
  leadIdSchema,
  leadQualified,
  leadSourceSchema,
  leadSubjectSchema,
  leadUpdated,
  malleableDataSchema,
  OPPORTUNITY_CLASSES,
  type OpportunityClass,
  opportunityClassSchema,
  type QualificationId,
  qualificationIdSchema,
  reasonSchema,
} from './lead/events.js';
export { LEAD_REJECTION_CODES, type LeadRejection, type LeadRejectionCode } from './lead/rejections.js';
export {
  type AdvanceOpportunity,
  type ArchiveOpportunity,
  type ChangeOpportunityProbability,
  type ChangeOpportunityValue,
  type ClassifyOpportunity,
  type CreateOpportunity,
  type LoseOpportunity,
  type OpportunityCommand,
  opportunityCommandSchema,
  type WinOpportunity,
} from './opportunity/commands.js';
export {
  decideOpportunity,
  evolveOpportunity,
  initialOpportunityState,
  isFinalStage,
  type OpportunityDetails,
  type OpportunityFacts,
  type OpportunityState,
  opportunityDecider,
} from './opportunity/decider.js';
export {
  estimatedValueSchema,
  OPPORTUNITY_STAGES,
  OPPORTUNITY_STREAM_TYPE,
  type OpportunityArchivedPayload,
  type OpportunityClassifiedPayload,
  type OpportunityCreatedPayload,
  type OpportunityEvent,
  type OpportunityId,
  type OpportunityLostPayload,
  type OpportunityProbabilityChangedPayload,
  type OpportunityStage,
  type OpportunityStageChangedPayload,
  type OpportunityValueChangedPayload,
  type OpportunityWonPayload,
  opportunityArchived,
  opportunityClassified,
  opportunityCreated,
  opportunityEvents,
  opportunityIdSchema,
  opportunityLost,
  opportunityProbabilityChanged,
  opportunityStageChanged,
  opportunityValueChanged,
  opportunityWon,
} from './opportunity/events.js';
export {
  OPPORTUNITY_REJECTION_CODES,
  type OpportunityRejection,
  type OpportunityRejectionCode,
} from './opportunity/rejections.js';
export {
  type ArchiveQualification,
  type ChangeQualificationData,
  type CompleteQualification,
  type QualificationCommand,
  qualificationCommandSchema,
  type StartQualification,
} from './qualification/commands.js';
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
} from './qualification/decider.js';
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
} from './qualification/events.js';
export {
  QUALIFICATION_REJECTION_CODES,
  type QualificationRejection,
  type QualificationRejectionCode,
} from './qualification/rejections.js';
export {
  checkMalleable,
  describeMalleableRecord,
  type MalleableCheck,
  type MalleableValueView,
} from './schema/binding.js';
export {
  type CreateSchemaDraft,
  type DiscardSchemaDraft,
  type MalleableSchemaCommand,
  malleableSchemaCommandSchema,
  type PublishSchema,
  type UpdateSchemaDraft,
} from './schema/commands.js';
export {
  activeSchemaVersion,
  decideMalleableSchema,
  evolveMalleableSchema,
  initialMalleableSchemaState,
  type MalleableSchemaState,
  type MalleableSchemaVersion,
  malleableSchemaDecider,
  type SchemaVersionStatus,
  schemaVersionOf,
} from './schema/decider.js';
export {
  entityTypeSchema,
  MALLEABLE_SCHEMA_STREAM_TYPE,
  type MalleableSchemaEvent,
  type MalleableSchemaId,
  malleableSchemaEvents,
  malleableSchemaIdSchema,
  type SchemaDraftCreatedPayload,
  type SchemaDraftDiscardedPayload,
  type SchemaDraftUpdatedPayload,
  type SchemaPublishedPayload,
  schemaDraftCreated,
  schemaDraftDiscarded,
  schemaDraftUpdated,
  schemaPublished,
} from './schema/events.js';
export {
  DEFAULT_TEXT_MAX,
  fieldRuleIssues,
  MALLEABLE_FIELD_TYPES,
  MALLEABLE_KEY_RE,
  MAX_MALLEABLE_FIELDS,
  MAX_MALLEABLE_KEY_LENGTH,
  MAX_MALLEABLE_LABEL_LENGTH,
  type MalleableField,
  type MalleableFieldType,
  type MalleableOption,
  malleableFieldSchema,
  malleableFieldsSchema,
} from './schema/fields.js';
export {
  MALLEABLE_SCHEMA_REJECTION_CODES,
  type MalleableSchemaRejection,
  type MalleableSchemaRejectionCode,
} from './schema/rejections.js';
export { type MalleableData, malleableDataIssues } from './schema/validate.js';
