import { createHash } from 'node:crypto';
import {
  type CompiledMigration,
  type JournalEntry,
  type Migration,
  schemaBeforeEach,
} from '@pet-ops/migrations';
import { logicalChecksums } from '@pet-ops/sql';
import { type CompiledStatement, compileMigration, compileOperation } from './dialect.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The checksums of one migration: of the whole, and of each step (one per operation and statement). */
export interface MigrationChecksums {
  readonly checksum: string;
  readonly stepChecksums: readonly string[];
}

/** A migration compiled for one prefix, with its prefix- and dialect-independent checksums. */
export interface MysqlCompiledMigration extends CompiledMigration {
  readonly compiled: readonly CompiledStatement[];
  /** The checksums journals recorded before they moved to the logical ones (see {@link legacyChecksums}). */
  readonly legacy: MigrationChecksums;
}

/**
 * Checksums of a migration: sha256 (hex) of the canonical form of each logical operation (sorted-key
 * JSON) and of the whole list of operations — `logicalChecksums` of `@pet-ops/sql`. The same migration
 * therefore has the same checksum on every database (MariaDB, SQLite) and with every table prefix, and a
 * fix in the MySQL statement compiler never reads as tampering. Each operation compiles to one
 * statement, so step checksum *i* is that of statement *i*.
 *
 * @example
 * ```ts
 * const { checksum } = migrationChecksums(migrations[1]!);
 * ```
 */
export function migrationChecksums(migration: Migration): MigrationChecksums {
  return logicalChecksums(migration);
}

/**
 * The checksums journals made by earlier versions recorded: sha256 of each statement compiled for the
 * canonical empty prefix, and of the JSON list of those statements. Only read, to recognise such a
 * journal row as the same migration and upgrade it to {@link migrationChecksums}; never written.
 */
export function legacyChecksums(migration: Migration): MigrationChecksums {
  // No journal recorded a legacy checksum of a widenEnum (it came after them): its canonical JSON stands in.
  const statements = migration.operations.map((op) =>
    op.op === 'widenEnum' ? `-- ${JSON.stringify(op)}` : compileOperation(op, '').sql,
  );
  return { checksum: sha256(JSON.stringify(statements)), stepChecksums: statements.map(sha256) };
}

/**
 * Compiles a list for a prefix, with checksums.
 *
 * @example
 * ```ts
 * for (const m of compileList(migrations, 'wp_pet_')) console.log(m.id, m.checksum, m.statements.length);
 * ```
 */
export function compileList(list: readonly Migration[], prefix: string): MysqlCompiledMigration[] {
  const before = schemaBeforeEach(list);
  return list.map((m, i) => {
    const compiled = compileMigration(m, prefix, before[i]);
    return {
      id: m.id,
      name: m.name,
      compiled,
      statements: compiled.map((s) => s.sql),
      ...migrationChecksums(m),
      legacy: legacyChecksums(m),
    };
  });
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * True when a journal row records the legacy (compiled-statement) checksums of this migration, as
 * versions before the logical checksums wrote them: an applied row must carry the legacy checksum and
 * every legacy step checksum; a running or failed one the legacy step checksums of the statements that
 * ran (and, when none ran, the legacy checksum).
 *
 * @example
 * ```ts
 * recordsLegacy({ ...migrationChecksums(m), legacy: legacyChecksums(m) }, entry); // true: rewrite it
 * ```
 */
export function recordsLegacy(
  m: { readonly checksum: string; readonly legacy: MigrationChecksums },
  entry: JournalEntry,
): boolean {
  if (entry.status === 'applied') {
    return entry.checksum === m.legacy.checksum && sameList(entry.stepChecksums, m.legacy.stepChecksums);
  }
  if (entry.checksum === m.checksum) return false;
  if (entry.appliedSteps === 0) return entry.checksum === m.legacy.checksum;
  return sameList(
    entry.stepChecksums.slice(0, entry.appliedSteps),
    m.legacy.stepChecksums.slice(0, entry.appliedSteps),
  );
}
