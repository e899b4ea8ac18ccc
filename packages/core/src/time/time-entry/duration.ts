import { type Instant, toEpochMs } from '../../kernel/index.js';

/** Microseconds since the epoch of an {@link Instant}, exact (its six fractional digits kept). */
function epochMicros(instant: Instant): bigint {
  return BigInt(toEpochMs(instant)) * 1000n + BigInt(Number(instant.slice(23, 26)));
}

/**
 * The duration of an entry in whole minutes: ⌈(end − start) / 60 s⌉, exact to the microsecond (a
 * started minute counts). Returns a value ≤ 0 when `end` is not after `start`; callers refuse those.
 *
 * @example
 * ```ts
 * entryMinutes(parseInstant('2026-03-02T09:00:00.000000Z'), parseInstant('2026-03-02T10:30:00.000000Z')); // 90
 * entryMinutes(parseInstant('2026-03-02T09:00:00.000000Z'), parseInstant('2026-03-02T09:00:00.000001Z')); // 1
 * ```
 */
export function entryMinutes(start: Instant, end: Instant): number {
  const span = epochMicros(end) - epochMicros(start);
  if (span <= 0n) return Number(span / 60_000_000n); // 0 or negative: never rounded up into a valid entry
  return Number((span + 59_999_999n) / 60_000_000n);
}
