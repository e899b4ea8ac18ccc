import { err, ok, type Rejection, type Result, reject } from '../../kernel/index.js';
import type { OperationalBucketId, ProjectId, TaskId, TicketId } from '../ids.js';

/** What kind of work an entry records: `project` (delivery), `support`, or `admin` (non-project time). */
export type WorkType = 'project' | 'support' | 'admin';

/**
 * Where the time goes and how it is classified — the parts of an entry the submit and lock checks read.
 * `billable` and `workType` are `null` until classified; a draft may leave anything open.
 */
export interface WorkAttribution {
  readonly billable: boolean | null;
  readonly workType: WorkType | null;
  readonly ticketId: TicketId | null;
  readonly taskId: TaskId | null;
  readonly bucketId: OperationalBucketId | null;
}

/**
 * A ticket as the time checks see it, loaded by the application from the support context.
 * - `isRollup`: the ticket has children (or is a baseline-locked parent): it accepts no time.
 * - `closed`: closed or archived (immutable, no time).
 * - `lifecycleOwner`: the ticket's primary container.
 * - `projectId`: the project that owns it, if any (its project's status is then checked too).
 */
export interface TicketFact {
  readonly ticketId: TicketId;
  readonly isRollup: boolean;
  readonly closed: boolean;
  readonly lifecycleOwner: 'support' | 'project' | 'internal';
  readonly projectId: ProjectId | null;
}

/**
 * A task as the time checks see it, loaded from the delivery context. `ticketId` is the task → ticket
 * bridge (`tasks.ticket_id`), `null` where it was never backfilled. `status`: the delivery task's
 * state, with `cancelled` for tasks a project closed as cancelled.
 */
export interface TaskFact {
  readonly taskId: TaskId;
  readonly ticketId: TicketId | null;
  readonly status: 'planned' | 'in_progress' | 'completed' | 'archived' | 'cancelled';
  readonly projectId: ProjectId | null;
}

/** A project as the time checks see it: only its lifecycle status matters. */
export interface ProjectFact {
  readonly projectId: ProjectId;
  readonly status: 'created' | 'planned' | 'active' | 'completed' | 'cancelled' | 'archived';
}

/**
 * What the submit and lock checks need from other contexts, loaded by the application for the entry's
 * (or an adjustment's target) attribution. A key left out means "not loaded" (the decision refuses with
 * `TIME_ENTRY_FACTS_MISSING`); `null` means "loaded and does not exist" (for a
 * project that is a refusal too: checks fail closed).
 * - `task`: the task the entry names (only when it names one).
 * - `ticket`: the resolved ticket — the task's ticket when the entry names a task, else the entry's.
 * - `project`: the project of the ticket (or the task) when it has one.
 */
export interface WorkContextFacts {
  readonly task?: TaskFact | null;
  readonly ticket?: TicketFact | null;
  readonly project?: ProjectFact | null;
}

/** The codes the submit/lock checks answer, in the order they are checked (the first failure is the code). */
export type WorkContextCode =
  | 'TIME_ENTRY_CLASSIFICATION_MISSING'
  | 'TIME_ENTRY_SUPPORT_NEEDS_TICKET'
  | 'TIME_ENTRY_BUCKET_REQUIRED'
  | 'TIME_ENTRY_FACTS_MISSING'
  | 'TIME_ENTRY_TICKET_UNRESOLVED'
  | 'TIME_ENTRY_TICKET_ROLLUP'
  | 'TIME_ENTRY_TICKET_CLOSED'
  | 'TIME_ENTRY_TASK_CLOSED'
  | 'TIME_ENTRY_PROJECT_COMPLETED';

/** The context a passed check resolved: the leaf ticket (always set) and the owning project, if any. */
export interface ResolvedWorkContext {
  readonly ticketId: TicketId;
  readonly projectId: ProjectId | null;
}

/** One failed check: its code and the facts behind it. */
export interface WorkContextFailure {
  readonly code: WorkContextCode;
  readonly details: Readonly<Record<string, unknown>>;
}

const CLOSED_TASK: ReadonlySet<TaskFact['status']> = new Set(['completed', 'archived', 'cancelled']);
const CLOSED_PROJECT: ReadonlySet<ProjectFact['status']> = new Set(['completed', 'cancelled', 'archived']);

/** Resolves the ticket (task's ticket first); failures are hard errors, never a fallback. */
function resolveTicket(
  a: WorkAttribution,
  facts: WorkContextFacts,
): { ticketId: TicketId; task: TaskFact | null } | WorkContextFailure {
  if (a.taskId !== null) {
    if (facts.task === undefined || (facts.task !== null && facts.task.taskId !== a.taskId))
      return { code: 'TIME_ENTRY_FACTS_MISSING', details: { fact: 'task', taskId: a.taskId } };
    if (facts.task === null)
      return {
        code: 'TIME_ENTRY_TICKET_UNRESOLVED',
        details: { reason: 'task_not_found', taskId: a.taskId },
      };
    const via = facts.task.ticketId;
    if (via === null)
      return {
        code: 'TIME_ENTRY_TICKET_UNRESOLVED',
        details: { reason: 'task_has_no_ticket', taskId: a.taskId },
      };
    if (a.ticketId !== null && a.ticketId !== via)
      return {
        code: 'TIME_ENTRY_TICKET_UNRESOLVED',
        details: { reason: 'ticket_differs_from_task_ticket', ticketId: a.ticketId, taskTicketId: via },
      };
    return { ticketId: via, task: facts.task };
  }
  if (a.ticketId === null)
    return { code: 'TIME_ENTRY_TICKET_UNRESOLVED', details: { reason: 'no_ticket_or_task' } };
  return { ticketId: a.ticketId, task: null };
}

