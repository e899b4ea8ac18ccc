import { z } from 'zod';

/**
 * Shapes of the options the seam's entries take (`createEventStore`, `createUnitOfWork`, `migrate`), so a
 * wrongly typed option is a `ValidationError` naming it instead of a raw `TypeError` later. Internal: the
 * entry validates with `parseInput`.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const fn = (v: unknown): boolean => typeof v === 'function';

/** A table prefix: letters, digits and `_`, at most 32 characters (the empty prefix too). */
export const prefixSchema: z.ZodType = z
  .string()
  .regex(/^[A-Za-z0-9_]{0,32}$/, 'must match ^[A-Za-z0-9_]{0,32}$');

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
  events: z.custom<unknown>(
    (v) => isObject(v) && fn(v['transaction']) && fn(v['appendIn']),
    'must be an event store of createEventStore',
  ),
  tables: z.array(
    z.custom<unknown>((v) => isObject(v) && typeof v['streamType'] === 'string', 'must be a state table'),
  ),
});
