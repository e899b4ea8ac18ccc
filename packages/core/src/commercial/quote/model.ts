import { z } from 'zod';
import {
  addMoney,
  type Brand,
  currencyCodeSchema,
  idSchema,
  type Money,
  moneySchema,
  multiplyMoney,
  rateTimesMinutes,
  subtractMoney,
  sumMoney,
} from '../../kernel/index.js';

/** Surrogate id of a quote (UUIDv7); also its stream id. The public reference is its `quoteNumber`. */
export type QuoteId = Brand<string, 'QuoteId'>;
/** Surrogate id of a sale (UUIDv7); also its stream id. */
export type SaleId = Brand<string, 'SaleId'>;
/** Readable, unique, immutable quote reference `Q-YYYY-######` (allocated by the adapter). */
export type QuoteNumber = Brand<string, 'QuoteNumber'>;

/** Zod schema of a {@link QuoteId}. @example `quoteIdSchema.parse(id)` */
export const quoteIdSchema: z.ZodType<QuoteId, string> = idSchema<'QuoteId'>();
/** Zod schema of a {@link SaleId}. @example `saleIdSchema.parse(id)` */
export const saleIdSchema: z.ZodType<SaleId, string> = idSchema<'SaleId'>();
/** Zod schema of a {@link QuoteNumber}. @example `quoteNumberSchema.parse('Q-2026-000001')` */
export const quoteNumberSchema: z.ZodType<QuoteNumber, string> = z
  .string()
  .regex(/^Q-\d{4}-\d{6,}$/, 'must look like Q-YYYY-######') as unknown as z.ZodType<QuoteNumber, string>;

/**
 * Formats the `seq`-th quote number of `year`.
 *
 * @example
 * ```ts
 * formatQuoteNumber(2026, 42); // 'Q-2026-000042'
 * ```
 */
export function formatQuoteNumber(year: number, seq: number): QuoteNumber {
  return `Q-${String(year).padStart(4, '0')}-${String(seq).padStart(6, '0')}` as QuoteNumber;
}

const uuid = idSchema<'Ref'>() as unknown as z.ZodType<string>;
/** A calendar date `YYYY-MM-DD`. @example `dateSchema.parse('2026-03-31')` */
export const dateSchema: z.ZodType<string> = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD');
const text = (max: number): z.ZodType<string> => z.string().trim().min(1).max(max);

/** The kind of a line group (a component: one commercial intent). */
export type LineGroupKind = 'catalog' | 'implementation' | 'recurring' | 'adjustment';
/** The kind of a quote line. */
export type LineKind = 'product' | 'service' | 'labour_task' | 'recurring' | 'adjustment';
/** Billing cadence of a recurring group. */
export type Cadence = 'monthly' | 'quarterly' | 'annually';

/** Which line kinds each group kind holds. @example `LINE_KINDS_BY_GROUP[group.kind].includes(line.kind)` */
export const LINE_KINDS_BY_GROUP: Readonly<Record<LineGroupKind, readonly LineKind[]>> = {
  catalog: ['product', 'service'],
  implementation: ['labour_task'],
  recurring: ['recurring'],
  adjustment: ['adjustment'],
};

/** Recurring terms of a `recurring` group. */
export interface RecurringTerms {
  readonly cadence: Cadence;
  readonly termMonths: number;
  readonly expectedMinutesPerPeriod: number;
}

/** Frozen copy of a catalog item taken when the line was added (catalog edits never touch quotes). */
export interface CatalogSnapshot {
  readonly catalogItemId: string;
  readonly sku: string | null;
  readonly name: string;
}

/** Frozen copy of a role and its rates taken when the line was added. */
export interface RoleSnapshot {
  readonly roleId: string;
  readonly name: string;
  /** Sell rate, minor units per hour. */
  readonly sellRatePerHour: Money;
  /** Internal (base) cost rate, minor units per hour. */
  readonly costRatePerHour: Money;
  /** The recommended sell rate; selling below it needs approval. Null when none. */
  readonly recommendedSellRatePerHour: Money | null;
}

/**
 * A priced line. Priced either per unit (`quantity × unitPrice`, cost `quantity × unitCost`) or per
 * time (`minutes × role.sellRatePerHour`, cost `minutes × role.costRatePerHour`); adjustments carry
 * their sell and cost deltas as unit prices with quantity 1.
 */
export interface QuoteLine {
  readonly lineId: string;
  readonly kind: LineKind;
  readonly description: string;
  readonly quantity: number;
  readonly unitPrice: Money | null;
  readonly unitCost: Money | null;
  readonly minutes: number | null;
  readonly catalog: CatalogSnapshot | null;
  readonly role: RoleSnapshot | null;
  /** Implementation lines only: the milestone this task belongs to. */
  readonly milestone: { readonly name: string; readonly sequence: number } | null;
}

/** A line group (component) of a version. */
export interface LineGroup {
  readonly groupId: string;
  readonly kind: LineGroupKind;
  readonly title: string;
  readonly recurring: RecurringTerms | null;
  readonly lines: readonly QuoteLine[];
}

/** One item of a payment schedule; `dueDate: null` means due at acceptance. */
export interface PaymentItem {
  readonly itemId: string;
  readonly title: string;
  readonly amount: Money;
  readonly dueDate: string | null;
}

const roleSnapshotSchema: z.ZodType<RoleSnapshot> = z.object({
  roleId: uuid,
  name: text(100),
  sellRatePerHour: moneySchema,
  costRatePerHour: moneySchema,
  recommendedSellRatePerHour: moneySchema.nullable(),
});
const catalogSnapshotSchema: z.ZodType<CatalogSnapshot> = z.object({
  catalogItemId: uuid,
  sku: z.string().trim().min(1).max(100).nullable(),
  name: text(255),
});

