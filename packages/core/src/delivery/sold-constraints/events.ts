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
  type ProjectId,
  projectIdSchema,
  refSchema,
  type SoldConstraintsId,
  soldConstraintsIdSchema,
} from '../ids.js';
import { type WbsMilestone, wbsSchema } from './wbs.js';

/**
 * The stream type of sold-constraints streams: one stream per project (stream id =
 * `soldConstraintsStreamId(projectId)`, since the event log keys streams by id alone) holding
 * every baseline version; each version is one immutable `project_sold_constraints` row.
 *
 * @example `const definition: AggregateDefinition<SoldConstraintsState> = { streamType: SOLD_CONSTRAINTS_STREAM_TYPE, … }`
 */
export const SOLD_CONSTRAINTS_STREAM_TYPE = 'project_sold_constraints';

/** Why a baseline version exists: the sale, an accepted change order, or an explicit re-baseline. */
export type BaselineReason = 'acceptance' | 'change_order' | 'explicit';

/** One baseline version (one immutable row): the sold plan the project is held to. */
export interface Baseline {
  readonly constraintId: SoldConstraintsId;
  readonly projectId: ProjectId;
  readonly version: number;
  readonly reason: BaselineReason;
  readonly saleId: string | null;
  readonly sourceQuoteId: string | null;
  readonly sourceQuoteVersion: number | null;
  /** Σ WBS task minutes. */
  readonly soldMinutes: number;
  /** Σ WBS task sell values. */
  readonly soldValue: Money;
  /** Σ WBS task internal cost snapshots. */
  readonly internalCostCeiling: Money;
  /** soldValue − internalCostCeiling. */
  readonly marginAtSale: Money;
  readonly wbs: readonly WbsMilestone[];
  /** Why a re-baseline happened (null for v1 from a sale). */
  readonly cause: string | null;
  /** Who approved an explicit version (null for acceptance: the customer's acceptance is the approval). */
  readonly approvedBy: string | null;
  readonly createdAt: Instant;
}

/** Payload of `project.rebaselined` v1: the new version, and the version it replaces as active. */
export interface RebaselinedPayload extends Baseline {
  readonly previousVersion: number;
}

const baselineShape = {
  constraintId: soldConstraintsIdSchema,
  projectId: projectIdSchema,
  version: z.number().int().min(1),
  reason: z.enum(['acceptance', 'change_order', 'explicit']),
  saleId: refSchema.nullable(),
  sourceQuoteId: refSchema.nullable(),
  sourceQuoteVersion: z.number().int().min(1).nullable(),
  soldMinutes: z.number().int().min(0),
  soldValue: moneySchema,
  internalCostCeiling: moneySchema,
  marginAtSale: moneySchema,
  wbs: wbsSchema,
  cause: z.string().trim().min(1).max(2000).nullable(),
  approvedBy: refSchema.nullable(),
  createdAt: instantSchema,
};

/**
 * `project.baseline_created` v1 (PET's `BaselineCreated`): baseline v1.
 *
 * @example `if (e.type === baselineCreated.type) console.log(e.payload.soldMinutes)`
 */
export const baselineCreated: EventDefinition<'project.baseline_created', z.ZodType<Baseline>> = defineEvent({
  type: 'project.baseline_created',
  version: 1,
  payload: z.object(baselineShape),
});

/**
 * `project.rebaselined` v1: a new active version (v2+); earlier versions stay as they were.
 *
 * @example `if (e.type === rebaselined.type) console.log(e.payload.previousVersion, e.payload.version)`
 */
export const rebaselined: EventDefinition<'project.rebaselined', z.ZodType<RebaselinedPayload>> = defineEvent(
  {
    type: 'project.rebaselined',
    version: 1,
    payload: z.object({
      ...baselineShape,
      version: z.number().int().min(2),
      previousVersion: z.number().int().min(1),
    }),
  },
);

/** Every event a sold-constraints stream holds. */
export type SoldConstraintsEvent = EventOf<typeof baselineCreated> | EventOf<typeof rebaselined>;

/**
 * The sold-constraints event definitions (current versions).
 *
 * @example `createEventRegistry({ events: soldConstraintsEvents }).knownTypes()`
 */
export const soldConstraintsEvents: readonly EventDefinition[] = [baselineCreated, rebaselined];
