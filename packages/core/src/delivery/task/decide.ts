import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import type { MilestoneId } from '../ids.js';
import { checkAgainstSold, type SoldBoundCheck } from '../sold-bounds.js';
import { type TaskCommand, type TaskFacts, taskCommandSchema } from './commands.js';
import type { TaskChanges, TaskEvent } from './events.js';
import type { TaskRejection } from './rejections.js';
import type { TaskState, TaskStatus } from './state.js';

type Decision = Result<readonly TaskEvent[], TaskRejection>;

const CLOSED_PROJECT = ['completed', 'cancelled', 'archived'];

function exceeds(check: Extract<SoldBoundCheck, { kind: 'breach' }>): TaskRejection {
  const scope = check.milestoneId === null ? 'the project' : 'the milestone';
  return reject(
    'TASK_PLAN_EXCEEDS_SOLD',
    `the plan would exceed what was sold for ${scope}; acknowledge the variance first`,
    {
      sold: check.sold,
      planned: check.observed,
      delta: check.delta,
      baselineVersion: check.baselineVersion,
      constraintId: check.constraintId,
      milestoneId: check.milestoneId,
      openVarianceId: check.openVarianceId,
    },
  );
}

/**
 * The refusal when a task's planned minutes grow to `estimate` (or it moves, with `estimate`, into
 * `milestoneId`): a closed project, or a plan beyond sold. The project bound comes first; a milestone's
 * own bound is checked while the project stays within sold (beyond it, the project's variance is the one
 * that records the overrun). A move never changes the project total, so only the milestone bound applies.
 */
function planProblem(
  facts: TaskFacts | undefined,
  estimate: number,
  milestoneId: MilestoneId | null,
  move = false,
): TaskRejection | undefined {
  if (facts?.projectStatus === undefined)
    return reject('TASK_FACTS_MISSING', 'the project was not loaded', { fact: 'projectStatus' });
  if (CLOSED_PROJECT.includes(facts.projectStatus))
    return reject('TASK_PROJECT_CLOSED', `the project is ${facts.projectStatus}`, {
      projectStatus: facts.projectStatus,
    });
  const plan = facts.plan;
  if (plan === undefined)
    return reject('TASK_FACTS_MISSING', 'the project’s plan and baseline were not loaded', { fact: 'plan' });
  const project = checkAgainstSold(plan, 'planned_over_sold', plan.plannedMinutesElsewhere + estimate);
  if (project.kind === 'breach' && !move) return exceeds(project);
  if (project.kind !== 'within_sold' || milestoneId === null) return undefined;
  const m = plan.milestone;
  if (m === undefined || m.milestoneId !== milestoneId)
    return reject('TASK_FACTS_MISSING', 'the milestone’s plan was not loaded', {
      fact: 'plan.milestone',
      milestoneId,
    });
  const check = checkAgainstSold(plan, 'planned_over_sold', m.plannedMinutesElsewhere + estimate, m);
  return check.kind === 'breach' ? exceeds(check) : undefined;
}

function ticketProblem(
  facts: TaskFacts | undefined,
  taskId: string,
  ticketId: string,
): TaskRejection | undefined {
  if (facts?.ticketHolder === undefined)
    return reject('TASK_FACTS_MISSING', 'the ticket’s current task was not loaded', { fact: 'ticketHolder' });
  if (facts.ticketHolder !== null && facts.ticketHolder !== taskId)
    return reject('TASK_TICKET_TAKEN', 'the ticket is bridged to another task', {
      ticketId,
      taskId: facts.ticketHolder,
    });
  return undefined;
}

/**
 * Decides a task command. Rules: planning beyond sold — the project's, or a milestone's while the
 * project stays within sold — is refused until a variance is acknowledged (lowering, stopping or
 * correcting work is never blocked); sold minutes never change; planned →
 * in_progress → completed → archived (or cancelled); completed and cancelled tasks never change again;
 * a ticket bridges to one task only.
 *
 * @example
 * ```ts
 * const r = decideTask({ type: 're_estimate', estimatedMinutes: 900, at }, state, { projectStatus: 'active', plan });
 * if (!r.ok && r.error.code === 'TASK_PLAN_EXCEEDS_SOLD') console.log(r.error.details); // sold, planned, delta…
 * ```
 */
