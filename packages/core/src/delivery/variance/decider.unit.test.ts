import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { checkAgainstSold, type SoldBoundFacts } from '../sold-bounds.js';
import { at, constraint, eur, milestone, project, ref, tracked, variance } from '../test-support.test.js';
import { type DetectVariance, detectionFor, type VarianceOrderFacts } from './commands.js';
import { varianceDecider } from './decider.js';
import type { VarianceEvent } from './events.js';
import { VARIANCE_REJECTION_CODES } from './rejections.js';

const { decider, seen } = tracked(varianceDecider);
const spec = DeciderSpecification.for(decider);

const v = variance(1);
const p = project(1);
const detect: DetectVariance = {
  type: 'detect',
  varianceId: v,
  projectId: p,
  constraintId: constraint(1),
  baselineVersion: 1,
  varianceType: 'planned_over_sold',
  milestoneId: null,
  currency: null,
  sold: 6000,
  observed: 7200,
  detectedAt: at(10),
};
const detected: Extract<VarianceEvent, { type: 'project.variance_detected' }> = {
  type: 'project.variance_detected',
  payload: {
    varianceId: v,
    projectId: p,
    constraintId: constraint(1),
    baselineVersion: 1,
    varianceType: 'planned_over_sold',
    milestoneId: null,
    unit: 'minutes',
    currency: null,
    sold: 6000,
    observed: 7200,
    delta: 1200,
    detectedAt: at(10),
  },
};
const acknowledged: VarianceEvent = {
  type: 'project.variance_acknowledged',
  payload: {
    varianceId: v,
    projectId: p,
    cause: 'scope grew in workshops',
    acknowledgedBy: ref(7),
    at: at(11),
  },
};
const resolved = (resolution: 'write_off' | 'change_order' | 'rebaseline' | 'variance_order', extra = {}) =>
  ({
    type: 'project.variance_resolved',
    payload: {
      varianceId: v,
      projectId: p,
      resolution,
      cause: 'scope grew in workshops',
      changeOrderQuoteId: null,
      newBaselineVersion: null,
      resolvedBy: ref(8),
      resolvedAt: at(12),
      ...extra,
    },
  }) as VarianceEvent;
const margin: VarianceOrderFacts = {
  price: eur(1_000_000),
  marginAtSale: eur(400_000),
  earlierOrders: eur(50_000),
};

describe('variance: detect (raised immediately, with its numbers)', () => {
  test('a breach is recorded with sold, observed, delta and the baseline version', () => {
    spec.given([]).when(detect, { openVarianceId: null }).then([detected]);
  });

  test('a cost variance is measured in minor units of its currency', () => {
    spec
      .given([])
      .when(
        { ...detect, varianceType: 'cost_over_ceiling', currency: 'EUR', sold: 600_000, observed: 650_000 },
        { openVarianceId: null },
      )
      .then([
        {
          type: 'project.variance_detected',
          payload: {
            ...detected.payload,
            varianceType: 'cost_over_ceiling',
            unit: 'minor_units',
            currency: 'EUR',
            sold: 600_000,
            observed: 650_000,
            delta: 50_000,
          },
        },
      ]);
  });

  test('one open variance per breach; no variance without a breach; never twice on one stream', () => {
    spec
      .given([])
      .when(detect, { openVarianceId: variance(2) })
      .thenRejects('VARIANCE_ALREADY_OPEN', {
        openVarianceId: variance(2),
        sold: 6000,
        observed: 7200,
        delta: 1200,
      });
    spec
      .given([])
      .when({ ...detect, observed: 6000 }, { openVarianceId: null })
      .thenRejects('VARIANCE_NOT_A_BREACH', { sold: 6000, observed: 6000, delta: 0 });
    spec
      .given([detected])
      .when(detect, { openVarianceId: null })
      .thenRejects('VARIANCE_ALREADY_EXISTS', { delta: 1200 });
    spec.given([]).when(detect).thenRejects('VARIANCE_FACTS_MISSING', { fact: 'openVarianceId' });
  });

  test('detectionFor builds the command only for a breach nobody records yet', () => {
    const facts: SoldBoundFacts = {
      baseline: {
        constraintId: constraint(1),
        version: 1,
        soldMinutes: 6000,
        soldValue: eur(1_000_000),
        internalCostCeiling: eur(600_000),
        marginAtSale: eur(400_000),
      },
      variances: [],
    };
    const where = { varianceId: v, projectId: p, currency: null, detectedAt: at(10) };
    expect(detectionFor(checkAgainstSold(facts, 'planned_over_sold', 7200), where)).toEqual(detect);
    expect(detectionFor(checkAgainstSold(facts, 'planned_over_sold', 6000), where)).toBeNull();
    const inMilestone = checkAgainstSold(facts, 'planned_over_sold', 4500, {
      milestoneId: milestone(1),
      soldMinutes: 4000,
    });
    expect(detectionFor(inMilestone, where)).toEqual({
      ...detect,
      milestoneId: milestone(1),
      sold: 4000,
      observed: 4500,
    });
    const recorded = { ...facts, variances: [{ ...detected.payload, status: 'open' as const }] };
    expect(detectionFor(checkAgainstSold(recorded, 'planned_over_sold', 7300), where)).toBeNull();
  });
});

