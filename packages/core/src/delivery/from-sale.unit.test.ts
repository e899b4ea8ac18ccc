import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import type { LineGroup } from '../commercial/quote/model.js';
import { lineTotals } from '../commercial/quote/model.js';
import { replay } from '../kernel/index.js';
import { deliveryFromChangeOrder, deliveryFromSale, wbsFromQuote } from './from-sale.js';
import { milestoneDecider } from './milestone/decider.js';
import { projectDecider } from './project/decider.js';
import { soldConstraintsDecider } from './sold-constraints/decider.js';
import type { Baseline } from './sold-constraints/events.js';
import { wbsTotals } from './sold-constraints/wbs.js';
import { taskDecider } from './task/decider.js';
import {
  acceptedQuote,
  at,
  eur,
  ids,
  implementation,
  labour,
  ref,
  saleOf,
  uuid,
} from './test-support.test.js';

const build = { name: 'Build', sequence: 2 };
const design = { name: 'Design', sequence: 1 };
const catalog: LineGroup = {
  groupId: uuid(0xa00099),
  kind: 'catalog',
  title: 'Licences',
  recurring: null,
  lines: [
    {
      lineId: uuid(0x810001),
      kind: 'product',
      description: 'Licence',
      quantity: 15,
      unitPrice: eur(100_00),
      unitCost: eur(60_00),
      minutes: null,
      catalog: null,
      role: null,
      milestone: null,
    },
  ],
};
const quote = acceptedQuote([
  catalog,
  implementation([labour(1, 600, build), labour(2, 480, design), labour(3, 90, build, undefined, 2)], 1),
  implementation([labour(4, 300, null)], 2),
]);

/** Decides every command of a hand-off on fresh streams; returns the events or the first rejection. */
function decideAll(h: ReturnType<typeof deliveryFromSale>) {
  const p = projectDecider.decide(h.project, projectDecider.initialState(), undefined);
  const b = soldConstraintsDecider.decide(
    h.soldConstraints,
    soldConstraintsDecider.initialState(),
    undefined,
  );
  const ms = h.milestones.map((m) =>
    milestoneDecider.decide(m, milestoneDecider.initialState(), { projectStatus: 'created' }),
  );
  const ts = h.tasks.map((t) => taskDecider.decide(t.command, taskDecider.initialState(), t.facts));
  return { p, b, ms, ts };
}

describe('acceptance hand-off: project + baseline v1 + milestones + tasks (scenarios 11, 20)', () => {
  const h = deliveryFromSale({ sale: saleOf(quote), quote, siteId: ref(40), ids: ids(), at: at(0) });

  test('the project inherits customer and commercial context; sold = the WBS totals', () => {
    expect(h.project).toMatchObject({
      kind: 'sold',
      name: 'Website relaunch',
      customerId: quote.customerId,
      siteId: ref(40),
      sourceQuoteId: quote.quoteId,
      saleId: saleOf(quote).saleId,
      soldConstraintsApply: true,
      soldMinutes: 600 + 480 + 180 + 300,
      soldValue: eur((600 + 480 + 180 + 300) * 2_00),
    });
    expect(h.soldConstraints).toMatchObject({
      projectId: h.project.projectId,
      reason: 'acceptance',
      sourceQuoteVersion: 1,
    });
  });

  test('one project task per quote labour task, hierarchy kept, durations copied exactly', () => {
    expect(h.wbs.map((m) => [m.name, m.sequence, m.tasks.map((t) => t.minutes)])).toEqual([
      ['Design', 1, [480]],
      ['Build', 2, [600, 180]],
      ['Phase 2', 3, [300]],
    ]);
    expect(h.milestones.map((m) => [m.name, m.soldMinutes])).toEqual([
      ['Design', 480],
      ['Build', 780],
      ['Phase 2', 300],
    ]);
    expect(h.tasks.map((t) => [t.command.name, t.command.soldMinutes, t.command.estimatedMinutes])).toEqual([
      ['Task 2', 480, 480],
      ['Task 1', 600, 600],
      ['Task 3', 180, 180],
      ['Task 4', 300, 300],
    ]);
    const byId = new Map(h.milestones.map((m) => [m.milestoneId, m.name]));
    expect(h.tasks.map((t) => byId.get(t.command.milestoneId as never))).toEqual([
      'Design',
      'Build',
      'Build',
      'Phase 2',
    ]);
  });

  test('every command is accepted by its decider; baseline v1 is frozen with the totals', () => {
    const { p, b, ms, ts } = decideAll(h);
    expect([p, b, ...ms, ...ts].every((r) => r.ok)).toBe(true);
    expect(b.ok && b.value[0]?.payload).toMatchObject({
      version: 1,
      soldMinutes: 1560,
      soldValue: eur(312_000),
      internalCostCeiling: eur(156_000),
      marginAtSale: eur(156_000),
    });
  });

  test('a second accept adds nothing: the streams refuse a second project and a second v1 (scenario 46, pure part)', () => {
    const { p, b } = decideAll(h);
    const project = replay(projectDecider, p.ok ? p.value : []);
    const baseline = replay(soldConstraintsDecider, b.ok ? b.value : []);
    const again = deliveryFromSale({ sale: saleOf(quote), quote, siteId: null, ids: ids(), at: at(1) });
    expect(
      projectDecider.decide({ ...again.project, projectId: h.project.projectId }, project, undefined),
    ).toMatchObject({
      ok: false,
      error: { code: 'PROJECT_ALREADY_EXISTS' },
    });
    expect(soldConstraintsDecider.decide(again.soldConstraints, baseline, undefined)).toMatchObject({
      ok: false,
      error: { code: 'BASELINE_ALREADY_EXISTS' },
    });
  });

  test('a sale of another quote, or of a version the quote lacks, is refused naming the field', () => {
    const other = { ...saleOf(quote), quoteId: uuid(0x900009) as never };
    expect(() => deliveryFromSale({ sale: other, quote, siteId: null, ids: ids(), at: at(0) })).toThrow(
      /sale.quoteId/,
    );
    const v9 = { ...saleOf(quote), quoteVersion: 9 };
    expect(() => deliveryFromSale({ sale: v9, quote, siteId: null, ids: ids(), at: at(0) })).toThrow(
      /sale.quoteVersion/,
    );
  });

  test('a quote without labour gives a project with nothing sold to plan', () => {
    const products = acceptedQuote([catalog]);
    const empty = deliveryFromSale({
      sale: saleOf(products),
      quote: products,
      siteId: null,
      ids: ids(),
      at: at(0),
    });
    expect(empty.project.soldMinutes).toBe(0);
    expect(empty.tasks).toEqual([]);
  });
});

