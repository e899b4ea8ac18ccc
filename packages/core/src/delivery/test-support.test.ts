/**
 * Helpers shared by the delivery tests (not a test file itself: the `.test.ts` suffix only keeps it out
 * of builds and the published package).
 */
import type { LineGroup, QuoteId, QuoteLine, QuoteNumber, SaleId } from '../commercial/quote/model.js';
import type { QuoteDetails } from '../commercial/quote/state.js';
import type { SaleCreatedPayload } from '../commercial/sale/sale.js';
import { type IdGenerator, type Instant, type Money, money, type Uuid } from '../kernel/index.js';
import type { MilestoneId, ProjectId, SoldConstraintsId, TaskId, VarianceId } from './ids.js';

export { model, pick, tracked } from '../identity/test-support.test.js';

/** A readable UUIDv7 whose last digits are `n`. */
export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const project = (n: number): ProjectId => uuid(0x100000 + n) as ProjectId;
export const constraint = (n: number): SoldConstraintsId => uuid(0x200000 + n) as SoldConstraintsId;
export const milestone = (n: number): MilestoneId => uuid(0x300000 + n) as MilestoneId;
export const task = (n: number): TaskId => uuid(0x400000 + n) as TaskId;
export const variance = (n: number): VarianceId => uuid(0x500000 + n) as VarianceId;
export const ref = (n: number): string => uuid(0x600000 + n);
export const eur = (minor: number): Money => money(minor, 'EUR');

/** `2026-01-01T00:00:00.000000Z` plus `minutes`. */
export const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;

/** Ids 1, 2, 3… (distinct from the helpers above). */
export function ids(start = 0x700000): IdGenerator {
  let n = start;
  return { next: () => uuid(++n) as Uuid };
}

/** A labour line of a quote: `minutes` × `quantity` at the given hourly rates, in milestone `ms`. */
export function labour(
  n: number,
  minutes: number,
  ms: { name: string; sequence: number } | null,
  rates: { sell: number; cost: number } = { sell: 120_00, cost: 60_00 },
  quantity = 1,
): QuoteLine {
  return {
    lineId: uuid(0x800000 + n),
    kind: 'labour_task',
    description: `Task ${n}`,
    quantity,
    unitPrice: null,
    unitCost: null,
    minutes,
    catalog: null,
    role: {
      roleId: ref(100),
      name: 'Developer',
      sellRatePerHour: eur(rates.sell),
      costRatePerHour: eur(rates.cost),
      recommendedSellRatePerHour: null,
    },
    milestone: ms,
  };
}

/** An accepted quote (as the acceptance workflow sees it) with these groups in version 1. */
export function acceptedQuote(
  groups: readonly LineGroup[],
  quoteId = uuid(0x900001),
  parentQuoteId: string | null = null,
): QuoteDetails {
  return {
    quoteId: quoteId as QuoteId,
    quoteNumber: 'Q-2026-000001' as QuoteNumber,
    opportunityId: ref(50),
    customerId: ref(1),
    currency: 'EUR',
    parentQuoteId,
    supersedesQuoteId: null,
    versions: [
      {
        version: 1,
        basedOn: null,
        state: 'accepted',
        title: 'Website relaunch',
        validUntil: null,
        groups,
        schedule: null,
        approvedBy: null,
      },
    ],
    acceptance: null,
    dueItemIds: [],
  };
}

/** An implementation group holding these lines. */
export const implementation = (lines: readonly QuoteLine[], n = 1): LineGroup => ({
  groupId: uuid(0xa00000 + n),
  kind: 'implementation',
  title: `Phase ${n}`,
  recurring: null,
  lines,
});

/** The sale an acceptance of `quote` version 1 makes. */
export function saleOf(quote: QuoteDetails): SaleCreatedPayload {
  return {
    saleId: uuid(0xb00001) as SaleId,
    quoteId: quote.quoteId,
    quoteVersion: 1,
    opportunityId: quote.opportunityId,
    customerId: quote.customerId,
    total: eur(0),
    totalCost: eur(0),
    soldMinutesByRole: {},
    acceptedBy: ref(60),
    acceptedAt: at(0),
    paymentSchedule: [],
  };
}
