import { ValidationError } from '@pet-ops/core';
import { tablePrefixIssue } from '@pet-ops/migrations';
import { z } from 'zod';

/**
 * Shapes of the options the seam's entries take (`createEventStore`, `createUnitOfWork`, `migrate`), so a
 * wrongly typed option is a `ValidationError` naming it instead of a raw `TypeError` later. Internal: the
 * entry validates with `parseInput`.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const fn = (v: unknown): boolean => typeof v === 'function';

/**
 * A table prefix: letters, digits and `_`, at most 20 characters (the empty prefix too), so every table and
 * trigger name fits MariaDB's 64 characters; a longer one is refused naming the limit (`tablePrefixIssue`).
 */
export const prefixSchema: z.ZodType<string> = z.string().superRefine((p, ctx) => {
  const issue = tablePrefixIssue(p);
  if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
});

/** A Kysely instance (or transaction): something with `selectFrom` and `connection`. */
export const kyselySchema: z.ZodType = z.custom<unknown>(
  (v) => isObject(v) && fn(v['selectFrom']) && fn(v['connection']),
  'must be a Kysely instance',
);

/** A `PetDialect`: its name, codecs, gap safety and compiler (the rest is checked where it is used). */
export const dialectSchema: z.ZodType = z.custom<unknown>(
  (v) =>
    isObject(v) &&
    typeof v['name'] === 'string' &&
    typeof v['gapSafety'] === 'string' &&
    typeof v['transactionalDdl'] === 'boolean' &&
    fn(v['compile']) &&
    fn(v['classifyError']) &&
    isObject(v['codecs']),
  'must be a PetDialect (name, gapSafety, transactionalDdl, compile, classifyError, codecs)',
);

/** An event store of `createEventStore` (what a unit of work runs its transactions in). */
export const eventStoreSchema: z.ZodType = z.custom<unknown>(
  (v) => isObject(v) && fn(v['transaction']) && fn(v['appendIn']),
  'must be an event store of createEventStore',
);

/** Options of `createEventStore`. */
export const eventStoreOptionsSchema: z.ZodType = z.object({
  db: kyselySchema,
  dialect: dialectSchema,
  prefix: prefixSchema,
  latchTimeoutMs: z.number().int().min(0).max(86_400_000).optional(),
});

/** Options of `createUnitOfWork`. */
export const unitOfWorkOptionsSchema: z.ZodType = z.object({
  dialect: dialectSchema,
  prefix: prefixSchema,
  events: eventStoreSchema,
  tables: z.array(
    z.custom<unknown>((v) => isObject(v) && typeof v['streamType'] === 'string', 'must be a state table'),
  ),
  appendEvents: z.enum(['with-each-save', 'at-commit']).optional(),
});

/** The optional ports and hooks of a scheduler or import run: each checked before the run starts. */
export const runHooksShape: {
  readonly ids: z.ZodType;
  readonly clock: z.ZodType;
  readonly retry: z.ZodType;
  readonly actor: z.ZodType;
} = {
  ids: z.custom<unknown>((v) => isObject(v) && fn(v['next']), 'must be an IdGenerator ({ next })').optional(),
  clock: z.custom<unknown>((v) => isObject(v) && fn(v['now']), 'must be a Clock ({ now })').optional(),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(100).optional(),
      backoff: z.custom<unknown>(fn, 'must be a function').optional(),
    })
    .optional(),
  actor: z
    .object({ type: z.enum(['employee', 'system', 'integration']), id: z.string().min(1).max(64).nullable() })
    .optional(),
};

/**
 * The options object itself, before its fields are checked: a `ValidationError` naming `options` when it
 * is no object (spreading `null` or a number would check nothing).
 */
export function checkedObject(options: unknown, what: string): Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(what, [{ field: 'options', rule: 'must be an object' }]);
  }
  return options as Record<string, unknown>;
}
