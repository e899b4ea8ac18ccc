// Shared by kpi-fold-memory, kpi-rebuild and kpi-catch-up: a deterministic Execute-context stream (tickets with SLA clocks, time,
// projects with tasks, milestones and variances, article links) mixed with the commercial stream, and
// the definitions the library side computes with: catalogue v1 + v2.
import type { Calendar, EventDraft, Instant, Uuid } from '@pet-ops/core';
import { catalogueV1, catalogueV2, type KpiDefinitionVersion } from '@pet-ops/kpi';
import { type BenchStream, benchUuid } from '../events.js';
import { seeded } from '../harness.js';
import { commercialEvents, employeeId, type ReplayableEvent, sliceStreamId } from './kpi-shared.js';

const EMPLOYEES = 40;
const CUSTOMERS = 500;
const customerId = (n: number): string => `019b76da-a800-7300-8000-${n.toString(16).padStart(12, '0')}`;

const calendar = (timeZone: string, start: number, end: number): Calendar.BusinessCalendar => ({
  calendarId: '019b76da-a800-7ca1-8000-000000000001' as Calendar.CalendarId,
  version: 1,
  timeZone,
  windows: ([1, 2, 3, 4, 5] as const).map((weekday) => ({ weekday, startMinute: start, endMinute: end })),
  holidays: ['2025-12-25', '2026-12-25'] as Calendar.LocalDate[],
});
/** The two SLA calendar snapshots tickets bind (business hours in Berlin and London). */
export const BENCH_CALENDARS: readonly Calendar.BusinessCalendar[] = [
  calendar('Europe/Berlin', 480, 1020),
  calendar('Europe/London', 540, 1020),
];

/** Catalogue v1 (org, team, department, employee, customer) + catalogue v2 (its dashboards' scopes), monthly. */
export const benchDefinitionsV1V2: KpiDefinitionVersion[] = [
  ...catalogueV1({ currency: 'EUR', scopes: ['org', 'team', 'department', 'employee', 'customer'] }),
  ...catalogueV2({ scopes: ['org', 'team', 'department', 'employee', 'customer', 'project'] }),
];

const instant = (ms: number): Instant => `${new Date(ms).toISOString().slice(0, 23)}000Z` as Instant;

/**
 * `count` Execute-context events from event number `first` (deterministic), spread over two years:
 * support tickets (assignment, SLA binding and clock, time, links, resolution, closing) and projects
 * (tasks, time, a completed milestone, variances).
 */
