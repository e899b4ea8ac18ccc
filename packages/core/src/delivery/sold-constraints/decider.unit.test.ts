import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { at, constraint, eur, project, ref, tracked } from '../test-support.test.js';
import type { CreateBaseline, Rebaseline } from './commands.js';
import { soldConstraintsDecider } from './decider.js';
import type { Baseline, SoldConstraintsEvent } from './events.js';
import { SOLD_CONSTRAINTS_REJECTION_CODES } from './rejections.js';
import { activeBaseline } from './state.js';
import type { WbsMilestone } from './wbs.js';

const { decider, seen } = tracked(soldConstraintsDecider);
const spec = DeciderSpecification.for(decider);

const p = project(1);
const wbs: WbsMilestone[] = [
  {
    ref: '1:Build',
    name: 'Build',
    sequence: 1,
    tasks: [
      {
        sourceLineId: ref(11),
        name: 'API',
        minutes: 3600,
        roleId: ref(100),
        sell: eur(720_000),
        cost: eur(360_000),
      },
      {
        sourceLineId: ref(12),
        name: 'UI',
        minutes: 2400,
        roleId: ref(100),
        sell: eur(480_000),
        cost: eur(240_000),
      },
    ],
  },
];
const create: CreateBaseline = {
  type: 'create',
  constraintId: constraint(1),
  projectId: p,
  reason: 'acceptance',
  saleId: ref(3),
  sourceQuoteId: ref(2),
  sourceQuoteVersion: 1,
  currency: 'EUR',
  wbs,
  approvedBy: null,
  at: at(0),
};
const v1: Baseline = {
  constraintId: constraint(1),
  projectId: p,
  version: 1,
  reason: 'acceptance',
  saleId: ref(3),
  sourceQuoteId: ref(2),
  sourceQuoteVersion: 1,
  soldMinutes: 6000,
  soldValue: eur(1_200_000),
  internalCostCeiling: eur(600_000),
  marginAtSale: eur(600_000),
  wbs,
  cause: null,
  approvedBy: null,
  createdAt: at(0),
};
const created: SoldConstraintsEvent = { type: 'project.baseline_created', payload: v1 };
const extra: WbsMilestone = {
  ref: `${ref(20)}/1:Extras`,
  name: 'Extras',
  sequence: 2,
  tasks: [
    {
      sourceLineId: ref(21),
      name: 'SSO',
      minutes: 1200,
      roleId: null,
      sell: eur(240_000),
      cost: eur(120_000),
    },
  ],
};
const changeOrder: Rebaseline = {
  type: 'rebaseline',
  constraintId: constraint(2),
  reason: 'change_order',
  saleId: null,
  sourceQuoteId: ref(20),
  referencesQuoteId: ref(2),
  sourceQuoteVersion: 1,
  wbs: [...wbs, extra],
  cause: 'customer asked for SSO',
  approvedBy: ref(9),
  at: at(100),
};
const v2: SoldConstraintsEvent = {
  type: 'project.rebaselined',
  payload: {
    ...v1,
    constraintId: constraint(2),
    version: 2,
    previousVersion: 1,
    reason: 'change_order',
    sourceQuoteId: ref(20),
    soldMinutes: 7200,
    soldValue: eur(1_440_000),
    internalCostCeiling: eur(720_000),
    marginAtSale: eur(720_000),
    wbs: [...wbs, extra],
    cause: 'customer asked for SSO',
    approvedBy: ref(9),
    createdAt: at(100),
  },
};

describe('sold constraints: v1 at acceptance (scenarios 11, 20)', () => {
  test('totals are derived from the WBS snapshot: Σ tasks to the minute and the minor unit', () => {
    spec.given([]).when(create).then([created]);
  });

  test('v1 from acceptance names its sale and quote; an explicit v1 (manual project) need not', () => {
    spec
      .given([])
      .when({ ...create, saleId: null })
      .thenRejects('BASELINE_SOURCE_REQUIRED', { reason: 'acceptance' });
    spec
      .given([])
      .when({
        ...create,
        reason: 'explicit',
        saleId: null,
        sourceQuoteId: null,
        sourceQuoteVersion: null,
        approvedBy: ref(9),
      })
      .then([
        {
          type: 'project.baseline_created',
          payload: {
            ...v1,
            reason: 'explicit',
            saleId: null,
            sourceQuoteId: null,
            sourceQuoteVersion: null,
            approvedBy: ref(9),
          },
        },
      ]);
  });

  test('v1 is made once; a WBS in another currency is refused', () => {
    spec.given([created]).when(create).thenRejects('BASELINE_ALREADY_EXISTS', { activeBaselineVersion: 1 });
    spec
      .given([])
      .when({ ...create, currency: 'USD' })
      .thenRejects('BASELINE_CURRENCY_MISMATCH', { foreign: ['EUR'] });
  });
});

