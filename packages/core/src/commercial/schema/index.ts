export {
  checkMalleable,
  describeMalleableRecord,
  type MalleableCheck,
  type MalleableValueView,
} from './binding.js';
export {
  type CreateSchemaDraft,
  type DiscardSchemaDraft,
  type MalleableSchemaCommand,
  malleableSchemaCommandSchema,
  type PublishSchema,
  type UpdateSchemaDraft,
} from './commands.js';
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
} from './decider.js';
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
} from './events.js';
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
} from './fields.js';
export {
  MALLEABLE_SCHEMA_REJECTION_CODES,
  type MalleableSchemaRejection,
  type MalleableSchemaRejectionCode,
} from './rejections.js';
export { type MalleableData, malleableDataIssues } from './validate.js';
