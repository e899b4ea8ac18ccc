/**
 * Fixed examples of the quote's line rules, approval triggers, readiness gate and state folding at their
 * edges (issue 29: the mutation run over the quote aggregate showed which conditions and boundaries no
 * test pinned down).
 */
import { describe, expect, test } from 'vitest';
import {
  catalogGroup,
  created,
  eur,
  filled,
  implGroup,
  itemA,
  product,
  quoteId,
  task,
  uuid,
} from '../test-support.test.js';
import type { QuoteEvent } from './events.js';
import { type LineGroup, type QuoteLine, soldMinutesByRole } from './model.js';
import {
  approvalTriggers,
  DEFAULT_QUOTE_POLICY,
  lineProblem,
  type QuotePolicy,
  readinessProblems,
} from './policy.js';
import {
  currentVersion,
  evolveQuote,
  initialQuoteState,
  type QuoteState,
  type QuoteVersion,
} from './state.js';

const group = (kind: LineGroup['kind'], lines: readonly QuoteLine[] = []): LineGroup => ({
  groupId: uuid(0xb00100),
  kind,
  title: kind,
  recurring:
    kind === 'recurring' ? { cadence: 'monthly', termMonths: 12, expectedMinutesPerPeriod: 60 } : null,
  lines,
});
const catalog = group('catalog');
const impl = group('implementation');
const adjustments = group('adjustment');
const adjustment = (unitPrice: number, unitCost: number | null, quantity = 1): QuoteLine => ({
  ...product(7, unitPrice, unitCost ?? 0),
  kind: 'adjustment',
  catalog: null,
  unitCost: unitCost === null ? null : eur(unitCost),
  quantity,
});
const service = (n: number): QuoteLine => ({ ...task(n), kind: 'service', milestone: null });

describe('lineProblem', () => {
  test.each([
    ['a valid product', product(1), catalog, null],
    ['a valid task', task(1), impl, null],
    ['a valid service', service(1), catalog, null],
    ['a product with zero price and cost', product(1, 0, 0), catalog, null],
    ['a task with zero rates', task(1, 60, 0, 0), impl, null],
    ['a product of quantity 2', { ...product(1), quantity: 2 }, catalog, null],
    ['an adjustment of quantity 1', adjustment(-10_00, 0), adjustments, null],
    [
      'a product in an implementation group',
      product(1),
      impl,
      'a implementation group holds labour_task lines',
    ],
    [
      'a price in another currency',
      { ...product(1), unitCost: { amountMinor: 1, currency: 'USD' } },
      catalog,
      'every amount must be in EUR',
    ],
    [
      'a task without a role',
      { ...task(1), role: null },
      impl,
      'a labour_task line needs a role and minutes',
    ],
    [
      'a task without minutes',
      { ...task(1), minutes: null },
      impl,
      'a labour_task line needs a role and minutes',
    ],
    [
      'a task with a unit price',
      { ...task(1), unitPrice: eur(1) },
      impl,
      "a labour_task line is priced by its role's rates, not unit prices",
    ],
    [
      'a task with a unit cost',
      { ...task(1), unitCost: eur(1) },
      impl,
      "a labour_task line is priced by its role's rates, not unit prices",
    ],
    ['a task with a negative sell rate', task(1, 60, -1, 0), impl, 'rates must not be negative'],
    ['a task with a negative cost rate', task(1, 60, 0, -1), impl, 'rates must not be negative'],
    [
      'a product without a price',
      { ...product(1), unitPrice: null },
      catalog,
      'a product line needs a unit price and cost',
    ],
    [
      'a product without a cost',
      { ...product(1), unitCost: null },
      catalog,
      'a product line needs a unit price and cost',
    ],
    [
      'a product with minutes',
      { ...product(1), minutes: 60 },
      catalog,
      'a product line has no role or minutes',
    ],
    [
      'a product with a role',
      { ...product(1), role: task(1).role },
      catalog,
      'a product line has no role or minutes',
    ],
    [
      'a product without a catalog snapshot',
      { ...product(1), catalog: null },
      catalog,
      'a product needs a catalog snapshot with a SKU',
    ],
    [
      'a product without a SKU',
      { ...product(1), catalog: { catalogItemId: uuid(1), sku: null, name: 'x' } },
      catalog,
      'a product needs a catalog snapshot with a SKU',
    ],
    ['a product with a negative price', product(1, -1, 0), catalog, 'product prices must not be negative'],
    ['a product with a negative cost', product(1, 0, -1), catalog, 'product prices must not be negative'],
    [
      'a task without a milestone',
      { ...task(1), milestone: null },
      impl,
      'an implementation task needs a milestone',
    ],
    [
      'a service with a milestone',
      { ...service(1), milestone: { name: 'x', sequence: 1 } },
      catalog,
      'only implementation tasks have a milestone',
    ],
    ['an adjustment of quantity 2', adjustment(-10_00, 0, 2), adjustments, 'an adjustment has quantity 1'],
    ['a negative adjustment', adjustment(-10_00, -5_00), adjustments, null],
  ] as const)('%s → %s', (_, line, g, expected) => {
    expect(lineProblem(line as QuoteLine, g, 'EUR')).toBe(expected);
  });
});

