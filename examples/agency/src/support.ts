// The support desk: a published SLA on a business calendar (Pacific/Auckland, whose DST change falls in
// the quarter — Berlin's comes in late October), tickets bound to it, each ticket event's clock effect
// sent to its assignment, and the SLA scheduler (`evaluateSlaClocks`) run every hour at simulated times.
// One ticket runs across the DST change and warns, escalates and breaches, each exactly once.
import {
  type Calendar,
  type CommandMetadata,
  type Crm,
  createCommandHandler,
  type Identity,
  instantFromEpochMs,
  type Rejection,
  type Result,
  Support,
  type Uuid,
} from '@pet-ops/core';
import { evaluateSlaClocks, supportBindings } from '@pet-ops/sql';
import type { Agency } from './agency.js';
import type { Progress } from './progress.js';
import type { Scenario } from './scenario.js';
import type { SupportTicketPlan } from './scenario-execute.js';
import { simClock } from './sim-clock.js';

/** One SLA event the scheduler fired, as printed. */
export interface SlaEventReport {
  readonly ticket: string;
  /** `sla.warning`, `sla.escalated` or `sla.breached`. */
  readonly type: string;
  readonly target: string;
  /** When the scheduler run fired it (UTC). */
  readonly firedAt: string;
  /** When the threshold was crossed (UTC), and in the desk's zone with its offset. */
  readonly dueAt: string;
  readonly dueLocal: string;
  readonly elapsedBusinessMinutes: number;
  readonly targetMinutes: number;
  readonly thresholdBp: number;
  readonly stage: number | null;
}

/** What the support part did. */
export interface SupportSummary {
  readonly sla: {
    readonly name: string;
    readonly version: number;
    readonly timeZone: string;
    readonly responseTargetMinutes: number;
    readonly resolutionTargetMinutes: number;
    readonly warningThresholdBp: number;
    readonly escalationThresholdBp: number;
  };
  readonly tickets: number;
  /** Tickets resolved with no SLA event. */
  readonly resolvedInTime: number;
  /** Scheduler runs, and how many clock evaluations they did. */
  readonly evaluations: number;
  readonly clocksEvaluated: number;
  readonly events: readonly SlaEventReport[];
  /** The ticket whose clock runs across the desk zone's DST change: opened and resolved, local time. */
  readonly acrossDst: { readonly ticket: string; readonly opened: string; readonly resolved: string } | null;
  readonly commands: number;
}

function expectOk<T>(what: string, r: Result<T, Rejection>): T {
  if (!r.ok) throw new Error(`${what} was rejected: [${r.error.code}] ${r.error.message}`);
  return r.value;
}

/** `2026-09-29 14:00 GMT+13` — a wall-clock time in `zone` with its offset. */
export function localTime(zone: string, at: string | number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(at));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

type Step = { at: number; run: () => Promise<void> };

/**
 * Runs the desk through the quarter: publishes the SLA, then every ticket step and every scheduler
 * run in time order.
 *
 * @example
 * ```ts
 * const support = await runSupport(agency, scenario, { directorId, companyIds }, progress);
 * ```
 */
