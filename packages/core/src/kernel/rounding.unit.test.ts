import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isPetError } from './errors.js';
import { DEFAULT_ROUNDING, divideRounded, type RoundingMode, roundingModeSchema } from './rounding.js';

const modes: RoundingMode[] = ['half-even', 'half-up', 'down', 'up'];
const bigints = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const denominators = fc.bigInt({ min: 1n, max: 10n ** 12n }).chain((d) => fc.constantFrom(d, -d));

describe('divideRounded', () => {
  test.each([
    // n, d, half-even, half-up, down, up
    [5n, 2n, 2n, 3n, 2n, 3n],
    [7n, 2n, 4n, 4n, 3n, 4n],
    [-5n, 2n, -2n, -3n, -2n, -3n],
    [-7n, 2n, -4n, -4n, -3n, -4n],
    [5n, -2n, -2n, -3n, -2n, -3n],
    [1n, 3n, 0n, 0n, 0n, 1n],
    [2n, 3n, 1n, 1n, 0n, 1n],
    [-2n, 3n, -1n, -1n, 0n, -1n],
    [6n, 3n, 2n, 2n, 2n, 2n],
    [0n, 7n, 0n, 0n, 0n, 0n],
  ])('%s / %s rounds by mode', (n, d, halfEven, halfUp, down, up) => {
    expect(divideRounded(n, d, 'half-even')).toBe(halfEven);
    expect(divideRounded(n, d, 'half-up')).toBe(halfUp);
    expect(divideRounded(n, d, 'down')).toBe(down);
    expect(divideRounded(n, d, 'up')).toBe(up);
  });

  test('half-even is the default', () => {
    expect(DEFAULT_ROUNDING).toBe('half-even');
    expect(divideRounded(5n, 2n)).toBe(2n);
    expect(divideRounded(15n, 10n)).toBe(2n);
    expect(divideRounded(25n, 10n)).toBe(2n);
  });

  test('a zero denominator is a VALIDATION_FAILED naming the denominator', () => {
    expect(() => divideRounded(1n, 0n)).toThrowError(/denominator: must not be zero/);
    try {
      divideRounded(1n, 0n);
    } catch (e) {
      expect(isPetError(e, 'VALIDATION_FAILED')).toBe(true);
    }
  });

  test('an unknown mode is a VALIDATION_FAILED naming the mode', () => {
    expect(() => divideRounded(3n, 2n, 'sideways' as RoundingMode)).toThrowError(/mode: must be one of/);
  });

  test('roundingModeSchema accepts exactly the four modes', () => {
    for (const m of modes) expect(roundingModeSchema.parse(m)).toBe(m);
    expect(roundingModeSchema.safeParse('HALF_UP').success).toBe(false);
  });

  test.prop([bigints, denominators, fc.constantFrom(...modes)])(
    'the result is within one of the exact quotient and exact when it divides',
    (n, d, mode) => {
      const q = divideRounded(n, d, mode);
      // |n − q·d| < |d|
      const diff = n - q * d;
      const abs = (x: bigint) => (x < 0n ? -x : x);
      expect(abs(diff) < abs(d)).toBe(true);
      expect(divideRounded(n * d, d, mode)).toBe(n);
    },
  );

  test.prop([bigints, denominators, fc.constantFrom(...modes)])(
    'every mode is symmetric around zero',
    (n, d, mode) => {
      expect(divideRounded(-n, d, mode)).toBe(-divideRounded(n, d, mode));
    },
  );

  test.prop([bigints, denominators])(
    'down ≤ nearest ≤ up in magnitude; nearest modes pick the closer neighbour',
    (n, d) => {
      const abs = (x: bigint) => (x < 0n ? -x : x);
      const down = divideRounded(n, d, 'down');
      const up = divideRounded(n, d, 'up');
      for (const mode of ['half-even', 'half-up'] as const) {
        const r = divideRounded(n, d, mode);
        expect(r === down || r === up).toBe(true);
        // the distance to the exact value is at most half a unit: |n − r·d| · 2 ≤ |d|
        expect(abs(n - r * d) * 2n <= abs(d)).toBe(true);
      }
      expect(abs(down) <= abs(up)).toBe(true);
    },
  );

  test.prop([fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n })])(
    'ties: half-even picks the even neighbour, half-up goes away from zero',
    (k) => {
      const n = 2n * k + 1n; // n / 2 is always a tie
      const even = divideRounded(n, 2n, 'half-even');
      expect(even % 2n).toBe(0n);
      expect(divideRounded(n, 2n, 'half-up')).toBe(n > 0n ? k + 1n : k);
    },
  );
});
