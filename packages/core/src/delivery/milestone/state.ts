import type { Instant } from '../../kernel/index.js';
import type { MilestoneDefinedPayload, MilestoneEvent } from './events.js';

/** A milestone's lifecycle: defined → active → completed → archived; completed never reopens. */
export type MilestoneStatus = 'defined' | 'active' | 'completed' | 'archived';

/** A milestone's state (`absent` = no stream yet); `frozen` holds the values fixed at completion. */
export type MilestoneState =
  | { readonly status: 'absent' }
  | (Omit<MilestoneDefinedPayload, 'at'> & {
      readonly status: MilestoneStatus;
      readonly definedAt: Instant;
      readonly completedAt: Instant | null;
      readonly frozen: { readonly plannedMinutes: number; readonly actualMinutes: number } | null;
      readonly archivedAt: Instant | null;
    });

/** The state before any event. @example `initialMilestoneState()` → `{ status: 'absent' }` */
export function initialMilestoneState(): MilestoneState {
  return { status: 'absent' };
}

/**
 * Folds one event into a milestone's state; an event that does not fit leaves it unchanged.
 *
 * @example `const state = events.reduce(evolveMilestone, initialMilestoneState());`
 */
export function evolveMilestone(state: MilestoneState, event: MilestoneEvent): MilestoneState {
  if (event.type === 'delivery.milestone_defined') {
    if (state.status !== 'absent') return state;
    const { at, ...rest } = event.payload;
    return { ...rest, status: 'defined', definedAt: at, completedAt: null, frozen: null, archivedAt: null };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'delivery.milestone_updated':
      return state.status === 'completed' || state.status === 'archived'
        ? state
        : { ...state, ...event.payload.changes };
    case 'delivery.milestone_activated':
      return state.status === 'defined' ? { ...state, status: 'active' } : state;
    case 'delivery.milestone_completed':
      return state.status === 'active'
        ? {
            ...state,
            status: 'completed',
            completedAt: event.payload.at,
            frozen: {
              plannedMinutes: event.payload.plannedMinutes,
              actualMinutes: event.payload.actualMinutes,
            },
          }
        : state;
    case 'delivery.milestone_archived':
      return state.status === 'completed'
        ? { ...state, status: 'archived', archivedAt: event.payload.at }
        : state;
  }
}
