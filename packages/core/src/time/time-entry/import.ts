import { Temporal } from 'temporal-polyfill';
import { type EmployeeId, employeeIdSchema } from '../../identity/index.js';
import {
  err,
  type Instant,
  instantSchema,
  ok,
  type Rejection,
  type Result,
  reject,
} from '../../kernel/index.js';
import {
  type OperationalBucketId,
  operationalBucketIdSchema,
  type TaskId,
  type TicketId,
  type TimeEntryId,
  taskIdSchema,
  ticketIdSchema,
} from '../ids.js';
import type { CreateTimeEntry } from './commands.js';
import { entryMinutes } from './duration.js';
import type { WorkType } from './work-context.js';

/**
 * One timesheet CSV row's raw fields (missing columns are `undefined`). Times are ISO-8601 with an
 * offset or `Z` (`2026-03-02T09:00:00+01:00`); ids are UUIDs; `billable` is yes/no, true/false or 1/0.
 */
export interface TimesheetRow {
  readonly externalId?: string | undefined;
  readonly employeeId?: string | undefined;
  readonly start?: string | undefined;
  readonly end?: string | undefined;
  readonly description?: string | undefined;
  readonly billable?: string | undefined;
  readonly workType?: string | undefined;
  readonly ticketId?: string | undefined;
  readonly taskId?: string | undefined;
  readonly bucketId?: string | undefined;
}

/** A row that passed validation, ready to become a draft (`timesheetCreateCommand`). */
export interface TimesheetIntake {
  /** The source system's id of the entry, when it has one (the re-run key). */
  readonly externalId: string | null;
  readonly employeeId: EmployeeId;
  readonly start: Instant;
  readonly end: Instant;
  readonly minutes: number;
  readonly description: string;
  readonly billable: boolean | null;
  readonly workType: WorkType | null;
  readonly ticketId: TicketId | null;
  readonly taskId: TaskId | null;
  readonly bucketId: OperationalBucketId | null;
}

/**
 * Why a timesheet row was dead-lettered (stable codes, the dead-letter record's `reason`):
 * - `MISSING_FIELD` — employee, start or end is empty (details: `field`).
 * - `MALFORMED_FIELD` — a field does not parse (details: `field`, `value`).
 * - `INVALID_INTERVAL` — the end is not after the start.
 * - `FIELD_TOO_LONG` — the description (10 000) or external id (128) is too long.
 * - `DUPLICATE_IN_FILE` — an earlier row has the same key (external id, or employee + start + end).
 * - `UNPARSEABLE_LINE` — the CSV reader could not read the line (reported by the reader).
 */
export type TimesheetIntakeCode =
  | 'MISSING_FIELD'
  | 'MALFORMED_FIELD'
  | 'INVALID_INTERVAL'
  | 'FIELD_TOO_LONG'
  | 'DUPLICATE_IN_FILE'
  | 'UNPARSEABLE_LINE';

/** A dead-lettered timesheet row's reason. */
export type TimesheetIntakeRejection = Rejection<TimesheetIntakeCode>;

/**
 * Every timesheet intake code.
 *
 * @example `(TIMESHEET_INTAKE_CODES as readonly string[]).includes(deadLetter.reason)`
 */
export const TIMESHEET_INTAKE_CODES: readonly TimesheetIntakeCode[] = [
  'MISSING_FIELD',
  'MALFORMED_FIELD',
  'INVALID_INTERVAL',
  'FIELD_TOO_LONG',
  'DUPLICATE_IN_FILE',
  'UNPARSEABLE_LINE',
];

const text = (value: string | undefined): string | null => {
  const t = value?.trim() ?? '';
  return t === '' ? null : t;
};

/** Thrown inside the parser only, to answer the first bad field (never escapes it). */
class RowProblem {
  constructor(readonly rejection: TimesheetIntakeRejection) {}
}
const malformed = (field: string, value: string, rule: string): never => {
  throw new RowProblem(reject('MALFORMED_FIELD', `${field} ${rule}`, { field, value }));
};

const UTC_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * The canonical instant of the commonest form, a UTC date-time (`…Z`) with years 1000–9999, or
 * `undefined` for any other text: what Temporal would answer (fraction truncated to six digits), at a
 * tenth of its cost — a timesheet import reads two per row. Everything else goes through Temporal.
 */
