// The quarter after acceptance, as plain data from the seed (no I/O, no library): each sold project's
// plan, work and close; the time its people log (with leave, a few adjustments and one refused edit);
// and a support desk's tickets. `delivery.ts`, `time.ts` and `support.ts` replay it through the public
// API, and the e2e test derives its expectations from the same plan.
import type { Prng } from './prng.js';
import type { EmployeePlan, LeadStory, OrgChangePlan, QuoteLinePlan } from './scenario.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Where each quoted role's work is done. */
export const ROLE_TEAM: Readonly<Record<string, string>> = {
  consultant: 'strategy',
  pm: 'strategy',
  engineer: 'engineering',
  designer: 'design',
};

/** The agency's working day: 09:00–17:00 in Europe/Berlin (07:00–15:00 UTC all through Q3: CEST). */
export const WORKDAY = { startUtcHour: 7, minutes: 480 } as const;

/** Approved leave of one employee: whole local days `from`..`to` (Monday to Friday of one or two weeks). */
export interface LeavePlan {
  readonly employeeKey: string;
  readonly from: string;
  readonly to: string;
}

/** One block of work an employee logs (and submits) on a task, on one day. */
export interface WorkEntryPlan {
  /** Index in {@link ExecutePlan.entries}. */
  readonly index: number;
  readonly employeeKey: string;
  readonly leadIndex: number;
  readonly taskIndex: number;
  readonly start: number;
  readonly minutes: number;
  /** The Berlin work date (`YYYY-MM-DD`; the same as the UTC date in Q3). */
  readonly date: string;
}

/** A task of a project: one per quoted line, plus the change order's. */
export interface TaskPlan {
  readonly index: number;
  readonly title: string;
  readonly roleId: string;
  readonly teamKey: string;
  /** Sold = estimated minutes (the hand-off copies the line's duration exactly). */
  readonly minutes: number;
  /** Minutes its assignee logs: sold, or more on the written-off project. */
  readonly workMinutes: number;
  readonly assigneeKey: string | null;
  /** `true` for the task the change order adds. */
  readonly fromChangeOrder: boolean;
}

/** A correction of a submitted entry: a duration delta or a reclassification, with its reason. */
export interface AdjustmentPlan {
  readonly entryIndex: number;
  readonly at: number;
  readonly change:
    | { readonly kind: 'duration_delta'; readonly deltaMinutes: number }
    | { readonly kind: 'reclassify'; readonly billable: boolean };
  readonly reason: string;
}

/** One step of a project's quarter, at a simulated time. */
export type DeliveryAction =
  /** Tickets for its tasks (the ticket backbone), assignees, then `plan`. */
  | { readonly kind: 'plan'; readonly at: number }
  /** The PM re-estimates a task beyond sold: refused; the breach is recorded as a variance. */
  | {
      readonly kind: 'overrun';
      readonly at: number;
      readonly taskIndex: number;
      readonly extraMinutes: number;
    }
  /** A change-order quote referencing the original: opened with its line and sent. */
  | { readonly kind: 'change_order_sent'; readonly at: number; readonly line: QuoteLinePlan }
  /** Its acceptance creates baseline v2 and the new task; the variance is resolved by it. */
  | { readonly kind: 'change_order_accepted'; readonly at: number }
  | { readonly kind: 'task_start'; readonly at: number; readonly taskIndex: number }
  | { readonly kind: 'activate'; readonly at: number }
  | { readonly kind: 'entry'; readonly at: number; readonly entryIndex: number }
  | { readonly kind: 'adjust'; readonly at: number; readonly adjustmentIndex: number }
  /** The owner tries to edit a submitted entry: refused (TIME_ENTRY_NOT_DRAFT). */
  | { readonly kind: 'refused_edit'; readonly at: number; readonly entryIndex: number }
  | { readonly kind: 'task_complete'; readonly at: number; readonly taskIndex: number }
  /** Actual vs sold checked (a breach is a variance, written off), then `complete`. */
  | { readonly kind: 'close'; readonly at: number; readonly writeOff: boolean };

