export { compileList, type MysqlCompiledMigration, migrationChecksums } from './checksum.js';
export {
  type CompiledStatement,
  compileMigration,
  compileOperation,
  type Probe,
  schemaShape,
  sqlType,
} from './dialect.js';
export {
  assertSchemaCurrent,
  type MigrateOptions,
  type MigrateResult,
  type MigrationProgress,
  type MigrationStatus,
  type MigrationTarget,
  migrate,
  type PlannedStatement,
  plan,
  type SchemaOptions,
  type SchemaStatus,
  status,
  type VerifyResult,
  verify,
} from './engine.js';
export {
  type MigrationEventPayload,
  type MigrationEventType,
  migrationStreamId,
} from './events.js';
export { introspect } from './introspect.js';
export type {
  MigrationDatabase,
  NewSchemaMigrationRow,
  SchemaMigrationRow,
  SchemaMigrationsTable,
  SchemaMigrationUpdate,
} from './journal.table.js';
export { migrationLockName } from './lock.js';
export {
  type ColumnShape,
  type DriftKind,
  diffSchemas,
  type SchemaDrift,
  type SchemaShape,
} from './shape.js';
