import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
  type Money,
  moneySchema,
} from '../../kernel/index.js';
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
import type { VarianceResolution, VarianceType } from '../sold-bounds.js';

/**
 * The stream type of variance streams (key of the `project_variances` state table).
 *
 * @example `const definition: AggregateDefinition<VarianceState> = { streamType: VARIANCE_STREAM_TYPE, … }`
 */
export const VARIANCE_STREAM_TYPE = 'project_variance';

/** Payload of `project.variance_detected` v1: the detection fields (immutable). */
export interface VarianceDetectedPayload {
  readonly varianceId: VarianceId;
  readonly projectId: ProjectId;
  readonly constraintId: SoldConstraintsId;
  readonly baselineVersion: number;
  readonly varianceType: VarianceType;
  /** The milestone whose sold total was exceeded, or null for the whole project. */
  readonly milestoneId: MilestoneId | null;
  /** `minutes` for planned/actual, `minor_units` (of `currency`) for cost. */
  readonly unit: 'minutes' | 'minor_units';
  readonly currency: string | null;
  readonly sold: number;
  readonly observed: number;
  /** observed − sold (> 0). */
  readonly delta: number;
  readonly detectedAt: Instant;
}

/** Payload of `project.variance_acknowledged` v1: the cause is recorded; planning may go on. */
export interface VarianceAcknowledgedPayload {
  readonly varianceId: VarianceId;
  readonly projectId: ProjectId;
  readonly cause: string;
  readonly acknowledgedBy: string;
  readonly at: Instant;
}

/** Payload of `project.variance_resolved` v1: the resolution fields, written once. */
export interface VarianceResolvedPayload {
  readonly varianceId: VarianceId;
  readonly projectId: ProjectId;
  readonly resolution: VarianceResolution;
  readonly cause: string;
  /** The new quote of a change order (it references the original; the original project is untouched). */
  readonly changeOrderQuoteId: string | null;
  /** The baseline version a change order or an explicit re-baseline created. */
  readonly newBaselineVersion: number | null;
  readonly resolvedBy: string;
  readonly resolvedAt: Instant;
}

/**
 * Payload of `project.variance_order_created` v1 (PET's `VarianceOrderCreated`): an internal overrun
 * the company absorbs. The price stays as sold; the margin erosion is spelled out.
 */
export interface VarianceOrderCreatedPayload {
  readonly varianceId: VarianceId;
  readonly projectId: ProjectId;
  /** The internal cost absorbed by this order. */
  readonly amount: Money;
  readonly reason: string;
  /** The sold value, unchanged by the order (shown next to the eroded margin). */
  readonly price: Money;
  readonly marginAtSale: Money;
  /** Margin at sale − every variance order so far, this one included. */
  readonly marginAfter: Money;
  /** Cumulative erosion in basis points of the price (rounded towards zero); null when the price is 0. */
  readonly erosionBp: number | null;
  readonly at: Instant;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const varianceType = z.enum(['planned_over_sold', 'actual_over_sold', 'cost_over_ceiling']);
/** Zod schema of a {@link VarianceResolution}. @example `varianceResolutionSchema.parse('write_off')` */
export const varianceResolutionSchema: z.ZodType<VarianceResolution> = z.enum([
  'change_order',
  'variance_order',
  'write_off',
  'rebaseline',
]);
/** Zod schema of a {@link VarianceType}. @example `varianceTypeSchema.parse('planned_over_sold')` */
export const varianceTypeSchema: z.ZodType<VarianceType> = varianceType;

/**
 * `project.variance_detected` v1 (spec §3: project_id, metric, sold, observed).
 *
 * @example `if (e.type === varianceDetected.type) show(e.payload.sold, e.payload.observed, e.payload.delta)`
 */
export const varianceDetected: EventDefinition<
  'project.variance_detected',
  z.ZodType<VarianceDetectedPayload>
> = defineEvent({
  type: 'project.variance_detected',
  version: 1,
  payload: z
    .object({
      varianceId: varianceIdSchema,
      projectId: projectIdSchema,
      constraintId: soldConstraintsIdSchema,
      baselineVersion: z.number().int().min(1),
      varianceType,
      milestoneId: milestoneIdSchema.nullable(),
      unit: z.enum(['minutes', 'minor_units']),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .nullable(),
      sold: count,
      observed: count,
      delta: z.number().int().min(1),
      detectedAt: instantSchema,
    })
    .refine((p) => p.delta === p.observed - p.sold, {
      message: 'must equal observed − sold',
      path: ['delta'],
    }),
});

/**
 * `project.variance_acknowledged` v1.
 *
 * @example `varianceAcknowledged.payload.parse({ varianceId, projectId, cause, acknowledgedBy, at })`
 */
export const varianceAcknowledged: EventDefinition<
  'project.variance_acknowledged',
  z.ZodType<VarianceAcknowledgedPayload>
> = defineEvent({
  type: 'project.variance_acknowledged',
  version: 1,
  payload: z.object({
    varianceId: varianceIdSchema,
    projectId: projectIdSchema,
    cause: text(2000),
    acknowledgedBy: refSchema,
    at: instantSchema,
  }),
});

/**
 * `project.variance_resolved` v1.
 *
 * @example `if (e.type === varianceResolved.type && e.payload.resolution === 'change_order') …`
 */
export const varianceResolved: EventDefinition<
  'project.variance_resolved',
  z.ZodType<VarianceResolvedPayload>
> = defineEvent({
  type: 'project.variance_resolved',
  version: 1,
  payload: z.object({
    varianceId: varianceIdSchema,
    projectId: projectIdSchema,
    resolution: varianceResolutionSchema,
    cause: text(2000),
    changeOrderQuoteId: refSchema.nullable(),
    newBaselineVersion: z.number().int().min(2).nullable(),
    resolvedBy: refSchema,
    resolvedAt: instantSchema,
  }),
});

/**
 * `project.variance_order_created` v1 (PET's `VarianceOrderCreated`).
 *
 * @example `if (e.type === varianceOrderCreated.type) show(e.payload.price, e.payload.marginAfter)`
 */
export const varianceOrderCreated: EventDefinition<
  'project.variance_order_created',
  z.ZodType<VarianceOrderCreatedPayload>
> = defineEvent({
  type: 'project.variance_order_created',
  version: 1,
  payload: z.object({
    varianceId: varianceIdSchema,
    projectId: projectIdSchema,
    amount: moneySchema,
    reason: text(2000),
    price: moneySchema,
    marginAtSale: moneySchema,
    marginAfter: moneySchema,
    erosionBp: z.number().int().nullable(),
    at: instantSchema,
  }),
});

/** Every event a variance stream holds. */
export type VarianceEvent =
  | EventOf<typeof varianceDetected>
  | EventOf<typeof varianceAcknowledged>
  | EventOf<typeof varianceResolved>
  | EventOf<typeof varianceOrderCreated>;

/**
 * The variance event definitions (current versions), for the context's registry.
 *
 * @example `createEventRegistry({ events: varianceEvents }).knownTypes()`
 */
export const varianceEvents: readonly EventDefinition[] = [
  varianceDetected,
  varianceAcknowledged,
  varianceResolved,
  varianceOrderCreated,
];
