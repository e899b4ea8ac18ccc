import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import {
  type BusinessCalendar,
  businessCalendarSchema,
  type LocalDate,
  localDateSchema,
  workingMinutesOn,
} from '../../calendar/index.js';
import {
  type BasisPoints,
  basisPoints,
  divideRounded,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';

/** A leave request of an employee, whole local days `from`..`to` inclusive; only `approved` leave counts. */
export interface LeavePeriod {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly status: 'requested' | 'approved' | 'rejected' | 'cancelled';
}

/**
 * A manual capacity override for one local date (a Saturday worked, a half day): the day's capacity
 * becomes `minutes`. Overrides do not stack: with several for one date, the most recently recorded
 * one is in force (ties: the larger `minutes`, so the answer never depends on input order).
 */
export interface CapacityOverride {
  readonly date: LocalDate;
  readonly minutes: number;
  readonly recordedAt: Instant;
}

/**
 * What an employee's capacity is computed from, loaded by the application: the employee's business
 * calendar (zone, weekly windows, holidays), leave and overrides.
 */
export interface CapacityFacts {
  readonly calendar: BusinessCalendar;
  readonly leave: readonly LeavePeriod[];
  readonly overrides: readonly CapacityOverride[];
}

/** Which rule decided a day's capacity (the precedence order: override > leave > holiday > window). */
export type CapacitySource = 'override' | 'leave' | 'holiday' | 'window';

/** One day's effective capacity and the rule that decided it. */
export interface DayCapacity {
  readonly date: LocalDate;
  readonly minutes: number;
  readonly source: CapacitySource;
}

/**
 * Zod schema of {@link CapacityFacts}: a valid calendar, leave with `from ≤ to`, overrides of
 * 0..1440 minutes.
 *
 * @example `const facts = parseInput(capacityFactsSchema, raw, 'capacity facts')`
 */
export const capacityFactsSchema: z.ZodType<CapacityFacts> = z.object({
  calendar: businessCalendarSchema,
  leave: z.array(
    z
      .object({
        from: localDateSchema,
        to: localDateSchema,
        status: z.enum(['requested', 'approved', 'rejected', 'cancelled']),
      })
      .refine((l) => l.from <= l.to, { message: 'from must not be after to', path: ['to'] }),
  ),
  overrides: z.array(
    z.object({
      date: localDateSchema,
      minutes: z.number().int().min(0, 'must be at least 0').max(1440, 'must be at most 1440 (one day)'),
      recordedAt: instantSchema,
    }),
  ),
});

/** The override in force on `date`: the latest recorded one (overrides replace, they never add up). */
function overrideOn(overrides: readonly CapacityOverride[], date: LocalDate): CapacityOverride | undefined {
  let best: CapacityOverride | undefined;
  for (const o of overrides) {
    if (o.date !== date) continue;
    if (
      best === undefined ||
      o.recordedAt > best.recordedAt ||
      (o.recordedAt === best.recordedAt && o.minutes > best.minutes)
    )
      best = o;
  }
  return best;
}

/**
 * An employee's effective capacity on a local date, in minutes: an override wins; otherwise approved
 * leave gives 0; otherwise a holiday of the calendar gives 0; otherwise the working windows of that
 * weekday, counted in the calendar's zone (on a DST night the skipped hour counts 0 and the repeated
 * hour once, see `Calendar.workingMinutesOn`).
 *
 * @example
 * ```ts
 * effectiveCapacity({ calendar, leave: [], overrides: [] }, localDateSchema.parse('2026-03-02')); // { minutes: 480, source: 'window' }
 * ```
 */
export function effectiveCapacity(facts: CapacityFacts, date: LocalDate): DayCapacity {
  const override = overrideOn(facts.overrides, date);
  if (override !== undefined) return { date, minutes: override.minutes, source: 'override' };
  if (facts.leave.some((l) => l.status === 'approved' && l.from <= date && date <= l.to))
    return { date, minutes: 0, source: 'leave' };
  if (facts.calendar.holidays.includes(date)) return { date, minutes: 0, source: 'holiday' };
  return { date, minutes: workingMinutesOn(facts.calendar, date), source: 'window' };
}

/**
 * Effective capacity for every local date `from`..`to` inclusive (at most 3 660 days, so a typo cannot
 * loop for ever).
 *
 * @throws RangeError when `to` is before `from` or the range is longer than 3 660 days.
 * @example
 * ```ts
 * const [from, to] = ['2026-03-02', '2026-03-08'].map((d) => localDateSchema.parse(d));
 * capacityBetween(facts, from!, to!).reduce((s, d) => s + d.minutes, 0); // a week
 * ```
 */
export function capacityBetween(
  facts: CapacityFacts,
  from: LocalDate,
  to: LocalDate,
): readonly DayCapacity[] {
  const start = Temporal.PlainDate.from(from);
  const days = start.until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days + 1;
  if (days < 1 || days > 3660) throw new RangeError(`capacityBetween: ${from}..${to} must span 1..3660 days`);
  const out: DayCapacity[] = [];
  for (let i = 0; i < days; i++)
    out.push(effectiveCapacity(facts, start.add({ days: i }).toString() as LocalDate));
  return out;
}

/**
 * Utilisation in basis points: `minutes ÷ capacity × 10 000`, rounded half-even (the spec's
 * 5.0 h / 6.8 h = 73.5 % is 7353 bp); `null` when the capacity is 0 (undefined, not infinite).
 *
 * @example `utilisationBp(300, 408)` → `7353`
 */
export function utilisationBp(minutes: number, capacityMinutes: number): BasisPoints | null {
  if (capacityMinutes <= 0) return null;
  return basisPoints(Number(divideRounded(BigInt(minutes) * 10_000n, BigInt(capacityMinutes))));
}

/**
 * Utilisation of a group (employee → team → org): Σ minutes ÷ Σ capacity, never the mean of the
 * members' ratios (a part-timer does not weigh as much as a full-timer).
 *
 * @example
 * ```ts
 * groupUtilisation([{ minutes: 400, capacityMinutes: 480 }, { minutes: 100, capacityMinutes: 240 }]);
 * // { minutes: 500, capacityMinutes: 720, utilisationBp: 6944 }
 * ```
 */
export function groupUtilisation(
  members: readonly { readonly minutes: number; readonly capacityMinutes: number }[],
): {
  readonly minutes: number;
  readonly capacityMinutes: number;
  readonly utilisationBp: BasisPoints | null;
} {
  let minutes = 0;
  let capacityMinutes = 0;
  for (const m of members) {
    minutes += m.minutes;
    capacityMinutes += m.capacityMinutes;
  }
  return { minutes, capacityMinutes, utilisationBp: utilisationBp(minutes, capacityMinutes) };
}
