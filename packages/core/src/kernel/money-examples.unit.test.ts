/**
 * Fixed examples of money's refusals and edges (issue 29: the mutation run showed that no test read
 * the messages that name the operation, the field and the rule, nor the edges below).
 */
import { describe, expect, test } from 'vitest';
import {
  addMoney,
  allocate,
  applyBasisPoints,
  compareMoney,
  type Money,
  money,
  multiplyMoney,
  rateTimesMinutes,
  subtractMoney,
  sumMoney,
} from './index.js';

const eur = (n: number): Money => money(n, 'EUR');
const bad = (v: unknown) => v as Money;
const MAX = Number.MAX_SAFE_INTEGER;

describe('every refusal names the operation, the field and the rule', () => {
  test.each([
    ['a non-Money', () => addMoney(bad(null), eur(1))],
    ['a fractional amount', () => addMoney(eur(1), bad({ amountMinor: 1.5, currency: 'EUR' }))],
    ['a lower-case currency', () => subtractMoney(bad({ amountMinor: 1, currency: 'eur' }), eur(1))],
    ['a four-letter currency', () => compareMoney(eur(1), bad({ amountMinor: 1, currency: 'EURO' }))],
    ['a padded currency', () => compareMoney(bad({ amountMinor: 1, currency: ' EUR' }), eur(1))],
    ['mixed currencies', () => addMoney(eur(1), money(1, 'USD'))],
    ['a sum over the safe range', () => addMoney(eur(MAX), eur(1))],
    ['a difference under the safe range', () => subtractMoney(eur(-MAX), eur(1))],
    ['a fractional quantity', () => multiplyMoney(eur(1), 1.5)],
    ['a sum of a non-array', () => sumMoney(bad('x') as never, 'EUR')],
    ['a sum of mixed currencies', () => sumMoney([eur(1), money(1, 'USD')], 'EUR')],
    ['fractional basis points', () => applyBasisPoints(eur(1), 0.5)],
    ['fractional minutes', () => rateTimesMinutes(eur(60), 0.5)],
    ['an allocation of a non-array', () => allocate(eur(1), bad('x') as never)],
    ['an allocation without weights', () => allocate(eur(1), [])],
    ['a negative weight', () => allocate(eur(1), [1, -1])],
    ['only zero weights', () => allocate(eur(1), [0, 0])],
  ])('%s', (_, f) => {
    expect(f).toThrowErrorMatchingSnapshot();
  });
});

describe('edges', () => {
  test('the safe-integer range is reached exactly, both ways', () => {
    expect(addMoney(eur(MAX - 1), eur(1))).toEqual(eur(MAX));
    expect(subtractMoney(eur(-MAX + 1), eur(1))).toEqual(eur(-MAX));
  });

  test('allocation: remainders go to the largest remainders first, ties to the earlier weight', () => {
    expect(allocate(eur(100), [1, 1, 1])).toEqual([eur(34), eur(33), eur(33)]);
    expect(allocate(eur(10), [3, 7, 1])).toEqual([eur(3), eur(6), eur(1)]);
    expect(allocate(eur(5), [1, 2])).toEqual([eur(2), eur(3)]);
    expect(allocate(eur(-100), [1, 1, 1])).toEqual([eur(-34), eur(-33), eur(-33)]);
    expect(allocate(eur(0), [1, 1])).toEqual([eur(0), eur(0)]);
    expect(allocate(eur(7), [0, 1, 0])).toEqual([eur(0), eur(7), eur(0)]);
  });
});
