import { z } from 'zod';
import { type Money, moneySchema, rateTimesMinutes } from '../../kernel/index.js';
import { type ExternalRef, externalRefSchema } from '../ids.js';

/** How the ticket's work is billed (the ticket's `billing_context_type`). */
export type BillingContext = 'agreement' | 'project' | 'adhoc' | 'internal';

/**
 * The commercial terms in force for the entry's ticket when it is locked, loaded by the application
 * (from the ticket's billing context, rate plan and support agreement).
 * - `hourlyRate`: the rate plan's sell rate in minor units per hour, `null` when none applies.
 * - `agreement`: the agreement the time draws on and the minutes it still has before this entry.
 */
export interface CommercialTerms {
  readonly billingContext: BillingContext;
  readonly ratePlanRef: ExternalRef | null;
  readonly hourlyRate: Money | null;
  readonly agreement: { readonly agreementRef: ExternalRef; readonly remainingMinutes: number } | null;
}

/**
 * What an entry is worth commercially, frozen when it is locked (never recomputed): billable or
 * not, the rate plan and rate, the value (billable minutes × rate, rounded once), and the agreement
 * drawdown — minutes consumed from the agreement and the overage beyond what it had left.
 */
export interface CommercialSnapshot {
  readonly billable: boolean;
  readonly billingContext: BillingContext;
  readonly ratePlanRef: ExternalRef | null;
  readonly hourlyRate: Money | null;
  readonly value: Money | null;
  readonly agreement: {
    readonly agreementRef: ExternalRef;
    readonly remainingBeforeMinutes: number;
    readonly drawdownMinutes: number;
    readonly overageMinutes: number;
  } | null;
}

/**
 * Zod schema of {@link CommercialTerms} (remaining minutes may be negative: an agreement already
 * overdrawn).
 *
 * @example `commercialTermsSchema.parse({ billingContext: 'adhoc', ratePlanRef: null, hourlyRate: null, agreement: null })`
 */
export const commercialTermsSchema: z.ZodType<CommercialTerms> = z.object({
  billingContext: z.enum(['agreement', 'project', 'adhoc', 'internal']),
  ratePlanRef: externalRefSchema.nullable(),
  hourlyRate: moneySchema.nullable(),
  agreement: z.object({ agreementRef: externalRefSchema, remainingMinutes: z.number().int() }).nullable(),
});

/**
 * Zod schema of a {@link CommercialSnapshot} (as carried by `time_entry.locked`).
 *
 * @example `commercialSnapshotSchema.parse(event.payload.commercial)`
 */
export const commercialSnapshotSchema: z.ZodType<CommercialSnapshot> = z.object({
  billable: z.boolean(),
  billingContext: z.enum(['agreement', 'project', 'adhoc', 'internal']),
  ratePlanRef: externalRefSchema.nullable(),
  hourlyRate: moneySchema.nullable(),
  value: moneySchema.nullable(),
  agreement: z
    .object({
      agreementRef: externalRefSchema,
      remainingBeforeMinutes: z.number().int(),
      drawdownMinutes: z.number().int().min(0),
      overageMinutes: z.number().int().min(0),
    })
    .nullable(),
});

/**
 * Captures the commercial snapshot of `minutes` of work under `terms` (scenario 26: agreement minutes
 * are consumed by time). Only billable time is valued and drawn down; the drawdown is capped at what
 * the agreement has left and the rest is overage (which needs approval before export).
 *
 * @example
 * ```ts
 * captureCommercialSnapshot(true, 90, {
 *   billingContext: 'agreement', ratePlanRef: 'RP-1', hourlyRate: money(120_00, 'EUR'),
 *   agreement: { agreementRef: 'AG-7', remainingMinutes: 60 },
 * });
 * // value EUR 180.00; agreement: drawdown 60, overage 30
 * ```
 */
export function captureCommercialSnapshot(
  billable: boolean,
  minutes: number,
  terms: CommercialTerms,
): CommercialSnapshot {
  const agreement =
    terms.agreement === null
      ? null
      : (() => {
          const remaining = terms.agreement.remainingMinutes;
          const drawable = billable ? minutes : 0;
          const drawdownMinutes = Math.max(0, Math.min(drawable, remaining));
          return {
            agreementRef: terms.agreement.agreementRef,
            remainingBeforeMinutes: remaining,
            drawdownMinutes,
            overageMinutes: drawable - drawdownMinutes,
          };
        })();
  return {
    billable,
    billingContext: terms.billingContext,
    ratePlanRef: terms.ratePlanRef,
    hourlyRate: terms.hourlyRate,
    value: billable && terms.hourlyRate !== null ? rateTimesMinutes(terms.hourlyRate, minutes) : null,
    agreement,
  };
}
