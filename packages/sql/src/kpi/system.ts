import { randomBytes } from 'node:crypto';
import { type Clock, type IdGenerator, type Instant, instantFromEpochMs, type Uuid } from '@pet-ops/core';

/** UUIDv7 ids (48 bits of Unix milliseconds, version 7, RFC 9562 variant, random bits): the runners' default. */
export const runnerIds: IdGenerator = {
  next: (): Uuid => {
    const b = randomBytes(16);
    const ms = Date.now();
    for (let i = 5; i >= 0; i--) b[5 - i] = Math.floor(ms / 2 ** (8 * i)) % 256;
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` as Uuid;
  },
};

/** The system clock: the runners' default for `computed_at` and `activated_at`. */
export const runnerClock: Clock = { now: (): Instant => instantFromEpochMs(Date.now()) };
