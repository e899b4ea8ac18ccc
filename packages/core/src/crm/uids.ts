import { z } from 'zod';
import { type Brand, type Instant, parseInput } from '../kernel/index.js';

/** A company's public reference `CO-YYYYMMDD-######`: its creation day (UTC) and that day's sequence number. */
export type CompanyUid = Brand<string, 'CompanyUid'>;
/** A person's public reference `PE-YYYYMMDD-######`. */
export type PersonUid = Brand<string, 'PersonUid'>;
/** A company slot's public reference `SL-<company_uid>-<ROLE>`, e.g. `SL-CO-20261122-000001-CFO`. */
export type SlotUid = Brand<string, 'SlotUid'>;

/** The three decision-maker slots every company has. */
export type SlotRole = 'CEO' | 'CFO' | 'HR';
/**
 * The slot roles in their canonical order.
 *
 * @example `SLOT_ROLES.map((role) => formatSlotUid(companyUid, role))` → the company's three slot uids
 */
export const SLOT_ROLES: readonly SlotRole[] = ['CEO', 'CFO', 'HR'];
/** Zod schema of a {@link SlotRole}. @example `slotRoleSchema.parse('CFO')` */
export const slotRoleSchema: z.ZodType<SlotRole> = z.enum(['CEO', 'CFO', 'HR']);

/**
 * The largest per-day sequence number (six digits).
 *
 * @example `if (n > MAX_DAILY_SEQUENCE) …` → `formatCompanyUid(createdAt, n)` would throw
 */
export const MAX_DAILY_SEQUENCE = 999_999;

/** The parts of a `CO-…`/`PE-…` reference. */
export interface DailyUidParts {
  /** The creation day in UTC, `YYYYMMDD`. */
  readonly day: string;
  /** 1 … 999 999. */
  readonly sequence: number;
}

const dailyPattern = (prefix: string): RegExp => new RegExp(`^${prefix}-(\\d{4})(\\d{2})(\\d{2})-(\\d{6})$`);
const CO_RE = dailyPattern('CO');
const PE_RE = dailyPattern('PE');
const SL_RE = /^SL-(CO-\d{8}-\d{6})-(CEO|CFO|HR)$/;

function isRealDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y, m - 1, d); // Date.UTC alone maps years 0–99 to 1900–1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function validDaily(re: RegExp, value: string): boolean {
  const m = re.exec(value);
  if (m === null) return false;
  return isRealDay(Number(m[1]), Number(m[2]), Number(m[3])) && Number(m[4]) >= 1;
}

const dailySchema = (prefix: 'CO' | 'PE', re: RegExp) =>
  z
    .string()
    .regex(re, {
      message: `must match ${prefix}-YYYYMMDD-###### (upper-case prefix, six-digit sequence)`,
      abort: true,
    })
    .refine((s) => validDaily(re, s), 'must name a real day and a sequence from 000001');

/** Zod schema of a {@link CompanyUid}. @example `companyUidSchema.parse('CO-20261122-000001')` */
export const companyUidSchema: z.ZodType<CompanyUid, string> = dailySchema(
  'CO',
  CO_RE,
) as unknown as z.ZodType<CompanyUid, string>;
/** Zod schema of a {@link PersonUid}. @example `personUidSchema.parse('PE-20261122-000001')` */
export const personUidSchema: z.ZodType<PersonUid, string> = dailySchema('PE', PE_RE) as unknown as z.ZodType<
  PersonUid,
  string
>;
/** Zod schema of a {@link SlotUid}. @example `slotUidSchema.parse('SL-CO-20261122-000001-HR')` */
export const slotUidSchema: z.ZodType<SlotUid, string> = z
  .string()
  .regex(SL_RE, { message: 'must match SL-CO-YYYYMMDD-######-(CEO|CFO|HR)', abort: true })
  .refine((s) => validDaily(CO_RE, s.slice(3, 21)), 'must embed a valid company uid') as unknown as z.ZodType<
  SlotUid,
  string
