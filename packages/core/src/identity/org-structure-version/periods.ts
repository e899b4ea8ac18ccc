import { type FieldIssue, type Instant, instantSchema } from '../../kernel/index.js';
import type { IsoDate } from '../ids.js';

/** The parts of a published version that period rules read. */
export interface VersionPeriodInput {
  readonly versionNumber: number;
  readonly effectiveFrom: Instant;
}

/** A version's effective period `[from, to)`; `to` is the next version's `from` (`null` for the current one). */
export interface EffectivePeriod {
  readonly versionNumber: number;
  readonly from: Instant;
  readonly to: Instant | null;
}

const byNumber = <V extends VersionPeriodInput>(versions: readonly V[]): V[] =>
  [...versions].sort((a, b) => a.versionNumber - b.versionNumber);

/**
 * The rules a version history breaks (empty when valid): numbers are 1, 2, 3, … without gaps or
 * repeats, and each version starts strictly after the one before. Periods derived from a valid history
 * are contiguous and never overlap.
 *
 * @example
 * ```ts
 * validateOrgHistory([{ versionNumber: 1, effectiveFrom: a }, { versionNumber: 3, effectiveFrom: b }]);
 * // [{ field: '1.versionNumber', rule: 'must be 2 (numbers have no gaps)' }]
 * ```
 */
export function validateOrgHistory(versions: readonly VersionPeriodInput[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  byNumber(versions).forEach((v, i, sorted) => {
    if (v.versionNumber !== i + 1) {
      issues.push({ field: `${i}.versionNumber`, rule: `must be ${i + 1} (numbers have no gaps)` });
    }
    const previous = sorted[i - 1];
    if (previous !== undefined && !(v.effectiveFrom > previous.effectiveFrom)) {
      issues.push({
        field: `${i}.effectiveFrom`,
        rule: `must be after version ${previous.versionNumber}'s start`,
      });
    }
  });
  return issues;
}

/**
 * The effective periods of a history, by version number: each runs from its own start to the next
 * version's start (the last one is open-ended). No `effective_to` is stored: deriving it keeps every
 * published row immutable and the periods contiguous by construction.
 *
 * @example
 * ```ts
 * effectivePeriods(history); // [{ versionNumber: 1, from: a, to: b }, { versionNumber: 2, from: b, to: null }]
 * ```
 */
export function effectivePeriods(versions: readonly VersionPeriodInput[]): EffectivePeriod[] {
  const sorted = byNumber(versions);
  return sorted.map((v, i) => ({
    versionNumber: v.versionNumber,
    from: v.effectiveFrom,
    to: sorted[i + 1]?.effectiveFrom ?? null,
  }));
}

/**
 * The version in effect at `at` — the one with the latest start not after `at` — or `null` before the
 * first version. This is "the structure as of date D".
 *
 * @example
 * ```ts
 * versionAsOf(history, dayStart('2026-07-01' as IsoDate))?.versionNumber; // the version of 1 July
 * ```
 */
export function versionAsOf<V extends VersionPeriodInput>(versions: readonly V[], at: Instant): V | null {
  let best: V | null = null;
  for (const v of versions) {
    if (v.effectiveFrom <= at && (best === null || v.effectiveFrom > best.effectiveFrom)) best = v;
  }
  return best;
}

/** The instant a calendar day starts, in UTC. @example `dayStart('2026-07-01')` → `'2026-07-01T00:00:00.000000Z'` */
export function dayStart(date: IsoDate): Instant {
  return instantSchema.parse(`${date}T00:00:00.000000Z`);
}
