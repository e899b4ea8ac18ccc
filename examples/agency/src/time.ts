// Time: entries logged and submitted against project tasks (through the task's ticket), a few
// adjustments, one refused edit, and each team's utilisation (logged minutes ÷ capacity) computed here
// from the stored entries and the employees' capacity (catalogue v2 of @pet-ops/kpi has no utilisation:
// capacity is not an event).
import {
  type Calendar,
  type CommandMetadata,
  type CommandRuntime,
  createCommandHandler,
  type Delivery,
  type Identity,
  instantFromEpochMs,
  type Rejection,
  Time,
  type Uuid,
} from '@pet-ops/core';
import { decodeColumn, timeBindings, timeEntriesTable, uuidV7Ids } from '@pet-ops/sql';
import type { Agency } from './agency.js';
import { QUARTER, type Scenario } from './scenario.js';
import { teamAt, WORKDAY } from './scenario-execute.js';

/** Submissions close through the end of Q2 (a period closed before the quarter; it fails closed). */
export const LOCK_PERIOD: Time.LockPeriodConfig = {
  timeZone: 'Europe/Berlin',
  closedThrough: '2026-06-30' as Calendar.LocalDate,
};

/** The agency's working calendar: Monday to Friday, 09:00–17:00 in Berlin. */
export function officeCalendar(calendarId: string): Calendar.BusinessCalendar {
  return {
    calendarId: calendarId as Calendar.CalendarId,
    version: 1,
    timeZone: 'Europe/Berlin',
    windows: ([1, 2, 3, 4, 5] as const).map((weekday) => ({
      weekday,
      startMinute: 9 * 60,
      endMinute: 9 * 60 + WORKDAY.minutes,
    })),
    holidays: [],
  };
}

/** One adjustment as printed. */
export interface AdjustmentReport {
  readonly employee: string;
  readonly date: string;
  readonly change: string;
  readonly reason: string;
  readonly netMinutes: number;
}

/** A refusal, as printed: the typed code, the message and the numbers. */
export interface RefusalReport {
  readonly code: string;
  readonly message: string;
  readonly details: unknown;
}

/** One team's utilisation over the quarter. */
export interface UtilisationRow {
  readonly team: string;
  readonly loggedMinutes: number;
  readonly capacityMinutes: number;
  /** Basis points; `null` when the capacity is 0. */
  readonly utilisationBp: number | null;
}

/** What the time part did. */
export interface TimeSummary {
  readonly entries: number;
  /** Σ submitted durations (what was attested). */
  readonly submittedMinutes: number;
  /** Σ net minutes after the adjustments. */
  readonly netMinutes: number;
  readonly adjustments: readonly AdjustmentReport[];
  readonly refusedEdit: RefusalReport | null;
  readonly utilisation: readonly UtilisationRow[];
}

/** The time-entry commands of one actor's clock. */
export interface TimeDesk {
  /** Creates and submits one entry (owner's attestation); returns its id. */
  logAndSubmit(input: {
    readonly employeeId: Identity.EmployeeId;
    readonly taskId: Delivery.TaskId;
    readonly start: number;
    readonly minutes: number;
    readonly description: string;
    readonly submittedAt: number;
  }): Promise<Time.TimeEntryId>;
  /** One adjustment (reason and author required); returns the entry's net minutes after it. */
  adjust(input: {
    readonly entryId: Time.TimeEntryId;
    readonly authorId: Identity.EmployeeId;
    readonly change: Time.AdjustmentChange;
    readonly reason: string;
    readonly at: number;
  }): Promise<number>;
  /** The owner edits a submitted entry: the typed rejection (or `null` if it was accepted). */
  tryEdit(input: {
    readonly entryId: Time.TimeEntryId;
    readonly employeeId: Identity.EmployeeId;
    readonly end: number;
    readonly at: number;
  }): Promise<Rejection | null>;
}

const as = (id: string): CommandMetadata => ({ actor: { type: 'employee', id } });

/**
 * The time-entry commands on a runtime (the seam's `timeBindings`; facts through the unit of work).
 *
 * @example
 * ```ts
 * const desk = timeDesk(agency.runtime(clock));
 * const entryId = await desk.logAndSubmit({ employeeId, taskId, start, minutes: 240, description, submittedAt });
 * ```
 */
