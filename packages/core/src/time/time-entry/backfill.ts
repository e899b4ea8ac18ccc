import type { TaskId, TicketId } from '../ids.js';
import type { TaskFact } from './work-context.js';

/** The link columns of a legacy time-entry row (PET anchored time on tasks before tickets). */
export interface LegacyTimeLink {
  readonly ticketId: TicketId | null;
  readonly taskId: TaskId | null;
}

/**
 * What the ticket backfill does with one row. It only ever fills `ticket_id`: start, end and duration
 * are not part of the answer, so a backfill cannot change them (scenario 18). Rows it cannot link
 * unambiguously are flagged for manual reconciliation, never guessed.
 */
export type TicketBackfill =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'link'; readonly ticketId: TicketId }
  | {
      readonly kind: 'flag';
      readonly reason:
        | 'no_task_or_ticket'
        | 'task_not_found'
        | 'task_has_no_ticket'
        | 'ticket_differs_from_task_ticket';
    };

/**
 * Decides the ticket backfill of one row from its task (`null` when the row names no task or the
 * task no longer exists): a row with a ticket stays as it is (unless its task points elsewhere:
 * flagged); a row with only a task takes the task's ticket; anything else is flagged. Until the backfill
 * runs, submission resolves through the task the same way (scenarios 30 and 31).
 *
 * @example
 * ```ts
 * planTicketBackfill({ ticketId: null, taskId }, { taskId, ticketId, status: 'in_progress', projectId: null });
 * // { kind: 'link', ticketId }
 * ```
 */
export function planTicketBackfill(row: LegacyTimeLink, task: TaskFact | null): TicketBackfill {
  if (row.taskId !== null && task !== null && task.taskId === row.taskId) {
    if (task.ticketId === null)
      return row.ticketId === null ? { kind: 'flag', reason: 'task_has_no_ticket' } : { kind: 'unchanged' };
    if (row.ticketId === null) return { kind: 'link', ticketId: task.ticketId };
    return row.ticketId === task.ticketId
      ? { kind: 'unchanged' }
      : { kind: 'flag', reason: 'ticket_differs_from_task_ticket' };
  }
  if (row.ticketId !== null) return { kind: 'unchanged' };
  return { kind: 'flag', reason: row.taskId === null ? 'no_task_or_ticket' : 'task_not_found' };
}
