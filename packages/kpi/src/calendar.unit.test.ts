import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createLocalCalendar, nextPeriod, type PeriodGrid, periodOf } from './calendar.js';
import { intlLocalDate } from './test-support.test.js';

const instant = (ms: number): string => `${new Date(ms).toISOString().slice(0, 23)}000Z`;

describe('local calendar', () => {
  it('maps instants to the local day across DST changes and fractional offsets', () => {
    const berlin = createLocalCalendar('Europe/Berlin');
    expect(berlin.localDate('2026-03-28T22:59:59.999999Z')).toBe('2026-03-28'); // CET, 23:59
    expect(berlin.localDate('2026-03-28T23:00:00.000000Z')).toBe('2026-03-29'); // CET midnight
    expect(berlin.localDate('2026-03-29T21:59:59.999999Z')).toBe('2026-03-29'); // CEST, 23:59
    expect(berlin.localDate('2026-03-29T22:00:00.000000Z')).toBe('2026-03-30');
    const kolkata = createLocalCalendar('Asia/Kolkata'); // UTC+05:30
    expect(kolkata.localDate('2026-06-30T18:29:59.999999Z')).toBe('2026-06-30');
    expect(kolkata.localDate('2026-06-30T18:30:00.000000Z')).toBe('2026-07-01');
    const honolulu = createLocalCalendar('Pacific/Honolulu'); // UTC−10
    expect(honolulu.localDate('2026-01-01T09:59:00.000000Z')).toBe('2025-12-31');
  });

  test.prop([
    fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
    fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'),
  ])('agrees with Intl for every instant', (ms, zone) => {
    expect(createLocalCalendar(zone).localDate(instant(ms))).toBe(intlLocalDate(zone, ms));
  });
});

describe('period grid', () => {
  it('weeks are ISO weeks; months and quarters are calendar ones', () => {
    expect(periodOf('2026-05-14', 'week')).toEqual({ start: '2026-05-11', end: '2026-05-17' });
    expect(periodOf('2026-05-17', 'week')).toEqual({ start: '2026-05-11', end: '2026-05-17' });
    expect(periodOf('2028-02-10', 'month')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
    expect(periodOf('2026-12-31', 'quarter')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(nextPeriod(periodOf('2026-12-31', 'quarter'), 'quarter')).toEqual({
      start: '2027-01-01',
      end: '2027-03-31',
    });
  });

  test.prop([
    fc.integer({ min: 0, max: 20_000 }),
    fc.constantFrom<PeriodGrid>('day', 'week', 'month', 'quarter'),
  ])(
    'periods tile the calendar: each contains its day and the next starts the day after its end',
    (offset, grid) => {
      const date = new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
      const p = periodOf(date, grid);
      expect(p.start <= date && date <= p.end).toBe(true);
      const next = nextPeriod(p, grid);
      expect(Date.parse(next.start) - Date.parse(p.end)).toBe(86_400_000);
      expect(periodOf(p.start, grid)).toEqual(p);
    },
  );
});
