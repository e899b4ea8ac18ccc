import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { Brand } from './ids.js';

/**
 * A UTC instant as an ISO-8601 string with microsecond precision: `2026-11-22T10:15:30.123456Z`.
 * A string (not a `Date`) so the database's microseconds survive a round trip.
 */
export type Instant = Brand<string, 'Instant'>;

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * Whether the date and time exist as written: `Date.parse` alone also takes February 30 or 24:00 and
 * rolls them over, so the parsed value must write back to the same text.
 */
function isCalendarInstant(s: string): boolean {
  const ms = Date.parse(s);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === s.slice(0, 19);
}

/**
 * Whether a value is an {@link Instant} exactly as {@link instantSchema} accepts it — the check of hot
 * paths that skip zod (the event store's fast append) and must agree with it.
 *
 * @example
 * ```ts
 * isInstant('2026-02-28T00:00:00.000000Z'); // true
 * isInstant('2026-02-30T00:00:00.000000Z'); // false: February has no 30th
 * ```
 */
export function isInstant(value: unknown): value is Instant {
  return typeof value === 'string' && INSTANT_RE.test(value) && isCalendarInstant(value);
}

/** Zod schema for an {@link Instant}. @example `instantSchema.parse('2026-01-01T00:00:00.000000Z')` */
export const instantSchema: z.ZodType<Instant, string> = z
  .string()
  .regex(INSTANT_RE, 'must be a UTC ISO-8601 instant with 6 fractional digits')
  .refine(isCalendarInstant, 'must be a real calendar instant') as unknown as z.ZodType<Instant, string>;

/**
 * Builds an {@link Instant} from epoch milliseconds and an optional microsecond remainder (0–999).
 *
 * @example
 * ```ts
 * instantFromEpochMs(Date.UTC(2026, 0, 1)); // '2026-01-01T00:00:00.000000Z'
 * ```
 */
export function instantFromEpochMs(ms: number, micros = 0): Instant {
  if (!Number.isInteger(ms) || ms < MIN_EPOCH_MS || ms > MAX_EPOCH_MS) {
    throw new ValidationError('instant', [
      {
        field: 'ms',
        rule: `must be an integer from ${MIN_EPOCH_MS} to ${MAX_EPOCH_MS} (years 0000 to 9999)`,
      },
    ]);
  }
  if (!Number.isInteger(micros) || micros < 0 || micros > 999) {
    throw new ValidationError('instant', [{ field: 'micros', rule: 'must be an integer 0..999' }]);
  }
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z` as Instant;
}

/**
 * The epoch milliseconds of four-digit years, the only ones an {@link Instant} writes (a `Date` holds
 * more, ±8.64e15, but writes them with a six-digit signed year).
 */
const MIN_EPOCH_MS = Date.parse('0000-01-01T00:00:00.000Z'); // -62167219200000
const MAX_EPOCH_MS = Date.parse('9999-12-31T23:59:59.999Z'); // 253402300799999

/**
 * Epoch milliseconds of an {@link Instant} (microseconds truncated); `NaN` for a string that is no
 * instant, a `ValidationError` for a value that is no string. @example `toEpochMs(i)`
 */
export function toEpochMs(instant: Instant): number {
  if (typeof instant !== 'string') {
    throw new ValidationError('instant', [
      { field: 'instant', rule: `must be a string (got ${typeName(instant)})` },
    ]);
  }
  return Date.parse(`${instant.slice(0, 23)}Z`);
}

/**
 * Parses an {@link Instant}, throwing a `ValidationError` (`VALIDATION_FAILED`, field `instant`) naming
 * the rule. @example `parseInstant(s)`
 */
export function parseInstant(value: string): Instant {
  const r = instantSchema.safeParse(value);
  if (!r.success) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeName(value);
    throw new ValidationError('instant', [
      { field: 'instant', rule: `${r.error.issues[0]?.message ?? 'must be an instant'} (got ${shown})` },
    ]);
  }
  return r.data;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' && Number.isNaN(value) ? 'NaN' : typeof value;
}