/**
 * Zod schema of a {@link QuoteLine} (shape; the decider checks kind rules).
 *
 * @example
 * ```ts
 * quoteLineSchema.parse({
 *   lineId, kind: 'product', description: 'Router', quantity: 2,
 *   unitPrice: money(199_00, 'EUR'), unitCost: money(120_00, 'EUR'), minutes: null,
 *   catalog: { catalogItemId, sku: 'RT-100', name: 'Router' }, role: null, milestone: null,
 * });
 * ```
 */
export const quoteLineSchema: z.ZodType<QuoteLine> = z.object({
  lineId: uuid,
  kind: z.enum(['product', 'service', 'labour_task', 'recurring', 'adjustment']),
  description: text(1000),
  quantity: z.number().int('must be an integer').min(1).max(1_000_000),
  unitPrice: moneySchema.nullable(),
  unitCost: moneySchema.nullable(),
  minutes: z.number().int('must be whole minutes').min(1).max(10_000_000).nullable(),
  catalog: catalogSnapshotSchema.nullable(),
  role: roleSnapshotSchema.nullable(),
  milestone: z.object({ name: text(255), sequence: z.number().int().min(1).max(10_000) }).nullable(),
});

/**
 * Zod schema of {@link RecurringTerms}.
 *
 * @example
 * ```ts
 * recurringTermsSchema.parse({ cadence: 'monthly', termMonths: 12, expectedMinutesPerPeriod: 600 });
 * ```
 */
export const recurringTermsSchema: z.ZodType<RecurringTerms> = z.object({
  cadence: z.enum(['monthly', 'quarterly', 'annually']),
  termMonths: z.number().int().min(1).max(600),
  expectedMinutesPerPeriod: z.number().int().min(0).max(10_000_000),
});

/**
 * Zod schema of a {@link PaymentItem}.
 *
 * @example
 * ```ts
 * paymentItemSchema.parse({ itemId, title: 'Deposit', amount: money(30_000, 'EUR'), dueDate: null });
 * ```
 */
export const paymentItemSchema: z.ZodType<PaymentItem> = z.object({
  itemId: uuid,
  title: text(255),
  amount: moneySchema,
  dueDate: dateSchema.nullable(),
});

/** Zod schema of a currency code, re-exported for commands. */
export const quoteCurrencySchema: typeof currencyCodeSchema = currencyCodeSchema;

/** Sell and cost of one line or a sum of lines. */
export interface Totals {
  readonly sell: Money;
  readonly cost: Money;
}

/**
 * Prices one line (derived, never typed): per unit or per time, see {@link QuoteLine}.
 *
 * @example
 * ```ts
 * lineTotals(line, 'EUR'); // { sell, cost }
 * ```
 */
export function lineTotals(line: QuoteLine, currency: string): Totals {
  if (line.minutes !== null && line.role !== null) {
    return {
      sell: multiplyMoney(rateTimesMinutes(line.role.sellRatePerHour, line.minutes), line.quantity),
      cost: multiplyMoney(rateTimesMinutes(line.role.costRatePerHour, line.minutes), line.quantity),
    };
  }
  const zero = { amountMinor: 0, currency } as Money;
  return {
    sell: multiplyMoney(line.unitPrice ?? zero, line.quantity),
    cost: multiplyMoney(line.unitCost ?? zero, line.quantity),
  };
}

/**
 * Group total = Σ its lines.
 *
 * @example
 * ```ts
 * groupTotals(group, 'EUR').sell;
 * ```
 */
export function groupTotals(group: LineGroup, currency: string): Totals {
  const each = group.lines.map((l) => lineTotals(l, currency));
  return {
    sell: sumMoney(
      each.map((t) => t.sell),
      currency,
    ),
    cost: sumMoney(
      each.map((t) => t.cost),
      currency,
    ),
  };
}

/** A version's derived totals. */
export interface VersionTotals extends Totals {
  /** sell − cost. */
  readonly margin: Money;
  /** margin ÷ sell in basis points (rounded towards zero); null when sell is 0. */
  readonly marginBp: number | null;
}

/**
 * Version totals = Σ groups; margin = sell − cost; margin in basis points of sell.
 *
 * @example
 * ```ts
 * const { sell, cost, margin, marginBp } = versionTotals(version.groups, 'EUR');
 * ```
 */
export function versionTotals(groups: readonly LineGroup[], currency: string): VersionTotals {
  let sell = { amountMinor: 0, currency } as Money;
  let cost = sell;
  for (const g of groups) {
    const t = groupTotals(g, currency);
    sell = addMoney(sell, t.sell);
    cost = addMoney(cost, t.cost);
  }
  const margin = subtractMoney(sell, cost);
  const marginBp =
    sell.amountMinor === 0 ? null : Number((BigInt(margin.amountMinor) * 10_000n) / BigInt(sell.amountMinor));
  return { sell, cost, margin, marginBp };
}

/**
 * Sold minutes per role (labour, service and recurring lines with a role): minutes × quantity. A
 * recurring line's quantity is its number of billed periods, so sell, cost and minutes agree.
 *
 * @example
 * ```ts
 * soldMinutesByRole(groups); // { '<roleId>': 6000 }
 * ```
 */
export function soldMinutesByRole(groups: readonly LineGroup[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of groups) {
    for (const l of g.lines) {
      if (l.role === null || l.minutes === null) continue;
      out[l.role.roleId] = (out[l.role.roleId] ?? 0) + l.minutes * l.quantity;
    }
  }
  return out;
}
