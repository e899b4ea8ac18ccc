// Internal: what both migration engines share (options, the journal's table and reads, the lock). Not
// exported from the package entry.
import { PetError, ValidationError } from '@pet-ops/core';
import {
  type JournalEntry,
  type JournalStatus,
  type Migration,
  migrationIdSchema,
  tablePrefixIssue,
} from '@pet-ops/migrations';
import type { Kysely, Transaction } from 'kysely';
import type { AnyDatabase, AnyTransaction, PetDialect } from './dialect.js';
import { lockName } from './lock-name.js';
import type { MigrateOptions } from './migrate.js';
import { dialectSchema, kyselySchema } from './options.js';

/** The journal's columns, as both engines write them (`<prefix>schema_migrations`). */
export interface JournalTable {
  id: string;
  name: string;
  checksum: string;
  status: JournalStatus;
  applied_steps: number;
  total_steps: number;
  step_checksums: unknown;
  attempts: number;
  failed_step: number | null;
  error: string | null;
  started_at: unknown;
  updated_at: unknown;
  finished_at: unknown;
}

export interface Tables {
  schema_migrations: JournalTable;
}

/** Checks the options of every migration entry point: each bad field is named in one `ValidationError`. */
export function parseOptions(db: unknown, dialect: unknown, options: MigrateOptions): MigrateOptions {
  const issues = [];
  if (!kyselySchema.safeParse(db).success) issues.push({ field: 'db', rule: 'must be a Kysely instance' });
  if (!dialectSchema.safeParse(dialect).success)
    issues.push({ field: 'dialect', rule: 'must be a PetDialect' });
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('migrate options', [
      ...issues,
      { field: 'options', rule: 'must be an object' },
    ]);
  }
  if (options.target !== undefined && !migrationIdSchema.safeParse(options.target).success) {
    issues.push({ field: 'target', rule: 'must be a migration id' });
  }
  if (options.migrations !== undefined) {
    if (!Array.isArray(options.migrations)) {
      issues.push({ field: 'migrations', rule: 'must be an array of migrations' });
    } else {
      options.migrations.forEach((m: unknown, i) => {
        const shaped = m as Partial<Migration> | null;
        if (
          typeof shaped !== 'object' ||
          shaped === null ||
          typeof shaped.id !== 'string' ||
          typeof shaped.name !== 'string' ||
          !Array.isArray(shaped.operations)
        ) {
          issues.push({ field: `migrations.${i}`, rule: 'must be a migration (id, name, operations)' });
        }
      });
    }
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    issues.push({ field: 'now', rule: 'must be a function' });
  }
  const prefixIssue = tablePrefixIssue(options?.prefix);
  if (prefixIssue !== undefined) issues.push({ field: 'prefix', rule: prefixIssue });
  if (
    options?.lockTimeoutMs !== undefined &&
    !(Number.isSafeInteger(options.lockTimeoutMs) && options.lockTimeoutMs >= 0)
  ) {
    issues.push({ field: 'lockTimeoutMs', rule: 'must be an integer ≥ 0' });
  }
  if (issues.length > 0) throw new ValidationError('migrate options', issues);
  return options;
}

/** True when the journal table exists. */
export async function journalExists(db: AnyDatabase | AnyTransaction, table: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === table);
}

/** Every journal row as the pure engine reads it, in id order. */
export async function readJournal(
  db: Kysely<Tables> | Transaction<Tables>,
  dialect: PetDialect,
  table: string,
): Promise<JournalEntry[]> {
  const rows = await db
    .selectFrom(table as 'schema_migrations')
    .select(['id', 'status', 'checksum', 'applied_steps', 'step_checksums'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    checksum: r.checksum,
    appliedSteps: Number(r.applied_steps),
    stepChecksums: dialect.codecs.decodeJson(r.step_checksums) as string[],
  }));
}

/** The system clock as a canonical instant (six fraction digits). */
export const systemNow = (): string => `${new Date().toISOString().slice(0, 23)}000Z`;

/**
 * Runs `work` holding the migration lock of this database and prefix (`name`, default
 * `lockName(database, prefix, 'migrate')`); `MIGRATION_LOCK_TIMEOUT` when another migrator keeps it.
 */
export async function withLock<T>(
  db: AnyDatabase,
  dialect: PetDialect,
  prefix: string,
  timeoutMs: number,
  work: () => Promise<T>,
  name: string = lockName(dialect.database, prefix, 'migrate'),
): Promise<T> {
  const attempt = await dialect.acquireLock(db, name, timeoutMs);
  if (attempt.outcome === 'timeout') {
    throw new PetError(
      'MIGRATION_LOCK_TIMEOUT',
      `migrate: another migrator held the lock for ${timeoutMs} ms; it is probably still running: wait for it, then run again`,
      { retryable: true, details: { lock: name } },
    );
  }
  try {
    return await work();
  } finally {
    await attempt.release();
  }
}