>;

/** The UTC day of an instant as `YYYYMMDD`, the date part of a uid. @example `uidDay('2026-11-22T23:59:59.999999Z')` → `'20261122'` */
export function uidDay(instant: Instant): string {
  return instant.slice(0, 10).replaceAll('-', '');
}

const sequenceSchema = z
  .number()
  .int('must be an integer')
  .min(1, 'must be at least 1')
  .max(MAX_DAILY_SEQUENCE, `must be at most ${MAX_DAILY_SEQUENCE} (six digits per day)`);

function formatDaily(prefix: 'CO' | 'PE', createdAt: Instant, sequence: number): string {
  const n = parseInput(sequenceSchema, sequence, `${prefix} uid sequence`);
  return `${prefix}-${uidDay(createdAt)}-${String(n).padStart(6, '0')}`;
}

/**
 * Formats a company uid from the creation instant (its UTC day) and the sequence number the database
 * allocated for that day. Throws a `ValidationError` for a sequence outside 1 … 999 999.
 *
 * @example
 * ```ts
 * formatCompanyUid(parseInstant('2026-11-22T10:00:00.000000Z'), 7); // 'CO-20261122-000007'
 * ```
 */
export function formatCompanyUid(createdAt: Instant, sequence: number): CompanyUid {
  return formatDaily('CO', createdAt, sequence) as CompanyUid;
}

/** Formats a person uid (see {@link formatCompanyUid}). @example `formatPersonUid(createdAt, 1)` → `'PE-20261122-000001'` */
export function formatPersonUid(createdAt: Instant, sequence: number): PersonUid {
  return formatDaily('PE', createdAt, sequence) as PersonUid;
}

/** Formats a slot uid. @example `formatSlotUid('CO-20261122-000001' as CompanyUid, 'CEO')` → `'SL-CO-20261122-000001-CEO'` */
export function formatSlotUid(companyUid: CompanyUid, role: SlotRole): SlotUid {
  return `SL-${companyUid}-${role}` as SlotUid;
}

/** Parses a company uid, throwing a `ValidationError` naming the rule. @example `parseCompanyUid(' CO-20261122-000001')` throws */
export function parseCompanyUid(value: string): CompanyUid {
  return parseInput(companyUidSchema, value, 'company uid');
}

/** Parses a person uid, throwing a `ValidationError` naming the rule. @example `parsePersonUid('PE-20261122-000001')` */
export function parsePersonUid(value: string): PersonUid {
  return parseInput(personUidSchema, value, 'person uid');
}

/** Parses a slot uid, throwing a `ValidationError` naming the rule. @example `parseSlotUid('SL-CO-20261122-000001-HR')` */
export function parseSlotUid(value: string): SlotUid {
  return parseInput(slotUidSchema, value, 'slot uid');
}

/** The day and sequence of a company or person uid. @example `dailyUidParts(uid)` → `{ day: '20261122', sequence: 1 }` */
export function dailyUidParts(uid: CompanyUid | PersonUid): DailyUidParts {
  return { day: uid.slice(3, 11), sequence: Number(uid.slice(12)) };
}

/** The company uid and role inside a slot uid. @example `slotUidParts(uid)` → `{ companyUid, role: 'HR' }` */
export function slotUidParts(uid: SlotUid): { readonly companyUid: CompanyUid; readonly role: SlotRole } {
  return { companyUid: uid.slice(3, 21) as CompanyUid, role: uid.slice(22) as SlotRole };
}

/**
 * Orders uids of one kind by creation day, then sequence. The fixed-width format makes this plain
 * string order, so a database `ORDER BY company_uid` agrees.
 *
 * @example
 * ```ts
 * uids.sort(compareUids);
 * ```
 */
export function compareUids<U extends CompanyUid | PersonUid | SlotUid>(a: U, b: U): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
