/**
 * `@pet-ops/migrations`: PET's logical schema vocabulary, its one ordered, forward-only migration list
 * and the pure part of the migration engine (validation, expected-schema model, journal
 * reconciliation). Dialect drivers (e.g. `@pet-ops/adapters-mysql`) compile and run it.
 *
 * @packageDocumentation
 * @module @pet-ops/migrations
 */
export {
  EVENTS_TABLE,
  JOURNAL_TABLE,
  journalMigration,
  migrations,
} from './list/index.js';
export {
  assertValidMigrations,
  defineMigration,
  MIGRATION_ID_PATTERN,
  type Migration,
  migrationIdSchema,
  migrationSchema,
  validateMigrations,
} from './migration.js';
export {
  type ApplyResult,
  applyOperation,
  EMPTY_SCHEMA,
  expectedSchema,
  type FrozenModel,
  frozenMessage,
  frozenModel,
  guardTableName,
  type IndexModel,
  type SchemaModel,
  schemaBeforeEach,
  type TableModel,
} from './model.js';
export {
  derivedName,
  MAX_IDENTIFIER_LENGTH,
  MAX_NAME_AFTER_PREFIX,
  MAX_PREFIX_LENGTH,
  TABLE_PREFIX_PATTERN,
  tablePrefixIssue,
} from './naming.js';
export { DELETABLE_TABLES, REBUILDABLE_TABLES } from './rebuildable.js';
export {
  type CompiledMigration,
  describeJournalProblem,
  type JournalEntry,
  type JournalProblem,
  type JournalStatus,
  journalProblemError,
  type PendingMigration,
  type RunPlan,
  reconcile,
} from './reconcile.js';
export {
  type AddColumn,
  type AddIndex,
  type AddUnique,
  type AppendOnlyGuard,
  appendOnlyGuards,
  type Backfill,
  type BackfillValue,
  type Column,
  type ColumnDefault,
  type ColumnOptions,
  type ColumnType,
  type CreateTable,
  CURRENT_INSTANT,
  type CurrentInstant,
  col,
  columnSchema,
  type DataStepOperation,
  dataStepMarker,
  defaultIssue,
  type FrozenColumnsGuard,
  frozenTriggerName,
  guardTriggerName,
  type IndexDef,
  indexIssue,
  indexKeyBytes,
  MAX_INDEX_KEY_BYTES,
  MAX_TABLE_NAME_LENGTH,
  type Operation,
  operationSchema,
  type RenameTable,
  type WidenEnum,
} from './vocabulary.js';
