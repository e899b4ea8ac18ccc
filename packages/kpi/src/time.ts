/**
 * Instants as the fold reads them: epoch milliseconds of an ISO instant in integer arithmetic (once per
 * applied event), and numbers as text without V8's number-string cache.
 */

const DAY_MS = 86_400_000;

/** The decimal number written in `s[from, to)` (digits only). */
export const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
};

/**
 * A number's decimal text without V8's number-string cache: `String(n)` and `n.toString()` keep each
 * text in a strong cache of up to 16K entries, so converting many distinct numbers (a checkpoint's
 * positions) keeps ~400 KB of young strings alive at every scavenge, and V8 grows its young generation
 * once enough bytes have survived. `JSON.stringify` of a finite number gives the same text, uncached.
 */
export const numberText = (n: number): string => JSON.stringify(n);

/** Days from 1970-01-01 to a proleptic Gregorian date (month 1–12), in integer arithmetic. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Epoch ms of an ISO instant (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), computed once per applied event: `Date.parse` costs microseconds, `Date.UTC` a runtime call. */
export function epochMs(at: string): number {
  return (
    daysFromCivil(digits(at, 0, 4), digits(at, 5, 7), digits(at, 8, 10)) * DAY_MS +
    digits(at, 11, 13) * 3_600_000 +
    digits(at, 14, 16) * 60_000 +
    digits(at, 17, 19) * 1000 +
    (at.length > 20 ? digits(at, 20, 23) : 0)
  );
}
