import type { Rejection } from '../../kernel/index.js';

/**
 * Why a variance command was refused (stable codes):
 * - `VARIANCE_ALREADY_EXISTS` — `detect` on an existing variance stream.
 * - `VARIANCE_ALREADY_OPEN` — `detect` while another open variance records the same breach (same project,
 *   type, scope and baseline version): one open variance per breach.
 * - `VARIANCE_NOT_A_BREACH` — `detect` with observed ≤ sold.
 * - `VARIANCE_NOT_FOUND` — any other command before `detect`.
 * - `VARIANCE_NOT_OPEN` — `acknowledge` on a variance that is already acknowledged.
 * - `VARIANCE_RESOLVED` — any command on a resolved variance (resolution fields are written once).
 * - `VARIANCE_CAUSE_REQUIRED` — resolving without a cause when none was acknowledged.
 * - `VARIANCE_RESOLUTION_INCOMPLETE` — the resolution lacks what it needs (change order quote, new
 *   baseline version, variance-order amount) or names a baseline version that is not newer.
 * - `VARIANCE_CURRENCY_MISMATCH` — a variance-order amount in another currency than the sold price.
 * - `VARIANCE_FACTS_MISSING` — the application did not load the facts the command needs.
 */
export type VarianceRejectionCode =
  | 'VARIANCE_ALREADY_EXISTS'
  | 'VARIANCE_ALREADY_OPEN'
  | 'VARIANCE_NOT_A_BREACH'
  | 'VARIANCE_NOT_FOUND'
  | 'VARIANCE_NOT_OPEN'
  | 'VARIANCE_RESOLVED'
  | 'VARIANCE_CAUSE_REQUIRED'
  | 'VARIANCE_RESOLUTION_INCOMPLETE'
  | 'VARIANCE_CURRENCY_MISMATCH'
  | 'VARIANCE_FACTS_MISSING';

/** A refused variance command. */
export type VarianceRejection = Rejection<VarianceRejectionCode>;

/**
 * Every variance rejection code, for documentation and exhaustive tests.
 *
 * @example `expect([...seen].sort()).toEqual([...VARIANCE_REJECTION_CODES].sort())`
 */
export const VARIANCE_REJECTION_CODES: readonly VarianceRejectionCode[] = [
  'VARIANCE_ALREADY_EXISTS',
  'VARIANCE_ALREADY_OPEN',
  'VARIANCE_NOT_A_BREACH',
  'VARIANCE_NOT_FOUND',
  'VARIANCE_NOT_OPEN',
  'VARIANCE_RESOLVED',
  'VARIANCE_CAUSE_REQUIRED',
  'VARIANCE_RESOLUTION_INCOMPLETE',
  'VARIANCE_CURRENCY_MISMATCH',
  'VARIANCE_FACTS_MISSING',
];
