/**
 * `@pet-ops/sql`: PET's persistence written once for every database, on Kysely. Each adapter package
 * (`@pet-ops/adapters-sqlite`, `@pet-ops/adapters-mysql`, …) supplies a {@link PetDialect}: Kysely's own
 * dialect plus what Kysely does not cover (checked named locks, error classification, transactional DDL,
 * gap safety, the statement compiler, value codecs). No driver is imported here.
 *
 * @packageDocumentation
 * @module @pet-ops/sql
 */
export { logicalChecksums } from './checksum.js';
export {
  allocateQuoteNumber,
  type CommercialBindings,
  changeLead,
  changeMalleableSchema,
  changeOpportunity,
  changeQualification,
  commercialBindings,
  createQuoting,
  deliveryOnAcceptance,
  type LeadRequest,
  loadSchemaFacts,
  loadSchemaVersion,
  type MalleableSchemaRequest,
  markOpportunityWon,
  type OpenQuoteInput,
  type OpenQuoteRejection,
  type OpportunityRequest,
  type OpportunityWorkflowRejection,
  type QualificationRequest,
  type QualificationWorkflowRejection,
  type QualificationWorkflowResult,
  type QuoteRequest,
  type Quoting,
  type QuotingOptions,
} from './contexts/commercial.js';
export {
  type CompanyInput,
  type CrmBindings,
  type CrmCommands,
  type CrmRepository,
  createCrmCommands,
  crmBindings,
  crmRepository,
  type InsertCompanyRejection,
  type InsertCompanyResult,
  type InsertPersonResult,
  type PersonInput,
  SLOT_BY_UID_REJECTION_CODES,
  type SlotByUidRejection,
  type SlotByUidRejectionCode,
  type UidKind,
  type Versioned,
} from './contexts/crm.js';
export {
  type CompanyImportReport,
  type CrmImportReport,
  type ImportCompaniesOptions,
  type ImportPeopleOptions,
  type ImportProgress,
  type ImportRejection,
  type ImportRowOutcome,
  importCompaniesCsv,
  importPeopleCsv,
  type PeopleImportReport,
} from './contexts/crm-import.js';
export { deliveryBindings } from './contexts/delivery.js';
export { type IdentityBindings, identityBindings } from './contexts/identity.js';
export {
  type KnowledgeBindings,
  knowledgeBindings,
  knowledgeCommentFacts,
} from './contexts/knowledge.js';
export {
  type EvaluateDueOptions,
  evaluateDue,
  type SlaDueProgress,
  type SlaDueReport,
} from './contexts/sla-due.js';
export {
  type EvaluateSlaClocksOptions,
  evaluateSlaAssignment,
  evaluateSlaClocks,
  type SlaClockOutcome,
  type SlaEvaluationReport,
} from './contexts/sla-evaluator.js';
export { type SupportBindings, supportBindings } from './contexts/support.js';
export { type TimeBindings, timeBindings } from './contexts/time.js';
export {
  type ImportTimeCsvOptions,
  importTimeCsv,
  TIME_IMPORT_COLUMNS,
  type TimeImportDeadLetter,
  type TimeImportProgress,
  type TimeImportRejection,
  type TimeImportReport,
} from './contexts/time-import.js';
export {
  assertDataStepsRegistered,
  type DataStep,
  type DataStepContext,
  dataStep,
  type MissingDataStep,
  missingDataSteps,
  registerDataStep,
  runDataStep,
} from './data-steps.js';
export type {
  AnyDatabase,
  AnyTransaction,
  AppendLatch,
  GapSafety,
  LockAttempt,
  PetDialect,
  SnapshotVisibility,
  ValueCodecs,
} from './dialect.js';
export { classifyDuplicates, type DuplicateVerdict, type ExistingEvent } from './event-store/duplicates.js';
export {
  type AppendInOptions,
  createEventStore,
  type EventLogTables,
  type EventStoreOptions,
  type SqlEventStore,
} from './event-store/event-store.js';
export { type GapReader, gapReader } from './event-store/gap.js';
export {
  type AppendInput,
  expectedVersionSchema,
  MAX_STREAM_VERSION,
  parseAppend,
  parseIdempotencyKey,
  parseReadAll,
  parseReadStream,
  type ReadAllInput,
} from './event-store/validation.js';
export {
  type ActivityFeedQuery,
  type ActivityFeedRunner,
  type ActivityFeedRunnerOptions,
  createActivityFeedRunner,
} from './feed/activity-feed.js';
export {
  DEFLATED,
  deflateChunks,
  deflateLink,
  deflateLinkPieces,
  inflateLink,
  inflateLinkPieces,
  PART_BYTES,
  partBytes,
  storedPieces,
} from './kpi/parts.js';
export { type KpiEventRead, readKpiEvents } from './kpi/read-events.js';
export {
  createKpiRunner,
  KPI_RESULT_COLUMNS,
  type KpiAccelerator,
  type KpiResultQuery,
  type KpiResultWrite,
  type KpiRunner,
  type KpiRunnerOptions,
  type KpiRunnerStatus,
  type KpiRunSummary,
  kpiResultRow,
} from './kpi/runner.js';
export { legacyMigrationLockName, lockName } from './lock-name.js';
export {
  assertSchemaCurrent,
  type MigrateOptions,
  type MigrateReport,
  type MigrationStatus,
  migrate,
  migrationStatus,
} from './migrate.js';
export {
  type MigrationEventType,
  type MigrationProgress,
  type MigrationStep,
  migrateResumable,
  type ResumableHooks,
  type ResumableMigrateOptions,
  type ResumableMigrateReport,
  resolveMigrationLockName,
} from './migrate-resumable.js';
export {
  type MigrationState,
  migrationPlan,
  type PlannedStatement,
  type SchemaReadOptions,
  type SchemaStatus,
  schemaStatus,
} from './migrate-status.js';
export { defaultRetryPolicy } from './retry.js';
export {
  type AnyChildTable,
  type AnyStateTable,
  aggregateOf,
  type ChildTable,
  type ColumnSpec,
  checkStateTables,
  decodeColumn,
  defineChildTable,
  definePartTable,
  defineStateTable,
  derivedId,
  encodeColumn,
  type LogicalType,
  type PartTable,
  type RowOf,
  type StateTable,
  type ValueOf,
} from './state-table.js';
export { partRowsStep } from './steps/part-rows.js';
export { systemClock, uuidV7, uuidV7Ids } from './system.js';
export {
  LEAD_PIPELINE_STATE_TABLES,
  leadsTable,
  malleableSchemasTable,
  opportunitiesTable,
  QUOTING_STATE_TABLES,
  qualificationsTable,
  quotesTable,
  salesTable,
} from './tables/commercial.js';
export { CRM_TABLES, companiesTable, companySlotsTable, peopleTable } from './tables/crm.js';
export {
  milestonesTable,
  projectsTable,
  projectVariancesTable,
  projSoldConstraintsTable,
  soldConstraintsTable,
  tasksTable,
} from './tables/delivery.js';
export {
  employeesTable,
  orgStructureVersionsTable,
  STATE_TABLES,
  teamMembershipsTable,
  teamsTable,
} from './tables/index.js';
export {
  knowledgeArticlesTable,
  knowledgeCommentsTable,
  knowledgeLinksTable,
  knowledgeVersionsTable,
} from './tables/knowledge.js';
export {
  assembleQuoteVersions,
  QUOTE_CONTENT_TABLES,
  quoteLineGroupsTable,
  quoteLinesTable,
  quoteVersionRowId,
  quoteVersionsTable,
} from './tables/quote-content.js';
export {
  assembleSchemaVersions,
  leadSchemaVersionsTable,
  schemaVersionRowId,
} from './tables/schema-versions.js';
export {
  SUPPORT_TABLES,
  slaAssignmentsTable,
  slaDefinitionsTable,
  slaEventsTable,
  ticketLinksTable,
  ticketsTable,
} from './tables/support.js';
export {
  resourceAllocationsTable,
  timeEntriesTable,
  timeEntryAdjustmentsTable,
} from './tables/time.js';
export {
  createUnitOfWork,
  type SqlScope,
  sqlScopeOf,
  type UnitOfWorkOptions,
} from './unit-of-work.js';
export {
  diffPhysicalSchemas,
  diffPhysicalTable,
  type MigrationHooks,
  type PhysicalColumn,
  type PhysicalObject,
  type PhysicalSchema,
  type PhysicalTable,
  type SchemaDifference,
  type SchemaDriftKind,
  type SchemaShapeHooks,
  type SchemaVerification,
  type VerifySchemaOptions,
  verifySchema,
} from './verify-schema.js';
