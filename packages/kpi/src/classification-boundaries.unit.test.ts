/**
 * Fixed examples at the classification thresholds (issue 29, "Tests that bite"): a mutation spot check
 * found that flipping `>=` to `>` or `<=` to `<` at the good and the warning thresholds survived every
 * other test. Each example runs one result through the public engine: the value exactly at a threshold,
 * one below and one above it, for both directions, and states the classification and its reason.
 */
import { describe, expect, test } from 'vitest';
import {
  type Classification,
  createKpiEngine,
  defineKpi,
  type KpiResult,
  type Thresholds,
  windowResults,
} from './index.js';
import { at, stream } from './test-support.test.js';

/** A sum over `test.recorded` events, org scope, one period: its value is the sum of the events' `n`. */
const summed = (thresholds: Thresholds | null, period: 'month' | 'day' = 'month') =>
  defineKpi({
    key: 'test.boundary',
    version: 3,
    name: 'Boundary',
    description: '',
    unit: 'count',
    aggregation: 'sum',
    scope: 'org',
    period,
    measure: { kind: 'events', eventTypes: ['test.recorded'], value: { path: 'payload.n' } },
    target: null,
    thresholds,
  });

/** The one result of a stream whose values sum to `value`. */
async function resultFor(thresholds: Thresholds | null, value: number): Promise<KpiResult> {
  const engine = createKpiEngine({ definitions: [summed(thresholds)], orgTimeZone: 'UTC' });
  const state = await engine.run(
    engine.initialState(),
    stream([{ type: 'test.recorded', at: at(10), payload: { n: value } }]),
  );
  const [row, ...more] = engine.results(state);
  expect(more).toEqual([]);
  if (row === undefined) throw new Error('no result');
  expect(row.value).toBe(value);
  return row;
}

type Example = readonly [value: number, classification: Classification, reason: string];

describe('higher is better (good 5000, warning 1000)', () => {
  const thresholds: Thresholds = { direction: 'higher_is_better', good: 5000, warning: 1000 };
  const examples: readonly Example[] = [
    // around the good threshold
    [5001, 'good', '5001 count ≥ good threshold 5000 (higher is better, version 3)'],
    [5000, 'good', '5000 count ≥ good threshold 5000 (higher is better, version 3)'],
    [
      4999,
      'warning',
      '4999 count < good threshold 5000 but ≥ warning threshold 1000 (higher is better, version 3)',
    ],
    // around the warning threshold
    [
      1001,
      'warning',
      '1001 count < good threshold 5000 but ≥ warning threshold 1000 (higher is better, version 3)',
    ],
    [
      1000,
      'warning',
      '1000 count < good threshold 5000 but ≥ warning threshold 1000 (higher is better, version 3)',
    ],
    [999, 'breach', '999 count < warning threshold 1000 (higher is better, version 3)'],
    // far away on both sides
    [0, 'breach', '0 count < warning threshold 1000 (higher is better, version 3)'],
    [-1, 'breach', '-1 count < warning threshold 1000 (higher is better, version 3)'],
  ];
  test.each(examples)('given the value %d, then it is %s', async (value, classification, reason) => {
    const r = await resultFor(thresholds, value);
    expect(r.classification).toBe(classification);
    expect(r.classificationReason).toBe(reason);
  });
});

describe('lower is better (good 1000, warning 5000)', () => {
  const thresholds: Thresholds = { direction: 'lower_is_better', good: 1000, warning: 5000 };
  const examples: readonly Example[] = [
    // around the good threshold
    [999, 'good', '999 count ≤ good threshold 1000 (lower is better, version 3)'],
    [1000, 'good', '1000 count ≤ good threshold 1000 (lower is better, version 3)'],
    [
      1001,
      'warning',
      '1001 count > good threshold 1000 but ≤ warning threshold 5000 (lower is better, version 3)',
    ],
    // around the warning threshold
    [
      4999,
      'warning',
      '4999 count > good threshold 1000 but ≤ warning threshold 5000 (lower is better, version 3)',
    ],
    [
      5000,
      'warning',
      '5000 count > good threshold 1000 but ≤ warning threshold 5000 (lower is better, version 3)',
    ],
    [5001, 'breach', '5001 count > warning threshold 5000 (lower is better, version 3)'],
    // far away on both sides
    [-1, 'good', '-1 count ≤ good threshold 1000 (lower is better, version 3)'],
    [1_000_000, 'breach', '1000000 count > warning threshold 5000 (lower is better, version 3)'],
  ];
  test.each(examples)('given the value %d, then it is %s', async (value, classification, reason) => {
    const r = await resultFor(thresholds, value);
    expect(r.classification).toBe(classification);
    expect(r.classificationReason).toBe(reason);
  });
});

describe('good and warning thresholds equal: no warning band', () => {
  test.each([
    ['higher_is_better', 99, 'breach'],
    ['higher_is_better', 100, 'good'],
    ['higher_is_better', 101, 'good'],
    ['lower_is_better', 99, 'good'],
    ['lower_is_better', 100, 'good'],
    ['lower_is_better', 101, 'breach'],
  ] as const)('given %s at 100, when the value is %d, then it is %s', async (direction, value, expected) => {
    const r = await resultFor({ direction, good: 100, warning: 100 }, value);
    expect(r.classification).toBe(expected);
  });
});

test('given no thresholds, then every value is unclassified and the reason says so', async () => {
  for (const value of [-1, 0, 5000]) {
    const r = await resultFor(null, value);
    expect(r.classification).toBe('unclassified');
    expect(r.classificationReason).toBe('version 3 defines no thresholds');
  }
});

describe('windows classify their combined value at the same boundaries', () => {
  // Two days of 500 make a month-to-date window of exactly 1000: at the warning threshold of either direction.
  const windowFor = async (thresholds: Thresholds, lastDay: number) => {
    const engine = createKpiEngine({ definitions: [summed(thresholds, 'day')], orgTimeZone: 'UTC' });
    const day = 24 * 60;
    const state = await engine.run(
      engine.initialState(),
      stream([
        { type: 'test.recorded', at: at(10), payload: { n: 500 } },
        { type: 'test.recorded', at: at(day + 10), payload: { n: lastDay } },
      ]),
    );
    const [w, ...more] = windowResults(engine, 'test.boundary@3', engine.results(state), 'mtd', '2026-01-02');
    expect(more).toEqual([]);
    return w;
  };

  test.each([
    ['higher_is_better', 499, 'breach'],
    ['higher_is_better', 500, 'warning'],
    ['higher_is_better', 501, 'warning'],
    ['lower_is_better', 499, 'warning'],
    ['lower_is_better', 500, 'warning'],
    ['lower_is_better', 501, 'breach'],
  ] as const)(
    'given %s with warning 1000, when the second day adds %d, then the window is %s',
    async (direction, lastDay, expected) => {
      const thresholds: Thresholds =
        direction === 'higher_is_better'
          ? { direction, good: 5000, warning: 1000 }
          : { direction, good: 10, warning: 1000 };
      const w = await windowFor(thresholds, lastDay);
      expect(w?.value).toBe(500 + lastDay);
      expect(w?.classification).toBe(expected);
    },
  );
});
