/** Helpers shared by the CRM tests (not a test file itself; the `.test.ts` suffix keeps it out of builds). */
import type { Instant } from '../kernel/index.js';
import type { CompanyId, CompanySlotId, PersonId } from './ids.js';

/** A readable UUIDv7 whose last digits are `n`. */
export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const company = (n: number): CompanyId => uuid(0x400000 + n) as CompanyId;
export const slot = (n: number): CompanySlotId => uuid(0x500000 + n) as CompanySlotId;
export const person = (n: number): PersonId => uuid(0x600000 + n) as PersonId;

/** `2026-11-22T00:00:00.000000Z` plus `minutes`. */
export const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 10, 22) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;