describe('variance: acknowledge and resolve', () => {
  test('acknowledging records the cause', () => {
    spec
      .given([detected])
      .when({ type: 'acknowledge', cause: ' scope grew in workshops ', by: ref(7), at: at(11) })
      .then([acknowledged]);
    spec
      .given([detected, acknowledged])
      .when({ type: 'acknowledge', cause: 'again', by: ref(7), at: at(11) })
      .thenRejects('VARIANCE_NOT_OPEN', { status: 'acknowledged' });
    spec
      .given([])
      .when({ type: 'acknowledge', cause: 'x', by: ref(7), at: at(11) })
      .thenRejects('VARIANCE_NOT_FOUND');
  });

  test('a write-off takes the acknowledged cause; without any cause it is refused', () => {
    spec
      .given([detected, acknowledged])
      .when({ type: 'resolve', resolution: 'write_off', by: ref(8), at: at(12) })
      .then([resolved('write_off')]);
    spec
      .given([detected])
      .when({ type: 'resolve', resolution: 'write_off', by: ref(8), at: at(12) })
      .thenRejects('VARIANCE_CAUSE_REQUIRED', {
        sold: 6000,
        observed: 7200,
        delta: 1200,
        baselineVersion: 1,
      });
  });

  test('a change order names its new quote and the baseline version it created (scenario 13)', () => {
    const cause = 'scope grew in workshops';
    spec
      .given([detected])
      .when({
        type: 'resolve',
        resolution: 'change_order',
        cause,
        changeOrderQuoteId: ref(20),
        newBaselineVersion: 2,
        by: ref(8),
        at: at(12),
      })
      .then([resolved('change_order', { changeOrderQuoteId: ref(20), newBaselineVersion: 2 })]);
    spec
      .given([detected])
      .when({
        type: 'resolve',
        resolution: 'change_order',
        cause,
        newBaselineVersion: 2,
        by: ref(8),
        at: at(12),
      })
      .thenRejects('VARIANCE_RESOLUTION_INCOMPLETE', { missing: 'changeOrderQuoteId' });
    spec
      .given([detected])
      .when({ type: 'resolve', resolution: 'rebaseline', cause, by: ref(8), at: at(12) })
      .thenRejects('VARIANCE_RESOLUTION_INCOMPLETE', { missing: 'newBaselineVersion' });
    spec
      .given([detected])
      .when({
        type: 'resolve',
        resolution: 'rebaseline',
        cause,
        newBaselineVersion: 1,
        by: ref(8),
        at: at(12),
      })
      .thenRejects('VARIANCE_RESOLUTION_INCOMPLETE', { missing: 'newBaselineVersion' });
    spec
      .given([detected])
      .when({
        type: 'resolve',
        resolution: 'rebaseline',
        cause,
        newBaselineVersion: 2,
        by: ref(8),
        at: at(12),
      })
      .then([resolved('rebaseline', { newBaselineVersion: 2 })]);
  });

  test('a variance order leaves the price unchanged and shows the eroded margin (scenario 12)', () => {
    spec
      .given([detected, acknowledged])
      .when(
        { type: 'resolve', resolution: 'variance_order', amount: eur(100_000), by: ref(8), at: at(12) },
        { varianceOrder: margin },
      )
      .then([
        {
          type: 'project.variance_order_created',
          payload: {
            varianceId: v,
            projectId: p,
            amount: eur(100_000),
            reason: 'scope grew in workshops',
            price: eur(1_000_000),
            marginAtSale: eur(400_000),
            marginAfter: eur(250_000),
            erosionBp: 1500,
            at: at(12),
          },
        },
        resolved('variance_order'),
      ]);
    const order = { type: 'resolve', resolution: 'variance_order', by: ref(8), at: at(12) } as const;
    spec
      .given([detected, acknowledged])
      .when(order, { varianceOrder: margin })
      .thenRejects('VARIANCE_RESOLUTION_INCOMPLETE', { missing: 'amount' });
    spec
      .given([detected, acknowledged])
      .when({ ...order, amount: eur(1) })
      .thenRejects('VARIANCE_FACTS_MISSING', { fact: 'varianceOrder' });
    spec
      .given([detected, acknowledged])
      .when({ ...order, amount: { amountMinor: 1, currency: 'USD' } as never }, { varianceOrder: margin })
      .thenRejects('VARIANCE_CURRENCY_MISMATCH', { price: eur(1_000_000) });
    const free = varianceDecider.decide(
      { ...order, amount: eur(1) },
      [detected, acknowledged].reduce(varianceDecider.evolve, varianceDecider.initialState()),
      { varianceOrder: { ...margin, price: eur(0) } },
    );
    expect(
      free.ok && free.value[0]?.type === 'project.variance_order_created' && free.value[0].payload.erosionBp,
    ).toBe(null);
  });

  test('a resolved variance is final: resolution fields are written once, and it is never deleted', () => {
    const history = [detected, acknowledged, resolved('write_off')];
    spec
      .given(history)
      .when({
        type: 'resolve',
        resolution: 'change_order',
        changeOrderQuoteId: ref(1),
        newBaselineVersion: 2,
        by: ref(8),
        at: at(13),
      })
      .thenRejects('VARIANCE_RESOLVED', { resolution: 'write_off', delta: 1200 });
    spec
      .given(history)
      .when({ type: 'acknowledge', cause: 'x', by: ref(8), at: at(13) })
      .thenRejects('VARIANCE_RESOLVED');
  });
});

test('every documented variance rejection code is reachable', () => {
  expect([...seen].sort()).toEqual([...VARIANCE_REJECTION_CODES].sort());
});
