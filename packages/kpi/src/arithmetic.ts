import { divideRounded, PetError } from '@pet-ops/core';

/** amount × bp ÷ 10 000, rounded half-even; plain numbers while the product is exact, else bigint. */
export function weighted(amount: number, bp: number): number {
  const product = amount * bp;
  if (!Number.isSafeInteger(product)) return Number(divideRounded(BigInt(amount) * BigInt(bp), 10_000n));
  const q = Math.trunc(product / 10_000);
  const r = Math.abs(product - q * 10_000);
  if (r < 5000 || (r === 5000 && q % 2 === 0)) return q;
  return product < 0 ? q - 1 : q + 1;
}

/** Below this magnitude a ÷ b is exact in doubles: its truncation and remainder need no bigint. */
const EXACT = 2 ** 31;

/**
 * a ÷ b (integers, b ≠ 0) rounded half-even, as `divideRounded` computes it: plain numbers while both are
 * below 2^31 in magnitude (the double quotient then never rounds across an integer), else bigint.
 *
 * @example `divideHalfEven(5, 2)` → `2`; `divideHalfEven(-7, 2)` → `-4`
 */
export function divideHalfEven(a: number, b: number): number {
  if (a >= EXACT || a <= -EXACT || b >= EXACT || b <= -EXACT || !Number.isInteger(a) || !Number.isInteger(b))
    return Number(divideRounded(BigInt(a), BigInt(b)));
  if (b === 0) return Number(divideRounded(BigInt(a), 0n));
  const q = Math.trunc(a / b);
  const r = Math.abs(a - q * b);
  const half = Math.abs(b);
  // `q + 0`: a quotient of 0 from a negative operand is -0 in doubles, 0 as a bigint.
  if (r === 0 || 2 * r < half || (2 * r === half && q % 2 === 0)) return q + 0;
  return a < 0 !== b < 0 ? q - 1 : q + 1;
}

/** a × 10 000 ÷ b rounded half-even: a ratio in basis points (see {@link divideHalfEven}). @example `ratioBp(1, 3)` → `3333` */
export function ratioBp(a: number, b: number): number {
  const scaled = a * 10_000;
  return Number.isSafeInteger(scaled)
    ? divideHalfEven(scaled, b)
    : Number(divideRounded(BigInt(a) * 10_000n, BigInt(b)));
}

/** a + b, refusing a sum outside the safe integer range (a KPI sum never loses precision silently). */
export function safeAdd(a: number, b: number): number {
  const r = a + b;
  if (!Number.isSafeInteger(r)) {
    throw new PetError('VALIDATION_FAILED', 'a KPI sum left the safe integer range (2^53)', {
      details: { a, b },
    });
  }
  return r;
}
