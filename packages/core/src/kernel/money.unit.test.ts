import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isPetError, type ValidationError } from './errors.js';
import {
  addMoney,
  allocate,
  applyBasisPoints,
  compareMoney,
  currencyCodeSchema,
  type Money,
  money,
  moneySchema,
  multiplyMoney,
  rateTimesMinutes,
  subtractMoney,
  sumMoney,
  zeroMoney,
} from './money.js';
import { basisPoints, basisPointsSchema, minutes, minutesSchema, probabilityBpSchema } from './quantities.js';

const eur = (n: number): Money => money(n, 'EUR');
const amounts = (m: readonly Money[]) => m.map((x) => x.amountMinor);

function validationIssues(f: () => unknown): readonly { field: string; rule: string }[] {
  try {
    f();
  } catch (e) {
    expect(isPetError(e, 'VALIDATION_FAILED')).toBe(true);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('money()', () => {
  test('builds a value with minor units and currency', () => {
    expect(money(1250, 'EUR')).toEqual({ amountMinor: 1250, currency: 'EUR' });
    expect(zeroMoney('CHF')).toEqual({ amountMinor: 0, currency: 'CHF' });
    expect(moneySchema.parse({ amountMinor: -3, currency: 'USD' })).toEqual({
      amountMinor: -3,
      currency: 'USD',
    });
  });

  test.each([
    [12.5, 'EUR', 'amountMinor'],
    [2 ** 53, 'EUR', 'amountMinor'],
    [Number.NaN, 'EUR', 'amountMinor'],
    [1, 'eur', 'currency'],
    [1, 'EURO', 'currency'],
  ])('rejects %s %s naming %s', (amount, currency, field) => {
    expect(validationIssues(() => money(amount, currency)).map((i) => i.field)).toEqual([field]);
  });

  test('currencyCodeSchema names the rule', () => {
    const r = currencyCodeSchema.safeParse('Eu1');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/ISO-4217/);
  });
});

describe('arithmetic', () => {
  test('add, subtract, multiply, sum, compare', () => {
    expect(addMoney(eur(100), eur(250))).toEqual(eur(350));
    expect(subtractMoney(eur(100), eur(250))).toEqual(eur(-150));
    expect(multiplyMoney(eur(1999), 3)).toEqual(eur(5997));
    expect(multiplyMoney(eur(1999), -2)).toEqual(eur(-3998));
    expect(sumMoney([eur(1), eur(2), eur(3)], 'EUR')).toEqual(eur(6));
    expect(sumMoney([], 'USD')).toEqual(money(0, 'USD'));
    expect(compareMoney(eur(1), eur(2))).toBe(-1);
    expect(compareMoney(eur(2), eur(2))).toBe(0);
    expect(compareMoney(eur(3), eur(2))).toBe(1);
  });

  test('a currency mismatch is VALIDATION_FAILED naming the rule', () => {
    const usd = money(1, 'USD');
    expect(validationIssues(() => addMoney(eur(1), usd))).toEqual([
      { field: 'currency', rule: 'currencies must match (EUR vs USD)' },
    ]);
    expect(validationIssues(() => subtractMoney(eur(1), usd))[0]?.rule).toMatch(/currencies must match/);
    expect(validationIssues(() => compareMoney(eur(1), usd))[0]?.rule).toMatch(/currencies must match/);
    expect(validationIssues(() => sumMoney([eur(1), usd], 'EUR'))).toEqual([
      { field: 'items.1.currency', rule: 'currencies must match (USD vs EUR)' },
    ]);
  });

  test('overflow beyond the safe-integer range is VALIDATION_FAILED', () => {
    const big = eur(Number.MAX_SAFE_INTEGER);
    expect(validationIssues(() => addMoney(big, eur(1)))[0]?.rule).toMatch(/safe integer/);
    expect(validationIssues(() => subtractMoney(eur(-Number.MAX_SAFE_INTEGER), eur(1)))[0]?.field).toBe(
      'amountMinor',
    );
    expect(validationIssues(() => multiplyMoney(big, 2))[0]?.field).toBe('amountMinor');
    expect(validationIssues(() => sumMoney([big, big], 'EUR'))[0]?.field).toBe('amountMinor');
  });

  test('unsafe or fractional inputs are VALIDATION_FAILED naming the field', () => {
    expect(validationIssues(() => multiplyMoney(eur(1), 1.5))).toEqual([
      { field: 'quantity', rule: 'must be a safe integer' },
    ]);
    const bad = { amountMinor: 0.5, currency: 'EUR' } as Money;
    expect(validationIssues(() => addMoney(bad, eur(1)))[0]?.field).toBe('a.amountMinor');
    expect(
      validationIssues(() => addMoney(eur(1), { amountMinor: 1, currency: 'x' } as unknown as Money))[0]
        ?.field,
    ).toBe('b.currency');
    expect(validationIssues(() => sumMoney([bad], 'EUR'))[0]?.field).toBe('items.0.amountMinor');
  });

  test.prop([fc.maxSafeInteger(), fc.maxSafeInteger()])(
    'add/subtract are exact or refuse (never lose precision)',
    (a, b) => {
      const exact = BigInt(a) + BigInt(b);
      if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < -BigInt(Number.MAX_SAFE_INTEGER)) {
        expect(() => addMoney(eur(a), eur(b))).toThrowError(/safe integer/);
      } else {
        expect(BigInt(addMoney(eur(a), eur(b)).amountMinor)).toBe(exact);
        expect(subtractMoney(addMoney(eur(a), eur(b)), eur(b))).toEqual(eur(a));
      }
    },
  );
});

