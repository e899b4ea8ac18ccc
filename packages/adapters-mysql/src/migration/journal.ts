import type { JournalEntry } from '@pet-ops/migrations';
import { JOURNAL_TABLE } from '@pet-ops/migrations';
import { DummyDriver, Kysely, MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler } from 'kysely';
import { type Queryable, selectRows } from './introspect.js';
import type { MigrationDatabase, SchemaMigrationRow } from './journal.table.js';

// Kysely builds the journal's reads (typed by `MigrationDatabase`) for status, plan and verify; they run on
// the caller's connection, so Kysely never opens one of its own. The seam's resumable engine writes the
// journal (`migrateResumable` of `@pet-ops/sql`).
const builder = new Kysely<MigrationDatabase>({
  dialect: {
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new MysqlIntrospector(db),
    createQueryCompiler: () => new MysqlQueryCompiler(),
  },
});

const table = (prefix: string): 'schema_migrations' => `${prefix}${JOURNAL_TABLE}` as 'schema_migrations';

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
