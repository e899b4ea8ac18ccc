import { describe, expect, test } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isBusinessMinute,
  tryAddBusinessMinutes,
  workingMinutesOn,
} from './business-minutes.js';
import type { LocalDate } from './calendar.js';
import { calendar, iso } from './test-support.test.js';

// 09:00–12:00 and 13:00–17:00 on weekdays (a lunch break): 420 minutes a day.
const office = calendar('Europe/London', [
  [540, 720],
  [780, 1020],
]);
const allWeek = (zone: string, windows: readonly (readonly [number, number])[] = [[0, 1440]]) =>
  calendar(zone, windows, { weekdays: [1, 2, 3, 4, 5, 6, 7] });

describe('business minutes in one zone without a transition', () => {
  test('start inclusive, end exclusive, minute granularity', () => {
    expect(businessMinutesBetween(office, iso('2026-03-02T09:00Z'), iso('2026-03-02T10:30Z'))).toBe(90);
    expect(businessMinutesBetween(office, iso('2026-03-02T09:00:59Z'), iso('2026-03-02T09:01Z'))).toBe(1);
    expect(businessMinutesBetween(office, iso('2026-03-02T08:00Z'), iso('2026-03-02T18:00Z'))).toBe(420);
    expect(businessMinutesBetween(office, iso('2026-03-02T10:00Z'), iso('2026-03-02T10:00Z'))).toBe(0);
    expect(businessMinutesBetween(office, iso('2026-03-02T11:00Z'), iso('2026-03-02T10:00Z'))).toBe(0);
  });

  test('the lunch break, the weekend and holidays do not count', () => {
    expect(businessMinutesBetween(office, iso('2026-03-02T11:30Z'), iso('2026-03-02T13:30Z'))).toBe(60);
    // Friday 16:00 → Monday 10:00: 60 + 60.
    expect(businessMinutesBetween(office, iso('2026-03-06T16:00Z'), iso('2026-03-09T10:00Z'))).toBe(120);
    const xmas = calendar('Europe/London', [[540, 1020]], { holidays: ['2026-12-25'] });
    expect(businessMinutesBetween(xmas, iso('2026-12-24T16:00Z'), iso('2026-12-28T10:00Z'))).toBe(120);
    expect(isBusinessMinute(xmas, iso('2026-12-25T10:00Z'))).toBe(false);
    expect(isBusinessMinute(xmas, iso('2026-12-28T09:00Z'))).toBe(true);
  });

  test('due = start + N business minutes, walking over lunch, nights and weekends', () => {
    expect(addBusinessMinutes(office, iso('2026-03-02T09:00Z'), 0)).toBe(iso('2026-03-02T09:00Z'));
    expect(addBusinessMinutes(office, iso('2026-03-02T09:00:30Z'), 0)).toBe(iso('2026-03-02T09:00Z'));
    expect(addBusinessMinutes(office, iso('2026-03-02T09:00Z'), 180)).toBe(iso('2026-03-02T12:00Z'));
    expect(addBusinessMinutes(office, iso('2026-03-02T09:00Z'), 181)).toBe(iso('2026-03-02T13:01Z'));
    expect(addBusinessMinutes(office, iso('2026-03-06T16:00Z'), 120)).toBe(iso('2026-03-09T10:00Z'));
    // Opened on a Saturday: the clock starts on Monday at 09:00.
    expect(addBusinessMinutes(office, iso('2026-03-07T10:00Z'), 30)).toBe(iso('2026-03-09T09:30Z'));
    expect(() => addBusinessMinutes(office, iso('2026-03-02T09:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(office, iso('2026-03-02T09:00Z'), 1.5)).toThrow(RangeError);
  });

  test('a sparse calendar: a due instant beyond the 20-year horizon is null (try) or a RangeError, never a search without end', () => {
    // One business minute a week, Mondays 09:00–09:01 UTC: about 1,043 minutes in 20 years.
    const sparse = calendar('UTC', [[540, 541]], { weekdays: [1] });
    expect(tryAddBusinessMinutes(sparse, iso('2026-03-02T09:00Z'), 1_000)).toBe(iso('2045-04-24T09:01Z'));
    expect(tryAddBusinessMinutes(sparse, iso('2026-03-02T09:00Z'), 2_000)).toBeNull();
    expect(() => addBusinessMinutes(sparse, iso('2026-03-02T09:00Z'), 2_000)).toThrow(/within 20 years/);
    expect(() => tryAddBusinessMinutes(sparse, iso('2026-03-02T09:00Z'), -1)).toThrow(RangeError);
  });

  test('windows are read in the calendar zone: New York 09:00 is 14:00 UTC in winter, 13:00 in summer', () => {
    const ny = calendar('America/New_York', [[540, 1020]]);
    expect(isBusinessMinute(ny, iso('2026-01-05T14:00Z'))).toBe(true);
    expect(isBusinessMinute(ny, iso('2026-01-05T13:59Z'))).toBe(false);
    expect(isBusinessMinute(ny, iso('2026-07-06T13:00Z'))).toBe(true);
    expect(addBusinessMinutes(ny, iso('2026-01-05T00:00Z'), 60)).toBe(iso('2026-01-05T15:00Z'));
  });

  test('a :45 offset: Chatham 09:00 on a winter (NZST+0:45) Monday is 20:15 UTC the day before', () => {
    const chatham = calendar('Pacific/Chatham', [[540, 1020]]);
    expect(addBusinessMinutes(chatham, iso('2026-07-05T00:00Z'), 1)).toBe(iso('2026-07-05T20:16Z'));
  });

  test('working minutes of a local date', () => {
    expect(workingMinutesOn(office, '2026-03-02' as LocalDate)).toBe(420);
    expect(workingMinutesOn(office, '2026-03-07' as LocalDate)).toBe(0);
    const xmas = calendar('Europe/London', [[540, 1020]], { holidays: ['2026-12-25'] });
    expect(workingMinutesOn(xmas, '2026-12-25' as LocalDate)).toBe(0);
  });
});

describe('DST nights with a window covering them', () => {
  test('Europe/London spring forward (2026-03-29, 01:00 → 02:00): the skipped hour counts 0', () => {
    const night = allWeek('Europe/London', [[0, 240]]);
    expect(workingMinutesOn(night, '2026-03-29' as LocalDate)).toBe(180);
    expect(workingMinutesOn(allWeek('Europe/London'), '2026-03-29' as LocalDate)).toBe(1380);
    // 00:30 GMT + 60 business minutes: 30 before the jump, 30 after it (02:30 BST = 01:30 UTC).
    expect(addBusinessMinutes(night, iso('2026-03-29T00:30Z'), 60)).toBe(iso('2026-03-29T01:30Z'));
    expect(businessMinutesBetween(night, iso('2026-03-29T00:00Z'), iso('2026-03-29T03:00Z'))).toBe(180);
  });

  test('Europe/London fall back (2026-10-25, 02:00 BST → 01:00 GMT): the repeated hour counts once', () => {
    const night = allWeek('Europe/London', [[0, 240]]);
    expect(workingMinutesOn(night, '2026-10-25' as LocalDate)).toBe(240);
    expect(workingMinutesOn(allWeek('Europe/London'), '2026-10-25' as LocalDate)).toBe(1440);
    // 00:30 BST (23:30 UTC) + 120: 00:30–02:00 BST (90), the repeated 01:00–02:00 GMT skipped, 02:00–02:30 GMT.
    expect(addBusinessMinutes(night, iso('2026-10-24T23:30Z'), 120)).toBe(iso('2026-10-25T02:30Z'));
    // The repeated hour itself (01:00–02:00 UTC = the second 01:00–02:00 local) holds no business minute.
    expect(businessMinutesBetween(night, iso('2026-10-25T01:00Z'), iso('2026-10-25T02:00Z'))).toBe(0);
    expect(businessMinutesBetween(night, iso('2026-10-24T23:00Z'), iso('2026-10-25T04:00Z'))).toBe(240);
  });

  test('America/New_York spring forward (2026-03-08) and fall back (2026-11-01)', () => {
    const night = allWeek('America/New_York', [[60, 240]]);
    expect(workingMinutesOn(night, '2026-03-08' as LocalDate)).toBe(120);
    expect(workingMinutesOn(night, '2026-11-01' as LocalDate)).toBe(180);
    // 01:30 EST (06:30 UTC) + 60 → 03:30 EDT (07:30 UTC).
    expect(addBusinessMinutes(night, iso('2026-03-08T06:30Z'), 60)).toBe(iso('2026-03-08T07:30Z'));
    // 01:30 EDT (05:30 UTC) + 60 → 02:30 EST (07:30 UTC): the second 01:30–02:00 is not counted again.
    expect(addBusinessMinutes(night, iso('2026-11-01T05:30Z'), 60)).toBe(iso('2026-11-01T07:30Z'));
  });

  test('a start inside the repeated hour does not count walls already lived', () => {
    const night = allWeek('America/New_York', [[60, 240]]);
    // 06:15 UTC = the second 01:15 (EST); the first 01:15–02:00 already happened.
    expect(businessMinutesBetween(night, iso('2026-11-01T06:15Z'), iso('2026-11-01T07:00Z'))).toBe(0);
    expect(addBusinessMinutes(night, iso('2026-11-01T06:15Z'), 1)).toBe(iso('2026-11-01T07:01Z'));
  });

  test('Australia/Lord_Howe half-hour DST: 30 minutes skipped in October, repeated in April', () => {
    const night = allWeek('Australia/Lord_Howe', [[60, 240]]);
    expect(workingMinutesOn(night, '2026-10-04' as LocalDate)).toBe(150);
    expect(workingMinutesOn(night, '2026-04-05' as LocalDate)).toBe(180);
  });
});
