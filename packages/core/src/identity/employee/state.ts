import type { Instant } from '../../kernel/index.js';
import type { EmployeeId, IsoDate } from '../ids.js';
import type { EmployeeEvent } from './events.js';

/** An employee's lifecycle: active → inactive → archived (terminal). Employees are never deleted. */
export type EmployeeStatus = 'active' | 'inactive' | 'archived';

/** The fields every existing employee has. */
export interface EmployeeDetails {
  readonly employeeId: EmployeeId;
  readonly firstName: string;
  readonly lastName: string;
  /** Normalised (trimmed, lower-case); unique among employees. */
  readonly email: string;
  /** The host application's user id (e.g. WordPress), unique when present. */
  readonly hostUserId: string | null;
  readonly managerId: EmployeeId | null;
  readonly hireDate: IsoDate | null;
}

/** An employee's state, a union on `status` (`absent` = no stream yet). */
export type EmployeeState =
  | { readonly status: 'absent' }
  | (EmployeeDetails & { readonly status: 'active' })
  | (EmployeeDetails & { readonly status: 'inactive'; readonly deactivatedAt: Instant })
  | (EmployeeDetails & {
      readonly status: 'archived';
      readonly deactivatedAt: Instant;
      readonly archivedAt: Instant;
    });

/** The state before any event. @example `initialEmployeeState()` → `{ status: 'absent' }` */
export function initialEmployeeState(): EmployeeState {
  return { status: 'absent' };
}

/**
 * Folds one event into an employee's state. Events that do not fit the state (which a valid history
 * never contains) leave it unchanged, so `evolve` never throws.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveEmployee, initialEmployeeState());
 * ```
 */
export function evolveEmployee(state: EmployeeState, event: EmployeeEvent): EmployeeState {
  switch (event.type) {
    case 'employee.created':
      return state.status === 'absent' ? { status: 'active', ...event.payload } : state;
    case 'employee.updated':
      return state.status === 'absent' ? state : { ...state, ...event.payload.changes };
    case 'employee.deactivated':
      return state.status === 'active'
        ? { ...state, status: 'inactive', deactivatedAt: event.payload.at }
        : state;
    case 'employee.archived':
      return state.status === 'inactive'
        ? { ...state, status: 'archived', archivedAt: event.payload.at }
        : state;
  }
}
