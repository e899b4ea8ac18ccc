import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { Brand } from './ids.js';
import { DEFAULT_ROUNDING, divideRounded, type RoundingMode } from './rounding.js';
import { parseInput } from './validation.js';

/** An ISO-4217 currency code: three upper-case letters (`EUR`, `USD`, `CHF`). */
export type CurrencyCode = Brand<string, 'CurrencyCode'>;

/**
 * An amount of money in integer minor units (cents for EUR) of one currency. Never a float: every
 * operation is exact on integers, and the few that must round say how (see {@link RoundingMode}).
 * The minor-unit exponent of the currency is the caller's business; all amounts of one currency use the
 * same one.
 */
export interface Money {
  /** A safe integer (|n| ≤ 2^53 − 1) of minor units. */
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
}

/** Zod schema of a {@link CurrencyCode}. @example `currencyCodeSchema.parse('EUR')` */
export const currencyCodeSchema: z.ZodType<CurrencyCode, string> = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code of 3 upper-case letters') as unknown as z.ZodType<
  CurrencyCode,
  string
>;

/** Zod schema of {@link Money}. @example `moneySchema.parse({ amountMinor: 1250, currency: 'EUR' })` */
export const moneySchema: z.ZodType<Money, { amountMinor: number; currency: string }> = z.object({
  amountMinor: z.number().int('must be a safe integer of minor units'),
  currency: currencyCodeSchema,
}) as unknown as z.ZodType<Money, { amountMinor: number; currency: string }>;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

function fail(what: string, field: string, rule: string): never {
  throw new ValidationError(what, [{ field, rule }]);
}

function checkMoney(m: Money, what: string, field: string): void {
  if (typeof m !== 'object' || m === null) fail(what, field, 'must be a Money value');
  if (!Number.isSafeInteger(m.amountMinor)) fail(what, `${field}.amountMinor`, 'must be a safe integer');
  if (typeof m.currency !== 'string' || !/^[A-Z]{3}$/.test(m.currency)) {
    fail(what, `${field}.currency`, 'must be an ISO-4217 code of 3 upper-case letters');
  }
}

function checkInteger(value: number, what: string, field: string): bigint {
  if (!Number.isSafeInteger(value)) fail(what, field, 'must be a safe integer');
  return BigInt(value);
}

function sameCurrency(a: Money, b: Money, what: string): void {
  if (a.currency !== b.currency)
    fail(what, 'currency', `currencies must match (${a.currency} vs ${b.currency})`);
}

/** Turns an exact bigint result back into Money, refusing results beyond the safe-integer range. */
function fromBig(amount: bigint, currency: CurrencyCode, what: string): Money {
  if (amount > MAX || amount < -MAX)
    fail(what, 'amountMinor', 'result must be a safe integer (|n| ≤ 2^53 − 1)');
  return { amountMinor: Number(amount), currency };
}

/**
 * Makes {@link Money} from minor units and a currency code, validating both.
 *
 * @throws ValidationError naming `amountMinor` or `currency`.
 * @example
 * ```ts
 * const price = money(12_50, 'EUR'); // EUR 12.50
 * ```
 */
export function money(amountMinor: number, currency: string): Money {
  return parseInput(moneySchema, { amountMinor, currency }, 'money');
}

/** Zero in a currency. @example `zeroMoney('EUR')` */
export function zeroMoney(currency: string): Money {
  return money(0, currency);
}

/**
 * Adds two amounts of the same currency.
 *
 * @throws ValidationError on a currency mismatch or a result beyond the safe-integer range.
 * @example
 * ```ts
 * addMoney(money(100, 'EUR'), money(250, 'EUR')); // { amountMinor: 350, currency: 'EUR' }
 * ```
 */
export function addMoney(a: Money, b: Money): Money {
  checkMoney(a, 'money addition', 'a');
  checkMoney(b, 'money addition', 'b');
  sameCurrency(a, b, 'money addition');
  return fromBig(BigInt(a.amountMinor) + BigInt(b.amountMinor), a.currency, 'money addition');
}

/**
 * Subtracts `b` from `a` (same currency). The result may be negative.
 *
 * @example
 * ```ts
 * subtractMoney(money(100, 'EUR'), money(250, 'EUR')); // { amountMinor: -150, currency: 'EUR' }
 * ```
 */
export function subtractMoney(a: Money, b: Money): Money {
  checkMoney(a, 'money subtraction', 'a');
  checkMoney(b, 'money subtraction', 'b');
  sameCurrency(a, b, 'money subtraction');
  return fromBig(BigInt(a.amountMinor) - BigInt(b.amountMinor), a.currency, 'money subtraction');
}

/**
 * Multiplies an amount by an integer quantity (exact; no rounding involved).
 *
 * @throws ValidationError when `quantity` is not a safe integer or the result overflows.
 * @example
 * ```ts
 * multiplyMoney(money(1999, 'EUR'), 3); // { amountMinor: 5997, currency: 'EUR' }
 * ```
 */
export function multiplyMoney(m: Money, quantity: number): Money {
  checkMoney(m, 'money multiplication', 'money');
  const q = checkInteger(quantity, 'money multiplication', 'quantity');
  return fromBig(BigInt(m.amountMinor) * q, m.currency, 'money multiplication');
}