describe('change order hand-off: v2 = v1 + the new quote’s work; v1 and the project untouched (scenarios 13, 22)', () => {
  test('the next version holds both WBSs, the new work gets new milestones and tasks', () => {
    const h = deliveryFromSale({ sale: saleOf(quote), quote, siteId: null, ids: ids(), at: at(0) });
    const b = soldConstraintsDecider.decide(
      h.soldConstraints,
      soldConstraintsDecider.initialState(),
      undefined,
    );
    const v1 = (b.ok ? b.value[0]?.payload : undefined) as Baseline;
    const co = acceptedQuote(
      [implementation([labour(20, 240, { name: 'SSO', sequence: 1 })], 3)],
      uuid(0x900002),
      quote.quoteId,
    );
    const change = deliveryFromChangeOrder({
      active: v1,
      quote: co,
      quoteVersion: 1,
      plannedMinutes: 1560,
      milestoneCount: 3,
      taskCount: 4,
      projectStatus: 'active',
      approvedBy: ref(9),
      cause: 'customer asked for SSO',
      ids: ids(0x710000),
      at: at(100),
    });
    const state = replay(soldConstraintsDecider, b.ok ? b.value : []);
    const r = soldConstraintsDecider.decide(change.rebaseline, state, undefined);
    expect(r.ok && r.value[0]?.payload).toMatchObject({
      version: 2,
      previousVersion: 1,
      soldMinutes: 1800,
      sourceQuoteId: co.quoteId,
    });
    const after = replay(soldConstraintsDecider, [...(b.ok ? b.value : []), ...(r.ok ? r.value : [])]);
    expect(after.status === 'baselined' && after.versions[0]).toEqual(v1);
    expect(change.milestones.map((m) => [m.name, m.sequence, m.soldMinutes])).toEqual([['SSO', 4, 240]]);
    expect(change.tasks.map((t) => [t.command.sequence, t.command.soldMinutes])).toEqual([[5, 240]]);
    const t = change.tasks[0];
    expect(t !== undefined && taskDecider.decide(t.command, taskDecider.initialState(), t.facts).ok).toBe(
      true,
    );
  });
});

const lineArb = fc.record({
  minutes: fc.integer({ min: 1, max: 20_000 }),
  quantity: fc.integer({ min: 1, max: 5 }),
  sell: fc.integer({ min: 0, max: 300_00 }),
  cost: fc.integer({ min: 0, max: 200_00 }),
  ms: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
});

describe('properties', () => {
  prop.prop([fc.array(fc.array(lineArb, { maxLength: 8 }), { minLength: 1, maxLength: 3 })], {
    numRuns: 150,
  })(
    'Σ over the WBS snapshot equals the sold totals to the minute and the minor unit; every WBS task is accepted within sold',
    (groups) => {
      let n = 0;
      const quoteGroups = groups.map((lines, g) =>
        implementation(
          lines.map((l) =>
            labour(
              ++n,
              l.minutes,
              l.ms === null ? null : { name: `M${l.ms}`, sequence: l.ms },
              l,
              l.quantity,
            ),
          ),
          g + 1,
        ),
      );
      const q = acceptedQuote(quoteGroups);
      const h = deliveryFromSale({ sale: saleOf(q), quote: q, siteId: null, ids: ids(), at: at(0) });
      const lines = quoteGroups.flatMap((g) => g.lines);
      const sell = lines.reduce((s, l) => s + lineTotals(l, 'EUR').sell.amountMinor, 0);
      const cost = lines.reduce((s, l) => s + lineTotals(l, 'EUR').cost.amountMinor, 0);
      const minutes = lines.reduce((s, l) => s + (l.minutes ?? 0) * l.quantity, 0);
      const totals = wbsTotals(h.wbs, 'EUR');
      expect([totals.minutes, totals.sell.amountMinor, totals.cost.amountMinor]).toEqual([
        minutes,
        sell,
        cost,
      ]);
      expect(h.tasks.reduce((s, t) => s + t.command.soldMinutes, 0)).toBe(minutes);
      expect(h.milestones.reduce((s, m) => s + m.soldMinutes, 0)).toBe(minutes);
      expect(h.tasks).toHaveLength(lines.length);
      expect(h.project.soldMinutes).toBe(minutes);
      expect(h.project.soldValue).toEqual(eur(sell));
      const { p, b, ms, ts } = decideAll(h);
      expect([p, b, ...ms, ...ts].every((r) => r.ok)).toBe(true);
      expect(b.ok && b.value[0]?.payload).toMatchObject({
        soldMinutes: minutes,
        soldValue: eur(sell),
        internalCostCeiling: eur(cost),
        marginAtSale: eur(sell - cost),
      });
      expect(wbsFromQuote(quoteGroups, 'EUR')).toEqual(h.wbs);
    },
  );
});
