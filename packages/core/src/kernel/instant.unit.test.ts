import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { instantSchema, isInstant } from './instant.js';

/** The reference: the date and time exist when `Date` parses the text and prints it back the same. */
function byDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(s)) return false;
  const ms = Date.parse(s);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === s.slice(0, 19);
}

const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));

describe('isInstant', () => {
  test.prop(
    [
      digits(4, 9999),
      digits(2, 14),
      digits(2, 33),
      digits(2, 26),
      digits(2, 61),
      digits(2, 61),
      digits(6, 999_999),
    ],
    { numRuns: 5000 },
  )(
    'property: it agrees with Date parsing and printing back on every date and time of the shape, leap years, month ends, 24:00 and :60 included',
    (y, mo, d, h, mi, sec, us) => {
      const s = `${y}-${mo}-${d}T${h}:${mi}:${sec}.${us}Z`;
      expect(isInstant(s), s).toBe(byDate(s));
      expect(instantSchema.safeParse(s).success, s).toBe(byDate(s));
    },
  );

  test.each([
    ['2024-02-29T00:00:00.000000Z', true],
    ['2100-02-29T00:00:00.000000Z', false],
    ['2000-02-29T23:59:59.999999Z', true],
    ['2026-04-31T00:00:00.000000Z', false],
    ['2026-12-31T24:00:00.000000Z', false],
    ['2026-12-31T23:59:60.000000Z', false],
    ['2026-00-10T00:00:00.000000Z', false],
    ['2026-01-00T00:00:00.000000Z', false],
    ['2026-01-01T00:00:00Z', false],
  ])('%s → %s', (s, ok) => {
    expect(isInstant(s)).toBe(ok);
    expect(byDate(s)).toBe(ok);
  });
});