describe('applyBasisPoints', () => {
  test('rounds once at the end, half-even by default', () => {
    expect(applyBasisPoints(eur(1001), 2500)).toEqual(eur(250)); // 250.25
    expect(applyBasisPoints(eur(10), 1500)).toEqual(eur(2)); // 1.5 → 2 (even)
    expect(applyBasisPoints(eur(30), 1500)).toEqual(eur(4)); // 4.5 → 4 (even)
    expect(applyBasisPoints(eur(30), 1500, 'half-up')).toEqual(eur(5));
    expect(applyBasisPoints(eur(30), 1500, 'down')).toEqual(eur(4));
    expect(applyBasisPoints(eur(31), 1500, 'up')).toEqual(eur(5)); // 4.65
    expect(applyBasisPoints(eur(-30), 1500, 'half-up')).toEqual(eur(-5));
    expect(applyBasisPoints(eur(12345), 10_000)).toEqual(eur(12345));
  });

  test('precision holds for amounts whose product exceeds 2^53', () => {
    const m = eur(Number.MAX_SAFE_INTEGER);
    expect(applyBasisPoints(m, 5000, 'down')).toEqual(eur(Math.floor(Number.MAX_SAFE_INTEGER / 2)));
  });

  test('a fractional bp is VALIDATION_FAILED naming bp', () => {
    expect(validationIssues(() => applyBasisPoints(eur(1), 0.5))).toEqual([
      { field: 'bp', rule: 'must be a safe integer' },
    ]);
  });
});

describe('rateTimesMinutes', () => {
  test('prices minutes at an hourly rate', () => {
    expect(rateTimesMinutes(eur(12_000), 50)).toEqual(eur(10_000));
    expect(rateTimesMinutes(eur(10_000), 1)).toEqual(eur(167)); // 166.67
    expect(rateTimesMinutes(eur(10_000), 1, 'down')).toEqual(eur(166));
    expect(rateTimesMinutes(eur(90), 10)).toEqual(eur(15));
    expect(rateTimesMinutes(eur(3), 10)).toEqual(eur(0)); // 0.5 → 0 (even)
    expect(rateTimesMinutes(eur(3), 10, 'half-up')).toEqual(eur(1));
    expect(rateTimesMinutes(eur(6000), -30)).toEqual(eur(-3000));
  });

  test('fractional minutes are VALIDATION_FAILED naming minutes', () => {
    expect(validationIssues(() => rateTimesMinutes(eur(1), 1.5))).toEqual([
      { field: 'minutes', rule: 'must be a safe integer' },
    ]);
  });

  test.prop([fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 100_000 })])(
    'whole hours are exact in every mode',
    (rate, hours) => {
      for (const mode of ['half-even', 'half-up', 'down', 'up'] as const) {
        expect(rateTimesMinutes(eur(rate), hours * 60, mode)).toEqual(eur(rate * hours));
      }
    },
  );
});

