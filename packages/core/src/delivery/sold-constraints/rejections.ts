import type { Rejection } from '../../kernel/index.js';

/**
 * Why a sold-constraints command was refused (stable codes):
 * - `BASELINE_ALREADY_EXISTS` — `create` when v1 exists (v1 is made once, at acceptance).
 * - `BASELINE_NOT_FOUND` — `rebaseline` or `amend` before v1, or `amend` of a version that does not exist.
 * - `BASELINE_IMMUTABLE` — editing a version's sold fields in place (rows are immutable; only an explicit
 *   re-baseline makes a new version). Details carry sold, requested, delta and the versions.
 * - `BASELINE_SOURCE_REQUIRED` — v1 from acceptance without its sale and quote, or a change-order
 *   re-baseline whose quote is missing, already used by a version, or does not reference the project's
 *   original quote (a change order is a new quote referencing the original).
 * - `BASELINE_CURRENCY_MISMATCH` — a WBS priced in another currency than the baseline.
 */
export type SoldConstraintsRejectionCode =
  | 'BASELINE_ALREADY_EXISTS'
  | 'BASELINE_NOT_FOUND'
  | 'BASELINE_IMMUTABLE'
  | 'BASELINE_SOURCE_REQUIRED'
  | 'BASELINE_CURRENCY_MISMATCH';

/** A refused sold-constraints command. */
export type SoldConstraintsRejection = Rejection<SoldConstraintsRejectionCode>;

/**
 * Every sold-constraints rejection code.
 *
 * @example `expect([...seen].sort()).toEqual([...SOLD_CONSTRAINTS_REJECTION_CODES].sort())`
 */
export const SOLD_CONSTRAINTS_REJECTION_CODES: readonly SoldConstraintsRejectionCode[] = [
  'BASELINE_ALREADY_EXISTS',
  'BASELINE_NOT_FOUND',
  'BASELINE_IMMUTABLE',
  'BASELINE_SOURCE_REQUIRED',
  'BASELINE_CURRENCY_MISMATCH',
];
