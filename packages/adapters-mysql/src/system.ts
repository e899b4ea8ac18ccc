import type { Clock, IdGenerator, Instant, Uuid } from '@pet-ops/core';
import { instantFromEpochMs } from '@pet-ops/core';
import { v7 } from 'uuid';

/**
 * The real clock for production: UTC now, millisecond precision (core itself never reads a clock).
 *
 * @example
 * ```ts
 * const at = systemClock.now(); // '2026-11-22T10:15:30.123000Z'
 * ```
 */
export const systemClock: Clock = {
  now: (): Instant => instantFromEpochMs(Date.now()),
};

/**
 * UUIDv7 ids for production: time-ordered, so InnoDB inserts append to the primary key.
 *
 * @example
 * ```ts
 * const id = uuidV7Ids.next();
 * ```
 */
export const uuidV7Ids: IdGenerator = {
  next: (): Uuid => v7() as Uuid,
};
