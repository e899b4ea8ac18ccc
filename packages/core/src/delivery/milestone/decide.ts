import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { type MilestoneCommand, type MilestoneFacts, milestoneCommandSchema } from './commands.js';
import type { MilestoneChanges, MilestoneEvent } from './events.js';
import type { MilestoneRejection } from './rejections.js';
import type { MilestoneState, MilestoneStatus } from './state.js';

type Decision = Result<readonly MilestoneEvent[], MilestoneRejection>;

/**
 * Decides a milestone command. Rules: milestones are defined on open projects; their sold minutes never
 * change; defined → active → completed → archived; completion needs every task of it completed or
 * cancelled and freezes its planned and actual minutes; a completed milestone never changes again.
 *
 * @example
 * ```ts
 * const r = decideMilestone({ type: 'complete', at }, state, { tasks, actualMinutes: 540 });
 * if (!r.ok) console.log(r.error.code); // e.g. MILESTONE_TASKS_OPEN
 * ```
 */
export function decideMilestone(
  command: MilestoneCommand,
  state: MilestoneState,
  facts: MilestoneFacts | undefined,
): Decision {
  return checkedDecision(milestoneCommandSchema, command, 'milestone command', () => {
    if (command.type === 'define') {
      if (state.status !== 'absent')
        return err(
          reject('MILESTONE_ALREADY_EXISTS', 'the milestone exists already', { status: state.status }),
        );
      if (facts?.projectStatus === undefined)
        return err(
          reject('MILESTONE_FACTS_MISSING', 'the project was not loaded', { fact: 'projectStatus' }),
        );
      if (['completed', 'cancelled', 'archived'].includes(facts.projectStatus))
        return err(
          reject('MILESTONE_PROJECT_CLOSED', `the project is ${facts.projectStatus}`, {
            projectStatus: facts.projectStatus,
          }),
        );
      const { type: _type, ...payload } = command;
      return ok([
        {
          type: 'delivery.milestone_defined',
          payload: {
            ...payload,
            name: command.name.trim(),
            description: command.description?.trim() ?? null,
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('MILESTONE_NOT_FOUND', 'no such milestone'));
    const ids = { milestoneId: state.milestoneId, projectId: state.projectId };
    const closed = (to: MilestoneStatus | null) =>
      err(
        reject('MILESTONE_COMPLETED', `a ${state.status} milestone never changes`, {
          from: state.status,
          to,
        }),
      );
    const illegal = (to: MilestoneStatus) =>
      err(
        reject('MILESTONE_ILLEGAL_TRANSITION', `${state.status} → ${to} is not allowed`, {
          from: state.status,
          to,
        }),
      );
    if (state.status === 'archived') return closed(command.type === 'archive' ? 'archived' : null);
    switch (command.type) {
      case 'update': {
        if (state.status === 'completed') return closed(null);
        const c = command.changes;
        if (c.soldMinutes !== undefined && c.soldMinutes !== state.soldMinutes)
          return err(
            reject('MILESTONE_SOLD_IMMUTABLE', 'sold minutes never change; re-baseline explicitly', {
              sold: state.soldMinutes,
              requested: c.soldMinutes,
              delta: c.soldMinutes - state.soldMinutes,
            }),
          );
        const changes: { -readonly [K in keyof MilestoneChanges]: MilestoneChanges[K] } = {};
        if (c.name !== undefined && c.name.trim() !== state.name) changes.name = c.name.trim();
        if (c.description !== undefined && (c.description?.trim() ?? null) !== state.description)
          changes.description = c.description?.trim() ?? null;
        if (c.sequence !== undefined && c.sequence !== state.sequence) changes.sequence = c.sequence;
        if (Object.keys(changes).length === 0) return ok([]);
        return ok([{ type: 'delivery.milestone_updated', payload: { ...ids, changes } }]);
      }
      case 'activate':
        if (state.status === 'completed') return closed('active');
        if (state.status !== 'defined') return illegal('active');
        return ok([{ type: 'delivery.milestone_activated', payload: { ...ids, at: command.at } }]);
      case 'complete': {
        if (state.status === 'completed') return closed('completed');
        if (state.status !== 'active') return illegal('completed');
        if (facts?.tasks === undefined || facts.actualMinutes === undefined)
          return err(
            reject('MILESTONE_FACTS_MISSING', 'the milestone’s tasks and booked time were not loaded', {
              fact: facts?.tasks === undefined ? 'tasks' : 'actualMinutes',
            }),
          );
        const open = facts.tasks.filter((t) => t.status === 'planned' || t.status === 'in_progress');
        if (open.length > 0)
          return err(
            reject('MILESTONE_TASKS_OPEN', 'every task must be completed or cancelled', {
              openTaskIds: open.map((t) => t.taskId),
            }),
          );
        const plannedMinutes = facts.tasks
          .filter((t) => t.status !== 'cancelled')
          .reduce((n, t) => n + t.estimatedMinutes, 0);
        return ok([
          {
            type: 'delivery.milestone_completed',
            payload: {
              ...ids,
              name: state.name,
              soldMinutes: state.soldMinutes,
              plannedMinutes,
              actualMinutes: facts.actualMinutes,
              at: command.at,
            },
          },
        ]);
      }
      case 'archive':
        if (state.status !== 'completed') return illegal('archived');
        return ok([{ type: 'delivery.milestone_archived', payload: { ...ids, at: command.at } }]);
    }
  });
}
