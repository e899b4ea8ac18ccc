import { type Clock, type Instant, instantFromEpochMs, parseInstant, toEpochMs } from '../kernel/index.js';

/** A {@link Clock} for tests: starts at a fixed instant and moves only when told to. */
export interface FixedClock extends Clock {
  /** Moves the clock forward (or back, with a negative value) by whole microseconds. */
  advance(micros: number): void;
  /** Sets the instant the next `now()` returns. */
  set(instant: Instant): void;
}

function toMicros(instant: Instant): number {
  return toEpochMs(instant) * 1000 + Number(instant.slice(23, 26));
}

function fromMicros(micros: number): Instant {
  const ms = Math.floor(micros / 1000);
  return instantFromEpochMs(ms, micros - ms * 1000);
}

/**
 * A deterministic clock: the first `now()` returns `start`, each later call `stepMicros` microseconds
 * more (default 0: time stands still until `advance`/`set`).
 *
 * @example
 * ```ts
 * const clock = fixedClock(parseInstant('2026-01-01T00:00:00.000000Z'), 1);
 * clock.now(); // '2026-01-01T00:00:00.000000Z'
 * clock.now(); // '2026-01-01T00:00:00.000001Z'
 * ```
 */
export function fixedClock(start: Instant | string, stepMicros = 0): FixedClock {
  if (!Number.isSafeInteger(stepMicros))
    throw new RangeError('fixedClock: stepMicros must be a safe integer');
  let current = toMicros(parseInstant(start));
  return {
    now: () => {
      const instant = fromMicros(current);
      current += stepMicros;
      return instant;
    },
    advance: (micros) => {
      if (!Number.isSafeInteger(micros))
        throw new RangeError('fixedClock.advance: micros must be a safe integer');
      current += micros;
    },
    set: (instant) => {
      current = toMicros(parseInstant(instant));
    },
  };
}
