import { z } from 'zod';
import {
  currencyCodeSchema,
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
 * Creates baseline v1: from the sale (`acceptance`, sale and quote named) or, for a manual project whose
 * sold constraints apply, from an explicit budget (`explicit`). Totals are derived from the WBS.
 */
export interface CreateBaseline {
  readonly type: 'create';
  readonly constraintId: SoldConstraintsId;
  readonly projectId: ProjectId;
  readonly reason: 'acceptance' | 'explicit';
  readonly saleId: string | null;
  readonly sourceQuoteId: string | null;
  readonly sourceQuoteVersion: number | null;
  readonly currency: string;
  readonly wbs: readonly WbsMilestone[];
  readonly approvedBy: string | null;
  readonly at: Instant;
}

/**
 * Adds a new active version: an accepted change order (its new quote named) or an explicit re-baseline
 * (approved and with a cause). Earlier versions never change.
 */
export interface Rebaseline {
  readonly type: 'rebaseline';
  readonly constraintId: SoldConstraintsId;
  readonly reason: 'change_order' | 'explicit';
  readonly saleId: string | null;
  /** The quote this version comes from: a change order's new quote (null for an explicit re-baseline). */
  readonly sourceQuoteId: string | null;
  /** The quote a change order references (its parent): must be the project's original quote. */
  readonly referencesQuoteId: string | null;
  readonly sourceQuoteVersion: number | null;
  readonly wbs: readonly WbsMilestone[];
  readonly cause: string;
  readonly approvedBy: string;
  readonly at: Instant;
}

/** The sold fields someone may try to edit on a version (always refused: rows are immutable). */
export interface BaselineSoldFields {
  readonly soldMinutes?: number;
  readonly soldValue?: Money;
  readonly internalCostCeiling?: Money;
  readonly marginAtSale?: Money;
}

/** An attempt to edit a version's sold fields in place: always `BASELINE_IMMUTABLE` (scenario 21). */
export interface AmendBaseline {
  readonly type: 'amend';
  readonly version: number;
  readonly changes: BaselineSoldFields;
}

/** Every sold-constraints command. */
export type SoldConstraintsCommand = CreateBaseline | Rebaseline | AmendBaseline;

/**
 * Zod schema of a {@link SoldConstraintsCommand}.
 *
 * @example `const command = parseInput(soldConstraintsCommandSchema, raw, 'sold constraints command');`
 */
export const soldConstraintsCommandSchema: z.ZodType<SoldConstraintsCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    constraintId: soldConstraintsIdSchema,
    projectId: projectIdSchema,
    reason: z.enum(['acceptance', 'explicit']),
    saleId: refSchema.nullable(),
    sourceQuoteId: refSchema.nullable(),
    sourceQuoteVersion: z.number().int().min(1).nullable(),
    currency: currencyCodeSchema,
    wbs: wbsSchema,
    approvedBy: refSchema.nullable(),
    at: instantSchema,
  }),
  z.object({
    type: z.literal('rebaseline'),
    constraintId: soldConstraintsIdSchema,
    reason: z.enum(['change_order', 'explicit']),
    saleId: refSchema.nullable(),
    sourceQuoteId: refSchema.nullable(),
    referencesQuoteId: refSchema.nullable().default(null),
    sourceQuoteVersion: z.number().int().min(1).nullable(),
    wbs: wbsSchema,
    cause: z.string().trim().min(1).max(2000),
    approvedBy: refSchema,
    at: instantSchema,
  }),
  z.object({
    type: z.literal('amend'),
    version: z.number().int().min(1),
    changes: z
      .object({
        soldMinutes: z.number().int().min(0).exactOptional(),
        soldValue: moneySchema.exactOptional(),
        internalCostCeiling: moneySchema.exactOptional(),
        marginAtSale: moneySchema.exactOptional(),
      })
      .strict(),
  }),
]);
