import { createHash } from 'node:crypto';

const PURPOSE_RE = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * The one naming rule for every named lock: `pet_ops:<purpose>:` plus a sha256 of the database and the
 * table prefix (at most 64 characters, MySQL's and MariaDB's cap). Two databases, or two prefixes in one
 * database, never share a lock; the same database and prefix always do, whichever process asks.
 *
 * @example
 * ```ts
 * lockName('pet_agency', 'agency_', 'migrate'); // 'pet_ops:migrate:3f0c…' (64 characters at most)
 * ```
 */
export function lockName(database: string, prefix: string, purpose: string): string {
  if (!PURPOSE_RE.test(purpose)) throw new TypeError(`lock purpose must match ${PURPOSE_RE}`);
  const head = `pet_ops:${purpose}:`;
  const digest = createHash('sha256').update(`${database}\u0000${prefix}`, 'utf8').digest('hex');
  return head + digest.slice(0, 64 - head.length);
}

/**
 * The migration lock's name in the form the MySQL/MariaDB adapter gave it before the seam existed:
 * `pet_migrate_` plus the first 52 hex digits of sha256(`database:prefix`) (64 characters). The MySQL
 * adapter's migrators, through its own `migrate` and through the seam's, still name their lock so: a
 * migrator of an earlier release, running beside one of this release during an upgrade, is then excluded
 * by it. Every other lock, and every other database's migration lock, is named by {@link lockName}.
 *
 * @example
 * ```ts
 * legacyMigrationLockName('shop', 'wp_pet_'); // 'pet_migrate_3f1c…' (64 characters)
 * ```
 */
export function legacyMigrationLockName(database: string, prefix: string): string {
  const digest = createHash('sha256').update(`${database}:${prefix}`, 'utf8').digest('hex');
  return `pet_migrate_${digest.slice(0, 52)}`;
}