export function executeEvents(count: number, first = 0): EventDraft[] {
  const rand = seeded(4242 + first);
  const out: EventDraft[] = [];
  let n = first;
  let cycle = Math.floor(first / 12);
  const start = Date.UTC(2025, 0, 1);
  const span = 2 * 365 * 86_400_000;
  const pick = (k: number): number => Math.floor(rand() * k);
  while (out.length < count) {
    const c = cycle++;
    const actor = employeeId(pick(EMPLOYEES));
    const customer = customerId(pick(CUSTOMERS));
    let t = start + Math.floor(((n % 1_000_000) / 1_000_000) * span);
    const push = (type: string, payload: Record<string, unknown>, by = actor): void => {
      if (out.length >= count) return;
      out.push({
        eventId: benchUuid(rand, n++),
        type,
        schemaVersion: 1,
        streamType: type.split('.')[0] as string,
        occurredAt: instant(t),
        actor: { type: 'employee', id: by },
        context: {},
        correlationId: null,
        causationId: null,
        payload,
      });
      t += Math.floor(rand() * 6 * 3_600_000);
    };
    const entry = (k: number): string => benchUuid(rand, 90_000_000 + c * 8 + k);
    if (c % 3 !== 2) {
      // A ticket.
      const ticketId = benchUuid(rand, 70_000_000 + c);
      const owner = rand() < 0.85 ? 'support' : 'project';
      const priorities = ['low', 'medium', 'high', 'critical'] as const;
      push('ticket.created', {
        ticketId,
        owner,
        status: 'new',
        customerId: customer,
        siteId: null,
        projectId: null,
        subject: 'printer',
        priority: priorities[pick(4)],
        kind: 'incident',
        soldMinutes: null,
        sla: { mode: 'inherit' },
        parentTicketId: null,
        rootTicketId: ticketId,
        at: instant(t),
      });
      push('ticket.assigned', {
        ticketId,
        mode: 'TEAM_QUEUE_PULL',
        preferredAssigneeId: null,
        assignedTeamId: null,
        assignedEmployeeId: actor,
        previousTeamId: null,
        previousEmployeeId: null,
        byEmployeeId: null,
        at: instant(t),
      });
      const bound = owner === 'support' && rand() < 0.8;
      const clock = (type: string, targetKind: string, elapsed: number, target: number, extra = {}) =>
        push(type, {
          assignmentId: ticketId,
          ticketId,
          slaVersionNumber: 1,
          targetKind,
          at: instant(t),
          elapsedBusinessMinutes: elapsed,
          targetMinutes: target,
          dueAt: null,
          ...extra,
        });
      if (bound)
        push('sla.bound', {
          assignmentId: ticketId,
          ticketId,
          contractId: null,
          source: 'customer',
          slaDefinitionId: benchUuid(rand, 80_000_000),
          slaVersionNumber: 1,
          slaName: 'Gold',
          responseTargetMinutes: 60,
          resolutionTargetMinutes: 960,
          warningThresholdBp: 8000,
          escalationThresholdsBp: [10_000],
          calendar: BENCH_CALENDARS[pick(2)],
          startedAt: instant(t),
          at: instant(t),
          responseDueAt: instant(t),
          resolutionDueAt: instant(t),
        });
      if (bound) clock('sla.responded', 'response', pick(120), 60);
      if (rand() < 0.2)
        push('ticket.priority_changed', { ticketId, from: 'low', to: priorities[pick(4)], at: instant(t) });
      if (bound && rand() < 0.2) {
        clock('sla.breached', 'resolution', 960, 960, { thresholdBp: 10_000 });
        clock('sla.escalated', 'resolution', 960, 960, { thresholdBp: 10_000, stage: 1 });
      }
      if (rand() < 0.3)
        push('knowledge.linked', {
          articleId: benchUuid(rand, 60_000_000 + pick(200)),
          target: { kind: 'ticket', id: ticketId },
          linkedBy: actor,
          at: instant(t),
        });
      const entries = 1 + pick(3);
      for (let k = 0; k < entries; k++)
        push('time_entry.submitted', {
          timeEntryId: entry(k),
          employeeId: actor,
          minutes: 15 + pick(240),
          ticketId,
          projectId: null,
          workDate: instant(t).slice(0, 10),
          attestedBy: actor,
          submittedAt: instant(t),
        });
      if (rand() < 0.1)
        push('time_entry.adjusted', {
          adjustmentId: entry(7),
          timeEntryId: entry(0),
          adjustmentType: 'duration_delta',
          deltaMinutes: -5 - pick(10),
          newBillable: null,
          newWorkType: null,
          newTicketId: null,
          newTaskId: null,
          newBucketId: null,
          reason: 'typo',
          authorId: actor,
          at: instant(t),
        });
      push('ticket.status_changed', { ticketId, from: 'open', to: 'resolved', at: instant(t) });
      if (bound) clock('sla.resolved', 'resolution', pick(1500), 960);
      push('ticket.status_changed', { ticketId, from: 'resolved', to: 'closed', at: instant(t) });
      continue;
    }
    // A project.
    const projectId = benchUuid(rand, 75_000_000 + c) as Uuid;
    push('delivery.project_created', {
      projectId,
      kind: rand() < 0.25 ? 'presales' : 'sold',
      name: 'Rollout',
      customerId: customer,
      siteId: null,
      sourceQuoteId: null,
      saleId: null,
      soldConstraintsApply: true,
      soldMinutes: 2400,
      soldValue: null,
      startDate: null,
      endDate: null,
      createdAt: instant(t),
    });
    for (let k = 0; k < 3; k++)
      push('delivery.task_created', {
        taskId: entry(k + 3),
        projectId,
        milestoneId: null,
        ticketId: null,
        name: `task ${k}`,
        estimatedMinutes: 240 + pick(600),
        soldMinutes: 480,
        roleId: null,
        assigneeId: null,
        sequence: k,
        sourceLineId: null,
        at: instant(t),
      });
    if (rand() < 0.2)
      push('delivery.task_re_estimated', {
        taskId: entry(3),
        projectId,
        from: 480,
        to: 300 + pick(600),
        at: instant(t),
      });
    for (let k = 0; k < 3; k++)
      push('time_entry.submitted', {
        timeEntryId: entry(k),
        employeeId: actor,
        minutes: 60 + pick(480),
        ticketId: benchUuid(rand, 71_000_000 + c),
        projectId,
        workDate: instant(t).slice(0, 10),
        attestedBy: actor,
        submittedAt: instant(t),
      });
    if (rand() < 0.1)
      push('time_entry.adjusted', {
        adjustmentId: entry(7),
        timeEntryId: entry(1),
        adjustmentType: 'duration_delta',
        deltaMinutes: -30,
        newBillable: null,
        newWorkType: null,
        newTicketId: null,
        newTaskId: null,
        newBucketId: null,
        reason: 'double-counted',
        authorId: actor,
        at: instant(t),
      });
    const variance = rand() < 0.3 ? benchUuid(rand, 77_000_000 + c) : null;
    if (variance !== null)
      push('project.variance_detected', {
        varianceId: variance,
        projectId,
        constraintId: projectId,
        baselineVersion: 1,
        varianceType: 'actual_over_sold',
        milestoneId: null,
        unit: 'minutes',
        currency: null,
        sold: 2400,
        observed: 2700,
        delta: 300,
        detectedAt: instant(t),
      });
    push('delivery.milestone_completed', {
      milestoneId: entry(6),
      projectId,
      name: 'Go-live',
      soldMinutes: 1200,
      plannedMinutes: 1200,
      actualMinutes: 600 + pick(1200),
      at: instant(t),
    });
    if (variance !== null && rand() < 0.5)
      push('project.variance_resolved', {
        varianceId: variance,
        projectId,
        resolution: 'write_off',
        cause: 'underestimated',
        changeOrderQuoteId: null,
        newBaselineVersion: null,
        resolvedBy: actor,
        resolvedAt: instant(t),
      });
  }
  return out;
}

