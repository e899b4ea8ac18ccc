import type { BusinessCalendar } from '../../calendar/index.js';
import type { Instant } from '../../kernel/index.js';
import type { ContractId, SlaAssignmentId, SlaDefinitionId, TicketId } from '../ids.js';
import type { SlaBindingSource } from './commands.js';
import type { SlaAssignmentEvent, SlaTargetKind } from './events.js';

/** One target's clock. */
export interface TargetClock {
  readonly targetMinutes: number;
  /** Business minutes elapsed before the current run (`runningSince`), or in total once stopped. */
  readonly elapsedBefore: number;
  /** When the target was met (first response / resolution); `null` while it runs or is paused. */
  readonly stoppedAt: Instant | null;
  readonly warned: boolean;
  readonly breached: boolean;
}

/** A bound assignment: the frozen SLA version and calendar, and the clocks. */
export interface BoundSla {
  readonly status: 'bound';
  readonly assignmentId: SlaAssignmentId;
  readonly ticketId: TicketId;
  readonly contractId: ContractId | null;
  readonly source: SlaBindingSource;
  readonly slaDefinitionId: SlaDefinitionId;
  readonly slaVersionNumber: number;
  readonly slaName: string;
  readonly warningThresholdBp: number;
  readonly escalationThresholdsBp: readonly number[];
  readonly calendar: BusinessCalendar;
  readonly startedAt: Instant;
  readonly boundAt: Instant;
  /** Start of the current run of the clocks; `null` while paused or when nothing runs. */
  readonly runningSince: Instant | null;
  readonly response: TargetClock;
  readonly resolution: TargetClock;
  /** The highest escalation stage fired (0 = none); it only increases. */
  readonly escalationStage: number;
  /** `false` once unbound (`is_active = 0`): kept, never evaluated again. */
  readonly active: boolean;
  /** The instant of the latest change to the clock's runs (bind, pause, resume, stop); commands may not be dated before it. */
  readonly lastChangeAt: Instant;
}

/** An SLA assignment's state: absent, opted out (with its reason) or bound. */
export type SlaAssignmentState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'opted_out';
      readonly assignmentId: SlaAssignmentId;
      readonly ticketId: TicketId;
      readonly reason: string;
    }
  | BoundSla;

/** The state before any event. @example `initialSlaAssignmentState()` → `{ status: 'absent' }` */
export function initialSlaAssignmentState(): SlaAssignmentState {
  return { status: 'absent' };
}

const later = (a: Instant, b: Instant): Instant => (a > b ? a : b);

function withTarget(
  s: BoundSla,
  kind: SlaTargetKind,
  change: Partial<TargetClock>,
  rest: Partial<BoundSla> = {},
): BoundSla {
  return { ...s, ...rest, [kind]: { ...s[kind], ...change } };
}

/**
 * Folds one event into an assignment's state. It reads elapsed minutes from the payloads (computed once,
 * when decided), so replaying a ticket's events gives exactly the clock computed live. Total.
 *
 * @example
 * ```ts
 * const clock = events.reduce(evolveSlaAssignment, initialSlaAssignmentState());
 * ```
 */
export function evolveSlaAssignment(
  state: SlaAssignmentState,
  event: SlaAssignmentEvent,
): SlaAssignmentState {
  if (event.type === 'sla.bound') {
    if (state.status !== 'absent') return state;
    const p = event.payload;
    const target = (targetMinutes: number): TargetClock => ({
      targetMinutes,
      elapsedBefore: 0,
      stoppedAt: null,
      warned: false,
      breached: false,
    });
    return {
      status: 'bound',
      assignmentId: p.assignmentId,
      ticketId: p.ticketId,
      contractId: p.contractId,
      source: p.source,
      slaDefinitionId: p.slaDefinitionId,
      slaVersionNumber: p.slaVersionNumber,
      slaName: p.slaName,
      warningThresholdBp: p.warningThresholdBp,
      escalationThresholdsBp: p.escalationThresholdsBp,
      calendar: p.calendar,
      startedAt: p.startedAt,
      boundAt: p.at,
      runningSince: p.startedAt,
      response: target(p.responseTargetMinutes),
      resolution: target(p.resolutionTargetMinutes),
      escalationStage: 0,
      active: true,
      lastChangeAt: later(p.at, p.startedAt),
    };
  }
  if (event.type === 'sla.opted_out') {
    if (state.status !== 'absent') return state;
    const { assignmentId, ticketId, reason } = event.payload;
    return { status: 'opted_out', assignmentId, ticketId, reason };
  }
  if (state.status !== 'bound') return state;
  const p = event.payload;
  const at = { lastChangeAt: later(state.lastChangeAt, p.at) };
  switch (event.type) {
    // Threshold events record facts about the past and leave lastChangeAt alone: a ticket change dated a
    // moment before an evaluator's run (another host's clock) is still accepted.
    case 'sla.warning':
      return withTarget(state, event.payload.targetKind, { warned: true });
    case 'sla.breached':
      return withTarget(state, event.payload.targetKind, { breached: true });
    case 'sla.escalated':
      return { ...state, escalationStage: Math.max(state.escalationStage, event.payload.stage) };
    case 'sla.paused':
      return withTarget(
        state,
        event.payload.targetKind,
        { elapsedBefore: event.payload.elapsedBusinessMinutes },
        { ...at, runningSince: null },
      );
    case 'sla.resumed':
      return withTarget(
        state,
        event.payload.targetKind,
        { elapsedBefore: event.payload.elapsedBusinessMinutes, stoppedAt: null },
        { ...at, runningSince: event.payload.at },
      );
    case 'sla.responded':
    case 'sla.resolved': {
      const stopped = withTarget(state, event.payload.targetKind, {
        elapsedBefore: event.payload.elapsedBusinessMinutes,
        stoppedAt: event.payload.at,
      });
      const nothingRuns = stopped.response.stoppedAt !== null && stopped.resolution.stoppedAt !== null;
      return { ...stopped, ...at, runningSince: nothingRuns ? null : stopped.runningSince };
    }
    case 'sla.unbound':
      return { ...state, ...at, active: false, runningSince: null };
  }
}
