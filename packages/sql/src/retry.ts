import { jitteredBackoff, type RetryPolicy } from '@pet-ops/core';

/**
 * The retry policy a host should give its command runtime: five attempts, each retry after a full-jitter
 * exponential wait (up to 10, 20, 40, 80 ms …, capped at 1 s), so clients that collided on a version,
 * a deadlock or a busy lock spread out instead of colliding again at once.
 *
 * @example
 * ```ts
 * const runtime = { unitOfWork, registry, clock, ids, retry: defaultRetryPolicy };
 * ```
 */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  backoff: jitteredBackoff({
    random: Math.random,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  }),
});
