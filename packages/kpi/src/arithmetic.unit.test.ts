import { fc, test } from '@fast-check/vitest';
import { divideRounded } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { divideHalfEven, ratioBp } from './arithmetic.js';

const big = (a: number, b: number): number => Number(divideRounded(BigInt(a), BigInt(b)));
// Small values (ties and signs), values around the plain-number bound, and any safe integer.
const operand = fc.oneof(
  fc.integer({ min: -50, max: 50 }),
  fc.integer({ min: 2 ** 31 - 100, max: 2 ** 31 + 100 }).chain((n) => fc.constantFrom(n, -n)),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger().chain((n) => fc.constantFrom(n, -n)),
);
const divisor = operand.filter((b) => b !== 0);

describe('half-even division without bigint', () => {
  test.prop([operand, divisor], { numRuns: 2000 })(
    'divideHalfEven(a, b) is exactly what divideRounded computes (0 never as -0)',
    (a, b) => {
      expect(Object.is(divideHalfEven(a, b), big(a, b))).toBe(true);
    },
  );

  test.prop([operand, divisor], { numRuns: 2000 })(
    'ratioBp(a, b) is a × 10 000 ÷ b as divideRounded computes it',
    (a, b) => {
      const want = Number(divideRounded(BigInt(a) * 10_000n, BigInt(b)));
      expect(Object.is(ratioBp(a, b), want)).toBe(true);
    },
  );

  it('rounds ties to even, away from zero past them, and refuses a zero divisor', () => {
    expect([5, 7, -5, -7, 1, -1].map((a) => divideHalfEven(a, 2))).toEqual([2, 4, -2, -4, 0, 0]);
    expect(divideHalfEven(5, 3)).toBe(2);
    expect(divideHalfEven(-5, 3)).toBe(-2);
    expect(ratioBp(1, 3)).toBe(3333);
    expect(() => divideHalfEven(1, 0)).toThrow(/zero/);
  });
});
