// Not a test file: a deterministic commercial event stream for the KPI runner and feed contract suites.
import type { EventDraft, Instant, Uuid } from '@pet-ops/core';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
/** A valid UUIDv7 from a kind and a counter. */
export const fixtureId = (kind: number, n: number): Uuid =>
  `019b76da-a800-7${hex(kind, 3)}-8${hex(Math.floor(n / 2 ** 44) % 4096, 3)}-${hex(n % 2 ** 44, 12).slice(-12)}` as Uuid;

const instant = (ms: number): Instant => `${new Date(ms).toISOString().slice(0, 23)}000Z` as Instant;

/**
 * `deals` sales cycles (lead → qualification → opportunity → quote → acceptance or loss), 4–8 events
 * each, starting at `firstDeal`, spread over 2026 with employees 1–8.
 */
export function commercialDrafts(deals: number, firstDeal = 0, seed = 7): EventDraft[] {
  const rand = seeded(seed + firstDeal);
  const out: EventDraft[] = [];
  let counter = firstDeal * 16;
  const base = Date.UTC(2026, 0, 1);
  for (let d = firstDeal; d < firstDeal + deals; d++) {
    const actor = fixtureId(0x100, 1 + Math.floor(rand() * 8));
    let t = base + Math.floor(rand() * 300) * 86_400_000 + Math.floor(rand() * 86_400_000);
    const push = (type: string, payload: Record<string, unknown>): void => {
      out.push({
        eventId: fixtureId(0x900, counter++),
        type,
        schemaVersion: 1,
        streamType: type.split('.')[0] as string,
        occurredAt: instant(t),
        actor: { type: 'employee', id: actor },
        context: { customerId: fixtureId(0x200, d % 5) },
        correlationId: null,
        causationId: null,
        payload,
      });
      t += Math.floor(rand() * 5 * 86_400_000);
    };
    const leadId = fixtureId(0x300, d);
    const oppId = fixtureId(0x400, d);
    const quoteId = fixtureId(0x500, d);
    const cls = (['gold', 'silver', 'bronze'] as const)[d % 3];
    push('lead.created', {
      leadId,
      source: 'web',
      customerId: null,
      ownerEmployeeId: actor,
      teamId: null,
      schemaVersion: null,
    });
    if (rand() < 0.3) {
      push('lead.disqualified', { leadId, qualificationId: fixtureId(0x600, d), reason: 'no budget' });
      continue;
    }
    push('lead.qualified', { leadId, qualificationId: fixtureId(0x600, d), opportunityClass: cls });
    const value = { amountMinor: 10_000 + Math.floor(rand() * 1_000_000), currency: 'EUR' };
    push('opportunity.created', {
      opportunityId: oppId,
      leadId,
      customerId: fixtureId(0x200, d % 5),
      opportunityClass: cls,
      probabilityBp: 2000,
      estimatedValue: value,
      ownerEmployeeId: actor,
      teamId: null,
    });
    push('opportunity.probability_changed', { opportunityId: oppId, probabilityBp: 6000, previous: 2000 });
    push('quote.sent', {
      quoteId,
      version: 1,
      opportunityId: oppId,
      customerId: fixtureId(0x200, d % 5),
      totalSell: value,
      totalCost: value,
    });
    if (rand() < 0.5) {
      push('quote.accepted', {
        quoteId,
        version: 1,
        opportunityId: oppId,
        customerId: fixtureId(0x200, d % 5),
        saleId: fixtureId(0x700, d),
        totalSell: value,
        totalCost: value,
        acceptedBy: 'Customer',
        acceptedAt: instant(t),
      });
      push('opportunity.won', { opportunityId: oppId, opportunityClass: cls, quoteId });
    } else {
      push('opportunity.lost', { opportunityId: oppId, opportunityClass: cls, reason: 'price' });
    }
  }
  return out;
}

/** A business calendar open every minute of every day in UTC: business minutes are wall minutes. */
/** Minutes sold on each fixture project (two tasks of half each). */
const SOLD = 720;

const ALWAYS_OPEN = {
  calendarId: fixtureId(0xc06, 1),
  version: 1,
  timeZone: 'UTC',
  windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
  holidays: [],
};

/**
 * `cycles` weeks of Execute-context work from January 2026, starting at `firstCycle`, done by
 * `employees` in turn (publish an org version naming them to get team results): each week one
 * SLA-bound support ticket (assigned, responded, time submitted on it, resolved — every third after a
 * resolution breach and escalation, every second linked to an article) and one sold project (two tasks, time on it, a
 * completed milestone, every second with a variance, every fourth with it written off). Payloads carry
 * the fields the support, delivery, time and knowledge contexts' events do: catalogue v2 folds them.
 */
