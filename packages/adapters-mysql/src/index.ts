/**
 * `@pet-ops/adapters-mysql`: PET on MySQL 8 / MariaDB 10.6+. What is MySQL's lives here — the mysql2 pool
 * (`connect`), `mysqlDialect` for `@pet-ops/sql` (checked `GET_LOCK`, errno mapping, the statement compiler,
 * value codecs), the resumable migration driver and introspection, grants, and the KPI runner's fast paths.
 * The persistence itself is `@pet-ops/sql`'s, written once for every database: `createMysqlUnitOfWork`,
 * `createMysqlEventStore`, `createMysqlQuoting`, the commercial and identity names and the feed and KPI
 * runners are thin delegates to it on `mysqlDialect` over the host's pool. Statement compilers, lock names,
 * errno helpers and the unit of work's raw query channel are internal.
 *
 * @packageDocumentation
 * @module @pet-ops/adapters-mysql
 */

export {
  allocateQuoteNumber,
  changeLead,
  changeMalleableSchema,
  changeOpportunity,
  changeQualification,
  createMysqlQuoting,
  LEAD_PIPELINE_TABLES,
  type LeadRequest,
  leadAggregate,
  leadBinding,
  loadSchemaFacts,
  loadSchemaVersion,
  type MalleableSchemaRequest,
  type MysqlQuoting,
  type MysqlQuotingOptions,
  malleableSchemaAggregate,
  malleableSchemaBinding,
  markOpportunityWon,
  type OpenQuoteInput,
  type OpenQuoteRejection,
  type OpportunityRequest,
  type OpportunityWorkflowRejection,
  opportunityAggregate,
  opportunityBinding,
  QUOTING_TABLES,
  type QualificationRequest,
  type QualificationWorkflowRejection,
  type QualificationWorkflowResult,
  type QuoteRequest,
  qualificationAggregate,
  qualificationBinding,
  quoteDefinition,
  saleDefinition,
} from './commercial/index.js';
export {
  type ConnectionOptions,
  type CreateDatabaseResult,
  connect,
  connectionOptions,
  createDatabase,
  databaseOf,
  redactUrl,
  withDatabase,
} from './connection.js';
export {
  type CompanyImportReport,
  type CompanyInput,
  CRM_STATE_TABLES,
  type CrmCommands,
  type CrmRepository,
  companyBinding,
  companyDefinition,
  companySlotBinding,
  companySlotDefinition,
  createCrmCommands,
  createCrmRepository,
  type ImportCompaniesOptions,
  type ImportProgress,
  type ImportRejection,
  type ImportRowOutcome,
  type InsertCompanyRejection,
  type InsertCompanyResult,
  importCompaniesCsv,
  type PersonInput,
  personBinding,
  personDefinition,
  type UidKind,
  type Versioned,
} from './crm/index.js';
export {
  type Database,
  DOMAIN_EVENTS_COLUMNS,
  type DomainEventRow,
  type DomainEventsTable,
  type NewDomainEventRow,
} from './database.js';
export { mapDriverError } from './errors.js';
export {
  appendLatchName,
  createMysqlEventStore,
  type GapSafetySettings,
  type MysqlEventStoreOptions,
} from './event-store/index.js';
export {
  type ActivityFeedQuery,
  type ActivityFeedRunner,
  type ActivityFeedRunnerOptions,
  createActivityFeedRunner,
} from './feed/index.js';
export { type GrantOptions, type GrantPlan, grantStatements } from './grants.js';
export {
  createIdentityRepository,
  employeeBinding,
  employeeDefinition,
  IDENTITY_STATE_TABLES,
  type IdentityRepository,
  orgStructureVersionBinding,
  orgStructureVersionDefinition,
  teamBinding,
  teamDefinition,
  teamMembershipBinding,
  teamMembershipDefinition,
} from './identity/index.js';

export {
  createKpiRunner,
  type KpiResultQuery,
  type KpiRunner,
  type KpiRunnerOptions,
  type KpiRunSummary,
} from './kpi/index.js';
export {
  assertSchemaCurrent,
  type ColumnShape,
  type CompiledStatement,
  type DriftKind,
  diffSchemas,
  introspect,
  type MigrateOptions,
  type MigrateResult,
  type MigrationDatabase,
  type MigrationEventPayload,
  type MigrationEventType,
  type MigrationProgress,
  type MigrationStatus,
  type MigrationTarget,
  migrate,
  migrationChecksums,
  migrationLockName,
  type PlannedStatement,
  plan,
  type SchemaDrift,
  type SchemaMigrationRow,
  type SchemaMigrationsTable,
  type SchemaOptions,
  type SchemaShape,
  type SchemaStatus,
  status,
  type VerifyResult,
  verify,
} from './migration/index.js';
export { type MysqlDialectOptions, mysqlDialect } from './pet-dialect.js';
export { parseTablePrefix, type TablePrefix, tablePrefixSchema } from './prefix.js';
export { systemClock, uuidV7Ids } from './system.js';
export {
  createMysqlUnitOfWork,
  type MysqlUnitOfWorkOptions,
} from './unit-of-work/index.js';
