/**
 * Helpers shared by the knowledge tests (not a test file itself: the `.test.ts` suffix only keeps it out
 * of builds and the published package).
 */
import { fc } from '@fast-check/vitest';
import type { EmployeeId } from '../identity/ids.js';
import type { Decider, Instant, Rejection, Uuid } from '../kernel/index.js';
import type { ArticleId, ArticleVersionId, CommentId } from './ids.js';

/** A readable UUIDv7 whose last digits are `n`. */
export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const emp = (n: number): EmployeeId => uuid(n) as EmployeeId;
export const article = (n: number): ArticleId => uuid(0x100000 + n) as ArticleId;
export const version = (n: number): ArticleVersionId => uuid(0x200000 + n) as ArticleVersionId;
export const comment = (n: number): CommentId => uuid(0x300000 + n) as CommentId;
export const ticket = (n: number): Uuid => uuid(0x400000 + n) as Uuid;
export const customer = (n: number): Uuid => uuid(0x500000 + n) as Uuid;
export const project = (n: number): Uuid => uuid(0x600000 + n) as Uuid;
export const task = (n: number): Uuid => uuid(0x700000 + n) as Uuid;

/** `2026-01-01T00:00:00.000000Z` plus `minutes`. */
export const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;

/**
 * Wraps a decider so that every rejection code it returns is recorded in `seen`, to check that each
 * documented code is exercised by a test file.
 */
export function tracked<S, C, E, F, R extends Rejection>(
  decider: Decider<S, C, E, F, R>,
): { decider: Decider<S, C, E, F, R>; seen: Set<string> } {
  const seen = new Set<string>();
  return {
    seen,
    decider: {
      ...decider,
      decide: (command, state, facts) => {
        const r = decider.decide(command, state, facts);
        if (!r.ok) seen.add(r.error.code);
        return r;
      },
    },
  };
}

/** Small index arbitrary (picks among `n` entities). */
export const pick = (n: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: n - 1 });