export function executeDrafts(employees: readonly string[], cycles: number, firstCycle = 0): EventDraft[] {
  const out: EventDraft[] = [];
  let counter = firstCycle * 32;
  for (let c = firstCycle; c < firstCycle + cycles; c++) {
    let t = Date.UTC(2026, 0, 5, 9) + c * 7 * 86_400_000;
    const actor = employees[c % employees.length] as string;
    const worker = employees[(c + 1) % employees.length] as string;
    const push = (type: string, by: string, payload: Record<string, unknown>, minutes = 30): void => {
      out.push({
        eventId: fixtureId(0xb00, counter++),
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
      t += minutes * 60_000;
    };
    const customerId = fixtureId(0x200, c % 5);
    const ticketId = fixtureId(0xc00, c);
    const assignmentId = fixtureId(0xc08, c);
    const breached = c % 3 === 2;
    const clock = (type: string, kind: string, elapsed: number, target: number, extra = {}, wait = 30) =>
      push(
        type,
        actor,
        {
          assignmentId,
          ticketId,
          slaVersionNumber: 1,
          targetKind: kind,
          at: instant(t),
          elapsedBusinessMinutes: elapsed,
          targetMinutes: target,
          dueAt: null,
          ...extra,
        },
        wait,
      );
    push('ticket.created', actor, {
      ticketId,
      owner: 'support',
      status: 'new',
      customerId,
      siteId: null,
      projectId: null,
      subject: `Ticket ${c}`,
      priority: (['low', 'medium', 'high', 'critical'] as const)[c % 4],
      kind: 'incident',
      soldMinutes: null,
      sla: { mode: 'inherit' },
      parentTicketId: null,
      rootTicketId: ticketId,
      at: instant(t),
    });
    push('ticket.assigned', actor, {
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
    const bound = t;
    push('sla.bound', actor, {
      assignmentId,
      ticketId,
      contractId: null,
      source: 'customer',
      slaDefinitionId: fixtureId(0xc06, 2),
      slaVersionNumber: 1,
      slaName: 'Gold',
      responseTargetMinutes: 60,
      resolutionTargetMinutes: 960,
      warningThresholdBp: 8000,
      escalationThresholdsBp: [10_000],
      calendar: ALWAYS_OPEN,
      startedAt: instant(t),
      at: instant(t),
      responseDueAt: instant(t + 60 * 60_000),
      resolutionDueAt: instant(t + 960 * 60_000),
    });
    clock('sla.responded', 'response', 30, 60);
    push('time_entry.submitted', actor, {
      timeEntryId: fixtureId(0xc03, c * 4),
      employeeId: actor,
      minutes: 60 + 15 * (c % 4),
      ticketId,
      projectId: null,
      workDate: instant(t).slice(0, 10),
      attestedBy: actor,
      submittedAt: instant(t),
    });
    if (c % 2 === 0)
      push('knowledge.linked', actor, {
        articleId: fixtureId(0xc07, c % 3),
        target: { kind: 'ticket', id: ticketId },
        linkedBy: actor,
        at: instant(t),
      });
    // The calendar is always open, so elapsed business minutes are the minutes since the binding: a
    // breached ticket crosses its 960-minute resolution target, then is resolved at 1200.
    if (breached) {
      t = bound + 960 * 60_000;
      clock('sla.breached', 'resolution', 960, 960, { thresholdBp: 10_000 }, 0);
      clock('sla.escalated', 'resolution', 960, 960, { thresholdBp: 10_000, stage: 1 });
    }
    const resolvedAfter = breached ? 1200 : 240 + 30 * (c % 5);
    t = bound + resolvedAfter * 60_000;
    push('ticket.status_changed', actor, { ticketId, from: 'open', to: 'resolved', at: instant(t) }, 0);
    clock('sla.resolved', 'resolution', resolvedAfter, 960);

    const projectId = fixtureId(0xc01, c);
    const tasks = [fixtureId(0xc02, c * 2), fixtureId(0xc02, c * 2 + 1)];
    push('delivery.project_created', worker, {
      projectId,
      kind: 'sold',
      name: `Rollout ${c}`,
      customerId,
      siteId: null,
      sourceQuoteId: null,
      saleId: null,
      soldConstraintsApply: true,
      soldMinutes: SOLD,
      soldValue: null,
      startDate: null,
      endDate: null,
      createdAt: instant(t),
    });
    for (const [k, taskId] of tasks.entries())
      push('delivery.task_created', worker, {
        taskId,
        projectId,
        milestoneId: null,
        ticketId: null,
        name: `task ${k}`,
        estimatedMinutes: SOLD / 2,
        soldMinutes: SOLD / 2,
        roleId: null,
        assigneeId: worker,
        sequence: k,
        sourceLineId: null,
        at: instant(t),
      });
    const worked = [360 + 30 * (c % 4), 420 + 60 * (c % 3)];
    for (const [k, minutes] of worked.entries())
      push('time_entry.submitted', worker, {
        timeEntryId: fixtureId(0xc03, c * 4 + 1 + k),
        employeeId: worker,
        minutes,
        ticketId: fixtureId(0xc09, c * 2 + k),
        projectId,
        workDate: instant(t).slice(0, 10),
        attestedBy: worker,
        submittedAt: instant(t),
      });
    // Always more than sold (780–990 of 720 minutes): every second project records the variance.
    const actual = worked[0]! + worked[1]!;
    const varianceId = c % 2 === 1 ? fixtureId(0xc04, c) : null;
    if (varianceId !== null)
      push('project.variance_detected', worker, {
        varianceId,
        projectId,
        constraintId: projectId,
        baselineVersion: 1,
        varianceType: 'actual_over_sold',
        milestoneId: null,
        unit: 'minutes',
        currency: null,
        sold: SOLD,
        observed: actual,
        delta: actual - SOLD,
        detectedAt: instant(t),
      });
    push('delivery.milestone_completed', worker, {
      milestoneId: fixtureId(0xc05, c),
      projectId,
      name: 'Go-live',
      soldMinutes: SOLD,
      plannedMinutes: SOLD,
      actualMinutes: actual,
      at: instant(t),
    });
    if (varianceId !== null && c % 4 === 1)
      push('project.variance_resolved', worker, {
        varianceId,
        projectId,
        resolution: 'write_off',
        cause: 'underestimated',
        changeOrderQuoteId: null,
        newBaselineVersion: null,
        resolvedBy: worker,
        resolvedAt: instant(t),
      });
  }
  return out;
}
