import type { Rejection } from '../../kernel/index.js';

/**
 * Why a person command was refused (stable codes):
 * - `PERSON_ALREADY_EXISTS` — `create` on an existing person.
 * - `PERSON_NOT_FOUND` — any other command before `create`.
 * - `PERSON_ARCHIVED` — any change to an archived person (terminal, immutable).
 * - `PERSON_NAME_REQUIRED` — the name is empty after trimming.
 * - `PERSON_EMAIL_MALFORMED` — the e-mail does not look like `local@domain.tld`.
 * - `PERSON_LINKEDIN_URL_MALFORMED` — not a `linkedin.com` URL.
 * - `PERSON_UID_INVALID` — the allocated uid is malformed or its day is not the creation day (UTC).
 * - `PERSON_OCCUPIES_SLOTS` — archiving a person who still fills or is proposed for slots.
 * - `PERSON_FACTS_MISSING` — the person's slots were not loaded for `archive`.
 */
export type PersonRejectionCode =
  | 'PERSON_ALREADY_EXISTS'
  | 'PERSON_NOT_FOUND'
  | 'PERSON_ARCHIVED'
  | 'PERSON_NAME_REQUIRED'
  | 'PERSON_EMAIL_MALFORMED'
  | 'PERSON_LINKEDIN_URL_MALFORMED'
  | 'PERSON_UID_INVALID'
  | 'PERSON_OCCUPIES_SLOTS'
  | 'PERSON_FACTS_MISSING';

/** A refused person command. */
export type PersonRejection = Rejection<PersonRejectionCode>;

/**
 * Every person rejection code.
 *
 * @example
 * ```ts
 * for (const code of PERSON_REJECTION_CODES) expect(messages[code]).toBeDefined();
 * ```
 */
export const PERSON_REJECTION_CODES: readonly PersonRejectionCode[] = [
  'PERSON_ALREADY_EXISTS',
  'PERSON_NOT_FOUND',
  'PERSON_ARCHIVED',
  'PERSON_NAME_REQUIRED',
  'PERSON_EMAIL_MALFORMED',
  'PERSON_LINKEDIN_URL_MALFORMED',
  'PERSON_UID_INVALID',
  'PERSON_OCCUPIES_SLOTS',
  'PERSON_FACTS_MISSING',
];
