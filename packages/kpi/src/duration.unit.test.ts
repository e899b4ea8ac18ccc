import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.js';

describe('formatDuration', () => {
  it('prints days and hours normalised, hours and minutes below a day, minutes below an hour', () => {
    expect(formatDuration(7 * 1440)).toBe('7 d 0 h');
    // Rounds to the hour before splitting: 6 days 23 h 59 min is 7 d 0 h, not 6 d 24 h.
    expect(formatDuration(7 * 1440 - 1)).toBe('7 d 0 h');
    expect(formatDuration(1440 + 89)).toBe('1 d 1 h');
    expect(formatDuration(1439)).toBe('23 h 59 min');
    expect(formatDuration(310)).toBe('5 h 10 min');
    expect(formatDuration(45)).toBe('45 min');
    expect(formatDuration(0)).toBe('0 min');
    expect(formatDuration(-150)).toBe('−2 h 30 min');
  });

  test.prop([fc.integer({ min: 0, max: 10_000_000 })], { numRuns: 200 })(
    'never prints 24 h or 60 min, and the parts add up to the duration (to the hour from a day up)',
    (minutes) => {
      const text = formatDuration(minutes);
      const d = /(\d+) d/.exec(text);
      const h = /(\d+) h/.exec(text);
      const m = /(\d+) min/.exec(text);
      const hours = Number(h?.[1] ?? 0);
      const mins = Number(m?.[1] ?? 0);
      expect(hours).toBeLessThan(24);
      expect(mins).toBeLessThan(60);
      const total = Number(d?.[1] ?? 0) * 1440 + hours * 60 + mins;
      if (d === null) expect(total).toBe(minutes);
      else expect(Math.abs(total - minutes)).toBeLessThanOrEqual(30);
    },
  );
});
