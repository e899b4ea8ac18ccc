import type { Rejection } from '../../kernel/index.js';

/**
 * Why a company command was refused (stable codes):
 * - `COMPANY_ALREADY_EXISTS` — `create` on an existing company.
 * - `COMPANY_NOT_FOUND` — any other command before `create`.
 * - `COMPANY_ARCHIVED` — any change to an archived company (terminal, immutable).
 * - `COMPANY_NAME_REQUIRED` — the name is empty after trimming.
 * - `COMPANY_WEBSITE_MALFORMED` — the website does not normalise (see `normalizeWebsite`).
 * - `COMPANY_UID_INVALID` — the allocated uid is malformed or its day is not the creation day (UTC).
 */
export type CompanyRejectionCode =
  | 'COMPANY_ALREADY_EXISTS'
  | 'COMPANY_NOT_FOUND'
  | 'COMPANY_ARCHIVED'
  | 'COMPANY_NAME_REQUIRED'
  | 'COMPANY_WEBSITE_MALFORMED'
  | 'COMPANY_UID_INVALID';

/** A refused company command. */
export type CompanyRejection = Rejection<CompanyRejectionCode>;

/**
 * Every company rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...COMPANY_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const COMPANY_REJECTION_CODES: readonly CompanyRejectionCode[] = [
  'COMPANY_ALREADY_EXISTS',
  'COMPANY_NOT_FOUND',
  'COMPANY_ARCHIVED',
  'COMPANY_NAME_REQUIRED',
  'COMPANY_WEBSITE_MALFORMED',
  'COMPANY_UID_INVALID',
];
