import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  addBusinessMinutesEpoch as due,
  businessMinutesBetweenEpoch as elapsed,
} from './business-minutes.js';
import { referencePrefix, scenarioArb } from './test-support.test.js';

const nArb = fc.integer({ min: 0, max: 6000 });
let nonVacuous = 0;

/**
 * `due` refuses (RangeError, documented) a target it cannot reach within 20 years; a random calendar may
 * work one minute a week (CI found seed -1886873283: 1047 minutes needed 20.1 years). The properties hold
 * for targets the calendar reaches well inside that horizon (15 years of its weekly minutes).
 */
function reachable(
  cal: { readonly windows: readonly { startMinute: number; endMinute: number }[] },
  n: number,
): boolean {
  const weekly = cal.windows.reduce((sum, w) => sum + (w.endMinute - w.startMinute), 0);
  return n <= weekly * 52 * 15;
}

describe('business minutes: properties over random calendars, DST zones and instants (2020–2030)', () => {
  test.prop([scenarioArb(), nArb], { numRuns: 200 })(
    'elapsed(start, due(start, n)) = n, and due is the earliest such instant',
    ({ cal, start }, n) => {
      fc.pre(reachable(cal, n));
      const d = due(cal, start, n);
      expect(d).toBeGreaterThanOrEqual(start);
      expect(elapsed(cal, start, d)).toBe(n);
      if (n > 0) expect(elapsed(cal, start, d - 1)).toBe(n - 1);
      if (n > 0 && d > start + n) nonVacuous += 1; // a non-trivial walk (nights, weekends, gaps)
    },
  );

  test.prop([scenarioArb(), nArb, nArb], { numRuns: 200 })(
    'due(start, a + b) = due(due(start, a), b), and due is monotonic in n',
    ({ cal, start }, a, b) => {
      fc.pre(reachable(cal, a + b));
      const direct = due(cal, start, a + b);
      expect(due(cal, due(cal, start, a), b)).toBe(direct);
      expect(due(cal, start, Math.min(a, b))).toBeLessThanOrEqual(due(cal, start, Math.max(a, b)));
    },
  );

  test.prop([scenarioArb(), fc.nat(20_000), fc.nat(20_000)], { numRuns: 200 })(
    'additivity over a split point: elapsed(a, c) = elapsed(a, b) + elapsed(b, c); monotonic in the end',
    ({ cal, start }, x, y) => {
      const b = start + Math.min(x, y);
      const c = start + Math.max(x, y);
      const ab = elapsed(cal, start, b);
      expect(elapsed(cal, start, c)).toBe(ab + elapsed(cal, b, c));
      expect(ab).toBeLessThanOrEqual(elapsed(cal, start, c));
      expect(elapsed(cal, c, b)).toBe(0); // a reversed range is empty
    },
  );

  test.prop([scenarioArb(), fc.integer({ min: 1, max: 1500 })], { numRuns: 60 })(
    'agrees with the minute-by-minute reference on random ranges',
    ({ cal, start }, length) => {
      const prefix = referencePrefix(cal, start, length);
      for (const [i, j] of [
        [0, length],
        [Math.floor(length / 3), length],
        [0, Math.floor(length / 2)],
      ] as const) {
        expect(elapsed(cal, start + i, start + j)).toBe((prefix[j] ?? 0) - (prefix[i] ?? 0));
      }
    },
  );

  test('the walks were not trivial', () => {
    expect(nonVacuous).toBeGreaterThan(20);
  });
});
