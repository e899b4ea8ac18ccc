/**
 * Helpers shared by the calendar tests (and the support context's tests): calendars, instants, and a
 * deliberately simple minute-by-minute reference built on Temporal alone.
 */
import { fc } from '@fast-check/vitest';
import { Temporal } from 'temporal-polyfill';
import type { Instant } from '../kernel/index.js';
import type { BusinessCalendar, CalendarId, LocalDate, Weekday, WorkingWindow } from './calendar.js';

export const CALENDAR_ID = '019b76da-a800-7000-8000-00000000ca1e' as CalendarId;

/** A calendar with the same windows (minutes after midnight) on the given weekdays. */
export function calendar(
  timeZone: string,
  windows: readonly (readonly [number, number])[],
  options: { weekdays?: readonly Weekday[]; holidays?: readonly string[]; version?: number } = {},
): BusinessCalendar {
  const weekdays = options.weekdays ?? [1, 2, 3, 4, 5];
  return {
    calendarId: CALENDAR_ID,
    version: options.version ?? 1,
    timeZone,
    windows: weekdays.flatMap((weekday) =>
      windows.map(([startMinute, endMinute]) => ({ weekday, startMinute, endMinute })),
    ),
    holidays: (options.holidays ?? []) as LocalDate[],
  };
}

/** An instant from an ISO string without fraction digits, e.g. `iso('2026-03-02T09:00Z')`. */
export const iso = (s: string): Instant => new Date(s).toISOString().replace('Z', '000Z') as Instant;

/** Epoch minute of an ISO string. */
export const minuteOf = (s: string): number => Date.parse(s) / 60_000;

/** Zones with every kind of rule: DST both hemispheres, none, half-hour and :45 offsets, suspended DST. */
export const ZONES: readonly string[] = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Berlin',
  'Europe/Lisbon',
  'Europe/Moscow',
  'Europe/Kyiv',
  'Europe/Istanbul',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'America/Halifax',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Santiago',
  'America/Asuncion',
  'America/Havana',
  'America/Mexico_City',
  'Pacific/Honolulu',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Australia/Sydney',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Asia/Jerusalem',
  'Asia/Beirut',
  'Asia/Gaza',
  'Asia/Tokyo',
  'Africa/Casablanca',
  'Africa/Cairo',
];

/** The wall-clock facts of one minute the reference needs, straight from Temporal. */
interface MinuteFacts {
  readonly date: string;
  readonly weekday: number;
  readonly wall: number;
  /** False for the second occurrence of a repeated wall time (the fall-back hour). */
  readonly first: boolean;
}

function minuteFacts(zone: string, epochMinute: number): MinuteFacts {
  const zdt = Temporal.Instant.fromEpochMilliseconds(epochMinute * 60_000).toZonedDateTimeISO(zone);
  const earlier = zdt.toPlainDateTime().toZonedDateTime(zone, { disambiguation: 'earlier' });
  return {
    date: zdt.toPlainDate().toString(),
    weekday: zdt.dayOfWeek,
    wall: zdt.hour * 60 + zdt.minute,
    first: earlier.epochMilliseconds === zdt.epochMilliseconds,
  };
}

function businessByFacts(cal: BusinessCalendar, f: MinuteFacts): boolean {
  return (
    f.first &&
    !cal.holidays.includes(f.date as LocalDate) &&
    cal.windows.some((w) => w.weekday === f.weekday && w.startMinute <= f.wall && f.wall < w.endMinute)
  );
}

/** Minute-by-minute reference: is the minute starting at `epochMinute` a business minute? */
export function referenceIsBusiness(cal: BusinessCalendar, epochMinute: number): boolean {
  return businessByFacts(cal, minuteFacts(cal.timeZone, epochMinute));
}

/**
 * Reference prefix sums over `[from, from + length)` for calendars of one zone: `prefix[c][i]` = business
 * minutes of calendar `c` in `[from, from + i)`.
 */
export function referencePrefixes(
  cals: readonly BusinessCalendar[],
  from: number,
  length: number,
): Int32Array[] {
  const out = cals.map(() => new Int32Array(length + 1));
  const zone = cals[0]?.timeZone ?? 'UTC';
  for (let i = 0; i < length; i++) {
    const f = minuteFacts(zone, from + i);
    cals.forEach((cal, c) => {
      const p = out[c] as Int32Array;
      p[i + 1] = (p[i] ?? 0) + (businessByFacts(cal, f) ? 1 : 0);
    });
  }
  return out;
}

/** {@link referencePrefixes} for one calendar. */
export function referencePrefix(cal: BusinessCalendar, from: number, length: number): Int32Array {
  return referencePrefixes([cal], from, length)[0] as Int32Array;
}

/** Every offset transition of `zone` in `[from, to)` (epoch ms), straight from Temporal. */
export function transitionsOf(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  let z: Temporal.ZonedDateTime | null =
    Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(zone);
  for (;;) {
    z = z.getTimeZoneTransition('next');
    if (z === null || z.epochMilliseconds >= to) return out;
    out.push(z.epochMilliseconds);
  }
}

const windowsArb: fc.Arbitrary<readonly (readonly [number, number])[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 0, maxLength: 4 })
  .map((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push([sorted[i] ?? 0, sorted[i + 1] ?? 0]);
    return out;
  });

/** Epoch minutes from 2020 to 2030. */
export const epochMinuteArb: fc.Arbitrary<number> = fc.integer({
  min: minuteOf('2020-01-01T00:00Z'),
  max: minuteOf('2030-12-31T00:00Z'),
});

/** The local date `days` after the date of `epochMinute` in `zone`. */
export function localDateNear(zone: string, epochMinute: number, days: number): LocalDate {
  return Temporal.Instant.fromEpochMilliseconds(epochMinute * 60_000)
    .toZonedDateTimeISO(zone)
    .toPlainDate()
    .add({ days })
    .toString() as LocalDate;
}

/**
 * A random start instant (2020–2030) and a random calendar: any zone of `zones`, 0–2 windows a weekday
 * (split shifts, night windows), and up to four holidays within three weeks of the start.
 */
export const scenarioArb = (
  zones: readonly string[] = ZONES,
): fc.Arbitrary<{ readonly cal: BusinessCalendar; readonly start: number }> =>
  fc
    .record({
      timeZone: fc.constantFrom(...zones),
      week: fc.array(windowsArb, { minLength: 7, maxLength: 7 }),
      holidays: fc.uniqueArray(fc.integer({ min: -2, max: 20 }), { maxLength: 4 }),
      start: epochMinuteArb,
    })
    .map(({ timeZone, week, holidays, start }) => {
      const windows: WorkingWindow[] = week.flatMap((list, i) =>
        list.map(([startMinute, endMinute]) => ({ weekday: (i + 1) as Weekday, startMinute, endMinute })),
      );
      if (windows.length === 0) windows.push({ weekday: 1, startMinute: 540, endMinute: 1020 });
      const cal: BusinessCalendar = {
        calendarId: CALENDAR_ID,
        version: 1,
        timeZone,
        windows,
        holidays: holidays.map((d) => localDateNear(timeZone, start, d)),
      };
      return { cal, start };
    });
