import {
  BUSINESS_MINUTES_HORIZON_YEARS,
  snapshotCalendar,
  tryAddBusinessMinutes,
} from '../../calendar/index.js';
import { err, type Instant, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { canAttachSla, escalationStages } from '../sla-definition/terms.js';
import { elapsedMinutes, evaluateSlaClock } from './clock.js';
import {
  type BindSla,
  type ChangeSlaClock,
  type SlaAssignmentCommand,
  type SlaAssignmentFacts,
  slaAssignmentCommandSchema,
} from './commands.js';
import type { SlaAssignmentEvent, SlaClockPayload, SlaTargetKind } from './events.js';
import type { SlaAssignmentRejection } from './rejections.js';
import type { SlaAssignmentState } from './state.js';
import { type BoundSla, evolveSlaAssignment } from './state.js';

type Decision = Result<readonly SlaAssignmentEvent[], SlaAssignmentRejection>;

function bind(command: BindSla, facts: SlaAssignmentFacts | undefined): Decision {
  const sla = facts?.sla;
  const calendar = facts?.calendar;
  if (sla === undefined || calendar === undefined || calendar.calendarId !== sla.terms.calendarId) {
    return err(
      reject('SLA_ASSIGNMENT_FACTS_MISSING', 'the SLA version and its calendar must be loaded', {
        fact: sla === undefined ? 'sla' : 'calendar',
        calendarId: sla?.terms.calendarId ?? null,
        loadedCalendarId: calendar?.calendarId ?? null,
      }),
    );
  }
  // A contract keeps the SLA it bought even after that version is deprecated; new attachments need a
  // published version, and version 0 (PET's fallback) never binds.
  if (!canAttachSla(sla.status, sla.versionNumber, command.source)) {
    return err(
      reject(
        'SLA_NOT_ATTACHABLE',
        'only a published SLA version (≥ 1) attaches; a deprecated one only through its contract',
        {
          status: sla.status,
          versionNumber: sla.versionNumber,
          source: command.source,
        },
      ),
    );
  }
  const { terms } = sla;
  const snapshot = snapshotCalendar(calendar);
  const responseDueAt = tryAddBusinessMinutes(snapshot, command.startedAt, terms.responseTargetMinutes);
  const resolutionDueAt = tryAddBusinessMinutes(snapshot, command.startedAt, terms.resolutionTargetMinutes);
  if (responseDueAt === null || resolutionDueAt === null) {
    const field = responseDueAt === null ? 'responseTargetMinutes' : 'resolutionTargetMinutes';
    return err(
      reject(
        'SLA_TARGET_UNREACHABLE',
        `the calendar holds fewer than ${terms[field]} business minutes within ${BUSINESS_MINUTES_HORIZON_YEARS} years of the start`,
        {
          field,
          targetMinutes: terms[field],
          calendarId: calendar.calendarId,
          horizonYears: BUSINESS_MINUTES_HORIZON_YEARS,
        },
      ),
    );
  }
  return ok([
    {
      type: 'sla.bound',
      payload: {
        assignmentId: command.assignmentId,
        ticketId: command.ticketId,
        contractId: command.contractId,
        source: command.source,
        slaDefinitionId: sla.slaDefinitionId,
        slaVersionNumber: sla.versionNumber,
        slaName: terms.name,
        responseTargetMinutes: terms.responseTargetMinutes,
        resolutionTargetMinutes: terms.resolutionTargetMinutes,
        warningThresholdBp: terms.warningThresholdBp,
        escalationThresholdsBp: escalationStages(terms.escalationRules).map((r) => r.thresholdBp),
        calendar: snapshot,
        startedAt: command.startedAt,
        at: command.at,
        responseDueAt,
        resolutionDueAt,
      },
    },
  ]);
}

/** The targets whose clocks have not stopped. */
const running = (s: BoundSla): SlaTargetKind[] =>
  (['response', 'resolution'] as const).filter((k) => s[k].stoppedAt === null);

function clockPayload(s: BoundSla, kind: SlaTargetKind, at: Instant, dueAt: Instant | null): SlaClockPayload {
  return {
    assignmentId: s.assignmentId,
    ticketId: s.ticketId,
    slaVersionNumber: s.slaVersionNumber,
    targetKind: kind,
    at,
    elapsedBusinessMinutes: elapsedMinutes(s, kind, at),
    targetMinutes: s[kind].targetMinutes,
    dueAt,
  };
}

/**
 * The due instant of a target that resumes at `at` with `elapsed` minutes behind it (`null` when met, or
 * when the calendar holds too few business minutes ahead of `at` to reach it).
 */
function dueFrom(s: BoundSla, kind: SlaTargetKind, at: Instant): Instant | null {
  const left = s[kind].targetMinutes - s[kind].elapsedBefore;
  return left > 0 ? tryAddBusinessMinutes(s.calendar, at, left) : null;
}

function change(command: ChangeSlaClock, before: BoundSla): Decision {
  if (command.at < before.lastChangeAt) {
    return err(
      reject('SLA_TIME_BEFORE_CLOCK', 'a clock change cannot be dated before the clock’s last change', {
        at: command.at,
        lastChangeAt: before.lastChangeAt,
      }),
    );
  }
  // Whatever was due before this change fires first, so a pause never hides a crossing.
  const due = evaluateSlaClock(before, command.at);
  const s = due.reduce(evolveSlaAssignment, before) as BoundSla;
  const at = command.at;
  const stopped = s.resolution.stoppedAt !== null;
  const refuse = (code: 'SLA_CLOCK_STOPPED' | 'SLA_CLOCK_ALREADY_PAUSED' | 'SLA_CLOCK_NOT_PAUSED') =>
    err(
      reject(
        code,
        `cannot ${command.type} a clock that is ${stopped ? 'stopped' : s.runningSince === null ? 'paused' : 'running'}`,
        {
          runningSince: s.runningSince,
          resolvedAt: s.resolution.stoppedAt,
        },
      ),
    );
  let more: SlaAssignmentEvent[];
  switch (command.type) {
    case 'pause':
      if (stopped) return refuse('SLA_CLOCK_STOPPED');
      if (s.runningSince === null) return refuse('SLA_CLOCK_ALREADY_PAUSED');
      more = running(s).map((k) => ({ type: 'sla.paused', payload: clockPayload(s, k, at, null) }));
      break;
    case 'resume':
      if (stopped) return refuse('SLA_CLOCK_STOPPED');
      if (s.runningSince !== null) return refuse('SLA_CLOCK_NOT_PAUSED');
      more = running(s).map((k) => ({
        type: 'sla.resumed',
        payload: { ...clockPayload(s, k, at, dueFrom(s, k, at)), reopened: false },
      }));
      break;
    case 'respond':
      if (stopped) return refuse('SLA_CLOCK_STOPPED');
      if (s.response.stoppedAt !== null) {
        return err(
          reject('SLA_TARGET_ALREADY_MET', 'the first response is recorded once', {
            respondedAt: s.response.stoppedAt,
          }),
        );
      }
      more = [{ type: 'sla.responded', payload: clockPayload(s, 'response', at, null) }];
      break;
    case 'resolve':
      if (stopped) return refuse('SLA_CLOCK_STOPPED');
      more = running(s).map((k) => ({
        type: k === 'response' ? 'sla.responded' : 'sla.resolved',
        payload: clockPayload(s, k, at, null),
      }));
      break;
    case 'reopen':
      if (!stopped) {
        return err(
          reject('SLA_CLOCK_NOT_STOPPED', 'only a resolved clock can be reopened', {
            runningSince: s.runningSince,
          }),
        );
      }
      more = [
        {
          type: 'sla.resumed',
          payload: { ...clockPayload(s, 'resolution', at, dueFrom(s, 'resolution', at)), reopened: true },
        },
      ];
      break;
    case 'unbind':
      more = [
        {
          type: 'sla.unbound',
          payload: {
            assignmentId: s.assignmentId,
            ticketId: s.ticketId,
            slaVersionNumber: s.slaVersionNumber,
            at,
          },
        },
      ];
      break;
  }
  return ok([...due, ...more]);
}

/**
 * Decides an SLA assignment command: bind (freeze the version, targets and calendar; never re-bind),
 * opt out (with a reason), evaluate (warning, breach, escalation exactly once each), and the clock
 * changes the ticket drives (pause, resume, respond, resolve, reopen, unbind). A recorded breach is never
 * edited, dismissed or deleted.
 *
 * @example
 * ```ts
 * const r = decideSlaAssignment({ type: 'evaluate', now }, clock, undefined);
 * if (r.ok) await append(r.value); // [] when nothing crossed since the last run
 * ```
 */
export function decideSlaAssignment(
  command: SlaAssignmentCommand,
  state: SlaAssignmentState,
  facts: SlaAssignmentFacts | undefined,
): Decision {
  return checkedDecision(slaAssignmentCommandSchema, command, 'SLA assignment command', () => {
    if (command.type === 'bind' || command.type === 'opt_out') {
      if (state.status !== 'absent') {
        return err(
          reject(
            'SLA_ASSIGNMENT_ALREADY_EXISTS',
            'a ticket’s SLA binding never re-binds (a ChangeOrder binds a new one)',
            {
              status: state.status,
            },
          ),
        );
      }
      if (command.type === 'bind') return bind(command, facts);
      const { assignmentId, ticketId, reason, at } = command;
      return ok([{ type: 'sla.opted_out', payload: { assignmentId, ticketId, reason: reason.trim(), at } }]);
    }
    if (state.status === 'absent') return err(reject('SLA_ASSIGNMENT_NOT_FOUND', 'no such SLA assignment'));
    if (command.type === 'alter_breach') {
      return err(
        reject(
          'SLA_BREACH_IMMUTABLE',
          'a recorded breach is never edited, dismissed or deleted; record a concession',
          {
            action: command.action,
            ...(state.status === 'bound'
              ? { responseBreached: state.response.breached, resolutionBreached: state.resolution.breached }
              : {}),
          },
        ),
      );
    }
    if (state.status === 'opted_out') {
      return err(
        reject('SLA_ASSIGNMENT_OPTED_OUT', 'the ticket opted out of SLAs', { reason: state.reason }),
      );
    }
    if (!state.active) {
      return err(
        reject('SLA_ASSIGNMENT_INACTIVE', 'an unbound assignment is kept but no longer changes', {
          active: false,
        }),
      );
    }
    if (command.type === 'evaluate') return ok(evaluateSlaClock(state, command.now));
    return change(command, state);
  });
}
