import type { JournalEntry } from '@pet-ops/migrations';
import { JOURNAL_TABLE } from '@pet-ops/migrations';
import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  sql,
} from 'kysely';
import type { MysqlCompiledMigration } from './checksum.js';
import { type Queryable, selectRows } from './introspect.js';
import type { MigrationDatabase, SchemaMigrationRow } from './journal.table.js';

// Kysely builds the journal's queries (typed by `MigrationDatabase`); they run on the engine's pinned
// connection, which holds the migration lock, so Kysely never opens a connection of its own.
const builder = new Kysely<MigrationDatabase>({
  dialect: {
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new MysqlIntrospector(db),
    createQueryCompiler: () => new MysqlQueryCompiler(),
  },
});

const now = sql<string>`UTC_TIMESTAMP(6)`;
const table = (prefix: string): 'schema_migrations' => `${prefix}${JOURNAL_TABLE}` as 'schema_migrations';

async function run(conn: Queryable, query: CompiledQuery): Promise<void> {
  await conn.query(query.sql, query.parameters as unknown[]);
}

/** The journal's physical table name for a prefix. */
export function journalTableName(prefix: string): string {
  return `${prefix}${JOURNAL_TABLE}`;
}

/** Every journal row, in id order. */
export async function readJournal(conn: Queryable, prefix: string): Promise<SchemaMigrationRow[]> {
  const q = builder.selectFrom(table(prefix)).selectAll().orderBy('id').compile();
  const rows = await selectRows<Record<keyof SchemaMigrationRow, unknown>>(conn, q.sql, q.parameters);
  // Normalised so a pool made without connect()'s settings (dates as Date, JSON parsed, numbers as
  // strings) reads the same rows.
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    checksum: String(r.checksum),
    status: r.status as SchemaMigrationRow['status'],
    applied_steps: Number(r.applied_steps),
    total_steps: Number(r.total_steps),
    step_checksums:
      typeof r.step_checksums === 'string' ? r.step_checksums : JSON.stringify(r.step_checksums),
    attempts: Number(r.attempts),
    failed_step: r.failed_step === null ? null : Number(r.failed_step),
    error: r.error === null ? null : String(r.error),
    started_at: dateText(r.started_at) ?? '',
    updated_at: dateText(r.updated_at) ?? '',
    finished_at: dateText(r.finished_at),
  }));
}

/** `DATETIME(6)` text (`YYYY-MM-DD HH:MM:SS.ffffff`) from a driver value (string, or a UTC `Date`). */
function dateText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${v.toISOString().slice(0, 10)} ${v.toISOString().slice(11, 23)}000`;
  return String(v);
}

/** A journal row as the pure engine sees it. */
export function toJournalEntry(row: SchemaMigrationRow): JournalEntry {
  return {
    id: row.id,
    status: row.status,
    checksum: row.checksum,
    appliedSteps: row.applied_steps,
    stepChecksums: JSON.parse(row.step_checksums) as string[],
  };
}

/** Records that a migration starts for the first time. */
export async function insertStarted(
  conn: Queryable,
  prefix: string,
  m: MysqlCompiledMigration,
): Promise<void> {
  const q = builder
    .insertInto(table(prefix))
    .values({
      id: m.id,
      name: m.name,
      checksum: m.checksum,
      status: 'running',
      applied_steps: 0,
      total_steps: m.statements.length,
      step_checksums: JSON.stringify(m.stepChecksums),
      attempts: 1,
      started_at: now,
      updated_at: now,
    })
    .compile();
  await run(conn, q);
}

/**
 * Records that a failed or crashed migration starts again. Its checksums are replaced by the current
 * ones: the engine has checked that the statements that already ran did not change.
 */
export async function updateRestarted(
  conn: Queryable,
  prefix: string,
  m: MysqlCompiledMigration,
): Promise<void> {
  const q = builder
    .updateTable(table(prefix))
    .set((eb) => ({
      name: m.name,
      checksum: m.checksum,
      status: 'running',
      total_steps: m.statements.length,
      step_checksums: JSON.stringify(m.stepChecksums),
      attempts: eb('attempts', '+', 1),
      failed_step: null,
      error: null,
      updated_at: now,
    }))
    .where('id', '=', m.id)
    .compile();
  await run(conn, q);
}

/** Records that the first `appliedSteps` statements are done. */
export async function updateProgress(
  conn: Queryable,
  prefix: string,
  id: string,
  appliedSteps: number,
): Promise<void> {
  const q = builder
    .updateTable(table(prefix))
    .set({ applied_steps: appliedSteps, updated_at: now })
    .where('id', '=', id)
    .compile();
  await run(conn, q);
}

/** Records a failure at a 1-based statement with the (driver-mapped, stack-free) error text. */
export async function updateFailed(
  conn: Queryable,
  prefix: string,
  id: string,
  statement: number,
  error: string,
): Promise<void> {
  const q = builder
    .updateTable(table(prefix))
    .set({ status: 'failed', failed_step: statement, error, updated_at: now })
    .where('id', '=', id)
    .compile();
  await run(conn, q);
}

/** Records that a migration is applied. */
export async function updateApplied(conn: Queryable, prefix: string, id: string): Promise<void> {
  const q = builder
    .updateTable(table(prefix))
    .set({ status: 'applied', failed_step: null, error: null, updated_at: now, finished_at: now })
    .where('id', '=', id)
    .compile();
  await run(conn, q);
}

/**
 * Upgrades a row that records a migration's legacy (compiled-statement) checksums to its logical ones:
 * one UPDATE, guarded by the legacy checksum read, run inside the migration lock. `updated_at` records
 * when; the status, progress and times of the migration stay as they were.
 */
export async function updateChecksums(
  conn: Queryable,
  prefix: string,
  id: string,
  from: string,
  to: { readonly checksum: string; readonly stepChecksums: readonly string[] },
): Promise<void> {
  const q = builder
    .updateTable(table(prefix))
    .set({ checksum: to.checksum, step_checksums: JSON.stringify(to.stepChecksums), updated_at: now })
    .where('id', '=', id)
    .where('checksum', '=', from)
    .compile();
  await run(conn, q);
}