export function decideTask(command: TaskCommand, state: TaskState, facts: TaskFacts | undefined): Decision {
  return checkedDecision(taskCommandSchema, command, 'task command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent')
        return err(reject('TASK_ALREADY_EXISTS', 'the task exists already', { status: state.status }));
      const problem =
        planProblem(facts, command.estimatedMinutes, command.milestoneId) ??
        (command.ticketId === null ? undefined : ticketProblem(facts, command.taskId, command.ticketId));
      if (problem !== undefined) return err(problem);
      const { type: _type, ...payload } = command;
      return ok([{ type: 'delivery.task_created', payload: { ...payload, name: command.name.trim() } }]);
    }
    if (state.status === 'absent') return err(reject('TASK_NOT_FOUND', 'no such task'));
    const ids = { taskId: state.taskId, projectId: state.projectId };
    const closed = (to: TaskStatus | null) =>
      err(reject('TASK_CLOSED', `a ${state.status} task never changes`, { from: state.status, to }));
    const illegal = (to: TaskStatus) =>
      err(
        reject('TASK_ILLEGAL_TRANSITION', `${state.status} → ${to} is not allowed`, {
          from: state.status,
          to,
        }),
      );
    const open = state.status === 'planned' || state.status === 'in_progress';
    switch (command.type) {
      case 're_estimate': {
        if (!open) return closed(null);
        const from = state.estimatedMinutes;
        const to = command.estimatedMinutes;
        if (to === from) return ok([]);
        if (to > from) {
          const problem = planProblem(facts, to, state.milestoneId);
          if (problem !== undefined) return err(problem);
        }
        return ok([{ type: 'delivery.task_re_estimated', payload: { ...ids, from, to, at: command.at } }]);
      }
      case 'update': {
        if (!open) return closed(null);
        const c = command.changes;
        if (c.soldMinutes !== undefined && c.soldMinutes !== state.soldMinutes)
          return err(
            reject('TASK_SOLD_IMMUTABLE', 'a task’s sold minutes never change', {
              sold: state.soldMinutes,
              requested: c.soldMinutes,
              delta: c.soldMinutes - state.soldMinutes,
            }),
          );
        const changes: { -readonly [K in keyof TaskChanges]: TaskChanges[K] } = {};
        if (c.name !== undefined && c.name.trim() !== state.name) changes.name = c.name.trim();
        if (c.milestoneId !== undefined && c.milestoneId !== state.milestoneId) {
          if (c.milestoneId !== null) {
            const problem = planProblem(facts, state.estimatedMinutes, c.milestoneId, true);
            if (problem !== undefined) return err(problem);
          }
          changes.milestoneId = c.milestoneId;
        }
        if (c.roleId !== undefined && c.roleId !== state.roleId) changes.roleId = c.roleId;
        if (c.assigneeId !== undefined && c.assigneeId !== state.assigneeId)
          changes.assigneeId = c.assigneeId;
        if (c.sequence !== undefined && c.sequence !== state.sequence) changes.sequence = c.sequence;
        if (Object.keys(changes).length === 0) return ok([]);
        return ok([{ type: 'delivery.task_updated', payload: { ...ids, changes } }]);
      }
      case 'start':
        if (!open) return closed('in_progress');
        if (state.status !== 'planned') return illegal('in_progress');
        return ok([{ type: 'delivery.task_started', payload: { ...ids, at: command.at } }]);
      case 'complete':
        if (!open) return closed('completed');
        if (state.status !== 'in_progress') return illegal('completed');
        return ok([{ type: 'delivery.task_completed', payload: { ...ids, at: command.at } }]);
      case 'cancel':
        if (!open) return closed('cancelled');
        return ok([
          {
            type: 'delivery.task_cancelled',
            payload: { ...ids, reason: command.reason.trim(), at: command.at },
          },
        ]);
      case 'archive':
        if (state.status === 'archived') return closed('archived');
        if (open) return illegal('archived');
        return ok([{ type: 'delivery.task_archived', payload: { ...ids, at: command.at } }]);
      case 'link_ticket': {
        if (state.status === 'archived') return closed(null);
        if (state.ticketId === command.ticketId) return ok([]);
        if (state.ticketId !== null)
          return err(
            reject('TASK_TICKET_ALREADY_LINKED', 'the task is bridged to a ticket already', {
              ticketId: state.ticketId,
              requested: command.ticketId,
            }),
          );
        const problem = ticketProblem(facts, state.taskId, command.ticketId);
        if (problem !== undefined) return err(problem);
        return ok([{ type: 'delivery.task_ticket_linked', payload: { ...ids, ticketId: command.ticketId } }]);
      }
    }
  });
}