function utcInstantOf(raw: string): string | undefined {
  const m = UTC_DATE_TIME.exec(raw);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  // Day 0 of the next month is this month's last day (Date's year rules are the proleptic Gregorian ones).
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return `${raw.slice(0, 19)}.${(m[7] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

function instantOf(field: string, raw: string | null): Instant {
  if (raw === null) throw new RowProblem(reject('MISSING_FIELD', `${field} is empty`, { field }));
  const utc = utcInstantOf(raw);
  if (utc !== undefined) {
    const parsed = instantSchema.safeParse(utc);
    if (parsed.success) return parsed.data;
  }
  try {
    const parsed = instantSchema.safeParse(
      Temporal.Instant.from(raw).toString({ fractionalSecondDigits: 6 }),
    );
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: not a date-time Temporal reads
  }
  return malformed(field, raw, 'must be an ISO-8601 date-time with an offset or Z (years 0000–9999)');
}

function idOf<T>(
  field: string,
  raw: string | null,
  schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } },
): T | null {
  if (raw === null) return null;
  const r = schema.safeParse(raw.toLowerCase());
  return r.success ? r.data : malformed(field, raw, 'must be a UUIDv7');
}

const BOOLEAN: Readonly<Record<string, boolean>> = {
  yes: true,
  no: false,
  true: true,
  false: false,
  '1': true,
  '0': false,
  y: true,
  n: false,
};
const WORK_TYPES: readonly string[] = ['project', 'support', 'admin'];

/**
 * Validates one timesheet row into a draft's fields: employee, start and end required; times parsed
 * with their offset and stored in UTC; end after start (duration ⌈(end − start) / 60 s⌉); optional
 * classification and attribution (a draft may leave them open — submission checks them). Pure; the
 * same row always gives the same answer.
 *
 * @example
 * ```ts
 * validateTimesheetRow({ employeeId, start: '2026-03-02T09:00:00+01:00', end: '2026-03-02T10:30:00+01:00', billable: 'yes' });
 * // ok: start '2026-03-02T08:00:00.000000Z', minutes 90, billable true
 * ```
 */
export function validateTimesheetRow(row: TimesheetRow): Result<TimesheetIntake, TimesheetIntakeRejection> {
  try {
    const employeeRaw = text(row.employeeId);
    if (employeeRaw === null)
      return err(reject('MISSING_FIELD', 'employeeId is empty', { field: 'employeeId' }));
    const employee = employeeIdSchema.safeParse(employeeRaw.toLowerCase());
    if (!employee.success) return malformed('employeeId', employeeRaw, 'must be a UUIDv7');
    const employeeId = employee.data;
    const start = instantOf('start', text(row.start));
    const end = instantOf('end', text(row.end));
    const minutes = entryMinutes(start, end);
    if (minutes <= 0)
      return err(reject('INVALID_INTERVAL', 'the end must be after the start', { start, end }));
    const description = row.description?.trim() ?? '';
    const externalId = text(row.externalId);
    if (description.length > 10_000)
      return err(
        reject('FIELD_TOO_LONG', 'description is longer than 10000 characters', {
          field: 'description',
          max: 10_000,
        }),
      );
    if (externalId !== null && externalId.length > 128)
      return err(
        reject('FIELD_TOO_LONG', 'externalId is longer than 128 characters', {
          field: 'externalId',
          max: 128,
        }),
      );
    const billableRaw = text(row.billable);
    const billable =
      billableRaw === null
        ? null
        : (BOOLEAN[billableRaw.toLowerCase()] ??
          malformed('billable', billableRaw, 'must be yes/no, true/false or 1/0'));
    const workTypeRaw = text(row.workType);
    const workType =
      workTypeRaw === null
        ? null
        : WORK_TYPES.includes(workTypeRaw.toLowerCase())
          ? (workTypeRaw.toLowerCase() as WorkType)
          : malformed('workType', workTypeRaw, 'must be project, support or admin');
    return ok({
      externalId,
      employeeId,
      start,
      end,
      minutes,
      description,
      billable,
      workType,
      ticketId: idOf('ticketId', text(row.ticketId), ticketIdSchema),
      taskId: idOf('taskId', text(row.taskId), taskIdSchema),
      bucketId: idOf('bucketId', text(row.bucketId), operationalBucketIdSchema),
    });
  } catch (e) {
    if (e instanceof RowProblem) return err(e.rejection);
    throw e;
  }
}

/**
 * The key under which two rows are the same entry, so a re-run of a file (or a duplicated line) is
 * recognised: the external id when there is one, else employee + start + end.
 *
 * @example `timesheetRowKey(intake)` → `'external:TS-42'` or `'slot:<employee>/<start>/<end>'`
 */
export function timesheetRowKey(intake: TimesheetIntake): string {
  return intake.externalId !== null
    ? `external:${intake.externalId}`
    : `slot:${intake.employeeId}/${intake.start}/${intake.end}`;
}

/**
 * The `create` command of a validated row: a draft for its employee (imported time is never submitted
 * for anyone: the owner attests it).
 *
 * @example `handle({ streamId, command: timesheetCreateCommand(intake, newId, clock.now()), … })`
 */
export function timesheetCreateCommand(
  intake: TimesheetIntake,
  timeEntryId: TimeEntryId,
  at: Instant,
): CreateTimeEntry {
  return {
    type: 'create',
    timeEntryId,
    employeeId: intake.employeeId,
    start: intake.start,
    end: intake.end,
    description: intake.description,
    billable: intake.billable,
    workType: intake.workType,
    ticketId: intake.ticketId,
    taskId: intake.taskId,
    bucketId: intake.bucketId,
    at,
  };
}
