import type { Instant } from '../../kernel/index.js';
import type { ProjectCreatedPayload, ProjectEvent } from './events.js';

/**
 * A project's lifecycle: created → planned → active → completed | cancelled → archived (cancelled is
 * also reachable from created and planned). Completed and cancelled never reopen.
 */
export type ProjectStatus = 'created' | 'planned' | 'active' | 'completed' | 'cancelled' | 'archived';

/** A project's state, a union on `status` (`absent` = no stream yet). */
export type ProjectState =
  | { readonly status: 'absent' }
  | (ProjectCreatedPayload & {
      readonly status: ProjectStatus;
      readonly plannedAt: Instant | null;
      readonly activatedAt: Instant | null;
      /** When it was completed or cancelled. */
      readonly closedAt: Instant | null;
      readonly cancelReason: string | null;
      readonly archivedAt: Instant | null;
    });

/** The state before any event. @example `initialProjectState()` → `{ status: 'absent' }` */
export function initialProjectState(): ProjectState {
  return { status: 'absent' };
}

/**
 * Folds one event into a project's state; an event that does not fit the state leaves it unchanged.
 *
 * @example `const state = events.reduce(evolveProject, initialProjectState());`
 */
export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  if (event.type === 'delivery.project_created') {
    if (state.status !== 'absent') return state;
    return {
      ...event.payload,
      status: 'created',
      plannedAt: null,
      activatedAt: null,
      closedAt: null,
      cancelReason: null,
      archivedAt: null,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'project.updated':
      return { ...state, ...event.payload.changes };
    case 'project.planned':
      return state.status === 'created'
        ? { ...state, status: 'planned', plannedAt: event.payload.at }
        : state;
    case 'project.activated':
      return state.status === 'planned'
        ? { ...state, status: 'active', activatedAt: event.payload.at }
        : state;
    case 'project.completed':
      return state.status === 'active'
        ? { ...state, status: 'completed', closedAt: event.payload.at }
        : state;
    case 'project.cancelled':
      return state.status === 'created' || state.status === 'planned' || state.status === 'active'
        ? { ...state, status: 'cancelled', closedAt: event.payload.at, cancelReason: event.payload.reason }
        : state;
    case 'project.archived':
      return state.status === 'completed' || state.status === 'cancelled'
        ? { ...state, status: 'archived', archivedAt: event.payload.at }
        : state;
  }
}

/**
 * True when time may be booked on the project: created, planned or active (never once completed,
 * cancelled or archived). For the time context's decisions.
 *
 * @example `if (!projectAcceptsTime(project)) refuse('TIME_PROJECT_CLOSED')`
 */
export function projectAcceptsTime(state: ProjectState): boolean {
  return state.status === 'created' || state.status === 'planned' || state.status === 'active';
}
