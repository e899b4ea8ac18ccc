import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { minuteOf } from './test-support.test.js';
import { foldWatermark, pieceAt, utcYear, yearStart } from './zone-rules.js';

describe('zone rules (cached Temporal answers)', () => {
  test.prop([fc.integer({ min: 1600, max: 2600 })])('yearStart is Date.UTC(year, 0, 1)', (year) => {
    expect(yearStart(year)).toBe(Date.UTC(year, 0, 1) / 60_000);
  });

  test.prop([fc.integer({ min: -200_000_000, max: 300_000_000 })])(
    'utcYear is the UTC year of the minute',
    (m) => {
      expect(utcYear(m)).toBe(new Date(m * 60_000).getUTCFullYear());
    },
  );

  test('London: GMT until the spring transition, then BST; a fall-back leaves a watermark one hour ahead', () => {
    expect(pieceAt('Europe/London', minuteOf('2026-03-29T00:59Z'))).toEqual({
      offset: 0,
      end: minuteOf('2026-03-29T01:00Z'),
    });
    expect(pieceAt('Europe/London', minuteOf('2026-03-29T01:00Z'))).toEqual({
      offset: 60,
      end: minuteOf('2026-10-25T01:00Z'),
    });
    // After 02:00 BST (01:00 UTC) on 25 October the clock shows 01:00 GMT again: walls up to 02:00 were lived.
    expect(foldWatermark('Europe/London', minuteOf('2026-10-25T01:30Z'))).toBe(minuteOf('2026-10-25T02:00Z'));
    expect(foldWatermark('Asia/Tokyo', minuteOf('2026-10-25T01:30Z'))).toBe(Number.NEGATIVE_INFINITY);
  });
});
