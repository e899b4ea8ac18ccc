import type { IdGenerator, Uuid } from '../kernel/index.js';

/** 2026-01-01T00:00:00Z in epoch milliseconds: the timestamp part of every sequential id. */
const EPOCH_MS = 1_767_225_600_000;
const MAX_COUNTER = 2 ** 48 - 1;

/**
 * An {@link IdGenerator} for tests: valid, strictly increasing UUIDv7 strings whose last digits count
 * 1, 2, 3… so failures are readable. `seed` (0..4095) goes into the `rand_a` bits: generators with
 * different seeds never produce the same id.
 *
 * @example
 * ```ts
 * const ids = sequentialIds();
 * ids.next(); // '019b76da-a800-7000-8000-000000000001'
 * ids.next(); // '019b76da-a800-7000-8000-000000000002'
 * ```
 */
export function sequentialIds(seed = 0): IdGenerator {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xfff) {
    throw new RangeError('sequentialIds: seed must be an integer 0..4095');
  }
  const ts = EPOCH_MS.toString(16).padStart(12, '0');
  const prefix = `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${seed.toString(16).padStart(3, '0')}-8000-`;
  let counter = 0;
  return {
    next: () => {
      if (counter >= MAX_COUNTER) throw new RangeError('sequentialIds: exhausted');
      counter += 1;
      return `${prefix}${counter.toString(16).padStart(12, '0')}` as Uuid;
    },
  };
}
