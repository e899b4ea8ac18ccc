import type { Rejection } from '../../kernel/index.js';

/**
 * Why an opportunity command was refused (stable codes):
 * - `OPPORTUNITY_ALREADY_EXISTS` — `create` on an existing opportunity.
 * - `OPPORTUNITY_NOT_FOUND` — any other command before `create`.
 * - `OPPORTUNITY_LEAD_NOT_QUALIFIED` — the lead (facts) is missing or not qualified.
 * - `OPPORTUNITY_CUSTOMER_NOT_FOUND` — the customer is not an active CRM company (facts).
 * - `OPPORTUNITY_PROBABILITY_INVALID` — the probability is not a whole 0–10000 bp.
 * - `OPPORTUNITY_VALUE_INVALID` — the value is negative or not a safe integer of minor units.
 * - `OPPORTUNITY_CURRENCY_MISMATCH` — a value change in another currency.
 * - `OPPORTUNITY_STAGE_TRANSITION` — an illegal stage move (backwards, skipping, or to the same stage).
 * - `OPPORTUNITY_LOSS_REASON_REQUIRED` — losing without a reason.
 * - `OPPORTUNITY_CLOSED` — any change once won or lost (final; lost → won is forbidden).
 * - `OPPORTUNITY_NOT_CLOSED` — archive before won or lost.
 * - `OPPORTUNITY_ARCHIVED` — nothing leaves archived.
 */
export type OpportunityRejectionCode =
  | 'OPPORTUNITY_ALREADY_EXISTS'
  | 'OPPORTUNITY_NOT_FOUND'
  | 'OPPORTUNITY_LEAD_NOT_QUALIFIED'
  | 'OPPORTUNITY_CUSTOMER_NOT_FOUND'
  | 'OPPORTUNITY_PROBABILITY_INVALID'
  | 'OPPORTUNITY_VALUE_INVALID'
  | 'OPPORTUNITY_CURRENCY_MISMATCH'
  | 'OPPORTUNITY_STAGE_TRANSITION'
  | 'OPPORTUNITY_LOSS_REASON_REQUIRED'
  | 'OPPORTUNITY_CLOSED'
  | 'OPPORTUNITY_NOT_CLOSED'
  | 'OPPORTUNITY_ARCHIVED';

/** A refused opportunity command. */
export type OpportunityRejection = Rejection<OpportunityRejectionCode>;

/**
 * Every opportunity rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...OPPORTUNITY_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const OPPORTUNITY_REJECTION_CODES: readonly OpportunityRejectionCode[] = [
  'OPPORTUNITY_ALREADY_EXISTS',
  'OPPORTUNITY_NOT_FOUND',
  'OPPORTUNITY_LEAD_NOT_QUALIFIED',
  'OPPORTUNITY_CUSTOMER_NOT_FOUND',
  'OPPORTUNITY_PROBABILITY_INVALID',
  'OPPORTUNITY_VALUE_INVALID',
  'OPPORTUNITY_CURRENCY_MISMATCH',
  'OPPORTUNITY_STAGE_TRANSITION',
  'OPPORTUNITY_LOSS_REASON_REQUIRED',
  'OPPORTUNITY_CLOSED',
  'OPPORTUNITY_NOT_CLOSED',
  'OPPORTUNITY_ARCHIVED',
];
