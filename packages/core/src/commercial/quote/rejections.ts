import type { Rejection } from '../../kernel/index.js';

/**
 * Why a quote command was refused (stable codes):
 * - `QUOTE_ALREADY_EXISTS` — `create` on an existing quote.
 * - `QUOTE_NOT_FOUND` — any other command before `create`.
 * - `QUOTE_ACCEPTED` — any change to an accepted quote (binding and immutable; correct it with a delta
 *   or a superseding clone). A second, concurrent accept gets this code.
 * - `QUOTE_REJECTED` — any change to a rejected quote (terminal).
 * - `QUOTE_VERSION_LOCKED` — a content change while the current version is not a draft (sent versions
 *   are immutable: `revise` first).
 * - `QUOTE_GROUP_NOT_FOUND` / `QUOTE_LINE_NOT_FOUND` — no such group / line in the current version.
 * - `QUOTE_DUPLICATE_ID` — a group, line or payment item id is used twice.
 * - `QUOTE_GROUP_INVALID` — a recurring group without terms, or terms on another kind.
 * - `QUOTE_LINE_INVALID` — a line breaks its kind's rules (details name the rule).
 * - `QUOTE_SCHEDULE_INVALID` — an empty schedule, a non-positive amount or another currency.
 * - `QUOTE_NOT_READY` — the readiness gate failed (details list every failed check).
 * - `QUOTE_APPROVAL_REQUIRED` — an approval trigger fired and the current content is not approved.
 * - `QUOTE_NOT_SENT` — accept / reject / expire / revise need a sent current version.
 * - `QUOTE_VERSION_MISMATCH` — accept names a version that is not the current sent one.
 * - `QUOTE_EXPIRED` — acceptance after the version's `validUntil`.
 * - `QUOTE_NOT_EXPIRED` — expire before the version's `validUntil` (or without one).
 * - `QUOTE_SCHEDULE_MISMATCH` — the payment schedule does not sum to the total to the minor unit.
 * - `QUOTE_NOT_ACCEPTED` — releasing due payment items before acceptance.
 * - `QUOTE_REASON_REQUIRED` — a rejection without a reason.
 */
export type QuoteRejectionCode =
  | 'QUOTE_ALREADY_EXISTS'
  | 'QUOTE_NOT_FOUND'
  | 'QUOTE_ACCEPTED'
  | 'QUOTE_REJECTED'
  | 'QUOTE_VERSION_LOCKED'
  | 'QUOTE_GROUP_NOT_FOUND'
  | 'QUOTE_LINE_NOT_FOUND'
  | 'QUOTE_DUPLICATE_ID'
  | 'QUOTE_GROUP_INVALID'
  | 'QUOTE_LINE_INVALID'
  | 'QUOTE_SCHEDULE_INVALID'
  | 'QUOTE_NOT_READY'
  | 'QUOTE_APPROVAL_REQUIRED'
  | 'QUOTE_NOT_SENT'
  | 'QUOTE_VERSION_MISMATCH'
  | 'QUOTE_EXPIRED'
  | 'QUOTE_NOT_EXPIRED'
  | 'QUOTE_SCHEDULE_MISMATCH'
  | 'QUOTE_NOT_ACCEPTED'
  | 'QUOTE_REASON_REQUIRED';

/** A refused quote command. */
export type QuoteRejection = Rejection<QuoteRejectionCode>;

/**
 * Every quote rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...QUOTE_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const QUOTE_REJECTION_CODES: readonly QuoteRejectionCode[] = [
  'QUOTE_ALREADY_EXISTS',
  'QUOTE_NOT_FOUND',
  'QUOTE_ACCEPTED',
  'QUOTE_REJECTED',
  'QUOTE_VERSION_LOCKED',
  'QUOTE_GROUP_NOT_FOUND',
  'QUOTE_LINE_NOT_FOUND',
  'QUOTE_DUPLICATE_ID',
  'QUOTE_GROUP_INVALID',
  'QUOTE_LINE_INVALID',
  'QUOTE_SCHEDULE_INVALID',
  'QUOTE_NOT_READY',
  'QUOTE_APPROVAL_REQUIRED',
  'QUOTE_NOT_SENT',
  'QUOTE_VERSION_MISMATCH',
  'QUOTE_EXPIRED',
  'QUOTE_NOT_EXPIRED',
  'QUOTE_SCHEDULE_MISMATCH',
  'QUOTE_NOT_ACCEPTED',
  'QUOTE_REASON_REQUIRED',
];
