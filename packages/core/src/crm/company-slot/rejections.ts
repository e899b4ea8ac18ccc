import type { Rejection } from '../../kernel/index.js';

/**
 * Why a slot command was refused (stable codes):
 * - `SLOT_ALREADY_EXISTS` — `open` on an existing slot.
 * - `SLOT_NOT_FOUND` — any other command before `open`.
 * - `SLOT_ALREADY_FILLED` — linking or proposing another person for a filled slot: vacate it first.
 * - `SLOT_NOT_OPEN` — proposing a person for a slot that already has a candidate.
 * - `SLOT_ALREADY_OPEN` — vacating an empty slot.
 * - `SLOT_PERSON_NOT_ACTIVE` — the person is archived.
 * - `SLOT_COMPANY_NOT_ACTIVE` — the company is archived.
 * - `SLOT_FACTS_MISSING` — the person and company were not loaded.
 */
export type CompanySlotRejectionCode =
  | 'SLOT_ALREADY_EXISTS'
  | 'SLOT_NOT_FOUND'
  | 'SLOT_ALREADY_FILLED'
  | 'SLOT_NOT_OPEN'
  | 'SLOT_ALREADY_OPEN'
  | 'SLOT_PERSON_NOT_ACTIVE'
  | 'SLOT_COMPANY_NOT_ACTIVE'
  | 'SLOT_FACTS_MISSING';

/** A refused slot command. */
export type CompanySlotRejection = Rejection<CompanySlotRejectionCode>;

/**
 * Every slot rejection code.
 *
 * @example
 * ```ts
 * const isSlotCode = (code: string) => (COMPANY_SLOT_REJECTION_CODES as readonly string[]).includes(code);
 * ```
 */
export const COMPANY_SLOT_REJECTION_CODES: readonly CompanySlotRejectionCode[] = [
  'SLOT_ALREADY_EXISTS',
  'SLOT_NOT_FOUND',
  'SLOT_ALREADY_FILLED',
  'SLOT_NOT_OPEN',
  'SLOT_ALREADY_OPEN',
  'SLOT_PERSON_NOT_ACTIVE',
  'SLOT_COMPANY_NOT_ACTIVE',
  'SLOT_FACTS_MISSING',
];
