import { describe, expect, test } from 'vitest';
import { checkAgainstSold, type SoldBoundFacts, type VarianceFact, varianceUnit } from './sold-bounds.js';
import { constraint, eur, variance } from './test-support.test.js';

const baseline = {
  constraintId: constraint(1),
  version: 2,
  soldMinutes: 6000,
  soldValue: eur(1_200_000),
  internalCostCeiling: eur(600_000),
  marginAtSale: eur(600_000),
};
const facts = (variances: VarianceFact[] = []): SoldBoundFacts => ({ baseline, variances });
const recorded = (status: VarianceFact['status'], observed: number, baselineVersion = 2): VarianceFact => ({
  varianceId: variance(observed),
  varianceType: 'planned_over_sold',
  milestoneId: null,
  baselineVersion,
  sold: 6000,
  observed,
  status,
});
const numbers = {
  sold: 6000,
  baselineVersion: 2,
  constraintId: constraint(1),
  varianceType: 'planned_over_sold',
  milestoneId: null,
};

describe('checkAgainstSold: the one rule behind "sold bounds delivered"', () => {
  test('no sold constraints: unbounded; at or under sold: within, with the numbers', () => {
    expect(checkAgainstSold({ baseline: null, variances: [] }, 'planned_over_sold', 1e9)).toEqual({
      kind: 'unbounded',
    });
    expect(checkAgainstSold(facts(), 'planned_over_sold', 6000)).toEqual({
      kind: 'within_sold',
      ...numbers,
      observed: 6000,
      delta: 0,
    });
  });

  test('beyond sold: a breach, naming the open variance of the active version when there is one', () => {
    expect(checkAgainstSold(facts(), 'planned_over_sold', 6500)).toEqual({
      kind: 'breach',
      openVarianceId: null,
      ...numbers,
      observed: 6500,
      delta: 500,
    });
    expect(checkAgainstSold(facts([recorded('open', 6200)]), 'planned_over_sold', 6500)).toMatchObject({
      kind: 'breach',
      openVarianceId: variance(6200),
    });
    // A variance of an earlier version measures nothing any more.
    expect(checkAgainstSold(facts([recorded('open', 6200, 1)]), 'planned_over_sold', 6500)).toMatchObject({
      kind: 'breach',
      openVarianceId: null,
    });
  });

  test('an acknowledged or resolved variance covers up to what it recorded, not beyond', () => {
    for (const status of ['acknowledged', 'resolved'] as const) {
      expect(checkAgainstSold(facts([recorded(status, 7000)]), 'planned_over_sold', 7000)).toMatchObject({
        kind: 'covered',
        varianceId: variance(7000),
        delta: 1000,
      });
      expect(checkAgainstSold(facts([recorded(status, 7000)]), 'planned_over_sold', 7001)).toMatchObject({
        kind: 'breach',
      });
    }
    expect(checkAgainstSold(facts([recorded('acknowledged', 7000)]), 'actual_over_sold', 6500)).toMatchObject(
      {
        kind: 'breach',
      },
    );
  });

  test('cost is measured against the internal-cost ceiling in minor units', () => {
    expect(checkAgainstSold(facts(), 'cost_over_ceiling', 650_000)).toMatchObject({
      kind: 'breach',
      sold: 600_000,
      delta: 50_000,
    });
    expect([varianceUnit('cost_over_ceiling'), varianceUnit('actual_over_sold')]).toEqual([
      'minor_units',
      'minutes',
    ]);
  });
});