/**
 * Runs every submit/lock check on an attribution and lists all failures, in check order:
 * classification set (billable and work type); support time names its ticket; admin (non-project)
 * time names an operational bucket; the ticket resolves (through the task's ticket when a task is
 * named, else the entry's ticket; anything else is a hard error); the ticket is a leaf and not closed;
 * the task is not completed, archived or cancelled; the owning project is not completed (nor
 * cancelled or archived). Returns the resolved context when nothing failed.
 *
 * @example
 * ```ts
 * const r = checkWorkContext(entry, { ticket });
 * if (!r.ok) console.log(r.error.map((f) => f.code)); // e.g. ['TIME_ENTRY_TICKET_ROLLUP']
 * ```
 */
export function checkWorkContext(
  a: WorkAttribution,
  facts: WorkContextFacts,
): Result<ResolvedWorkContext, readonly WorkContextFailure[]> {
  const failures: WorkContextFailure[] = [];
  if (a.billable === null || a.workType === null)
    failures.push({
      code: 'TIME_ENTRY_CLASSIFICATION_MISSING',
      details: { billable: a.billable, workType: a.workType },
    });
  if (a.workType === 'support' && a.ticketId === null)
    failures.push({ code: 'TIME_ENTRY_SUPPORT_NEEDS_TICKET', details: { taskId: a.taskId } });
  if (a.workType === 'admin' && a.bucketId === null)
    failures.push({ code: 'TIME_ENTRY_BUCKET_REQUIRED', details: { workType: a.workType } });

  const resolved = resolveTicket(a, facts);
  if ('code' in resolved) return err([...failures, resolved]);
  const { ticketId, task } = resolved;
  const ticket = facts.ticket;
  if (ticket === undefined || (ticket !== null && ticket.ticketId !== ticketId))
    return err([...failures, { code: 'TIME_ENTRY_FACTS_MISSING', details: { fact: 'ticket', ticketId } }]);
  if (ticket === null)
    return err([
      ...failures,
      { code: 'TIME_ENTRY_TICKET_UNRESOLVED', details: { reason: 'ticket_not_found', ticketId } },
    ]);
  if (ticket.isRollup) failures.push({ code: 'TIME_ENTRY_TICKET_ROLLUP', details: { ticketId } });
  if (ticket.closed) failures.push({ code: 'TIME_ENTRY_TICKET_CLOSED', details: { ticketId } });
  if (task !== null && CLOSED_TASK.has(task.status))
    failures.push({ code: 'TIME_ENTRY_TASK_CLOSED', details: { taskId: task.taskId, status: task.status } });
  const projectId = ticket.projectId ?? task?.projectId ?? null;
  if (projectId !== null) {
    const project = facts.project;
    // A project that cannot be read fails closed: time never lands on an unchecked project.
    if (project === undefined || project === null || project.projectId !== projectId)
      failures.push({ code: 'TIME_ENTRY_FACTS_MISSING', details: { fact: 'project', projectId } });
    else if (CLOSED_PROJECT.has(project.status))
      failures.push({ code: 'TIME_ENTRY_PROJECT_COMPLETED', details: { projectId, status: project.status } });
  }
  return failures.length > 0 ? err(failures) : ok({ ticketId, projectId });
}

/**
 * Turns the failures of {@link checkWorkContext} into one rejection: the first failure's code and
 * details, plus `failures` listing every failed code so a host can show them all at once.
 *
 * @example
 * ```ts
 * const r = checkWorkContext(entry, facts);
 * if (!r.ok) return err(workContextRejection(r.error));
 * ```
 */
export function workContextRejection(failures: readonly WorkContextFailure[]): Rejection<WorkContextCode> {
  const first = failures[0] ?? { code: 'TIME_ENTRY_FACTS_MISSING', details: {} };
  return reject(first.code, MESSAGES[first.code], {
    ...first.details,
    failures: failures.map((f) => f.code),
  });
}

const MESSAGES: Readonly<Record<WorkContextCode, string>> = {
  TIME_ENTRY_CLASSIFICATION_MISSING: 'classify the entry (billable and work type) before submitting',
  TIME_ENTRY_SUPPORT_NEEDS_TICKET: 'support time must name its ticket',
  TIME_ENTRY_BUCKET_REQUIRED: 'non-project (admin) time needs an operational bucket',
  TIME_ENTRY_FACTS_MISSING: 'the application did not load the facts the check needs',
  TIME_ENTRY_TICKET_UNRESOLVED: 'the entry’s ticket does not resolve (directly or through its task)',
  TIME_ENTRY_TICKET_ROLLUP: 'a roll-up ticket accepts no time: log it on a leaf ticket',
  TIME_ENTRY_TICKET_CLOSED: 'a closed ticket accepts no time',
  TIME_ENTRY_TASK_CLOSED: 'a completed, cancelled or archived task accepts no time',
  TIME_ENTRY_PROJECT_COMPLETED: 'a completed (or cancelled/archived) project accepts no time',
};
