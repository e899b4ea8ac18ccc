/**
 * The percentile histogram's buckets at their edges, through the public engine (issue 29: the mutation
 * run showed no test with a value at the 1024 edge or a negative value above it). Below 1024 a value is
 * kept exactly; from 1024 on it is reported as the lower bound of its bucket (128 buckets per power of
 * two), with its sign.
 */
import { expect, test } from 'vitest';
import { createKpiEngine, defineKpi } from './index.js';
import { at, stream } from './test-support.test.js';

const median = defineKpi({
  key: 'test.median',
  version: 1,
  name: 'Median',
  description: '',
  unit: 'count',
  aggregation: 'percentile',
  percentile: 50,
  scope: 'org',
  period: 'month',
  measure: { kind: 'events', eventTypes: ['test.recorded'], value: { path: 'payload.n' } },
  target: null,
  thresholds: null,
});

test.each([
  [0, 0],
  [1023, 1023],
  [-1023, -1023],
  [1024, 1024],
  [1025, 1024],
  [1031, 1024],
  [1032, 1032],
  [2047, 2040],
  [2048, 2048],
  [5000, 4992],
  [-5000, -4992],
  [-1025, -1024],
  [1_000_000, 999_424],
])('given the single value %d, then the median reported is %d', async (value, reported) => {
  const engine = createKpiEngine({ definitions: [median], orgTimeZone: 'UTC' });
  const state = await engine.run(
    engine.initialState(),
    stream([{ type: 'test.recorded', at: at(1), payload: { n: value } }]),
  );
  expect(engine.results(state).map((r) => r.value)).toEqual([reported]);
});