describe('sold constraints: immutable rows, explicit re-baselines (scenarios 13, 21)', () => {
  test('editing sold fields of a version is a hard failure carrying the numbers', () => {
    spec
      .given([created])
      .when({ type: 'amend', version: 1, changes: { soldMinutes: 7200 } })
      .thenRejects('BASELINE_IMMUTABLE', {
        sold: 6000,
        requested: 7200,
        delta: 1200,
        version: 1,
        activeBaselineVersion: 1,
      });
    spec
      .given([created, v2])
      .when({ type: 'amend', version: 1, changes: { soldValue: eur(1_300_000) } })
      .thenRejects('BASELINE_IMMUTABLE', {
        field: 'soldValue',
        sold: 1_200_000,
        delta: 100_000,
        activeBaselineVersion: 2,
      });
    spec
      .given([created])
      .when({ type: 'amend', version: 3, changes: { soldMinutes: 1 } })
      .thenRejects('BASELINE_NOT_FOUND', { version: 3 });
    spec.given([]).when(changeOrder).thenRejects('BASELINE_NOT_FOUND');
  });

  test('a change order adds v2 with the new quote; v1 is kept and v2 becomes active', () => {
    spec.given([created]).when(changeOrder).then([v2]);
    const state = [created, v2].reduce(soldConstraintsDecider.evolve, soldConstraintsDecider.initialState());
    expect(state.status === 'baselined' && state.versions[0]).toEqual(v1);
    expect(activeBaseline(state)).toEqual({
      constraintId: constraint(2),
      version: 2,
      soldMinutes: 7200,
      soldValue: eur(1_440_000),
      internalCostCeiling: eur(720_000),
      marginAtSale: eur(720_000),
    });
  });

  test('a change order is a new quote referencing the original: none, a used one, or one referencing another is refused', () => {
    spec
      .given([created])
      .when({ ...changeOrder, sourceQuoteId: null })
      .thenRejects('BASELINE_SOURCE_REQUIRED', { originalQuoteId: ref(2) });
    spec
      .given([created])
      .when({ ...changeOrder, sourceQuoteId: ref(2) })
      .thenRejects('BASELINE_SOURCE_REQUIRED');
    spec
      .given([created, v2])
      .when({ ...changeOrder, constraintId: constraint(3) })
      .thenRejects('BASELINE_SOURCE_REQUIRED', { sourceQuoteId: ref(20) });
    spec
      .given([created])
      .when({ ...changeOrder, referencesQuoteId: ref(30) })
      .thenRejects('BASELINE_SOURCE_REQUIRED', { referencesQuoteId: ref(30), originalQuoteId: ref(2) });
    spec
      .given([created])
      .when({
        ...changeOrder,
        wbs: [
          { ...extra, tasks: [{ ...extra.tasks[0], cost: { amountMinor: 1, currency: 'USD' } } as never] },
        ],
      })
      .thenRejects('BASELINE_CURRENCY_MISMATCH', { currency: 'EUR', foreign: ['USD'] });
  });

  test('an explicit re-baseline may also lower sold; earlier versions stay as they were', () => {
    const smaller = {
      ...changeOrder,
      reason: 'explicit' as const,
      sourceQuoteId: null,
      referencesQuoteId: null,
      sourceQuoteVersion: null,
      wbs: [extra],
    };
    const r = soldConstraintsDecider.decide(
      smaller,
      [created, v2].reduce(soldConstraintsDecider.evolve, soldConstraintsDecider.initialState()),
      undefined,
    );
    expect(r.ok && r.value[0]?.payload).toMatchObject({ version: 3, previousVersion: 2, soldMinutes: 1200 });
  });
});

test('every documented sold-constraints rejection code is reachable', () => {
  expect([...seen].sort()).toEqual([...SOLD_CONSTRAINTS_REJECTION_CODES].sort());
});
