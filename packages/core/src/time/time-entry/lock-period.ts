import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { type LocalDate, localDateSchema } from '../../calendar/index.js';
import { err, type Instant, ok, type Rejection, type Result, reject } from '../../kernel/index.js';

/**
 * The timesheet lock configuration that applies to an employee: every work date up to and including
 * `closedThrough` (local dates in `timeZone`, the employee's IANA zone) is closed to new submissions.
 * `closedThrough: null` means no period is closed yet.
 */
export interface LockPeriodConfig {
  readonly timeZone: string;
  readonly closedThrough: LocalDate | null;
}

/**
 * Zod schema of a {@link LockPeriodConfig} (the zone is checked separately against the time-zone
 * database, see {@link checkLockPeriod}).
 *
 * @example `lockPeriodConfigSchema.parse({ timeZone: 'Europe/Berlin', closedThrough: '2026-03-31' })`
 */
export const lockPeriodConfigSchema: z.ZodType<LockPeriodConfig> = z
  .object({
    timeZone: z.string().min(1, 'must name an IANA time zone').max(64),
    closedThrough: localDateSchema.nullable(),
  })
  .strict();

/** The codes the lock-period check answers. */
export type LockPeriodCode = 'TIME_ENTRY_PERIOD_CLOSED' | 'TIME_ENTRY_PERIOD_CONFIG_INVALID';

/**
 * The local work date of `start` in `timeZone` (`YYYY-MM-DD`), or `null` for an unknown zone.
 *
 * @example `workDateIn('2026-03-28T23:30:00.000000Z', 'Europe/Berlin')` → `'2026-03-29'`
 */
export function workDateIn(start: Instant, timeZone: string): LocalDate | null {
  try {
    return Temporal.Instant.from(start).toZonedDateTimeISO(timeZone).toPlainDate().toString() as LocalDate;
  } catch {
    return null;
  }
}

/**
 * The lock-period check, run at submission. It **fails closed**: a configuration that is missing,
 * malformed or names an unknown zone refuses the submission (`TIME_ENTRY_PERIOD_CONFIG_INVALID`)
 * instead of skipping the check. Otherwise an entry whose start falls (in the configured zone) on or
 * before `closedThrough` is refused with `TIME_ENTRY_PERIOD_CLOSED`; the answer is the work date.
 *
 * @example
 * ```ts
 * checkLockPeriod(entry.start, { timeZone: 'Europe/Berlin', closedThrough: '2026-03-31' });
 * // start 2026-03-31T21:59:00Z (23:59 in Berlin) → TIME_ENTRY_PERIOD_CLOSED; 22:00Z → ok('2026-04-01')
 * ```
 */
export function checkLockPeriod(
  start: Instant,
  config: unknown,
): Result<LocalDate, Rejection<LockPeriodCode>> {
  const parsed = lockPeriodConfigSchema.safeParse(config);
  if (!parsed.success)
    return err(
      reject('TIME_ENTRY_PERIOD_CONFIG_INVALID', 'the lock-period configuration is unreadable', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      }),
    );
  const { timeZone, closedThrough } = parsed.data;
  const workDate = workDateIn(start, timeZone);
  if (workDate === null)
    return err(
      reject('TIME_ENTRY_PERIOD_CONFIG_INVALID', 'the lock-period time zone is unknown', { timeZone }),
    );
  if (closedThrough !== null && Temporal.PlainDate.compare(workDate, closedThrough) <= 0)
    return err(
      reject('TIME_ENTRY_PERIOD_CLOSED', 'the timesheet period of this work date is closed', {
        workDate,
        closedThrough,
        timeZone,
      }),
    );
  return ok(workDate);
}
