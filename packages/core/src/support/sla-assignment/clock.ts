import { businessMinutesBetween, tryAddBusinessMinutes } from '../../calendar/index.js';
import type { Instant } from '../../kernel/index.js';
import type { SlaAssignmentEvent, SlaClockPayload, SlaTargetKind } from './events.js';
import type { BoundSla, TargetClock } from './state.js';

/** The clock vocabulary of the `sla_assignments.clock_state` column and the feed's `sla` block. */
export type SlaClockState = 'active' | 'paused' | 'stopped';

/** Business minutes a threshold of `bp` basis points of `target` needs (rounded up: never early). @example `thresholdMinutes(480, 8000)` → 384 */
export function thresholdMinutes(target: number, bp: number): number {
  return Math.ceil((target * bp) / 10_000);
}

/**
 * Business minutes elapsed on one target at `now` (frozen once the target is met; not growing while
 * paused).
 *
 * @example
 * ```ts
 * elapsedMinutes(clock, 'resolution', now); // e.g. 384 of a 480-minute target
 * ```
 */
export function elapsedMinutes(s: BoundSla, kind: SlaTargetKind, now: Instant): number {
  const t = s[kind];
  if (t.stoppedAt !== null || s.runningSince === null || now <= s.runningSince) return t.elapsedBefore;
  return t.elapsedBefore + businessMinutesBetween(s.calendar, s.runningSince, now);
}

/**
 * The instant the target reaches `minutes` elapsed, when it runs and has not reached it yet (`null` too when
 * the calendar holds too few business minutes ahead to reach it).
 */
function reachesAt(s: BoundSla, t: TargetClock, minutes: number): Instant | null {
  if (s.runningSince === null || t.stoppedAt !== null || t.elapsedBefore >= minutes) return null;
  return tryAddBusinessMinutes(s.calendar, s.runningSince, minutes - t.elapsedBefore);
}

/** The clock's state: stopped once resolved (or unbound), paused while nothing runs, active otherwise. */
export function clockStateOf(s: BoundSla): SlaClockState {
  if (!s.active || s.resolution.stoppedAt !== null) return 'stopped';
  return s.runningSince === null ? 'paused' : 'active';
}

/** What a host shows and the scheduler indexes for one target. */
export interface TargetView {
  readonly targetMinutes: number;
  readonly elapsedBusinessMinutes: number;
  /** When the target breaches at the current pace (`null` while paused, met, or already breached). */
  readonly dueAt: Instant | null;
  /** When the warning threshold is reached (`null` when it cannot be computed or is passed). */
  readonly warningAt: Instant | null;
  readonly warned: boolean;
  readonly breached: boolean;
  readonly met: boolean;
}

/** A read of the clocks at `now`: the `sla_assignments` columns and the feed's `sla` block. */
export interface SlaClockView {
  readonly clockState: SlaClockState;
  readonly response: TargetView;
  readonly resolution: TargetView;
  readonly escalationStage: number;
  /**
   * The earliest instant at which evaluation would fire something (a warning, breach or escalation not
   * yet fired); `null` when nothing is pending. The scheduler selects clocks with `next_check_at ≤ now`.
   */
  readonly nextCheckAt: Instant | null;
}

function pendingThresholds(s: BoundSla): { kind: SlaTargetKind; minutes: number }[] {
  const out: { kind: SlaTargetKind; minutes: number }[] = [];
  for (const kind of ['response', 'resolution'] as const) {
    const t = s[kind];
    if (!t.warned) out.push({ kind, minutes: thresholdMinutes(t.targetMinutes, s.warningThresholdBp) });
    if (!t.breached) out.push({ kind, minutes: t.targetMinutes });
  }
  s.escalationThresholdsBp.forEach((bp, i) => {
    if (i + 1 > s.escalationStage) {
      out.push({ kind: 'resolution', minutes: thresholdMinutes(s.resolution.targetMinutes, bp) });
    }
  });
  return out;
}

