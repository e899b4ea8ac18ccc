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
