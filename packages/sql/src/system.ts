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
export const uuidV7Ids: IdGenerator = Object.freeze({
  next(): Uuid {
    const b = randomBytes(16);
    const ms = Date.now();
    for (let i = 0; i < 6; i++) b[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` as Uuid;
  },
});