/**
 * `count` events, half commercial and half Execute-context, interleaved, as a driver hands them over
 * (through JSON), positions 1…count.
 */
export function storedMixedEvents(count: number): ReplayableEvent[] {
  return mixedEvents(count, 0).map((draft, i): ReplayableEvent => {
    const e = JSON.parse(JSON.stringify(draft)) as EventDraft;
    return {
      ...e,
      streamId: e.eventId as Uuid,
      streamVersion: 1,
      position: BigInt(i + 1),
      recordedAt: e.occurredAt,
    };
  });
}

/** Half commercial, half Execute-context events numbered from `first`, interleaved one to one. */
function mixedEvents(count: number, first: number): EventDraft[] {
  const half = Math.floor(first / 2);
  const commercial = commercialEvents(Math.ceil(count / 2), half);
  const execute = executeEvents(Math.floor(count / 2), half);
  const mixed: EventDraft[] = [];
  for (let i = 0; i < commercial.length || i < execute.length; i++) {
    const a = commercial[i];
    const b = execute[i];
    if (a !== undefined) mixed.push(a);
    if (b !== undefined) mixed.push(b);
  }
  return mixed;
}

/**
 * `count` events after event number `first` (even), half commercial and half Execute-context as in
 * {@link storedMixedEvents}, as streams of 1000 (versions 1…1000 each), what the kpi-rebuild and
 * kpi-catch-up setups write with one statement a stream; generated 50 000 at a time.
 */
export function* mixedStreams(count: number, first: number): Generator<BenchStream> {
  const rand = seeded(78 + first);
  const slice = 50_000;
  for (let done = 0; done < count; done += slice) {
    const events = mixedEvents(Math.min(slice, count - done), first + done);
    for (let i = 0; i < events.length; i += 1000) {
      const streamId = sliceStreamId(rand, Math.floor((first + done + i) / 1000));
      yield { streamId, events: events.slice(i, i + 1000) };
    }
  }
}
