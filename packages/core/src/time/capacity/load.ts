import { z } from 'zod';
import type { BasisPoints } from '../../kernel/index.js';
import { utilisationBp } from './capacity.js';

/**
 * When scheduled load is worth a warning or an escalation, as utilisation in basis points
 * (defaults: warn at 85 %, escalate at 100 %). `blockAtBp`, when set, turns over-allocation from a
 * warning into a refusal at that level; by default it is `null`: over-allocation never blocks.
 */
export interface OverAllocationPolicy {
  readonly warnAtBp: number;
  readonly escalateAtBp: number;
  readonly blockAtBp: number | null;
}

/**
 * The default policy: warn at 8500 bp, escalate at 10 000 bp, never block.
 *
 * @example `assessLoad(scheduled, capacity, DEFAULT_OVER_ALLOCATION_POLICY).level`
 */
export const DEFAULT_OVER_ALLOCATION_POLICY: OverAllocationPolicy = {
  warnAtBp: 8500,
  escalateAtBp: 10_000,
  blockAtBp: null,
};

/**
 * Zod schema of an {@link OverAllocationPolicy}: 1 ≤ warn ≤ escalate ≤ block (when set).
 *
 * @example `overAllocationPolicySchema.parse({ warnAtBp: 9000, escalateAtBp: 11000, blockAtBp: null })`
 */
export const overAllocationPolicySchema: z.ZodType<OverAllocationPolicy> = z
  .object({
    warnAtBp: z.number().int().min(1),
    escalateAtBp: z.number().int().min(1),
    blockAtBp: z.number().int().min(1).nullable(),
  })
  .refine((p) => p.warnAtBp <= p.escalateAtBp, { message: 'must be ≥ warnAtBp', path: ['escalateAtBp'] })
  .refine((p) => p.blockAtBp === null || p.blockAtBp >= p.escalateAtBp, {
    message: 'must be ≥ escalateAtBp',
    path: ['blockAtBp'],
  });

/** How loaded a person is: `ok`, `warning` (≥ warn), `escalation` (≥ escalate, or any load on zero capacity). */
export type LoadLevel = 'ok' | 'warning' | 'escalation';

/** The assessment of scheduled minutes against capacity over one window. */
export interface LoadAssessment {
  readonly scheduledMinutes: number;
  readonly capacityMinutes: number;
  /** `null` when the capacity is 0. */
  readonly utilisationBp: BasisPoints | null;
  readonly level: LoadLevel;
  /** True when the policy blocks at this level (never with the default policy). */
  readonly blocked: boolean;
}

/**
 * Classifies scheduled load against capacity. Load on a window without capacity escalates (and blocks
 * when the policy blocks at all); no load is always `ok`.
 *
 * @example
 * ```ts
 * assessLoad(420, 480, DEFAULT_OVER_ALLOCATION_POLICY); // 8750 bp → level 'warning', blocked false
 * ```
 */
export function assessLoad(
  scheduledMinutes: number,
  capacityMinutes: number,
  policy: OverAllocationPolicy,
): LoadAssessment {
  const bp = utilisationBp(scheduledMinutes, capacityMinutes);
  const over = (threshold: number) => (bp === null ? scheduledMinutes > 0 : bp >= threshold);
  const level: LoadLevel = over(policy.escalateAtBp)
    ? 'escalation'
    : over(policy.warnAtBp)
      ? 'warning'
      : 'ok';
  const blocked = policy.blockAtBp !== null && over(policy.blockAtBp);
  return { scheduledMinutes, capacityMinutes, utilisationBp: bp, level, blocked };
}