/** One sold project's quarter. */
export interface ProjectPlan {
  readonly leadIndex: number;
  readonly acceptedAt: number;
  readonly tasks: readonly TaskPlan[];
  /** `change_order` (plan beyond sold, resolved by a change order), `write_off` (time beyond sold) or none. */
  readonly overrun: 'change_order' | 'write_off' | null;
  /** In time order. */
  readonly actions: readonly DeliveryAction[];
  /** The state it ends the quarter in. */
  readonly finalState: 'created' | 'planned' | 'active' | 'completed';
}

/** A support ticket's story at the desk. */
export interface SupportTicketPlan {
  readonly index: number;
  readonly companyIndex: number;
  readonly subject: string;
  readonly priority: 'low' | 'medium' | 'high';
  /** `routine` (answered and resolved the same day), `waiting` (paused while the customer answers), `breach`. */
  readonly story: 'routine' | 'waiting' | 'breach';
  readonly createdAt: number;
  readonly respondedAt: number;
  readonly pendingAt: number | null;
  readonly resumedAt: number | null;
  readonly resolvedAt: number;
  readonly closedAt: number;
}

/** The support desk: its calendar and SLA terms, its tickets, and when the SLA scheduler runs. */
export interface SupportPlan {
  /** The desk's calendar zone: its DST change (27 September) falls in the quarter. */
  readonly timeZone: string;
  /** Monday to Friday, 08:30–12:30 and 13:30–17:30 local (a lunch break). */
  readonly windows: readonly { weekday: number; startMinute: number; endMinute: number }[];
  readonly holidays: readonly string[];
  readonly responseTargetMinutes: number;
  readonly resolutionTargetMinutes: number;
  readonly warningThresholdBp: number;
  /** One escalation stage: the escalation manager is told at this share of the resolution target. */
  readonly escalationThresholdBp: number;
  readonly publishedAt: number;
  readonly tickets: readonly SupportTicketPlan[];
  /** Hourly runs of the scheduler (on the hour, UTC) while a desk ticket is open. */
  readonly evaluations: readonly number[];
}

/** Everything that happens after acceptance. */
export interface ExecutePlan {
  readonly leave: readonly LeavePlan[];
  readonly projects: readonly ProjectPlan[];
  readonly entries: readonly WorkEntryPlan[];
  readonly adjustments: readonly AdjustmentPlan[];
  readonly refusedEdit: { readonly entryIndex: number; readonly at: number } | null;
  readonly support: SupportPlan;
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The UTC offset of `zone` at `ms`, in milliseconds, read from the platform's time-zone database. */
function offsetMs(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(ms));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'));
  return local - Math.floor(ms / MINUTE) * MINUTE;
}

/**
 * The instant of a wall-clock time in `zone` (for times that exist: the demo never plans one in a DST
 * gap).
 *
 * @example
 * ```ts
 * zonedInstant('Pacific/Auckland', '2026-09-25', 14 * 60); // Date.UTC(2026, 8, 25, 2)
 * ```
 */
export function zonedInstant(zone: string, date: string, minuteOfDay: number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + minuteOfDay * MINUTE;
  let t = wall;
  for (let i = 0; i < 3; i++) t = wall - offsetMs(zone, t);
  return t;
}

/** Team of an employee at an instant (the org change moves one person mid-quarter). */
export function teamAt(employee: EmployeePlan, change: OrgChangePlan, at: number): string | null {
  if (employee.key === change.employeeKey) return at < change.at ? change.fromTeamKey : change.toTeamKey;
  return employee.teamKey;
}

/** Monday–Friday dates (UTC midnight) from `start` (inclusive) to `end` (exclusive). */
function weekdays(start: number, end: number): number[] {
  const out: number[] = [];
  for (let d = Math.floor(start / DAY) * DAY; d < end; d += DAY) {
    const w = new Date(d).getUTCDay();
    if (w >= 1 && w <= 5) out.push(d);
  }
  return out;
}

