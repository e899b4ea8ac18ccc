import { z } from 'zod';
import { ValidationError } from './errors.js';

/**
 * How a division that does not come out even is rounded to an integer. The one rounding rule set of the
 * library; every money computation goes through {@link divideRounded}. The modes are symmetric around
 * zero (like `java.math.RoundingMode`), so `round(-x) = -round(x)`:
 *
 * - `half-even` (default, "banker's rounding"): to the nearest integer, ties to the even neighbour —
 *   no systematic drift when many amounts are rounded and summed;
 * - `half-up`: to the nearest integer, ties away from zero (the school rule);
 * - `down`: towards zero (truncation);
 * - `up`: away from zero.
 */
export type RoundingMode = 'half-even' | 'half-up' | 'down' | 'up';

/** The rounding mode used when none is given. @example `divideRounded(5n, 2n)` → `2n` (half-even) */
export const DEFAULT_ROUNDING: RoundingMode = 'half-even';

/** Zod schema of a {@link RoundingMode}. @example `roundingModeSchema.parse('half-up')` */
export const roundingModeSchema: z.ZodType<RoundingMode> = z.enum(['half-even', 'half-up', 'down', 'up']);

/**
 * Divides two integers exactly and rounds the quotient with `mode`. Works on `bigint` so that no
 * intermediate product (amount × rate × minutes…) ever loses precision.
 *
 * @throws ValidationError (`VALIDATION_FAILED`) when `denominator` is 0 or `mode` is unknown.
 * @example
 * ```ts
 * divideRounded(5n, 2n, 'half-even'); // 2n
 * divideRounded(5n, 2n, 'half-up'); // 3n
 * divideRounded(-5n, 2n, 'half-up'); // -3n
 * divideRounded(7n, 2n, 'down'); // 3n
 * ```
 */
export function divideRounded(
  numerator: bigint,
  denominator: bigint,
  mode: RoundingMode = DEFAULT_ROUNDING,
): bigint {
  if (typeof numerator !== 'bigint') {
    throw new ValidationError('division', [{ field: 'numerator', rule: 'must be a bigint' }]);
  }
  if (typeof denominator !== 'bigint') {
    throw new ValidationError('division', [{ field: 'denominator', rule: 'must be a bigint' }]);
  }
  if (denominator === 0n) {
    throw new ValidationError('division', [{ field: 'denominator', rule: 'must not be zero' }]);
  }
  const quotient = numerator / denominator; // truncates towards zero
  const remainder = numerator % denominator; // has the sign of the numerator
  if (remainder === 0n) return quotient;
  const awayFromZero = numerator < 0n !== denominator < 0n ? quotient - 1n : quotient + 1n;
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  const absDenominator = denominator < 0n ? -denominator : denominator;
  switch (mode) {
    case 'down':
      return quotient;
    case 'up':
      return awayFromZero;
    case 'half-up':
      return twiceRemainder >= absDenominator ? awayFromZero : quotient;
    case 'half-even':
      if (twiceRemainder > absDenominator) return awayFromZero;
      if (twiceRemainder < absDenominator) return quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
    default:
      throw new ValidationError('rounding', [
        {
          field: 'mode',
          rule: `must be one of half-even, half-up, down, up (got ${typeof (mode as unknown) === 'string' ? String(mode).slice(0, 32) : typeof mode})`,
        },
      ]);
  }
}