const version = (groups: readonly LineGroup[], extra: Partial<QuoteVersion> = {}): QuoteVersion => ({
  version: 1,
  basedOn: null,
  state: 'draft',
  title: 'T',
  validUntil: null,
  groups,
  schedule: null,
  approvedBy: null,
  ...extra,
});
const policy = (p: Partial<QuotePolicy>): QuotePolicy => ({ ...DEFAULT_QUOTE_POLICY, minMarginBp: 0, ...p });
/** Sell 100.00, cost `cost`. */
const priced = (cost: number, extra: Partial<QuoteVersion> = {}) =>
  version([group('catalog', [product(1, 100_00, cost)])], extra);

describe('approvalTriggers at their thresholds', () => {
  test('margin: exactly the minimum passes, one basis point below triggers, no sell triggers', () => {
    // Sell 100.00, cost 80.00: margin 20.00 = 2000 bp.
    expect(approvalTriggers(priced(80_00), 'EUR', policy({ minMarginBp: 2000 }))).toEqual([]);
    expect(approvalTriggers(priced(80_00), 'EUR', policy({ minMarginBp: 2001 }))).toEqual([
      'margin_below_threshold',
    ]);
    expect(approvalTriggers(version([group('catalog', [product(1, 0, 0)])]), 'EUR', policy({}))).toEqual([
      'margin_below_threshold',
    ]);
  });

  test('sell rate: at the recommended rate passes, one minor unit below triggers', () => {
    const at = (sell: number) => version([group('implementation', [task(1, 60, sell, 0)])]);
    expect(approvalTriggers(at(110_00), 'EUR', policy({}))).toEqual([]);
    expect(approvalTriggers(at(110_00 - 1), 'EUR', policy({}))).toEqual(['sell_rate_below_recommended']);
    const noRecommendation = version([
      group('implementation', [
        {
          ...task(1, 60, 1, 0),
          role: { ...task(1, 60, 1, 0).role!, sellRatePerHour: eur(1), recommendedSellRatePerHour: null },
        },
      ]),
    ]);
    expect(approvalTriggers(noRecommendation, 'EUR', policy({}))).toEqual([]);
  });

  test('deal size: reaching it triggers, one minor unit below does not, null never', () => {
    expect(approvalTriggers(priced(0), 'EUR', policy({ dealSizeApprovalMinor: 100_00 }))).toEqual([
      'deal_size',
    ]);
    expect(approvalTriggers(priced(0), 'EUR', policy({ dealSizeApprovalMinor: 100_00 + 1 }))).toEqual([]);
    expect(approvalTriggers(priced(0), 'EUR', policy({ dealSizeApprovalMinor: null }))).toEqual([]);
  });

  test('payment terms: no schedule or no sell never triggers; a share is measured on the undated items', () => {
    const schedule = [{ itemId: itemA, title: 'x', amount: eur(100_00), dueDate: '2027-01-01' }];
    expect(approvalTriggers(priced(0), 'EUR', policy({ minUpfrontBp: 5000 }))).toEqual([]);
    expect(approvalTriggers(priced(0, { schedule }), 'EUR', policy({ minUpfrontBp: 5000 }))).toEqual([
      'payment_term_deviation',
    ]);
    expect(approvalTriggers(priced(0, { schedule }), 'EUR', policy({ minUpfrontBp: 0 }))).toEqual([]);
    const free = version([group('catalog', [product(1, 0, 0)])], { schedule });
    // No sell: no margin (always below), and no share to measure.
    expect(approvalTriggers(free, 'EUR', policy({ minUpfrontBp: 5000 }))).toEqual(['margin_below_threshold']);
  });

  test('cost adjustment: an adjustment with a cost triggers, one without (0 or none) does not', () => {
    const withAdjustment = (cost: number | null) =>
      version([group('catalog', [product(1, 100_00, 0)]), group('adjustment', [adjustment(-1_00, cost)])]);
    expect(approvalTriggers(withAdjustment(5), 'EUR', policy({}))).toEqual(['cost_adjustment']);
    expect(approvalTriggers(withAdjustment(-5), 'EUR', policy({}))).toEqual(['cost_adjustment']);
    expect(approvalTriggers(withAdjustment(0), 'EUR', policy({}))).toEqual([]);
    expect(approvalTriggers(withAdjustment(null), 'EUR', policy({}))).toEqual([]);
  });
});

