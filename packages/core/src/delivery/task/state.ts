import type { Instant } from '../../kernel/index.js';
import type { TaskCreatedPayload, TaskEvent } from './events.js';

/**
 * A task's lifecycle: planned → in_progress → completed → archived, or planned | in_progress →
 * cancelled → archived. Completed never goes back to in_progress.
 */
export type TaskStatus = 'planned' | 'in_progress' | 'completed' | 'cancelled' | 'archived';

/** A task's state (`absent` = no stream yet). */
export type TaskState =
  | { readonly status: 'absent' }
  | (Omit<TaskCreatedPayload, 'at'> & {
      readonly status: TaskStatus;
      readonly createdAt: Instant;
      readonly startedAt: Instant | null;
      /** When it was completed or cancelled. */
      readonly closedAt: Instant | null;
      readonly cancelReason: string | null;
      readonly archivedAt: Instant | null;
    });

/** The state before any event. @example `initialTaskState()` → `{ status: 'absent' }` */
export function initialTaskState(): TaskState {
  return { status: 'absent' };
}

/**
 * True when time may be booked on the task: planned or in progress (never on completed, cancelled or
 * archived tasks). For the time context's decisions.
 *
 * @example `if (!taskAcceptsTime(task)) refuse('TIME_TASK_CLOSED')`
 */
export function taskAcceptsTime(state: TaskState): boolean {
  return state.status === 'planned' || state.status === 'in_progress';
}

/**
 * Folds one event into a task's state; an event that does not fit leaves it unchanged.
 *
 * @example `const state = events.reduce(evolveTask, initialTaskState());`
 */
export function evolveTask(state: TaskState, event: TaskEvent): TaskState {
  if (event.type === 'delivery.task_created') {
    if (state.status !== 'absent') return state;
    const { at, ...rest } = event.payload;
    return {
      ...rest,
      status: 'planned',
      createdAt: at,
      startedAt: null,
      closedAt: null,
      cancelReason: null,
      archivedAt: null,
    };
  }
  if (state.status === 'absent') return state;
  const open = state.status === 'planned' || state.status === 'in_progress';
  switch (event.type) {
    case 'delivery.task_re_estimated':
      return open ? { ...state, estimatedMinutes: event.payload.to } : state;
    case 'delivery.task_updated':
      return open ? { ...state, ...event.payload.changes } : state;
    case 'delivery.task_ticket_linked':
      return state.ticketId === null ? { ...state, ticketId: event.payload.ticketId } : state;
    case 'delivery.task_started':
      return state.status === 'planned'
        ? { ...state, status: 'in_progress', startedAt: event.payload.at }
        : state;
    case 'delivery.task_completed':
      return state.status === 'in_progress'
        ? { ...state, status: 'completed', closedAt: event.payload.at }
        : state;
    case 'delivery.task_cancelled':
      return open
        ? { ...state, status: 'cancelled', closedAt: event.payload.at, cancelReason: event.payload.reason }
        : state;
    case 'delivery.task_archived':
      return state.status === 'completed' || state.status === 'cancelled'
        ? { ...state, status: 'archived', archivedAt: event.payload.at }
        : state;
  }
}
