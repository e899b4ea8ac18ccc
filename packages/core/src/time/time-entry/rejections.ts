import type { Rejection } from '../../kernel/index.js';

/**
 * Why a time-entry command was refused (stable codes):
 * - `TIME_ENTRY_ALREADY_EXISTS` — `create` on an existing entry.
 * - `TIME_ENTRY_NOT_FOUND` — any other command before `create`.
 * - `TIME_ENTRY_INVALID_INTERVAL` — `end` is not after `start` (details: start, end, minutes).
 * - `TIME_ENTRY_NOT_OWNER` — somebody other than the owner edits or submits a draft.
 * - `TIME_ENTRY_NOT_DRAFT` — an edit or submission of a submitted or locked entry (immutable: adjust it).
 * - `TIME_ENTRY_NOT_SUBMITTED` — `lock` on a draft or an already locked entry.
 * - `TIME_ENTRY_REOPEN_FORBIDDEN` — submitted → draft, or anything out of locked.
 * - `TIME_ENTRY_ATTESTATION_REQUIRED` — a submission without the explicit attestation.
 * - `TIME_ENTRY_PERIOD_CLOSED` — the entry's work date lies in a closed timesheet period.
 * - `TIME_ENTRY_PERIOD_CONFIG_INVALID` — the lock-period configuration is unreadable (fails closed).
 * - `TIME_ENTRY_CLASSIFICATION_MISSING` — billable or work type not set at submit/lock.
 * - `TIME_ENTRY_SUPPORT_NEEDS_TICKET` — support time that does not name its ticket.
 * - `TIME_ENTRY_BUCKET_REQUIRED` — admin (non-project) time without an operational bucket.
 * - `TIME_ENTRY_TICKET_UNRESOLVED` — no ticket resolves (none named, the task has none, or it differs
 *   from the named ticket, or it does not exist): a hard error, never a fallback.
 * - `TIME_ENTRY_TICKET_ROLLUP` — the ticket is a roll-up (time goes on leaves only).
 * - `TIME_ENTRY_TICKET_CLOSED` — the ticket is closed.
 * - `TIME_ENTRY_TASK_CLOSED` — the task is completed, cancelled or archived.
 * - `TIME_ENTRY_PROJECT_COMPLETED` — the owning project is completed (or cancelled/archived).
 * - `TIME_ENTRY_NOT_ADJUSTABLE` — an adjustment of a draft (drafts are edited directly).
 * - `TIME_ENTRY_ADJUSTMENT_EXISTS` — an adjustment id used twice.
 * - `TIME_ENTRY_REASON_REQUIRED` — an adjustment without a reason.
 * - `TIME_ENTRY_NET_NEGATIVE` — net = original + Σ deltas would drop below 0 (details: the numbers).
 * - `TIME_ENTRY_ADJUSTMENT_NO_CHANGE` — an adjustment that changes nothing (zero delta, same
 *   classification or attribution, reversal of a net already 0).
 * - `TIME_ENTRY_FACTS_MISSING` — the application did not load a fact the command needs.
 *
 * The submit/lock checks report their first failure as the code and every failed code in
 * `details.failures`.
 */
export type TimeEntryRejectionCode =
  | 'TIME_ENTRY_ALREADY_EXISTS'
  | 'TIME_ENTRY_NOT_FOUND'
  | 'TIME_ENTRY_INVALID_INTERVAL'
  | 'TIME_ENTRY_NOT_OWNER'
  | 'TIME_ENTRY_NOT_DRAFT'
  | 'TIME_ENTRY_NOT_SUBMITTED'
  | 'TIME_ENTRY_REOPEN_FORBIDDEN'
  | 'TIME_ENTRY_ATTESTATION_REQUIRED'
  | 'TIME_ENTRY_PERIOD_CLOSED'
  | 'TIME_ENTRY_PERIOD_CONFIG_INVALID'
  | 'TIME_ENTRY_CLASSIFICATION_MISSING'
  | 'TIME_ENTRY_SUPPORT_NEEDS_TICKET'
  | 'TIME_ENTRY_BUCKET_REQUIRED'
  | 'TIME_ENTRY_TICKET_UNRESOLVED'
  | 'TIME_ENTRY_TICKET_ROLLUP'
  | 'TIME_ENTRY_TICKET_CLOSED'
  | 'TIME_ENTRY_TASK_CLOSED'
  | 'TIME_ENTRY_PROJECT_COMPLETED'
  | 'TIME_ENTRY_NOT_ADJUSTABLE'
  | 'TIME_ENTRY_ADJUSTMENT_EXISTS'
  | 'TIME_ENTRY_REASON_REQUIRED'
  | 'TIME_ENTRY_NET_NEGATIVE'
  | 'TIME_ENTRY_ADJUSTMENT_NO_CHANGE'
  | 'TIME_ENTRY_FACTS_MISSING';

/** A refused time-entry command. */
export type TimeEntryRejection = Rejection<TimeEntryRejectionCode>;

/**
 * Every time-entry rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...TIME_ENTRY_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const TIME_ENTRY_REJECTION_CODES: readonly TimeEntryRejectionCode[] = [
  'TIME_ENTRY_ALREADY_EXISTS',
  'TIME_ENTRY_NOT_FOUND',
  'TIME_ENTRY_INVALID_INTERVAL',
  'TIME_ENTRY_NOT_OWNER',
  'TIME_ENTRY_NOT_DRAFT',
  'TIME_ENTRY_NOT_SUBMITTED',
  'TIME_ENTRY_REOPEN_FORBIDDEN',
  'TIME_ENTRY_ATTESTATION_REQUIRED',
  'TIME_ENTRY_PERIOD_CLOSED',
  'TIME_ENTRY_PERIOD_CONFIG_INVALID',
  'TIME_ENTRY_CLASSIFICATION_MISSING',
  'TIME_ENTRY_SUPPORT_NEEDS_TICKET',
  'TIME_ENTRY_BUCKET_REQUIRED',
  'TIME_ENTRY_TICKET_UNRESOLVED',
  'TIME_ENTRY_TICKET_ROLLUP',
  'TIME_ENTRY_TICKET_CLOSED',
  'TIME_ENTRY_TASK_CLOSED',
  'TIME_ENTRY_PROJECT_COMPLETED',
  'TIME_ENTRY_NOT_ADJUSTABLE',
  'TIME_ENTRY_ADJUSTMENT_EXISTS',
  'TIME_ENTRY_REASON_REQUIRED',
  'TIME_ENTRY_NET_NEGATIVE',
  'TIME_ENTRY_ADJUSTMENT_NO_CHANGE',
  'TIME_ENTRY_FACTS_MISSING',
];