describe('readinessProblems', () => {
  const schedule = [{ itemId: itemA, title: 'x', amount: eur(100_00), dueDate: null }];
  test('a complete version passes', () => {
    expect(readinessProblems(priced(0, { schedule }), 'EUR')).toEqual([]);
  });
  test('every failed check is listed', () => {
    expect(readinessProblems(version([], { title: '  ' }), 'EUR')).toEqual([
      'a title is required',
      'at least one line group is required',
      'a payment schedule is required',
    ]);
    expect(readinessProblems(version([group('catalog')], { schedule: [] }), 'EUR')).toEqual([
      `group ${uuid(0xb00100)} has no lines`,
    ]);
  });
  test('margin: zero passes, negative fails', () => {
    expect(readinessProblems(priced(100_00, { schedule }), 'EUR')).toEqual([]);
    expect(readinessProblems(priced(100_00 + 1, { schedule }), 'EUR')).toEqual([
      'the margin must not be negative',
    ]);
  });
});

describe('soldMinutesByRole', () => {
  test('minutes × quantity per role, only lines with a role and minutes', () => {
    const groups = [
      group('implementation', [task(1, 90), { ...task(2, 30), quantity: 3 }]),
      group('catalog', [product(1), { ...product(2), minutes: 60 }]),
    ];
    expect(soldMinutesByRole(groups)).toEqual({ [task(1).role!.roleId]: 180 });
  });
});

describe('evolveQuote', () => {
  const fold = (events: readonly QuoteEvent[]): QuoteState => events.reduce(evolveQuote, initialQuoteState());
  const v1 = { quoteId, version: 1 };
  const current = (s: QuoteState) => (s.status === 'absent' ? null : currentVersion(s));

  test('a second quote.created is ignored; events before creation are ignored', () => {
    const other: QuoteEvent = { ...created, payload: { ...created.payload, title: 'Other' } as never };
    expect(fold([created, other])).toEqual(fold([created]));
    expect(fold([filled[1] as QuoteEvent])).toEqual({ status: 'absent' });
  });

  test('created without optional fields: null parents, empty title', () => {
    const bare = { ...created.payload } as Record<string, unknown>;
    delete bare['parentQuoteId'];
    delete bare['supersedesQuoteId'];
    delete bare['title'];
    delete bare['validUntil'];
    const s = fold([{ type: 'quote.created', payload: bare } as unknown as QuoteEvent]);
    expect(s).toMatchObject({ parentQuoteId: null, supersedesQuoteId: null, dueItemIds: [] });
    expect(current(s)).toMatchObject({ title: '', validUntil: null });
  });

  test('details change only the fields given', () => {
    const titled = fold([...filled, { type: 'quote.details_changed', payload: { ...v1, title: 'New' } }]);
    expect(current(titled)).toMatchObject({ title: 'New', validUntil: '2026-12-31' });
    const dated = fold([...filled, { type: 'quote.details_changed', payload: { ...v1, validUntil: null } }]);
    expect(current(dated)).toMatchObject({ title: 'Website relaunch', validUntil: null });
  });

  test('a removed line leaves only that line out', () => {
    const s = fold([
      ...filled,
      { type: 'quote.line_removed', payload: { ...v1, lineId: product(1).lineId } },
    ]);
    expect(current(s)?.groups.map((g) => g.lines.map((l) => l.lineId))).toEqual([[], [task(1).lineId]]);
  });

  test('a new version copies the content of the one it is based on, as an unapproved draft', () => {
    const s = fold([
      ...filled,
      { type: 'quote.approved', payload: { ...v1, approverEmployeeId: uuid(9), triggers: [] } },
      { type: 'quote.version_created', payload: { quoteId, version: 2, basedOn: 1 } },
    ]);
    const [first, second] = s.status === 'absent' ? [] : s.versions;
    expect(second).toEqual({ ...first, version: 2, basedOn: 1, state: 'draft', approvedBy: null });
    expect(second?.groups.map((g) => g.groupId)).toEqual([catalogGroup, implGroup]);
  });
});
