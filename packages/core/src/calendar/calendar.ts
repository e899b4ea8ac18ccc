import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { type Brand, idSchema, parseInput } from '../kernel/index.js';

/** Surrogate id of a business calendar (UUIDv7); every version of one calendar shares it. */
export type CalendarId = Brand<string, 'CalendarId'>;

/** Zod schema of a {@link CalendarId}. @example `calendarIdSchema.parse(id)` */
export const calendarIdSchema: z.ZodType<CalendarId, string> = idSchema<'CalendarId'>();

/** A local calendar date `YYYY-MM-DD` in the calendar's zone (a holiday), no time and no zone. */
export type LocalDate = Brand<string, 'LocalDate'>;

function isRealDate(value: string): boolean {
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' }).toString() === value;
  } catch {
    return false;
  }
}

/** Zod schema of a {@link LocalDate}: `YYYY-MM-DD` and a real day. @example `localDateSchema.parse('2026-12-25')` */
export const localDateSchema: z.ZodType<LocalDate, string> = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine(isRealDate, 'must be a real calendar date') as unknown as z.ZodType<LocalDate, string>;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * One working window of a weekday in local wall-clock minutes after midnight: `[startMinute, endMinute)`
 * (start inclusive, end exclusive; `endMinute` 1440 = midnight at the end of the day). A weekday may have
 * several windows (split shifts, a lunch break); they must not overlap.
 */
export interface WorkingWindow {
  readonly weekday: Weekday;
  readonly startMinute: number;
  readonly endMinute: number;
}

/**
 * A business calendar, one version of it: an IANA time zone, weekly working windows and holidays (local
 * dates on which no window applies). It is plain JSON, so an SLA assignment stores it verbatim as its
 * calendar snapshot; a change is a new `version` (see {@link reviseCalendar}), never an edit in place.
 */
export interface BusinessCalendar {
  readonly calendarId: CalendarId;
  /** 1, 2, …; bound into SLA assignments together with the id. */
  readonly version: number;
  /** An IANA zone id such as `Europe/London`; windows and holidays are read in it. */
  readonly timeZone: string;
  readonly windows: readonly WorkingWindow[];
  readonly holidays: readonly LocalDate[];
}

/** True when `zone` is a time zone id Temporal knows. */
function isTimeZone(zone: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone);
    return zone.length > 0;
  } catch {
    return false;
  }
}

const windowSchema = z
  .object({
    weekday: z
      .number()
      .int()
      .min(1, 'must be 1 (Monday)..7 (Sunday)')
      .max(7, 'must be 1 (Monday)..7 (Sunday)'),
    startMinute: z
      .number()
      .int('must be whole minutes')
      .min(0, 'must be 0..1439')
      .max(1439, 'must be 0..1439'),
    endMinute: z.number().int('must be whole minutes').min(1, 'must be 1..1440').max(1440, 'must be 1..1440'),
  })
  .strict()
  .refine((w) => w.endMinute > w.startMinute, {
    message: 'endMinute must be after startMinute',
    path: ['endMinute'],
  });

function overlapping(windows: readonly WorkingWindow[]): boolean {
  const sorted = [...windows].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  return sorted.some((w, i) => {
    const prev = sorted[i - 1];
    return prev !== undefined && prev.weekday === w.weekday && prev.endMinute > w.startMinute;
  });
}

/**
 * Zod schema of a {@link BusinessCalendar}: a known IANA zone, at least one window, windows of one weekday
 * not overlapping, holidays real dates without duplicates, version ≥ 1.
 *
 * @example
 * ```ts
 * const cal = businessCalendarSchema.parse(JSON.parse(assignment.calendarSnapshotJson));
 * ```
 */
export const businessCalendarSchema: z.ZodType<BusinessCalendar> = z
  .object({
    calendarId: calendarIdSchema,
    version: z.number().int('must be a whole number').min(1, 'must be at least 1'),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone id, e.g. Europe/London'),
    windows: z.array(windowSchema).min(1, 'needs at least one working window'),
    holidays: z
      .array(localDateSchema)
      .refine((hs) => new Set(hs).size === hs.length, 'must not list a date twice'),
  })
  .strict()
  .refine((c) => !overlapping(c.windows as readonly WorkingWindow[]), {
    message: 'windows of one weekday must not overlap',
    path: ['windows'],
  }) as unknown as z.ZodType<BusinessCalendar>;

/**
 * Validates a calendar, throwing a `ValidationError` that names each field and rule.
 *
 * @example
 * ```ts
 * const cal = parseBusinessCalendar({ calendarId: uuidV7Ids.next(), version: 1, timeZone: 'Europe/London',
 *   windows: [{ weekday: 1, startMinute: 540, endMinute: 1020 }], holidays: ['2026-12-25'] });
 * ```
 */
export function parseBusinessCalendar(raw: unknown): BusinessCalendar {
  return parseInput(businessCalendarSchema, raw, 'business calendar');
}

/**
 * The calendar as a normalised plain-JSON snapshot (windows by weekday and start, holidays sorted): what
 * an SLA assignment freezes at binding. Two equal calendars give equal snapshots.
 *
 * @example
 * ```ts
 * const json = JSON.stringify(snapshotCalendar(cal)); // stored in sla_assignments.calendar_snapshot_json
 * ```
 */
export function snapshotCalendar(calendar: BusinessCalendar): BusinessCalendar {
  return {
    calendarId: calendar.calendarId,
    version: calendar.version,
    timeZone: calendar.timeZone,
    windows: [...calendar.windows]
      .sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute)
      .map((w) => ({ weekday: w.weekday, startMinute: w.startMinute, endMinute: w.endMinute })),
    holidays: [...calendar.holidays].sort(),
  };
}

/** What a new calendar version may change. */
export interface CalendarRevision {
  readonly timeZone?: string;
  readonly windows?: readonly WorkingWindow[];
  readonly holidays?: readonly LocalDate[];
}

/**
 * The next version of a calendar (version + 1) with the changes applied and validated. The old version
 * stays what it was, so clocks bound to it never move.
 *
 * @example
 * ```ts
 * const v2 = reviseCalendar(v1, { holidays: [...v1.holidays, '2027-01-01'] }); // v2.version === v1.version + 1
 * ```
 */
export function reviseCalendar(calendar: BusinessCalendar, revision: CalendarRevision): BusinessCalendar {
  return parseBusinessCalendar(
    snapshotCalendar({
      ...calendar,
      ...(revision.timeZone === undefined ? {} : { timeZone: revision.timeZone }),
      ...(revision.windows === undefined ? {} : { windows: revision.windows }),
      ...(revision.holidays === undefined ? {} : { holidays: revision.holidays }),
      version: calendar.version + 1,
    }),
  );
}
