import { type ProjectId, type TaskId, type TicketId, ticketIdSchema } from '../ids.js';
import type { ProjectFact, TaskFact, TicketFact } from './work-context.js';

/**
 * The parts of a support ticket's state the time checks read (structurally the support context's
 * `TicketDetails`, so a loader passes the loaded state as it is).
 */
export interface TicketLike {
  readonly ticketId: TicketId;
  readonly owner: 'support' | 'project' | 'internal';
  readonly status: string;
  readonly isRollup: boolean;
  readonly projectId: ProjectId | null;
}

/** The parts of a delivery task's state the time checks read (structurally the delivery `TaskState`). */
export interface TaskLike {
  readonly taskId: TaskId;
  readonly status: TaskFact['status'];
  readonly projectId: ProjectId | null;
  /** The task → ticket bridge as delivery stores it (a plain id string, or `null`). */
  readonly ticketId: string | null;
}

/**
 * The {@link TicketFact} of a loaded ticket: `closed` for the `closed` and `archived` statuses, and a
 * `baseline_locked` ticket (the immutable sold record) counts as a roll-up: time goes on execution
 * leaves only.
 *
 * @example `const ticket = ticketFactOf(loadedTicketState)`
 */
export function ticketFactOf(ticket: TicketLike): TicketFact {
  return {
    ticketId: ticket.ticketId,
    isRollup: ticket.isRollup || ticket.status === 'baseline_locked',
    closed: ticket.status === 'closed' || ticket.status === 'archived',
    lifecycleOwner: ticket.owner,
    projectId: ticket.projectId,
  };
}

/**
 * The {@link TaskFact} of a loaded task. A bridge that is not a valid ticket id is read as no bridge,
 * so the submission fails closed (`TIME_ENTRY_TICKET_UNRESOLVED`) instead of guessing.
 *
 * @example `const task = taskFactOf(loadedTaskState)`
 */
export function taskFactOf(task: TaskLike): TaskFact {
  const bridge = task.ticketId === null ? null : ticketIdSchema.safeParse(task.ticketId);
  return {
    taskId: task.taskId,
    ticketId: bridge?.success === true ? bridge.data : null,
    status: task.status,
    projectId: task.projectId,
  };
}

/**
 * The {@link ProjectFact} of a loaded project (its id and lifecycle status).
 *
 * @example `const project = projectFactOf(loadedProjectState)`
 */
export function projectFactOf(project: ProjectFact): ProjectFact {
  return { projectId: project.projectId, status: project.status };
}
