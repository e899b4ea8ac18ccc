/**
 * `@pet-ops/adapters-postgres`: PET on PostgreSQL (node-postgres through Kysely's `PostgresDialect`). One
 * tenant per PostgreSQL schema; it supplies the `PetDialect` that `@pet-ops/sql` runs on.
 *
 * @packageDocumentation
 * @module @pet-ops/adapters-postgres
 */
export { pgTextToInstant, postgresCodecs } from './codecs.js';
export {
  compilePostgres,
  POSTGRES_NOW,
  pgEnumCheckName,
  pgGuardFunction,
  pgIndexName,
} from './compile.js';
export { type PostgresDialectOptions, postgresDialect, SCHEMA_NAME_RE } from './dialect.js';
export { classifyPostgresError, GUARD_SQLSTATE } from './errors.js';
export { type PostgresGrantOptions, type PostgresGrantPlan, postgresGrantStatements } from './grants.js';
export { postgresKpiAccelerator } from './kpi.js';
export { advisoryKey } from './locks.js';
export {
  createDatabase,
  createPostgresPool,
  type OpenPostgresOptions,
  openPostgres,
  type PostgresDatabase,
} from './open.js';
export { postgresSnapshotVisibility } from './snapshot.js';
export { postgresTypes } from './types.js';
export {
  type PostgresDriftKind,
  type PostgresSchemaDrift,
  type PostgresVerifyResult,
  postgresSchemaShape,
  type VerifyPostgresOptions,
  verifyPostgres,
} from './verify.js';
