import { createHash } from 'node:crypto';
import type { CompiledMigration, Migration } from '@pet-ops/migrations';
import { type CompiledStatement, compileMigration } from './dialect.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A migration compiled for one prefix, with its prefix-independent checksums. */
export interface MysqlCompiledMigration extends CompiledMigration {
  readonly compiled: readonly CompiledStatement[];
}

/**
 * Checksums of a migration: sha256 (hex) of each statement and of the whole list of statements, all
 * compiled for the canonical empty prefix, so the same migration has the same checksum in every
 * installation whatever its table prefix.
 *
 * @example
 * ```ts
 * const { checksum } = migrationChecksums(migrations[1]);
 * ```
 */
export function migrationChecksums(migration: Migration): {
  readonly checksum: string;
  readonly stepChecksums: readonly string[];
} {
  const statements = compileMigration(migration, '').map((s) => s.sql);
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
  return list.map((m) => {
    const compiled = compileMigration(m, prefix);
    return {
      id: m.id,
      name: m.name,
      compiled,
      statements: compiled.map((s) => s.sql),
      ...migrationChecksums(m),
    };
  });
}
