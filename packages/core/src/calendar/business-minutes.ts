import { Temporal } from 'temporal-polyfill';
import { type Instant, instantFromEpochMs, toEpochMs } from '../kernel/index.js';
import type { BusinessCalendar, LocalDate } from './calendar.js';
import { foldWatermark, pieceAt } from './zone-rules.js';

const DAY = 1440;
/** Search horizon of {@link addBusinessMinutes}: a calendar that never works again fails loudly. */
/**
 * How far a due instant is looked for. A sparse calendar (one short window a week) can hold fewer business
 * minutes than a long target in that time; the due instant is then unreachable rather than searched for
 * without end.
 *
 * @example
 * ```ts
 * if (tryAddBusinessMinutes(cal, openedAt, target) === null) console.log(`not within ${BUSINESS_MINUTES_HORIZON_YEARS} years`);
 * ```
 */
export const BUSINESS_MINUTES_HORIZON_YEARS = 20;
const HORIZON_MINUTES = BUSINESS_MINUTES_HORIZON_YEARS * 366 * DAY;

interface Compiled {
  /** Windows `[start, end)` by ISO weekday 1..7 (index 0 unused), sorted by start. */
  readonly byWeekday: readonly (readonly (readonly [number, number])[])[];
  /** Holidays as local epoch days. */
  readonly holidays: ReadonlySet<number>;
}

const compiled = new WeakMap<BusinessCalendar, Compiled>();

function localEpochDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

function compile(calendar: BusinessCalendar): Compiled {
  const hit = compiled.get(calendar);
  if (hit !== undefined) return hit;
  const byWeekday: [number, number][][] = [[], [], [], [], [], [], [], []];
  for (const w of calendar.windows) byWeekday[w.weekday]?.push([w.startMinute, w.endMinute]);
  for (const list of byWeekday) list.sort((a, b) => a[0] - b[0]);
  const c = { byWeekday, holidays: new Set(calendar.holidays.map(localEpochDay)) };
  compiled.set(calendar, c);
  return c;
}

/** ISO weekday of a local epoch day (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * Walks the business wall minutes of `[w0, w1)` (local wall-clock time as epoch minutes) and returns the
 * wall minute at which `need` of them are complete, or how many there were when fewer.
 */
function walk(c: Compiled, w0: number, w1: number, need: number): { at: number } | { count: number } {
  let count = 0;
  for (let day = Math.floor(w0 / DAY); day * DAY < w1; day++) {
    if (c.holidays.has(day)) continue;
    for (const [ws, we] of c.byWeekday[weekdayOf(day)] ?? []) {
      const s = Math.max(day * DAY + ws, w0);
      const e = Math.min(day * DAY + we, w1);
      if (s >= e) continue;
      if (need - count <= e - s) return { at: s + (need - count) };
      count += e - s;
    }
  }
  return { count };
}

/**
 * Visits the business minutes from epoch minute `from` on, piece by piece of constant offset. A minute
 * counts when its wall-clock time is inside a window on a working local date and that wall time occurs
 * for the first time (the repeated hour of a fall-back night counts once; the skipped hour of a
 * spring-forward night does not exist, so it counts 0). `visit` gets each piece's offset and the wall
 * range still to count, and returns true to stop.
 */
function scan(
  calendar: BusinessCalendar,
  from: number,
  to: number,
  visit: (offset: number, w0: number, w1: number) => boolean,
): void {
  let t = from;
  let watermark = foldWatermark(calendar.timeZone, from);
  while (t < to) {
    const piece = pieceAt(calendar.timeZone, t);
    const end = Math.min(piece.end, to);
    const w0 = Math.max(t + piece.offset, watermark);
    const w1 = end + piece.offset;
    if (w0 < w1 && visit(piece.offset, w0, w1)) return;
    watermark = Math.max(watermark, w1);
    t = end;
  }
}

/** {@link businessMinutesBetween} on epoch minutes (for hot loops). @example `businessMinutesBetweenEpoch(cal, 29_000_000, 29_010_080)` */
export function businessMinutesBetweenEpoch(calendar: BusinessCalendar, from: number, to: number): number {
  const c = compile(calendar);
  let total = 0;
  scan(calendar, from, to, (_offset, w0, w1) => {
    const r = walk(c, w0, w1, Number.POSITIVE_INFINITY);
    total += 'count' in r ? r.count : 0;
    return false;
  });
  return total;
}

/**
 * {@link addBusinessMinutes} on epoch minutes (for hot loops). Throws a `RangeError` when the calendar has
 * fewer than `minutes` business minutes within {@link BUSINESS_MINUTES_HORIZON_YEARS} years of the start.
 *
 * @example `addBusinessMinutesEpoch(cal, 29_000_000, 480)`
 */
