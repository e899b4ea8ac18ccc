import type { Rejection } from '../../kernel/index.js';

/**
 * Why a qualification command was refused (stable codes):
 * - `QUALIFICATION_ALREADY_EXISTS` — `start` on an existing qualification.
 * - `QUALIFICATION_NOT_FOUND` — any other command before `start`.
 * - `QUALIFICATION_LEAD_NOT_OPEN` — the lead (facts) is missing or no longer `created`.
 * - `QUALIFICATION_COMPLETED` — a change after completion (immutable).
 * - `QUALIFICATION_NOT_COMPLETED` — archive before completion.
 * - `QUALIFICATION_ARCHIVED` — nothing leaves archived.
 * - `QUALIFICATION_CLASS_REQUIRED` — qualified without a class (or disqualified with one).
 * - `QUALIFICATION_REASON_REQUIRED` — disqualified without a reason (or qualified with one).
 * - `QUALIFICATION_SCHEMA_MISMATCH` — the schema version given as facts is not the qualification's.
 * - `QUALIFICATION_DATA_INVALID` — malleable data breaks the version (on completion: required fields too).
 * - `QUALIFICATION_FIELD_DEPRECATED` — a data change edits a field (or picks an option) the active schema
 *   version dropped; those are read-only on qualifications bound to an older version (details.issues).
 */
export type QualificationRejectionCode =
  | 'QUALIFICATION_ALREADY_EXISTS'
  | 'QUALIFICATION_NOT_FOUND'
  | 'QUALIFICATION_LEAD_NOT_OPEN'
  | 'QUALIFICATION_COMPLETED'
  | 'QUALIFICATION_NOT_COMPLETED'
  | 'QUALIFICATION_ARCHIVED'
  | 'QUALIFICATION_CLASS_REQUIRED'
  | 'QUALIFICATION_REASON_REQUIRED'
  | 'QUALIFICATION_SCHEMA_MISMATCH'
  | 'QUALIFICATION_DATA_INVALID'
  | 'QUALIFICATION_FIELD_DEPRECATED';

/** A refused qualification command. */
export type QualificationRejection = Rejection<QualificationRejectionCode>;

/**
 * Every qualification rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...QUALIFICATION_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const QUALIFICATION_REJECTION_CODES: readonly QualificationRejectionCode[] = [
  'QUALIFICATION_ALREADY_EXISTS',
  'QUALIFICATION_NOT_FOUND',
  'QUALIFICATION_LEAD_NOT_OPEN',
  'QUALIFICATION_COMPLETED',
  'QUALIFICATION_NOT_COMPLETED',
  'QUALIFICATION_ARCHIVED',
  'QUALIFICATION_CLASS_REQUIRED',
  'QUALIFICATION_REASON_REQUIRED',
  'QUALIFICATION_SCHEMA_MISMATCH',
  'QUALIFICATION_DATA_INVALID',
  'QUALIFICATION_FIELD_DEPRECATED',
];
