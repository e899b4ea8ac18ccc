import { z } from 'zod';
import { type LocalDate, localDateSchema } from '../../calendar/index.js';
import { type Instant, instantSchema } from '../../kernel/index.js';
import type { OverAllocationPolicy } from '../capacity/load.js';
import { type ResourceAllocationId, resourceAllocationIdSchema } from '../ids.js';
import {
  type AllocationLayer,
  type AllocationReleaseReason,
  type AllocationSource,
  type AllocationSubject,
  allocationFieldSchemas,
} from './events.js';

/**
 * Plans minutes for a subject over a period (local dates, inclusive) in one layer. A forecast takes
 * its probability from the quote fact, never from the command.
 */
export interface PlanAllocation {
  readonly type: 'plan';
  readonly allocationId: ResourceAllocationId;
  readonly layer: AllocationLayer;
  readonly subject: AllocationSubject;
  readonly source: AllocationSource;
  readonly periodStart: LocalDate;
  readonly periodEnd: LocalDate;
  readonly plannedMinutes: number;
  readonly at: Instant;
}

/** active → superseded: replaced by `supersededBy` (a new quote version's forecast, or the commitment). */
export interface SupersedeAllocation {
  readonly type: 'supersede';
  readonly supersededBy: ResourceAllocationId;
  readonly at: Instant;
}

/** active → released: no longer planned (quote rejected or expired, work completed or cancelled). */
export interface ReleaseAllocation {
  readonly type: 'release';
  readonly reason: AllocationReleaseReason;
  readonly at: Instant;
}

/** Every resource-allocation command. */
export type ResourceAllocationCommand = PlanAllocation | SupersedeAllocation | ReleaseAllocation;

/**
 * What allocation decisions need, loaded by the application:
 * - `sourceQuote` for a forecast: the quote (version) it comes from, whether it is approved, and the
 *   opportunity's probability in basis points;
 * - `load` for a schedule: the employee's effective capacity over the period and the minutes already
 *   scheduled for them in it (other active scheduled allocations);
 * - `policy`: the over-allocation thresholds (default: warn 85 %, escalate 100 %, never block).
 */
export interface ResourceAllocationFacts {
  readonly sourceQuote?: {
    readonly quoteId: string;
    readonly approved: boolean;
    readonly probabilityBp: number;
  };
  readonly load?: { readonly capacityMinutes: number; readonly scheduledMinutes: number };
  readonly policy?: OverAllocationPolicy;
}

/**
 * Zod schema of a {@link ResourceAllocationCommand}.
 *
 * @example
 * ```ts
 * const command = parseInput(resourceAllocationCommandSchema, raw, 'allocation command');
 * ```
 */
export const resourceAllocationCommandSchema: z.ZodType<ResourceAllocationCommand> = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('plan'),
      allocationId: resourceAllocationIdSchema,
      layer: allocationFieldSchemas.layer,
      subject: allocationFieldSchemas.subject,
      source: allocationFieldSchemas.source,
      periodStart: localDateSchema,
      periodEnd: localDateSchema,
      plannedMinutes: z.number().int().min(1, 'must be at least 1 minute'),
      at: instantSchema,
    }),
    z.object({ type: z.literal('supersede'), supersededBy: resourceAllocationIdSchema, at: instantSchema }),
    z.object({ type: z.literal('release'), reason: allocationFieldSchemas.releaseReason, at: instantSchema }),
  ],
);