/**
 * Plans the quarter after acceptance for the accepted leads.
 *
 * @example
 * ```ts
 * const plan = planExecution({ rng, quarter, employees, orgChange, leads, companyCount: 60, scale });
 * ```
 */
export function planExecution(input: {
  readonly rng: Prng;
  readonly quarter: { readonly start: number; readonly end: number };
  readonly employees: readonly EmployeePlan[];
  readonly orgChange: OrgChangePlan;
  readonly leads: readonly LeadStory[];
  readonly companyCount: number;
  readonly scale: (n: number) => number;
}): ExecutePlan {
  const { rng, quarter, employees, orgChange } = input;
  const days = weekdays(quarter.start, quarter.end);
  const staff = employees.filter((e) => e.teamKey !== null);

  // Leave: one or two weeks each, in July or August, approved before the quarter.
  const mondays = days.filter((d) => new Date(d).getUTCDay() === 1 && d < Date.UTC(2026, 7, 24));
  const leave: LeavePlan[] = staff.map((e) => {
    const weeks = rng.int(1, 2);
    const monday = rng.pick(mondays.slice(0, mondays.length - (weeks - 1)));
    return {
      employeeKey: e.key,
      from: isoDate(monday),
      to: isoDate(monday + ((weeks - 1) * 7 + 4) * DAY),
    };
  });
  const onLeave = (key: string, day: number): boolean =>
    leave.some((l) => l.employeeKey === key && l.from <= isoDate(day) && isoDate(day) <= l.to);
  const booked = new Map<string, number[]>(staff.map((e) => [e.key, days.map(() => 0)]));
  const free = (key: string, i: number): number =>
    onLeave(key, days[i]!) ? 0 : WORKDAY.minutes - booked.get(key)![i]!;

  const entries: WorkEntryPlan[] = [];
  /** Books `minutes` for a task on its assignee from day `first` on; the entries, in order. */
  const book = (
    employeeKey: string,
    leadIndex: number,
    taskIndex: number,
    first: number,
    minutes: number,
  ): WorkEntryPlan[] => {
    const out: WorkEntryPlan[] = [];
    let remaining = minutes;
    for (let i = first; i < days.length && remaining > 0; i++) {
      const chunk = Math.min(remaining, free(employeeKey, i));
      if (chunk < 60 && chunk < remaining) continue;
      const day = days[i]!;
      const e: WorkEntryPlan = {
        index: entries.length,
        employeeKey,
        leadIndex,
        taskIndex,
        start: day + WORKDAY.startUtcHour * HOUR + booked.get(employeeKey)![i]! * MINUTE,
        minutes: chunk,
        date: isoDate(day),
      };
      booked.get(employeeKey)![i]! += chunk;
      entries.push(e);
      out.push(e);
      remaining -= chunk;
    }
    return out;
  };
  const nextDay = (at: number): number => {
    const i = days.findIndex((d) => d > at);
    return i === -1 ? days.length : i;
  };
  /** The team member (at that day) with the most free time over the next two weeks. */
  const assignee = (teamKey: string, first: number): string | null => {
    const at = days[Math.min(first, days.length - 1)]!;
    const members = staff.filter((e) => teamAt(e, orgChange, at) === teamKey);
    let best: string | null = null;
    let bestFree = -1;
    for (const m of members) {
      let f = 0;
      for (let i = first; i < Math.min(first + 10, days.length); i++) f += free(m.key, i);
      if (f > bestFree) [best, bestFree] = [m.key, f];
    }
    return best;
  };

  // The two projects expected to finish first take the overruns (a change order, a write-off) and are
  // staffed first; the rest in order of acceptance (first sold, first staffed).
  const byAcceptance = input.leads
    .map((lead) => ({ lead, at: lead.steps.find((s) => s.kind === 'quote_accepted')?.at }))
    .filter((x): x is { lead: LeadStory; at: number } => x.at !== undefined)
    .sort((a, b) => a.at - b.at || a.lead.index - b.lead.index);
  const finish = (x: { lead: LeadStory; at: number }): number =>
    x.at + (Math.max(...finalLines(x.lead).map((l) => l.minutes)) / WORKDAY.minutes) * 1.5 * DAY;
  const overruns = [...byAcceptance].sort((a, b) => finish(a) - finish(b) || a.lead.index - b.lead.index);
  const accepted = [
    ...overruns.slice(0, 2),
    ...byAcceptance.filter((x) => !overruns.slice(0, 2).includes(x)),
  ];
  const projects: ProjectPlan[] = [];
  let refusedEdit: ExecutePlan['refusedEdit'] = null;
  const adjustments: AdjustmentPlan[] = [];
  const eligible: { entry: WorkEntryPlan; actions: DeliveryAction[] }[] = [];
  for (const [n, { lead, at: acceptedAt }] of accepted.entries()) {
    const lines = finalLines(lead);
    const actions: DeliveryAction[] = [];
    const plannedAt = acceptedAt + rng.int(20, 44) * HOUR;
    // A change order needs a few days of the quarter (refusal, quote, acceptance).
    const overrun: ProjectPlan['overrun'] =
      n === 0 && plannedAt + 5 * DAY < quarter.end ? 'change_order' : n === 1 ? 'write_off' : null;
    const tasks: TaskPlan[] = lines.map((l, i) => ({
      index: i,
      title: l.title,
      roleId: l.roleId,
      teamKey: ROLE_TEAM[l.roleId]!,
      minutes: l.minutes,
      workMinutes: l.minutes,
      assigneeKey: null,
      fromChangeOrder: false,
    }));
    if (plannedAt >= quarter.end - DAY) {
      projects.push({
        leadIndex: lead.index,
        acceptedAt,
        tasks,
        overrun: null,
        actions,
        finalState: 'created',
      });
      continue;
    }
    actions.push({ kind: 'plan', at: plannedAt });
    let workFrom = plannedAt;
    if (overrun === 'change_order') {
      // The PM finds the first task needs a quarter more: the plan is refused, a variance recorded,
      // and the customer buys the extra work as a change order.
      const first = lines[0]!;
      const extraMinutes = Math.max(60, Math.round(first.minutes / 4 / 60) * 60);
      actions.push({ kind: 'overrun', at: plannedAt + 2 * HOUR, taskIndex: 0, extraMinutes });
      const line: QuoteLinePlan = {
        ...first,
        title: `${first.title} (change order)`,
        minutes: extraMinutes,
      };
      actions.push({ kind: 'change_order_sent', at: plannedAt + 26 * HOUR, line });
      const acceptAt = plannedAt + 74 * HOUR;
      actions.push({ kind: 'change_order_accepted', at: acceptAt });
      tasks.push({
        index: tasks.length,
        title: line.title,
        roleId: line.roleId,
        teamKey: ROLE_TEAM[line.roleId]!,
        minutes: extraMinutes,
        workMinutes: extraMinutes,
        assigneeKey: null,
        fromChangeOrder: true,
      });
      workFrom = acceptAt;
    }
    if (overrun === 'write_off') {
      // The first task takes a fifth longer than sold: logged as it happened, never blocked.
      const t = tasks[0]!;
      tasks[0] = { ...t, workMinutes: t.minutes + Math.max(60, Math.round(t.minutes / 5 / 60) * 60) };
    }
    const first = nextDay(workFrom);
    let lastEnd = 0;
    let allDone = true;
    let earliest = Number.POSITIVE_INFINITY;
    const taskEntries: WorkEntryPlan[][] = [];
    for (const [i, t] of tasks.entries()) {
      const who = assignee(t.teamKey, first);
      tasks[i] = { ...t, assigneeKey: who };
      const booked = who === null ? [] : book(who, lead.index, i, first, t.workMinutes);
      taskEntries.push(booked);
      const logged = booked.reduce((s, e) => s + e.minutes, 0);
      if (booked.length === 0) {
        allDone = false;
        continue;
      }
      const start = booked[0]!.start;
      earliest = Math.min(earliest, start);
      actions.push({ kind: 'task_start', at: start - 2 * MINUTE, taskIndex: i });
      for (const e of booked)
        actions.push({ kind: 'entry', at: e.start + e.minutes * MINUTE + 10 * MINUTE, entryIndex: e.index });
      const end = booked.at(-1)!.start + booked.at(-1)!.minutes * MINUTE;
      if (logged === t.workMinutes && end + 15 * MINUTE < quarter.end) {
        actions.push({ kind: 'task_complete', at: end + 15 * MINUTE, taskIndex: i });
        lastEnd = Math.max(lastEnd, end + 15 * MINUTE);
      } else allDone = false;
    }
    if (earliest !== Number.POSITIVE_INFINITY) actions.push({ kind: 'activate', at: earliest - MINUTE });
    const closeDay = nextDay(lastEnd);
    const closeAt = closeDay < days.length ? days[closeDay]! + 8 * HOUR : quarter.end;
    const closes = allDone && closeAt + HOUR < quarter.end;
    if (closes) actions.push({ kind: 'close', at: closeAt, writeOff: overrun === 'write_off' });
    if (overrun === null) {
      const limit = closes ? closeAt : quarter.end;
      eligible.push(
        ...taskEntries
          .flat()
          .flatMap((e) =>
            e.start + 2 * DAY + HOUR < limit && e.minutes >= 120 ? [{ entry: e, actions }] : [],
          ),
      );
    }
    const finalState = closes
      ? 'completed'
      : earliest !== Number.POSITIVE_INFINITY && earliest < quarter.end
        ? 'active'
        : 'planned';
    projects.push({ leadIndex: lead.index, acceptedAt, tasks, overrun, actions, finalState });
  }

  // Corrections on ordinary projects, two days after the work and while the project is open: two
  // entries shortened, one made non-billable; and one refused edit of submitted time.
  const corrections: Omit<AdjustmentPlan, 'entryIndex' | 'at'>[] = [
    { change: { kind: 'duration_delta', deltaMinutes: -30 }, reason: 'the stand-up was booked twice' },
    {
      change: { kind: 'reclassify', billable: false },
      reason: 'internal rework, not billable to the customer',
    },
    { change: { kind: 'duration_delta', deltaMinutes: -45 }, reason: 'the workshop ended early' },
  ];
  const chosen = shuffled(rng, eligible).slice(0, corrections.length + 1);
  for (const [k, { entry, actions }] of chosen.entries()) {
    if (k < corrections.length) {
      const at = entry.start + 2 * DAY + rng.int(0, 60) * MINUTE;
      adjustments.push({ entryIndex: entry.index, at, ...corrections[k]! });
      actions.push({ kind: 'adjust', at, adjustmentIndex: k });
    } else {
      refusedEdit = { entryIndex: entry.index, at: entry.start + DAY + 2 * HOUR };
      actions.push({ kind: 'refused_edit', at: refusedEdit.at, entryIndex: entry.index });
    }
  }
  for (const p of projects) (p.actions as DeliveryAction[]).sort((a, b) => a.at - b.at);
  projects.sort((a, b) => a.acceptedAt - b.acceptedAt || a.leadIndex - b.leadIndex);

  return {
    leave,
    projects,
    entries,
    adjustments,
    refusedEdit,
    support: planSupport(rng, quarter, input.companyCount, input.scale),
  };
}

