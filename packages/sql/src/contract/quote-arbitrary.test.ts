/**
 * fast-check arbitraries of stored quote states (not a test file itself: the `.test.ts` suffix keeps it
 * out of builds). Shapes, not decisions: any mix of versions, groups and lines the `versions` snapshot can
 * hold, to hold the quote content rows to it.
 */
import type { Commercial, Instant, Money } from '@pet-ops/core';
import fc from 'fast-check';

const CURRENCY = 'EUR';
const money = fc
  .integer({ min: 0, max: 50_000_000 })
  .map((n) => ({ amountMinor: n, currency: CURRENCY }) as Money);
const text = (max: number) =>
  fc.string({ minLength: 1, maxLength: max, unit: 'grapheme' }).map((s) => s.trim() || 'x');

const line = (lineId: string): fc.Arbitrary<Commercial.QuoteLine> =>
  fc.record({
    lineId: fc.constant(lineId),
    kind: fc.constantFrom('product', 'service', 'labour_task', 'recurring', 'adjustment'),
    description: text(60),
    quantity: fc.integer({ min: 1, max: 1000 }),
    unitPrice: fc.option(money, { nil: null }),
    unitCost: fc.option(money, { nil: null }),
    minutes: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
    catalog: fc.option(
      fc.record({ catalogItemId: fc.uuid(), sku: fc.option(text(20), { nil: null }), name: text(40) }),
      { nil: null },
    ),
    role: fc.option(
      fc.record({
        roleId: fc.uuid(),
        name: text(30),
        sellRatePerHour: money,
        costRatePerHour: money,
        recommendedSellRatePerHour: fc.option(money, { nil: null }),
      }),
      { nil: null },
    ),
    milestone: fc.option(fc.record({ name: text(40), sequence: fc.integer({ min: 1, max: 50 }) }), {
      nil: null,
    }),
  });

const group = (groupId: string): fc.Arbitrary<Commercial.LineGroup> =>
  fc.record({
    groupId: fc.constant(groupId),
    kind: fc.constantFrom('catalog', 'implementation', 'recurring', 'adjustment'),
    title: text(40),
    recurring: fc.option(
      fc.record({
        cadence: fc.constantFrom('monthly', 'quarterly', 'annually'),
        termMonths: fc.integer({ min: 1, max: 60 }),
        expectedMinutesPerPeriod: fc.integer({ min: 0, max: 10_000 }),
      }),
      { nil: null },
    ),
    lines: fc.uniqueArray(fc.uuid(), { maxLength: 5 }).chain((ids) => fc.tuple(...ids.map(line))),
  });

const version = (n: number, last: boolean): fc.Arbitrary<Commercial.QuoteVersion> =>
  fc.record({
    version: fc.constant(n),
    basedOn: fc.constant(n === 1 ? null : n - 1),
    state: last
      ? fc.constantFrom('draft', 'sent', 'accepted', 'rejected', 'expired')
      : fc.constantFrom('superseded', 'rejected', 'expired'),
    title: text(60),
    validUntil: fc.option(fc.constantFrom('2026-12-31', '2027-01-15'), { nil: null }),
    groups: fc.uniqueArray(fc.uuid(), { maxLength: 4 }).chain((ids) => fc.tuple(...ids.map(group))),
    schedule: fc.option(
      fc.array(
        fc.record({
          itemId: fc.uuid(),
          title: text(30),
          amount: money,
          dueDate: fc.option(fc.constant('2027-02-01'), { nil: null }),
        }),
        { maxLength: 3 },
      ),
      { nil: null },
    ),
    approvedBy: fc.option(fc.uuid(), { nil: null }),
  });

/**
 * A present quote state with 1–4 versions of random groups and lines (ids unique where the domain keeps
 * them unique: lines and groups within a version).
 *
 * @example `fc.sample(storedQuote(), 10)`
 */
export function storedQuote(): fc.Arbitrary<Commercial.QuoteState> {
  return fc
    .integer({ min: 1, max: 4 })
    .chain((count) =>
      fc.record({
        quoteId: fc.uuid(),
        number: fc.integer({ min: 1, max: 999_999 }),
        opportunityId: fc.uuid(),
        customerId: fc.uuid(),
        versions: fc.tuple(...Array.from({ length: count }, (_, i) => version(i + 1, i === count - 1))),
        accepted: fc.boolean(),
      }),
    )
    .map((r): Commercial.QuoteState => {
      const last = r.versions[r.versions.length - 1] as Commercial.QuoteVersion;
      const accepted = last.state === 'accepted';
      return {
        status: accepted ? 'accepted' : last.state === 'rejected' ? 'rejected' : 'open',
        quoteId: r.quoteId as Commercial.QuoteId,
        quoteNumber: `Q-2026-${String(r.number).padStart(6, '0')}` as Commercial.QuoteNumber,
        opportunityId: r.opportunityId,
        customerId: r.customerId,
        currency: CURRENCY,
        parentQuoteId: null,
        supersedesQuoteId: null,
        versions: r.versions,
        acceptance: accepted
          ? {
              version: last.version,
              saleId: r.quoteId as unknown as Commercial.SaleId,
              acceptedBy: 'contact-1',
              acceptedAt: '2026-11-02T09:30:00.000000Z' as Instant,
            }
          : null,
        dueItemIds: [],
      };
    });
}
