import { z } from 'zod';
import type { Brand } from './ids.js';

/**
 * A UTC instant as an ISO-8601 string with microsecond precision: `2026-11-22T10:15:30.123456Z`.
 * A string (not a `Date`) so the database's microseconds survive a round trip.
 */
export type Instant = Brand<string, 'Instant'>;

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Zod schema for an {@link Instant}. @example `instantSchema.parse('2026-01-01T00:00:00.000000Z')` */
export const instantSchema: z.ZodType<Instant, string> = z
  .string()
  .regex(INSTANT_RE, 'must be a UTC ISO-8601 instant with 6 fractional digits')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real calendar instant') as unknown as z.ZodType<
  Instant,
  string
>;

/**
 * Builds an {@link Instant} from epoch milliseconds and an optional microsecond remainder (0–999).
 *
 * @example
 * ```ts
 * instantFromEpochMs(Date.UTC(2026, 0, 1)); // '2026-01-01T00:00:00.000000Z'
 * ```
 */
export function instantFromEpochMs(ms: number, micros = 0): Instant {
  if (!Number.isInteger(ms) || !Number.isInteger(micros) || micros < 0 || micros > 999) {
    throw new RangeError('instantFromEpochMs: integer milliseconds and micros 0..999 required');
  }
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z` as Instant;
}

/** Epoch milliseconds of an {@link Instant} (microseconds truncated). @example `toEpochMs(i)` */
export function toEpochMs(instant: Instant): number {
  return Date.parse(`${instant.slice(0, 23)}Z`);
}

/** Parses an {@link Instant}, throwing a `RangeError` naming the rule. @example `parseInstant(s)` */
export function parseInstant(value: string): Instant {
  const r = instantSchema.safeParse(value);
  if (!r.success)
    throw new RangeError(`invalid instant ${JSON.stringify(value)}: ${r.error.issues[0]?.message}`);
  return r.data;
}