export function addBusinessMinutesEpoch(calendar: BusinessCalendar, start: number, minutes: number): number {
  const due = tryAddBusinessMinutesEpoch(calendar, start, minutes);
  if (due === null) {
    throw new RangeError(
      `addBusinessMinutes: no ${minutes} business minutes within ${BUSINESS_MINUTES_HORIZON_YEARS} years of the start`,
    );
  }
  return due;
}

/**
 * {@link tryAddBusinessMinutes} on epoch minutes: the due epoch minute, or `null` when the calendar has
 * fewer than `minutes` business minutes within the horizon.
 *
 * @example `tryAddBusinessMinutesEpoch(cal, 29_000_000, 480) ?? 'never'`
 */
export function tryAddBusinessMinutesEpoch(
  calendar: BusinessCalendar,
  start: number,
  minutes: number,
): number | null {
  if (!Number.isSafeInteger(minutes) || minutes < 0) {
    throw new RangeError(`addBusinessMinutes: minutes must be a whole number ≥ 0, got ${minutes}`);
  }
  if (minutes === 0) return start;
  const c = compile(calendar);
  let remaining = minutes;
  let due: number | null = null;
  scan(calendar, start, start + HORIZON_MINUTES, (offset, w0, w1) => {
    const r = walk(c, w0, w1, remaining);
    if ('at' in r) {
      due = r.at - offset;
      return true;
    }
    remaining -= r.count;
    return false;
  });
  return due;
}

const minuteOf = (instant: Instant): number => Math.floor(toEpochMs(instant) / 60_000);
const instantOf = (epochMinute: number): Instant => instantFromEpochMs(epochMinute * 60_000);

/**
 * Business minutes in `[from, to)` at minute granularity: every minute from the one containing `from`
 * (start inclusive) up to the one containing `to` (end exclusive) that is a business minute of the
 * calendar, read in its zone. 0 when `to` is not after `from`. The skipped hour of a spring-forward night
 * counts 0 and the repeated hour of a fall-back night counts once.
 *
 * @example
 * ```ts
 * businessMinutesBetween(cal, parseInstant('2026-03-02T09:00:00.000000Z'), parseInstant('2026-03-02T10:30:00.000000Z')); // 90 in a 09:00–17:00 London calendar
 * ```
 */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Instant, to: Instant): number {
  return businessMinutesBetweenEpoch(calendar, minuteOf(from), minuteOf(to));
}

/**
 * The due instant `start + minutes` business minutes: the earliest minute-aligned instant `d` with
 * `businessMinutesBetween(start, d) === minutes` (the end of the last business minute needed; `start`
 * itself, truncated to its minute, for 0). Throws a `RangeError` for a negative or fractional count.
 *
 * @example
 * ```ts
 * const due = addBusinessMinutes(cal, openedAt, 240); // 4 business hours after opening
 * ```
 */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Instant, minutes: number): Instant {
  return instantOf(addBusinessMinutesEpoch(calendar, minuteOf(start), minutes));
}

/**
 * {@link addBusinessMinutes} for a caller that must not throw on a sparse calendar: `null` when the
 * calendar has fewer than `minutes` business minutes within {@link BUSINESS_MINUTES_HORIZON_YEARS} years
 * of `start` (a negative or fractional count still throws: that is a programming error).
 *
 * @example
 * ```ts
 * const due = tryAddBusinessMinutes(cal, openedAt, 60_000); // null in a calendar of one hour a week
 * ```
 */
export function tryAddBusinessMinutes(
  calendar: BusinessCalendar,
  start: Instant,
  minutes: number,
): Instant | null {
  const due = tryAddBusinessMinutesEpoch(calendar, minuteOf(start), minutes);
  return due === null ? null : instantOf(due);
}

/**
 * True when the minute containing `instant` is a business minute of the calendar.
 *
 * @example
 * ```ts
 * isBusinessMinute(cal, parseInstant('2026-12-25T10:00:00.000000Z')); // false: a holiday
 * ```
 */
export function isBusinessMinute(calendar: BusinessCalendar, instant: Instant): boolean {
  const m = minuteOf(instant);
  return businessMinutesBetweenEpoch(calendar, m, m + 1) === 1;
}

/**
 * The working minutes of one local date: its windows' wall-clock minutes that exist that day, each
 * counted once (0 on a holiday; a window over a spring-forward gap loses the skipped minutes; over a
 * fall-back night it keeps its length).
 *
 * @example
 * ```ts
 * workingMinutesOn(londonAllDay, localDateSchema.parse('2026-03-29')); // 1380: the 01:00–02:00 hour does not exist
 * ```
 */
export function workingMinutesOn(calendar: BusinessCalendar, date: LocalDate): number {
  const day = Temporal.PlainDate.from(date);
  const start = day.toZonedDateTime(calendar.timeZone).epochMilliseconds / 60_000;
  const end = day.add({ days: 1 }).toZonedDateTime(calendar.timeZone).epochMilliseconds / 60_000;
  return businessMinutesBetweenEpoch(calendar, Math.floor(start), Math.floor(end));
}
