import { parseInput } from '@pet-ops/core';
import { z } from 'zod';

/** A validated table prefix (WordPress style, e.g. `wp_pet_`). */
export type TablePrefix = string & { readonly __tablePrefix: true };

/**
 * `^[A-Za-z0-9_]{0,32}$`: letters, digits and underscores, at most 32.
 *
 * @example `tablePrefixSchema.safeParse('wp-pet').success` → `false` (hyphen)
 */
export const tablePrefixSchema: z.ZodType<TablePrefix, string> = z
  .string()
  .regex(/^[A-Za-z0-9_]{0,32}$/, 'must match ^[A-Za-z0-9_]{0,32}$') as unknown as z.ZodType<
  TablePrefix,
  string
>;

/**
 * Validates a table prefix; throws a `VALIDATION_FAILED` error naming `prefix` otherwise.
 *
 * @example
 * ```ts
 * const prefix = parseTablePrefix('wp_pet_');
 * ```
 */
export function parseTablePrefix(prefix: unknown): TablePrefix {
  return parseInput(z.object({ prefix: tablePrefixSchema }), { prefix }, 'table prefix').prefix;
}
