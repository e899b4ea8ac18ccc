import { ValidationError } from '@pet-ops/core';

/** The period grids results are computed on, in the organisation's time zone. */
export type PeriodGrid = 'day' | 'week' | 'month' | 'quarter';

/** One period of a grid: first and last local calendar day, both inclusive (`YYYY-MM-DD`). */
export interface Period {
  readonly start: string;
  readonly end: string;
}

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function utcMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/**
 * The period of `grid` that contains the local calendar day `date`. Weeks are ISO weeks (Monday to
 * Sunday); quarters start in January, April, July and October.
 *
 * @example
 * ```ts
 * periodOf('2026-05-14', 'quarter'); // { start: '2026-04-01', end: '2026-06-30' }
 * periodOf('2026-05-14', 'week'); // { start: '2026-05-11', end: '2026-05-17' }
 * ```
 */
export function periodOf(date: string, grid: PeriodGrid): Period {
  const ms = utcMs(date);
  switch (grid) {
    case 'day':
      return { start: date, end: date };
    case 'week': {
      const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0
      const start = ms - weekday * DAY_MS;
      return { start: isoDate(start), end: isoDate(start + 6 * DAY_MS) };
    }
    case 'month': {
      const y = Number(date.slice(0, 4));
      const m = Number(date.slice(5, 7)) - 1;
      return { start: isoDate(Date.UTC(y, m, 1)), end: isoDate(Date.UTC(y, m + 1, 0)) };
    }
    case 'quarter': {
      const y = Number(date.slice(0, 4));
      const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3;
      return { start: isoDate(Date.UTC(y, q, 1)), end: isoDate(Date.UTC(y, q + 3, 0)) };
    }
  }
}

/** The period right after `period` on `grid`. @example `nextPeriod({ start: '2026-01-01', end: '2026-03-31' }, 'quarter').start` → `'2026-04-01'` */
export function nextPeriod(period: Period, grid: PeriodGrid): Period {
  return periodOf(isoDate(utcMs(period.end) + DAY_MS), grid);
}

/**
 * Maps instants to local calendar days in one IANA time zone. Uses the platform's `Intl` (Node ships
 * the full ICU time zone database, updated with Node itself), so no dependency is needed; `Intl` is
 * only asked once per UTC day seen (the day's local date change point is found by bisection and
 * cached), so the per-event cost is a string comparison.
 */
export interface LocalCalendar {
  readonly timeZone: string;
  /** The local calendar day (`YYYY-MM-DD`) of an ISO UTC instant string. */
  localDate(instant: string): string;
}

/** How the local calendar splits one UTC day: one local date before `boundaryMs`, another from it on. */
export interface UtcDay {
  /** Local date at the UTC day's start. */
  readonly before: string;
  /** Local date at the UTC day's end. */
  readonly after: string;
  /** First instant (same ISO format as events: 6 fractional digits) whose local date is `after`. */
  readonly boundary: string;
  /** `boundary` in epoch ms (it is a whole millisecond). */
  readonly boundaryMs: number;
}

/** A {@link LocalCalendar} that also answers by UTC day number (epoch ms ÷ 86 400 000): the engine's per-event path, with no string made. */
export interface DayCalendar extends LocalCalendar {
  utcDay(dayNumber: number): UtcDay;
}

/**
 * A {@link LocalCalendar} for `timeZone`.
 *
 * @throws ValidationError when `timeZone` is not a known IANA zone.
 * @example
 * ```ts
 * createLocalCalendar('Africa/Johannesburg').localDate('2026-03-31T23:30:00.000000Z'); // '2026-04-01'
 * ```
 */
export function createLocalCalendar(timeZone: string): LocalCalendar {
  return dayCalendar(timeZone);
}

/** The {@link DayCalendar} of a zone (internal: the engine's). One per zone and process, so the per-day cache is shared by every engine. */
export function dayCalendar(timeZone: string): DayCalendar {
  const known = calendars.get(timeZone);
  if (known !== undefined) return known;
  const calendar = newCalendar(timeZone);
  calendars.set(timeZone, calendar);
  return calendar;
}

const calendars = new Map<string, DayCalendar>();

function newCalendar(timeZone: string): DayCalendar {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  } catch {
    throw new ValidationError('KPI calendar', [{ field: 'orgTimeZone', rule: 'must be an IANA time zone' }]);
  }
  const dateAt = (ms: number): string => {
    const parts = format.formatToParts(new Date(ms));
    const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  };
  const days = new Map<number, UtcDay>();
  let lastOffset = -1;
  const utcDay = (dayNumber: number): UtcDay => {
    const start = dayNumber * DAY_MS;
    const before = dateAt(start);
    const after = dateAt(start + DAY_MS - 1);
    let lo = start;
    let hi = start + DAY_MS - 1;
    // Most days change date at the same UTC time as the last day computed: two questions confirm it.
    const guess = start + lastOffset;
    if (
      before !== after &&
      lastOffset > 0 &&
      guess <= hi &&
      dateAt(guess - 1) === before &&
      dateAt(guess) === after
    ) {
      hi = guess;
    } else if (before !== after) {
      // Bisection on milliseconds: the first instant whose local date is `after`.
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (dateAt(mid) === before) lo = mid + 1;
        else hi = mid;
      }
    }
    if (before !== after) lastOffset = hi - start;
    const boundary = `${new Date(hi).toISOString().slice(0, 23)}000Z`;
    return { before, after, boundary, boundaryMs: hi };
  };
  const dayOf = (dayNumber: number): UtcDay => {
    let day = days.get(dayNumber);
    if (day === undefined) {
      if (days.size > 4096) days.clear();
      day = utcDay(dayNumber);
      days.set(dayNumber, day);
    }
    return day;
  };
  return {
    timeZone,
    localDate(instant: string): string {
      const day = dayOf(utcMs(instant) / DAY_MS);
      return day.before === day.after || instant < day.boundary ? day.before : day.after;
    },
    utcDay: dayOf,
  };
}