export function timeDesk(runtime: CommandRuntime): TimeDesk {
  const handle = createCommandHandler(runtime, timeBindings.timeEntry);
  const at = (ms: number) => instantFromEpochMs(ms);
  return {
    async logAndSubmit(input) {
      const timeEntryId = runtime.ids.next() as unknown as Time.TimeEntryId;
      const end = input.start + input.minutes * 60_000;
      const created = await handle({
        streamId: timeEntryId as unknown as Uuid,
        command: {
          type: 'create',
          timeEntryId,
          employeeId: input.employeeId as unknown as Time.TimeEntryContent['employeeId'],
          start: at(input.start),
          end: at(end),
          description: input.description,
          billable: true,
          workType: 'project',
          ticketId: null,
          taskId: input.taskId as unknown as Time.TaskId,
          bucketId: null,
          at: at(end + 5 * 60_000),
        },
        metadata: as(input.employeeId),
      });
      if (!created.ok)
        throw new Error(`logging time was rejected: [${created.error.code}] ${created.error.message}`);
      const submitted = await handle({
        streamId: timeEntryId as unknown as Uuid,
        command: {
          type: 'submit',
          actorId: input.employeeId as unknown as Time.TimeEntryContent['employeeId'],
          attest: true,
          at: at(input.submittedAt),
        },
        metadata: as(input.employeeId),
        loadFacts: Time.timeEntryFactsLoader(timeBindings.workContextSources, { lockPeriod: LOCK_PERIOD }),
      });
      if (!submitted.ok)
        throw new Error(`submitting time was rejected: [${submitted.error.code}] ${submitted.error.message}`);
      return timeEntryId;
    },
    async adjust(input) {
      const r = await handle({
        streamId: input.entryId as unknown as Uuid,
        command: {
          type: 'adjust',
          adjustmentId: runtime.ids.next() as unknown as Time.TimeEntryAdjustmentId,
          change: input.change,
          reason: input.reason,
          authorId: input.authorId as unknown as Time.TimeEntryContent['employeeId'],
          at: at(input.at),
        },
        metadata: as(input.authorId),
        loadFacts: Time.timeEntryFactsLoader(timeBindings.workContextSources, {
          billing: { invoiceRef: null },
        }),
      });
      if (!r.ok) throw new Error(`the adjustment was rejected: [${r.error.code}] ${r.error.message}`);
      const state = r.value.state;
      if (state.status !== 'submitted' && state.status !== 'locked')
        throw new Error('the entry is not attested');
      return Time.netMinutes(state);
    },
    async tryEdit(input) {
      const r = await handle({
        streamId: input.entryId as unknown as Uuid,
        command: {
          type: 'update',
          actorId: input.employeeId as unknown as Time.TimeEntryContent['employeeId'],
          changes: { end: at(input.end) },
          at: at(input.at),
        },
        metadata: as(input.employeeId),
      });
      return r.ok ? null : r.error;
    },
  };
}

/** The team an employee was in on a local date (the org change moves one person in August). */
export function teamOnDate(scenario: Scenario): (employeeKey: string, date: string) => string | null {
  const employees = new Map(scenario.employees.map((e) => [e.key, e]));
  return (key, date) => teamAt(employees.get(key)!, scenario.orgChange, Date.parse(`${date}T12:00:00Z`));
}

/** One employee's capacity counted for one team over the quarter: a part of that team's divisor. */
export interface CapacityPart {
  readonly employeeKey: string;
  readonly teamKey: string;
  /** The first and last working day counted (`YYYY-MM-DD`). */
  readonly from: string;
  readonly to: string;
  /** Working days counted (each the office calendar's 480 minutes). */
  readonly days: number;
  /** Weekdays of approved leave while in the team (0 minutes each). */
  readonly leaveDays: number;
  readonly minutes: number;
}

/**
 * Effective capacity (`Time.capacityBetween`: the office calendar minus approved leave) of every
 * employee in a team over the quarter, per employee and team: each day counts for the team the employee
 * was in that day. Capacity is not an event: it comes from the calendar and the leave plan.
 *
 * @example
 * ```ts
 * const design = capacityParts(scenario).filter((p) => p.teamKey === 'design');
 * ```
 */