function shuffled<T>(rng: Prng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The version a lead's customer accepted: the revised lines, else the first ones. */
export function finalLines(lead: LeadStory): readonly QuoteLinePlan[] {
  const revised = lead.steps.find((s) => s.kind === 'quote_revised');
  const created = lead.steps.find((s) => s.kind === 'quote_created');
  if (revised?.kind === 'quote_revised') return revised.lines;
  if (created?.kind === 'quote_created') return created.lines;
  return [];
}

const DESK_ZONE = 'Pacific/Auckland';
const SUBJECTS = [
  'Login fails',
  'Report export slow',
  'Invoice PDF garbled',
  'API returns 500',
  'Sync stuck',
];

function planSupport(
  rng: Prng,
  quarter: { readonly start: number; readonly end: number },
  companyCount: number,
  scale: (n: number) => number,
): SupportPlan {
  const holidays = ['2026-07-10']; // Matariki, a public holiday in New Zealand
  const local = (date: string, hh: number, mm = 0): number => zonedInstant(DESK_ZONE, date, hh * 60 + mm);
  // Local working dates of the desk, up to the week before the DST change.
  const dates: string[] = [];
  for (let d = Date.UTC(2026, 6, 1); d < Date.UTC(2026, 8, 19); d += DAY) {
    const w = new Date(d).getUTCDay();
    if (w >= 1 && w <= 5 && !holidays.includes(isoDate(d))) dates.push(isoDate(d));
  }
  const tickets: SupportTicketPlan[] = [];
  const routine = scale(24);
  const picked = Array.from({ length: routine }, () => rng.pick(dates)).sort();
  for (const date of picked) {
    // Opened 09:00–11:59, answered within 20 minutes, resolved within three hours: well inside the SLA.
    const createdAt = local(date, 9, rng.int(0, 179));
    const respondedAt = createdAt + rng.int(3, 20) * MINUTE;
    const resolvedAt = respondedAt + rng.int(30, 160) * MINUTE;
    tickets.push({
      index: tickets.length,
      companyIndex: rng.int(0, companyCount - 1),
      subject: `${rng.pick(SUBJECTS)} (#${tickets.length + 1})`,
      priority: rng.pick(['low', 'medium', 'high'] as const),
      story: 'routine',
      createdAt,
      respondedAt,
      pendingAt: null,
      resumedAt: null,
      resolvedAt,
      closedAt: resolvedAt + 2 * DAY,
    });
  }
  // Waiting on the customer for most of a week: the clock pauses, so no warning.
  tickets.push({
    index: tickets.length,
    companyIndex: rng.int(0, companyCount - 1),
    subject: 'Data import rejected — waiting for the customer’s file',
    priority: 'medium',
    story: 'waiting',
    createdAt: local('2026-08-18', 10),
    respondedAt: local('2026-08-18', 10, 15),
    pendingAt: local('2026-08-18', 11),
    resumedAt: local('2026-08-24', 9),
    resolvedAt: local('2026-08-24', 11),
    closedAt: local('2026-08-26', 9),
  });
  // Opened on the Friday before New Zealand's DST change, resolved late on Tuesday: its clock runs
  // across the change, warns, escalates and breaches.
  tickets.push({
    index: tickets.length,
    companyIndex: rng.int(0, companyCount - 1),
    subject: 'Checkout down for APAC customers',
    priority: 'high',
    story: 'breach',
    createdAt: local('2026-09-25', 14),
    respondedAt: local('2026-09-25', 14, 10),
    pendingAt: null,
    resumedAt: null,
    resolvedAt: local('2026-09-29', 16),
    closedAt: local('2026-09-30', 10),
  });
  tickets.sort((a, b) => a.createdAt - b.createdAt);
  const ordered = tickets.map((t, index) => ({ ...t, index }));
  // The scheduler runs every hour on the hour; hours when no desk ticket is open are skipped (nothing
  // can be due then).
  const evaluations: number[] = [];
  for (let h = Math.ceil(quarter.start / HOUR) * HOUR; h < quarter.end; h += HOUR) {
    if (ordered.some((t) => t.createdAt <= h && h <= t.resolvedAt)) evaluations.push(h);
  }
  return {
    timeZone: DESK_ZONE,
    windows: [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, startMinute: 8 * 60 + 30, endMinute: 12 * 60 + 30 },
      { weekday, startMinute: 13 * 60 + 30, endMinute: 17 * 60 + 30 },
    ]),
    holidays,
    responseTargetMinutes: 60,
    resolutionTargetMinutes: 960,
    warningThresholdBp: 8000,
    escalationThresholdBp: 9000,
    publishedAt: quarter.start - 5 * DAY,
    tickets: ordered,
    evaluations,
  };
}