/**
 * Reads the clocks at `now` without changing them.
 *
 * @example
 * ```ts
 * const view = slaClockView(clock, now); // view.resolution.dueAt → the resolution_due_at column
 * ```
 */
export function slaClockView(s: BoundSla, now: Instant): SlaClockView {
  const target = (kind: SlaTargetKind): TargetView => {
    const t = s[kind];
    return {
      targetMinutes: t.targetMinutes,
      elapsedBusinessMinutes: elapsedMinutes(s, kind, now),
      dueAt: reachesAt(s, t, t.targetMinutes),
      warningAt: reachesAt(s, t, thresholdMinutes(t.targetMinutes, s.warningThresholdBp)),
      warned: t.warned,
      breached: t.breached,
      met: t.stoppedAt !== null,
    };
  };
  let next: Instant | null = null;
  if (s.active) {
    for (const p of pendingThresholds(s)) {
      const t = s[p.kind];
      if (t.stoppedAt !== null) continue;
      const at =
        t.elapsedBefore >= p.minutes && s.runningSince !== null ? s.runningSince : reachesAt(s, t, p.minutes);
      if (at !== null && (next === null || at < next)) next = at;
    }
  }
  return {
    clockState: clockStateOf(s),
    response: target('response'),
    resolution: target('resolution'),
    escalationStage: s.escalationStage,
    nextCheckAt: next,
  };
}

/**
 * The SLA clock evaluation: the events due at `now`, in order (per target: warning, then breach; then
 * each escalation stage on the resolution target), each fired only on its transition — once. A clock
 * that already fired them, a paused clock that has not crossed anything, a met target, a resolved or
 * unbound assignment: nothing. Pure, so a persistence layer runs it under the clock row's lock and
 * stores what it returns (with a unique key per assignment, kind, target and stage).
 *
 * @example
 * ```ts
 * const events = evaluateSlaClock(clock, now); // [] on a second run at the same boundary
 * ```
 */
export function evaluateSlaClock(s: BoundSla, now: Instant): SlaAssignmentEvent[] {
  if (!s.active || s.resolution.stoppedAt !== null) return [];
  const out: SlaAssignmentEvent[] = [];
  const base = (kind: SlaTargetKind, minutes: number): SlaClockPayload => {
    const t = s[kind];
    return {
      assignmentId: s.assignmentId,
      ticketId: s.ticketId,
      slaVersionNumber: s.slaVersionNumber,
      targetKind: kind,
      at: now,
      elapsedBusinessMinutes: elapsedMinutes(s, kind, now),
      targetMinutes: t.targetMinutes,
      dueAt: reachesAt(s, t, minutes) ?? null,
    };
  };
  for (const kind of ['response', 'resolution'] as const) {
    const t = s[kind];
    if (t.stoppedAt !== null) continue;
    const elapsed = elapsedMinutes(s, kind, now);
    const warnAt = thresholdMinutes(t.targetMinutes, s.warningThresholdBp);
    if (!t.warned && elapsed >= warnAt) {
      out.push({
        type: 'sla.warning',
        payload: { ...base(kind, warnAt), thresholdBp: s.warningThresholdBp },
      });
    }
    if (!t.breached && elapsed >= t.targetMinutes) {
      out.push({ type: 'sla.breached', payload: { ...base(kind, t.targetMinutes), thresholdBp: 10_000 } });
    }
  }
  const elapsed = elapsedMinutes(s, 'resolution', now);
  s.escalationThresholdsBp.forEach((bp, i) => {
    const stage = i + 1;
    const minutes = thresholdMinutes(s.resolution.targetMinutes, bp);
    if (stage > s.escalationStage && elapsed >= minutes) {
      out.push({
        type: 'sla.escalated',
        payload: { ...base('resolution', minutes), thresholdBp: bp, stage },
      });
    }
  });
  return out;
}