export function capacityParts(scenario: Scenario): CapacityPart[] {
  const teamOn = teamOnDate(scenario);
  const calendar = officeCalendar(uuidV7Ids.next());
  const from = new Date(QUARTER.start).toISOString().slice(0, 10) as Calendar.LocalDate;
  const to = new Date(QUARTER.end - 1).toISOString().slice(0, 10) as Calendar.LocalDate;
  const parts = new Map<string, { -readonly [K in keyof CapacityPart]: CapacityPart[K] }>();
  for (const e of scenario.employees) {
    if (e.teamKey === null) continue;
    const leave = scenario.execute.leave
      .filter((l) => l.employeeKey === e.key)
      .map((l) => ({
        from: l.from as Calendar.LocalDate,
        to: l.to as Calendar.LocalDate,
        status: 'approved' as const,
      }));
    for (const day of Time.capacityBetween({ calendar, leave, overrides: [] }, from, to)) {
      const team = teamOn(e.key, day.date);
      const weekday = new Date(`${day.date}T12:00:00Z`).getUTCDay();
      const onLeave = day.source === 'leave' && weekday >= 1 && weekday <= 5;
      if (team === null || (day.minutes === 0 && !onLeave)) continue;
      const key = `${e.key}|${team}`;
      const part = parts.get(key) ?? {
        employeeKey: e.key,
        teamKey: team,
        from: day.date,
        to: day.date,
        days: 0,
        leaveDays: 0,
        minutes: 0,
      };
      if (onLeave) part.leaveDays++;
      else {
        part.days++;
        part.minutes += day.minutes;
        if (part.days === 1) part.from = day.date;
        part.to = day.date;
      }
      parts.set(key, part);
    }
  }
  return [...parts.values()];
}

/**
 * Each team's utilisation over the quarter: Σ net minutes of the stored attested entries ÷ Σ effective
 * capacity (`Time.capacityBetween`: the office calendar minus approved leave), each day counted for the
 * team the employee was in that day (the org change moves one person in August).
 *
 * @example
 * ```ts
 * const rows = await teamUtilisation(agency, scenario, employeeIds);
 * ```
 */
export async function teamUtilisation(
  agency: Agency,
  scenario: Scenario,
  employeeIds: ReadonlyMap<string, Identity.EmployeeId>,
): Promise<{ rows: UtilisationRow[]; entries: number; submittedMinutes: number; netMinutes: number }> {
  const codecs = agency.dialect.codecs;
  const c = timeEntriesTable.columns;
  const stored = (await agency.db
    .selectFrom(`${agency.prefix}time_entries`)
    .select(['employee_id', 'work_date', 'state', 'duration_minutes', 'net_minutes'])
    .execute()) as Record<string, unknown>[];
  const byKey = new Map([...employeeIds].map(([key, id]) => [id as string, key]));
  const teamOn = teamOnDate(scenario);
  const logged = new Map<string, number>();
  let entries = 0;
  let submittedMinutes = 0;
  let netMinutes = 0;
  for (const r of stored) {
    const state = decodeColumn(codecs, c.state, r['state']) as string;
    if (state !== 'submitted' && state !== 'locked') continue;
    const key = byKey.get(decodeColumn(codecs, c.employee_id, r['employee_id']) as string)!;
    const date = decodeColumn(codecs, c.work_date, r['work_date']) as string;
    const net = decodeColumn(codecs, c.net_minutes, r['net_minutes']) as number;
    entries++;
    submittedMinutes += decodeColumn(codecs, c.duration_minutes, r['duration_minutes']) as number;
    netMinutes += net;
    const team = teamOn(key, date);
    if (team !== null) logged.set(team, (logged.get(team) ?? 0) + net);
  }
  const capacity = new Map<string, number>();
  for (const p of capacityParts(scenario))
    capacity.set(p.teamKey, (capacity.get(p.teamKey) ?? 0) + p.minutes);
  const rows = scenario.teams.map((t) => {
    const g = Time.groupUtilisation([
      { minutes: logged.get(t.key) ?? 0, capacityMinutes: capacity.get(t.key) ?? 0 },
    ]);
    return {
      team: t.name,
      loggedMinutes: g.minutes,
      capacityMinutes: g.capacityMinutes,
      utilisationBp: g.utilisationBp,
    };
  });
  return { rows, entries, submittedMinutes, netMinutes };
}
