import { z } from 'zod';
import { type Instant, instantSchema, type Money, moneySchema } from '../../kernel/index.js';
import {
  type MilestoneId,
  milestoneIdSchema,
  type ProjectId,
  projectIdSchema,
  refSchema,
  type SoldConstraintsId,
  soldConstraintsIdSchema,
  type VarianceId,
  varianceIdSchema,
} from '../ids.js';
import type { SoldBoundCheck, VarianceResolution, VarianceType } from '../sold-bounds.js';
import { varianceResolutionSchema, varianceTypeSchema } from './events.js';

/** Records a breach found by {@link checkAgainstSold} (use {@link detectionFor} to build it). */
export interface DetectVariance {
  readonly type: 'detect';
  readonly varianceId: VarianceId;
  readonly projectId: ProjectId;
  readonly constraintId: SoldConstraintsId;
  readonly baselineVersion: number;
  readonly varianceType: VarianceType;
  /** The milestone whose sold total was exceeded, or null for the whole project. */
  readonly milestoneId: MilestoneId | null;
  /** The currency of a cost variance; null for minutes. */
  readonly currency: string | null;
  readonly sold: number;
  readonly observed: number;
  readonly detectedAt: Instant;
}

/** open → acknowledged: the cause is recorded and planning beyond sold (up to `observed`) may go on. */
export interface AcknowledgeVariance {
  readonly type: 'acknowledge';
  readonly cause: string;
  readonly by: string;
  readonly at: Instant;
}

/**
 * open | acknowledged → resolved, by an explicit resolution. `cause` is needed unless an acknowledgement
 * recorded one; a change order names its new quote; a change order or re-baseline names the new
 * baseline version; a variance order names the internal cost it absorbs.
 */
export interface ResolveVariance {
  readonly type: 'resolve';
  readonly resolution: VarianceResolution;
  readonly cause?: string;
  readonly changeOrderQuoteId?: string;
  readonly newBaselineVersion?: number;
  readonly amount?: Money;
  readonly by: string;
  readonly at: Instant;
}

/** Every variance command (there is no delete: a variance is never deleted). */
export type VarianceCommand = DetectVariance | AcknowledgeVariance | ResolveVariance;

/** The margin a variance order erodes, loaded from the active baseline and earlier variance orders. */
export interface VarianceOrderFacts {
  readonly price: Money;
  readonly marginAtSale: Money;
  /** Σ amounts of the project's earlier variance orders (zero when none). */
  readonly earlierOrders: Money;
}

/**
 * What variance decisions need: for `detect`, the open variance of the same project, type, scope
 * (milestone or project) and baseline version (`null` when none: one open variance per breach); for a
 * `variance_order` resolution, the margin.
 */
export interface VarianceFacts {
  readonly openVarianceId?: VarianceId | null;
  readonly varianceOrder?: VarianceOrderFacts;
}

const text = z.string().trim().min(1).max(2000);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * Zod schema of a {@link VarianceCommand}.
 *
 * @example `const command = parseInput(varianceCommandSchema, raw, 'variance command');`
 */
export const varianceCommandSchema: z.ZodType<VarianceCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('detect'),
    varianceId: varianceIdSchema,
    projectId: projectIdSchema,
    constraintId: soldConstraintsIdSchema,
    baselineVersion: z.number().int().min(1),
    varianceType: varianceTypeSchema,
    milestoneId: milestoneIdSchema.nullable().default(null),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable(),
    sold: count,
    observed: count,
    detectedAt: instantSchema,
  }),
  z.object({ type: z.literal('acknowledge'), cause: text, by: refSchema, at: instantSchema }),
  z.object({
    type: z.literal('resolve'),
    resolution: varianceResolutionSchema,
    cause: text.exactOptional(),
    changeOrderQuoteId: refSchema.exactOptional(),
    newBaselineVersion: z.number().int().min(2).exactOptional(),
    amount: moneySchema.exactOptional(),
    by: refSchema,
    at: instantSchema,
  }),
]);

/**
 * Builds the `detect` command for a breach returned by {@link checkAgainstSold}, or null when the check
 * is no breach or an open variance already records it (one open variance per breach).
 *
 * @example
 * ```ts
 * const detect = detectionFor(check, { varianceId: ids.next(), projectId, currency: null, detectedAt: now });
 * if (detect !== null) await workflow.execute(variances, { streamId: detect.varianceId, command: detect, facts });
 * ```
 */
export function detectionFor(
  check: SoldBoundCheck,
  at: {
    readonly varianceId: VarianceId;
    readonly projectId: ProjectId;
    readonly currency: string | null;
    readonly detectedAt: Instant;
  },
): DetectVariance | null {
  if (check.kind !== 'breach' || check.openVarianceId !== null) return null;
  return {
    type: 'detect',
    varianceId: at.varianceId,
    projectId: at.projectId,
    constraintId: check.constraintId,
    baselineVersion: check.baselineVersion,
    varianceType: check.varianceType,
    milestoneId: check.milestoneId,
    currency: check.varianceType === 'cost_over_ceiling' ? at.currency : null,
    sold: check.sold,
    observed: check.observed,
    detectedAt: at.detectedAt,
  };
}
