import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { Brand } from './ids.js';

/**
 * A UTC instant as an ISO-8601 string with microsecond precision: `2026-11-22T10:15:30.123456Z`.
 * A string (not a `Date`) so the database's microseconds survive a round trip.
 */
export type Instant = Brand<string, 'Instant'>;

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Days of each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Two digits at `at` as a number (the regex has checked they are digits). */
const two = (s: string, at: number): number => (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;

/**
 * Whether the date and time of a string of {@link INSTANT_RE}'s shape exist as written: no February 30,
 * no 24:00, no leap second (what `Date.parse` would roll over). Read off the digits: the import and
 * append paths check every instant, and a parse and a print cost ten times as much.
 */
function isCalendarInstant(s: string): boolean {
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  if (month < 1 || month > 12 || day < 1 || two(s, 11) > 23 || two(s, 14) > 59 || two(s, 17) > 59)
    return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] as number));
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
