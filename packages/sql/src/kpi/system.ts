import { type Clock, type IdGenerator, type Instant, instantFromEpochMs, type Uuid } from '@pet-ops/core';
import { uuidV7 } from '../system.js';

/** UUIDv7 ids (48 bits of Unix milliseconds, version 7, RFC 9562 variant, random bits): the runners' default. */
export const runnerIds: IdGenerator = { next: (): Uuid => uuidV7() };

/** The system clock: the runners' default for `computed_at` and `activated_at`. */
export const runnerClock: Clock = { now: (): Instant => instantFromEpochMs(Date.now()) };
