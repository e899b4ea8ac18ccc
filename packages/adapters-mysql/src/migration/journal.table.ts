import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The migration journal, `<prefix>schema_migrations` (created by the first migration). Times are
 * `DATETIME(6)` UTC strings (the adapter reads dates as strings to keep microseconds); `step_checksums`
 * is a JSON array of the sha256 of each statement.
 */
export interface SchemaMigrationsTable {
  id: string;
  name: string;
  checksum: string;
  status: 'running' | 'applied' | 'failed';
  applied_steps: ColumnType<number, number | undefined, number>;
  total_steps: number;
  step_checksums: string;
  attempts: ColumnType<number, number | undefined, number>;
  /** 1-based statement that failed last, while `status` is `failed`. */
  failed_step: ColumnType<number | null, number | null | undefined, number | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: string;
  updated_at: string;
  finished_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The tables the migration engine reads and writes, by logical name (the engine applies the prefix). */
export interface MigrationDatabase {
  schema_migrations: SchemaMigrationsTable;
}

/** A journal row as read. */
export type SchemaMigrationRow = Selectable<SchemaMigrationsTable>;
/** A journal row as inserted. */
export type NewSchemaMigrationRow = Insertable<SchemaMigrationsTable>;
/** A journal row change. */
export type SchemaMigrationUpdate = Updateable<SchemaMigrationsTable>;
