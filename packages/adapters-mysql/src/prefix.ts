import { parseInput } from '@pet-ops/core';
import { tablePrefixIssue } from '@pet-ops/migrations';
import { z } from 'zod';

/** A validated table prefix (WordPress style, e.g. `wp_pet_`). */
export type TablePrefix = string & { readonly __tablePrefix: true };

/**
 * `^[A-Za-z0-9_]{0,20}$`: letters, digits and underscores, at most 20, so every table and trigger name fits
 * MariaDB's 64 characters; a longer prefix is refused with a rule naming the limit.
 *
 * @example `tablePrefixSchema.safeParse('wp-pet').success` → `false` (hyphen)
 */
export const tablePrefixSchema: z.ZodType<TablePrefix, string> = z.string().superRefine((p, ctx) => {
  const issue = tablePrefixIssue(p);
  if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
}) as unknown as z.ZodType<TablePrefix, string>;

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
