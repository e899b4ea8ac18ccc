import { type Clock, type Instant, instantFromEpochMs } from '@pet-ops/core';

/** The simulation's clock: the business time of the next command, set by the story being replayed. */
export interface SimClock extends Clock {
  /** Moves the clock to `ms` (epoch milliseconds). */
  set(ms: number): void;
  /** The current time in epoch milliseconds. */
  ms(): number;
}

/**
 * A clock the simulation moves by hand, so every event's `occurredAt` is the simulated business time.
 *
 * @example
 * ```ts
 * const clock = simClock(Date.UTC(2026, 6, 1));
 * clock.set(Date.UTC(2026, 6, 2, 9));
 * clock.now(); // '2026-07-02T09:00:00.000000Z'
 * ```
 */
export function simClock(startMs: number): SimClock {
  let current = startMs;
  return {
    now: (): Instant => instantFromEpochMs(current),
    set(ms) {
      current = ms;
    },
    ms: () => current,
  };
}
