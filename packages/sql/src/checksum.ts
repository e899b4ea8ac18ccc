import { createHash } from 'node:crypto';
import type { Migration, Operation } from '@pet-ops/migrations';

/** JSON with object keys sorted, so two equal operations always print the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Checksums of a migration over the canonical form of its logical operations (sorted-key JSON), so the
 * same migration has the same checksum on every database, whatever its prefix, and a fix in a dialect's
 * statement compiler never reads as tampering.
 *
 * @example
 * ```ts
 * const { checksum, stepChecksums } = logicalChecksums(migrations[1]!);
 * ```
 */
export function logicalChecksums(migration: Migration): {
  readonly checksum: string;
  readonly stepChecksums: readonly string[];
} {
  const steps = migration.operations.map((op: Operation) => canonical(op));
  return { checksum: sha256(`[${steps.join(',')}]`), stepChecksums: steps.map(sha256) };
}
