import type { Rejection } from '../../kernel/index.js';

/**
 * Why a lead command was refused (stable codes):
 * - `LEAD_ALREADY_EXISTS` — `create` on an existing lead.
 * - `LEAD_NOT_FOUND` — any other command before `create`.
 * - `LEAD_ARCHIVED` — nothing leaves archived.
 * - `LEAD_NOT_EDITABLE` — an edit after qualification or disqualification.
 * - `LEAD_ALREADY_DECIDED` — qualify/disqualify a lead that is not open (disqualified → qualified is forbidden).
 * - `LEAD_NOT_DECIDED` — archive an open lead (disqualify it first).
 * - `LEAD_NOT_QUALIFIED` — convert a lead that is not qualified (open, disqualified or already converted).
 * - `LEAD_SUBJECT_REQUIRED` / `LEAD_SOURCE_REQUIRED` — the minimal fields are blank.
 * - `LEAD_DISQUALIFICATION_REASON_REQUIRED` — disqualification without a reason.
 * - `LEAD_SCHEMA_MISMATCH` — the schema version given as facts is not the lead's (or not active at creation).
 * - `LEAD_DATA_INVALID` — malleable data breaks the lead's schema version (details.issues).
 * - `LEAD_FIELD_DEPRECATED` — an edit changes a field (or picks an option) the active schema version
 *   dropped; those are read-only on leads bound to an older version (details.issues).
 */
export type LeadRejectionCode =
  | 'LEAD_ALREADY_EXISTS'
  | 'LEAD_NOT_FOUND'
  | 'LEAD_ARCHIVED'
  | 'LEAD_NOT_EDITABLE'
  | 'LEAD_ALREADY_DECIDED'
  | 'LEAD_NOT_DECIDED'
  | 'LEAD_NOT_QUALIFIED'
  | 'LEAD_SUBJECT_REQUIRED'
  | 'LEAD_SOURCE_REQUIRED'
  | 'LEAD_DISQUALIFICATION_REASON_REQUIRED'
  | 'LEAD_SCHEMA_MISMATCH'
  | 'LEAD_DATA_INVALID'
  | 'LEAD_FIELD_DEPRECATED';

/** A refused lead command. */
export type LeadRejection = Rejection<LeadRejectionCode>;

/**
 * Every lead rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...LEAD_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const LEAD_REJECTION_CODES: readonly LeadRejectionCode[] = [
  'LEAD_ALREADY_EXISTS',
  'LEAD_NOT_FOUND',
  'LEAD_ARCHIVED',
  'LEAD_NOT_EDITABLE',
  'LEAD_ALREADY_DECIDED',
  'LEAD_NOT_DECIDED',
  'LEAD_NOT_QUALIFIED',
  'LEAD_SUBJECT_REQUIRED',
  'LEAD_SOURCE_REQUIRED',
  'LEAD_DISQUALIFICATION_REASON_REQUIRED',
  'LEAD_SCHEMA_MISMATCH',
  'LEAD_DATA_INVALID',
  'LEAD_FIELD_DEPRECATED',
];
