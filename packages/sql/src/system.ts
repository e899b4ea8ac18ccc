import { randomBytes } from 'node:crypto';
import { type Clock, type IdGenerator, type Instant, instantFromEpochMs, type Uuid } from '@pet-ops/core';

/**
 * The real clock for production: UTC now, millisecond precision (core itself never reads a clock). The
 * same as `systemClock` of `@pet-ops/adapters-mysql`, for hosts on any database.
 *
 * @example
 * ```ts
 * const runtime = { unitOfWork, registry, clock: systemClock, ids: uuidV7Ids, retry: defaultRetryPolicy };
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: (): Instant => instantFromEpochMs(Date.now()),
});

/**
 * UUIDv7 ids for production (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids made later
 * sort later (B-tree inserts append) and never collide in practice. From `node:crypto`, no dependency.
 *
 * @example
 * ```ts
 * const quoteId = uuidV7Ids.next();
 * ```
 */
export const uuidV7Ids: IdGenerator = Object.freeze({ next: (): Uuid => uuidV7() });

// Random bytes drawn 4 KiB at a time: one call into the system's generator per 256 ids, not per id
// (an import makes two ids a row). Each id takes its 16 bytes from the pool once.
const POOL = 4096;
let pool = randomBytes(POOL);
let used = 0;

/**
 * One UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, version 7, the variant, random bits — the
 * generator behind {@link uuidV7Ids} and the runners' ids.
 *
 * @example `uuidV7()` → `'019b76da-a800-7c1e-9f3a-…'`
 */
export function uuidV7(): Uuid {
  if (used === POOL) {
    pool = randomBytes(POOL);
    used = 0;
  }
  const b = Buffer.from(pool.subarray(used, used + 16));
  used += 16;
  const ms = Date.now();
  for (let i = 0; i < 6; i++) b[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` as Uuid;
}
