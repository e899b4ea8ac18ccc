import { describe, expect, test } from 'vitest';
import { isPetError } from '../kernel/index.js';
import {
  businessCalendarSchema,
  parseBusinessCalendar,
  reviseCalendar,
  snapshotCalendar,
} from './calendar.js';
import { CALENDAR_ID, calendar } from './test-support.test.js';

const valid = {
  calendarId: CALENDAR_ID,
  version: 1,
  timeZone: 'Europe/London',
  windows: [
    { weekday: 1, startMinute: 780, endMinute: 1020 },
    { weekday: 1, startMinute: 540, endMinute: 720 },
  ],
  holidays: ['2026-12-25'],
};

function issues(raw: unknown): string[] {
  try {
    parseBusinessCalendar(raw);
    return [];
  } catch (e) {
    if (!isPetError(e, 'VALIDATION_FAILED')) throw e;
    return (e.details['issues'] as { field: string; rule: string }[]).map((i) => `${i.field}: ${i.rule}`);
  }
}

describe('business calendar value', () => {
  test('a calendar with split shifts and a holiday parses, and is plain JSON', () => {
    const cal = parseBusinessCalendar(valid);
    expect(JSON.parse(JSON.stringify(cal))).toEqual(cal);
    expect(businessCalendarSchema.safeParse(cal).success).toBe(true);
  });

  test('bad input names the field and the rule', () => {
    expect(issues({ ...valid, timeZone: 'Mars/Olympus' })).toEqual([
      'timeZone: must be an IANA time zone id, e.g. Europe/London',
    ]);
    expect(issues({ ...valid, version: 0 })).toEqual(['version: must be at least 1']);
    expect(issues({ ...valid, windows: [] })).toEqual(['windows: needs at least one working window']);
    expect(issues({ ...valid, windows: [{ weekday: 8, startMinute: 0, endMinute: 60 }] })[0]).toMatch(
      /^windows.0.weekday: must be 1/,
    );
    expect(issues({ ...valid, windows: [{ weekday: 1, startMinute: 600, endMinute: 600 }] })).toEqual([
      'windows.0.endMinute: endMinute must be after startMinute',
    ]);
    expect(
      issues({
        ...valid,
        windows: [
          { weekday: 2, startMinute: 540, endMinute: 721 },
          { weekday: 2, startMinute: 720, endMinute: 1020 },
        ],
      }),
    ).toEqual(['windows: windows of one weekday must not overlap']);
    expect(issues({ ...valid, holidays: ['2026-02-30'] })).toEqual([
      'holidays.0: must be a real calendar date',
    ]);
    expect(issues({ ...valid, holidays: ['2026-12-25', '2026-12-25'] })).toEqual([
      'holidays: must not list a date twice',
    ]);
  });

  test('windows of different weekdays may touch or repeat; adjacent windows of one weekday do not overlap', () => {
    expect(
      issues({
        ...valid,
        windows: [
          { weekday: 3, startMinute: 0, endMinute: 720 },
          { weekday: 3, startMinute: 720, endMinute: 1440 },
          { weekday: 4, startMinute: 0, endMinute: 1440 },
        ],
      }),
    ).toEqual([]);
  });

  test('a snapshot is normalised: equal calendars give byte-equal JSON', () => {
    const a = parseBusinessCalendar(valid);
    const b = parseBusinessCalendar({ ...valid, windows: [...valid.windows].reverse() });
    expect(JSON.stringify(snapshotCalendar(a))).toBe(JSON.stringify(snapshotCalendar(b)));
    expect(snapshotCalendar(a).windows.map((w) => w.startMinute)).toEqual([540, 780]);
  });

  test('a revision is a new version; the old value is untouched', () => {
    const v1 = calendar('Europe/London', [[540, 1020]]);
    const v2 = reviseCalendar(v1, { holidays: ['2027-01-01' as never], timeZone: 'Europe/Dublin' });
    expect(v2.version).toBe(2);
    expect(v2.timeZone).toBe('Europe/Dublin');
    expect(v1.holidays).toEqual([]);
    expect(v1.version).toBe(1);
    expect(() => reviseCalendar(v1, { windows: [] })).toThrow(/at least one working window/);
  });
});
