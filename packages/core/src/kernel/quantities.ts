import { z } from 'zod';
import type { Brand } from './ids.js';
import { parseInput } from './validation.js';

/** A duration in whole minutes (never fractional hours). May be negative for corrections. */
export type Minutes = Brand<number, 'Minutes'>;

/** A ratio in basis points: 1 bp = 0.01 %, 10 000 bp = 100 %. Percentages and probabilities use it. */
export type BasisPoints = Brand<number, 'BasisPoints'>;

/** Zod schema of {@link Minutes}: a safe integer. @example `minutesSchema.parse(90)` */
export const minutesSchema: z.ZodType<Minutes, number> = z
  .number()
  .int('must be a whole number of minutes') as unknown as z.ZodType<Minutes, number>;

/** Zod schema of {@link BasisPoints}: a safe integer. @example `basisPointsSchema.parse(2500)` // 25 % */
export const basisPointsSchema: z.ZodType<BasisPoints, number> = z
  .number()
  .int('must be a whole number of basis points') as unknown as z.ZodType<BasisPoints, number>;

/** Zod schema of a probability in basis points, 0..10 000 (0 %..100 %). @example `probabilityBpSchema.parse(7500)` */
export const probabilityBpSchema: z.ZodType<BasisPoints, number> = z
  .number()
  .int('must be a whole number of basis points')
  .min(0, 'must be at least 0 bp')
  .max(10_000, 'must be at most 10000 bp (100 %)') as unknown as z.ZodType<BasisPoints, number>;

/**
 * Makes {@link Minutes}, throwing a `ValidationError` unless `value` is a safe integer.
 *
 * @example
 * ```ts
 * const m = minutes(90);
 * ```
 */
export function minutes(value: number): Minutes {
  return parseInput(minutesSchema, value, 'minutes');
}

/**
 * Makes {@link BasisPoints}, throwing a `ValidationError` unless `value` is a safe integer.
 *
 * @example
 * ```ts
 * const discount = basisPoints(1250); // 12.5 %
 * ```
 */
export function basisPoints(value: number): BasisPoints {
  return parseInput(basisPointsSchema, value, 'basis points');
}