/**
 * Sums amounts that must all be in `currency`; an empty list sums to zero.
 *
 * @throws ValidationError naming the first item in another currency (`items.N.currency`).
 * @example
 * ```ts
 * sumMoney([money(100, 'EUR'), money(5, 'EUR')], 'EUR'); // { amountMinor: 105, currency: 'EUR' }
 * ```
 */
export function sumMoney(list: readonly Money[], currency: string): Money {
  const zero = money(0, currency);
  if (!Array.isArray(list)) fail('money sum', 'items', 'must be an array of Money values');
  let total = 0n;
  list.forEach((m, i) => {
    checkMoney(m, 'money sum', `items.${i}`);
    if (m.currency !== zero.currency) {
      fail('money sum', `items.${i}.currency`, `currencies must match (${m.currency} vs ${zero.currency})`);
    }
    total += BigInt(m.amountMinor);
  });
  return fromBig(total, zero.currency, 'money sum');
}

/**
 * Compares two amounts of the same currency: -1, 0 or 1.
 *
 * @example
 * ```ts
 * compareMoney(money(1, 'EUR'), money(2, 'EUR')); // -1
 * ```
 */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  checkMoney(a, 'money comparison', 'a');
  checkMoney(b, 'money comparison', 'b');
  sameCurrency(a, b, 'money comparison');
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

/**
 * Applies a ratio in basis points to an amount (10 000 bp = 100 %) and rounds once, at the end:
 * `round(amount × bp / 10 000)`. Use it for discounts, margins, tax rates and probability weights.
 *
 * @throws ValidationError when `bp` is not a safe integer or the result overflows.
 * @example
 * ```ts
 * applyBasisPoints(money(1001, 'EUR'), 2500); // 25 % → { amountMinor: 250, currency: 'EUR' } (250.25 → 250)
 * applyBasisPoints(money(1, 'EUR'), 5000, 'half-up'); // 0.5 → 1
 * ```
 */
export function applyBasisPoints(m: Money, bp: number, rounding: RoundingMode = DEFAULT_ROUNDING): Money {
  checkMoney(m, 'basis points', 'money');
  const b = checkInteger(bp, 'basis points', 'bp');
  return fromBig(divideRounded(BigInt(m.amountMinor) * b, 10_000n, rounding), m.currency, 'basis points');
}

/**
 * Prices a duration: an hourly rate (minor units per hour) times whole minutes, rounded once:
 * `round(rate × minutes / 60)`.
 *
 * @throws ValidationError when `minutes` is not a safe integer or the result overflows.
 * @example
 * ```ts
 * rateTimesMinutes(money(120_00, 'EUR'), 50); // { amountMinor: 100_00, currency: 'EUR' }
 * rateTimesMinutes(money(100_00, 'EUR'), 1); // 166.67 cents → 167
 * ```
 */
export function rateTimesMinutes(
  rateMinorPerHour: Money,
  minutes: number,
  rounding: RoundingMode = DEFAULT_ROUNDING,
): Money {
  checkMoney(rateMinorPerHour, 'rate × minutes', 'rate');
  const mins = checkInteger(minutes, 'rate × minutes', 'minutes');
  return fromBig(
    divideRounded(BigInt(rateMinorPerHour.amountMinor) * mins, 60n, rounding),
    rateMinorPerHour.currency,
    'rate × minutes',
  );
}

/**
 * Splits `total` into parts proportional to non-negative integer `weights` that **sum exactly** to the
 * total (the largest-remainder method):
 *
 * 1. every part first gets its exact share rounded towards zero;
 * 2. the minor units left over go, one each, to the parts with the largest remainders; ties go to the
 *    lower index, so the result is deterministic and a larger weight never gets a smaller part.
 *
 * Each part is within one minor unit of its exact share `total × wᵢ / Σw`; a zero weight gets zero.
 * A negative total is split as the mirror image of its absolute value.
 *
 * @throws ValidationError when `weights` is empty, holds a negative or non-integer weight, or sums to 0.
 * @example
 * ```ts
 * allocate(money(100, 'EUR'), [1, 1, 1]).map((m) => m.amountMinor); // [34, 33, 33]
 * allocate(money(-5, 'EUR'), [1, 1]).map((m) => m.amountMinor); // [-3, -2]
 * ```
 */
export function allocate(total: Money, weights: readonly number[]): Money[] {
  checkMoney(total, 'allocation', 'total');
  if (!Array.isArray(weights)) fail('allocation', 'weights', 'must be an array of integers');
  if (weights.length === 0) fail('allocation', 'weights', 'must contain at least one weight');
  const w = weights.map((x, i) => {
    if (!Number.isSafeInteger(x) || x < 0)
      fail('allocation', `weights.${i}`, 'must be a non-negative safe integer');
    return BigInt(x);
  });
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) fail('allocation', 'weights', 'must not all be zero');

  const negative = total.amountMinor < 0;
  const t = BigInt(Math.abs(total.amountMinor));
  const parts = w.map((wi) => (t * wi) / sum);
  const remainders = w.map((wi) => (t * wi) % sum);
  let leftover = t - parts.reduce((a, b) => a + b, 0n);
  // Leftover < number of non-zero remainders (each remainder < Σw), so zero weights never receive one.
  const order = remainders
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of order) {
    if (leftover === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts.map((p) => ({ amountMinor: Number(negative ? -p : p), currency: total.currency }));
}
