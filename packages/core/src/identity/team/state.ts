import type { Instant } from '../../kernel/index.js';
import type { EmployeeId, TeamId } from '../ids.js';
import type { TeamEvent, TeamVisual } from './events.js';

/** A team's lifecycle: active → archived (terminal). */
export type TeamStatus = 'active' | 'archived';

/** The fields every existing team has. */
export interface TeamDetails {
  readonly teamId: TeamId;
  readonly name: string;
  readonly parentTeamId: TeamId | null;
  readonly managerId: EmployeeId | null;
  readonly escalationManagerId: EmployeeId | null;
  readonly visual: TeamVisual | null;
  /** Starts at 1; every visual change increments it. */
  readonly visualVersion: number;
}

/** A team's state, a union on `status` (`absent` = no stream yet). */
export type TeamState =
  | { readonly status: 'absent' }
  | (TeamDetails & { readonly status: 'active' })
  | (TeamDetails & { readonly status: 'archived'; readonly archivedAt: Instant });

/** The state before any event. @example `initialTeamState()` → `{ status: 'absent' }` */
export function initialTeamState(): TeamState {
  return { status: 'absent' };
}

/**
 * Folds one event into a team's state; an event that does not fit leaves the state unchanged.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveTeam, initialTeamState());
 * ```
 */
export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case 'team.created':
      return state.status === 'absent' ? { status: 'active', ...event.payload } : state;
    case 'team.updated':
      return state.status === 'active' ? { ...state, ...event.payload.changes } : state;
    case 'team.archived':
      return state.status === 'active'
        ? { ...state, status: 'archived', archivedAt: event.payload.at }
        : state;
  }
}