export async function runSupport(
  agency: Agency,
  scenario: Scenario,
  refs: { readonly directorId: Identity.EmployeeId; readonly companyIds: readonly Crm.CompanyId[] },
  progress: Progress,
): Promise<SupportSummary> {
  const plan = scenario.execute.support;
  const phase = progress.phase('support desk', plan.tickets.length + plan.evaluations.length);
  const clock = simClock(plan.publishedAt);
  const runtime = agency.runtime(clock);
  const ids = runtime.ids;
  const at = () => clock.now();
  const metadata: CommandMetadata = { actor: { type: 'employee', id: refs.directorId } };
  const tickets = createCommandHandler(runtime, supportBindings.ticket);
  const slas = createCommandHandler(runtime, supportBindings.slaDefinition);
  const clocks = createCommandHandler(runtime, supportBindings.slaAssignment);
  let commands = 0;

  const calendar: Calendar.BusinessCalendar = {
    calendarId: ids.next() as unknown as Calendar.CalendarId,
    version: 1,
    timeZone: plan.timeZone,
    windows: plan.windows.map((w) => ({ ...w, weekday: w.weekday as Calendar.Weekday })),
    holidays: plan.holidays as Calendar.LocalDate[],
  };
  const name = 'Standard support (APAC desk)';
  const slaId = ids.next() as unknown as Support.SlaDefinitionId;
  commands += 2;
  expectOk(
    'creating the SLA',
    await slas({
      streamId: slaId as unknown as Uuid,
      command: {
        type: 'create',
        slaDefinitionId: slaId,
        versionNumber: 1,
        terms: {
          name,
          tier: 'silver',
          responseTargetMinutes: plan.responseTargetMinutes,
          resolutionTargetMinutes: plan.resolutionTargetMinutes,
          warningThresholdBp: plan.warningThresholdBp,
          calendarId: calendar.calendarId,
          escalationRules: [
            {
              thresholdBp: plan.escalationThresholdBp,
              action: 'notify_escalation_manager',
              notifyMethod: 'email',
              escalationRoleId: null,
              enabled: true,
            },
          ],
        },
        at: at(),
      },
      metadata,
      loadFacts: supportBindings.slaDefinitionFacts({ name, previousVersionId: null }),
    }),
  );
  clock.set(plan.publishedAt + 3_600_000);
  expectOk(
    'publishing the SLA',
    await slas({ streamId: slaId as unknown as Uuid, command: { type: 'publish', at: at() }, metadata }),
  );

  const assignments = new Map<string, { subject: string; assignmentId: Support.SlaAssignmentId }>();
  const ticketSteps = (t: SupportTicketPlan): Step[] => {
    const ticketId = ids.next() as unknown as Support.TicketId;
    const assignmentId = ids.next() as unknown as Support.SlaAssignmentId;
    assignments.set(assignmentId, { subject: t.subject, assignmentId });
    const command = async (c: Support.TicketCommand): Promise<void> => {
      commands++;
      const r = expectOk(
        `ticket “${t.subject}”: ${c.type === 'change_status' ? `moving to ${c.to}` : c.type}`,
        await tickets({ streamId: ticketId as unknown as Uuid, command: c, metadata }),
      );
      // The application sends each ticket event's clock effect to the assignment.
      for (const e of r.events) {
        const effect = Support.slaEffectOfTicketEvent('support', e as unknown as Support.TicketEvent);
        if (effect === null) continue;
        commands++;
        expectOk(
          `the SLA clock's ${effect}`,
          await clocks({
            streamId: assignmentId as unknown as Uuid,
            command: { type: effect, at: at() },
            metadata,
          }),
        );
      }
    };
    const change = (to: Support.TicketStatus): Promise<void> =>
      command({ type: 'change_status', to, at: at() });
    const steps: Step[] = [
      {
        at: t.createdAt,
        run: async () => {
          commands += 2;
          expectOk(
            'opening a ticket',
            await tickets({
              streamId: ticketId as unknown as Uuid,
              command: {
                type: 'create',
                ticketId,
                owner: 'support',
                customerId: refs.companyIds[t.companyIndex]! as unknown as Support.CustomerId,
                siteId: null,
                projectId: null,
                subject: t.subject,
                priority: t.priority,
                kind: 'incident',
                soldMinutes: null,
                sla: { mode: 'inherit' },
                parentTicketId: null,
                at: at(),
              },
              metadata,
            }),
          );
          expectOk(
            'binding the SLA',
            await clocks({
              streamId: assignmentId as unknown as Uuid,
              command: {
                type: 'bind',
                assignmentId,
                ticketId,
                contractId: null,
                source: 'customer',
                startedAt: at(),
                at: at(),
              },
              metadata,
              loadFacts: supportBindings.slaBindFacts(slaId, calendar),
            }),
          );
          phase.tick();
        },
      },
      {
        at: t.respondedAt,
        run: async () => {
          // The first answer stops the response clock; the ticket is then worked on.
          await command({ type: 'respond', at: at() });
          await change('open');
        },
      },
      { at: t.resolvedAt, run: () => change('resolved') },
      { at: t.closedAt, run: () => change('closed') },
    ];
    if (t.pendingAt !== null) steps.push({ at: t.pendingAt, run: () => change('pending') });
    if (t.resumedAt !== null) steps.push({ at: t.resumedAt, run: () => change('open') });
    return steps;
  };

  const fired: { assignmentId: string; type: string; firedAt: number }[] = [];
  let clocksEvaluated = 0;
  const steps: Step[] = [
    ...plan.tickets.flatMap(ticketSteps),
    // A scheduler run at the same instant as a ticket step comes after it (the sort is stable).
    ...plan.evaluations.map(
      (now): Step => ({
        at: now,
        run: async () => {
          const report = await evaluateSlaClocks({
            db: agency.db,
            dialect: agency.dialect,
            prefix: agency.prefix,
            events: agency.events,
            now: instantFromEpochMs(now),
            clock: simClock(now),
            ids,
          });
          if (report.failed.length > 0) throw new Error(`SLA evaluation failed: ${report.failed[0]!.code}`);
          clocksEvaluated += report.evaluated.length;
          for (const c of report.evaluated)
            for (const type of c.fired) fired.push({ assignmentId: c.assignmentId, type, firedAt: now });
          phase.tick();
        },
      }),
    ),
  ].sort((a, b) => a.at - b.at);
  for (const s of steps) {
    clock.set(s.at);
    await s.run();
  }

  // The fired events, read back from the assignments' streams with their numbers.
  const events: SlaEventReport[] = [];
  for (const assignmentId of new Set(fired.map((f) => f.assignmentId))) {
    const subject = assignments.get(assignmentId)?.subject ?? assignmentId;
    for (const e of await agency.events.readStream(assignmentId as unknown as Uuid)) {
      if (!['sla.warning', 'sla.breached', 'sla.escalated'].includes(e.type)) continue;
      const p = e.payload as {
        targetKind: string;
        at: string;
        dueAt: string | null;
        elapsedBusinessMinutes: number;
        targetMinutes: number;
        thresholdBp: number;
        stage?: number;
      };
      events.push({
        ticket: subject,
        type: e.type,
        target: p.targetKind,
        firedAt: p.at,
        dueAt: p.dueAt ?? '',
        dueLocal: p.dueAt === null ? '' : localTime(plan.timeZone, p.dueAt),
        elapsedBusinessMinutes: p.elapsedBusinessMinutes,
        targetMinutes: p.targetMinutes,
        thresholdBp: p.thresholdBp,
        stage: p.stage ?? null,
      });
    }
  }
  events.sort((a, b) => a.firedAt.localeCompare(b.firedAt) || a.type.localeCompare(b.type));
  const withEvents = new Set(events.map((e) => e.ticket));
  const summary: SupportSummary = {
    sla: {
      name,
      version: 1,
      timeZone: plan.timeZone,
      responseTargetMinutes: plan.responseTargetMinutes,
      resolutionTargetMinutes: plan.resolutionTargetMinutes,
      warningThresholdBp: plan.warningThresholdBp,
      escalationThresholdBp: plan.escalationThresholdBp,
    },
    tickets: plan.tickets.length,
    resolvedInTime: plan.tickets.filter((t) => !withEvents.has(t.subject)).length,
    evaluations: plan.evaluations.length,
    clocksEvaluated,
    events,
    acrossDst: ((t) =>
      t === undefined
        ? null
        : {
            ticket: t.subject,
            opened: localTime(plan.timeZone, t.createdAt),
            resolved: localTime(plan.timeZone, t.resolvedAt),
          })(plan.tickets.find((t) => t.story === 'breach')),
    commands,
  };
  phase.done(
    `${summary.tickets} tickets, ${summary.evaluations} scheduler runs, ${events.map((e) => e.type).join(', ') || 'no SLA events'} (${commands} commands)`,
  );
  return summary;
}