describe('allocate', () => {
  test('splits with the largest remainder, ties to the lower index', () => {
    expect(amounts(allocate(eur(100), [1, 1, 1]))).toEqual([34, 33, 33]);
    expect(amounts(allocate(eur(5), [1, 1]))).toEqual([3, 2]);
    expect(amounts(allocate(eur(-5), [1, 1]))).toEqual([-3, -2]);
    expect(amounts(allocate(eur(100), [0, 1, 0, 3]))).toEqual([0, 25, 0, 75]);
    expect(amounts(allocate(eur(10), [3, 3, 4]))).toEqual([3, 3, 4]);
    expect(amounts(allocate(eur(1), [1, 1, 1]))).toEqual([1, 0, 0]);
    expect(amounts(allocate(eur(7), [2, 1, 1]))).toEqual([3, 2, 2]); // 3.5, 1.75, 1.75: the .75s win
    expect(amounts(allocate(eur(0), [1, 2]))).toEqual([0, 0]);
    expect(allocate(eur(9), [1])[0]).toEqual(eur(9));
  });

  test.each([
    [[], 'weights', 'must contain at least one weight'],
    [[0, 0], 'weights', 'must not all be zero'],
    [[1, -1], 'weights.1', 'must be a non-negative safe integer'],
    [[1.5], 'weights.0', 'must be a non-negative safe integer'],
  ])('bad weights %j are VALIDATION_FAILED naming %s', (weights, field, rule) => {
    expect(validationIssues(() => allocate(eur(10), weights))).toEqual([{ field, rule }]);
  });

  const totals = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.maxSafeInteger());
  const weightLists = fc
    .array(fc.oneof(fc.nat({ max: 100 }), fc.nat(), fc.maxSafeNat()), { minLength: 1, maxLength: 12 })
    .filter((w) => w.some((x) => x > 0));

  test.prop([totals, weightLists])('parts sum exactly to the total, in its currency', (total, weights) => {
    const parts = allocate(eur(total), weights);
    expect(parts).toHaveLength(weights.length);
    expect(parts.reduce((s, p) => s + BigInt(p.amountMinor), 0n)).toBe(BigInt(total));
    expect(parts.every((p) => p.currency === 'EUR' && Number.isSafeInteger(p.amountMinor))).toBe(true);
  });

  test.prop([totals, weightLists])(
    'each part is within one minor unit of its exact share',
    (total, weights) => {
      const parts = allocate(eur(total), weights);
      const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
      parts.forEach((p, i) => {
        // |part − total·w/Σw| < 1  ⇔  |part·Σw − total·w| < Σw
        const diff = BigInt(p.amountMinor) * sum - BigInt(total) * BigInt(weights[i] ?? 0);
        expect((diff < 0n ? -diff : diff) < sum).toBe(true);
        if (weights[i] === 0) expect(p.amountMinor).toBe(0);
      });
    },
  );

  test.prop([totals, weightLists])(
    'order-stable: a larger weight never gets a smaller share; equal weights favour the lower index',
    (total, weights) => {
      const parts = amounts(allocate(eur(Math.abs(total)), weights));
      for (let i = 0; i < weights.length; i++) {
        for (let j = i + 1; j < weights.length; j++) {
          const wi = weights[i] ?? 0;
          const wj = weights[j] ?? 0;
          const pi = parts[i] ?? 0;
          const pj = parts[j] ?? 0;
          if (wi > wj) expect(pi).toBeGreaterThanOrEqual(pj);
          if (wi < wj) expect(pi).toBeLessThanOrEqual(pj);
          if (wi === wj) expect(pi - pj === 0 || pi - pj === 1).toBe(true);
        }
      }
    },
  );

  test.prop([totals, weightLists])(
    'deterministic, and a negative total mirrors the positive one',
    (total, weights) => {
      expect(allocate(eur(total), weights)).toEqual(allocate(eur(total), weights));
      expect(amounts(allocate(eur(-total), weights))).toEqual(
        amounts(allocate(eur(total), weights)).map((x) => (x === 0 ? 0 : -x)),
      );
    },
  );

  test.prop([
    totals,
    fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 8 }),
    fc.nat({ max: 100 }),
  ])('scaling every weight by the same factor does not change the split', (total, weights, k) => {
    const factor = k + 1;
    expect(
      allocate(
        eur(total),
        weights.map((w) => w * factor),
      ),
    ).toEqual(allocate(eur(total), weights));
  });
});

describe('quantities', () => {
  test('minutes and basis points are integers', () => {
    expect(minutes(90)).toBe(90);
    expect(minutes(-15)).toBe(-15);
    expect(basisPoints(1250)).toBe(1250);
    expect(minutesSchema.safeParse(1.5).success).toBe(false);
    expect(basisPointsSchema.safeParse(2 ** 60).success).toBe(false);
    expect(validationIssues(() => minutes(0.5))).toEqual([
      { field: '', rule: 'must be a whole number of minutes' },
    ]);
    expect(validationIssues(() => basisPoints(Number.NaN))[0]?.field).toBe('');
  });

  test('probabilityBpSchema is 0..10000', () => {
    expect(probabilityBpSchema.parse(0)).toBe(0);
    expect(probabilityBpSchema.parse(10_000)).toBe(10_000);
    expect(probabilityBpSchema.safeParse(-1).error?.issues[0]?.message).toBe('must be at least 0 bp');
    expect(probabilityBpSchema.safeParse(10_001).error?.issues[0]?.message).toBe(
      'must be at most 10000 bp (100 %)',
    );
    expect(probabilityBpSchema.safeParse(50.5).success).toBe(false);
  });
});
