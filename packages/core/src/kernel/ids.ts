import { z } from 'zod';

declare const brand: unique symbol;
/** Nominal typing for plain values: `Brand<string, 'QuoteId'>` is a string that only a parser can make. */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Any RFC 9562 UUID in canonical lower-case form. Every entity id (`EmployeeId`, `ProjectId`, … — brands
 * whose name ends in `Id`) is a `Uuid`, so it passes as a stream id without a cast; the other way round still
 * needs a parser or a typed id factory, and other brands (`Instant`, `IsoDate`, …) are never a `Uuid`.
 */
export type Uuid = Brand<string, 'Uuid' | `${string}Id`>;

/** Zod schema for a canonical lower-case UUID (any version). @example `uuidSchema.parse(id)` */
export const uuidSchema: z.ZodType<Uuid, string> = z
  .string()
  .regex(UUID_RE, 'must be a lower-case canonical UUID') as unknown as z.ZodType<Uuid, string>;

/**
 * Zod schema for a UUIDv7 (time-ordered), the format of every entity id.
 *
 * @example `uuidV7Schema.safeParse(crypto.randomUUID()).success` → `false` (a v4)
 */
export const uuidV7Schema: z.ZodType<Uuid, string> = z
  .string()
  .regex(UUID_V7_RE, 'must be a lower-case UUIDv7') as unknown as z.ZodType<Uuid, string>;

/**
 * Declares a branded id type's schema, e.g. `const QuoteId = idSchema<'QuoteId'>()`.
 * Entity ids are UUIDv7 so InnoDB inserts append to the primary key.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * const QuoteIdSchema = idSchema<'QuoteId'>();
 * type QuoteId = z.infer<typeof QuoteIdSchema>;
 * ```
 */
export function idSchema<Name extends string>(): z.ZodType<Brand<string, Name>, string> {
  return uuidV7Schema as unknown as z.ZodType<Brand<string, Name>, string>;
}

/** True when `value` is a canonical lower-case UUIDv7. @example `isUuidV7(id)` */
export function isUuidV7(value: string): boolean {
  return typeof value === 'string' && UUID_V7_RE.test(value);
}
