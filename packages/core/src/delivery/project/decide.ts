import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import {
  type CreateProject,
  type OpenVarianceDetail,
  type ProjectCommand,
  type ProjectFacts,
  projectCommandSchema,
  type UpdateProject,
} from './commands.js';
import type { ProjectChanges, ProjectEvent } from './events.js';
import type { ProjectRejection } from './rejections.js';
import type { ProjectState, ProjectStatus } from './state.js';

type Decision = Result<readonly ProjectEvent[], ProjectRejection>;
type Existing = Exclude<ProjectState, { status: 'absent' }>;

function soldContextProblem(c: CreateProject): ProjectRejection | undefined {
  const invalid = (field: string, rule: string) =>
    reject('PROJECT_SOLD_CONTEXT_INVALID', `${field} ${rule}`, { kind: c.kind, field, rule });
  if (c.kind === 'sold') {
    for (const field of ['saleId', 'sourceQuoteId', 'customerId', 'soldMinutes', 'soldValue'] as const) {
      if (c[field] === null) return invalid(field, 'is required on a sold project');
    }
    if (!c.soldConstraintsApply) return invalid('soldConstraintsApply', 'is always true on a sold project');
    return undefined;
  }
  if (c.saleId !== null) return invalid('saleId', 'belongs to sold projects only');
  if (c.soldConstraintsApply && c.soldMinutes === null)
    return invalid('soldMinutes', 'is required when sold constraints apply');
  if (!c.soldConstraintsApply && (c.soldMinutes !== null || c.soldValue !== null))
    return invalid('soldMinutes', 'must be null when sold constraints do not apply');
  return undefined;
}

function datesProblem(start: string | null, end: string | null): ProjectRejection | undefined {
  return start !== null && end !== null && end < start
    ? reject('PROJECT_DATES_INVALID', 'the end date is before the start date', {
        startDate: start,
        endDate: end,
      })
    : undefined;
}

function update(command: UpdateProject, s: Existing, facts: ProjectFacts | undefined): Decision {
  const c = command.changes;
  const activeBaselineVersion = facts?.activeBaselineVersion ?? null;
  if (c.soldMinutes !== undefined && c.soldMinutes !== s.soldMinutes) {
    return err(
      reject(
        'PROJECT_SOLD_IMMUTABLE',
        'sold minutes are never changed on a project; re-baseline explicitly',
        {
          field: 'soldMinutes',
          sold: s.soldMinutes,
          requested: c.soldMinutes,
          delta: (c.soldMinutes ?? 0) - (s.soldMinutes ?? 0),
          activeBaselineVersion,
        },
      ),
    );
  }
  if (
    c.soldValue !== undefined &&
    (c.soldValue?.amountMinor !== s.soldValue?.amountMinor || c.soldValue?.currency !== s.soldValue?.currency)
  ) {
    return err(
      reject(
        'PROJECT_SOLD_IMMUTABLE',
        'the sold value is never changed on a project; re-baseline explicitly',
        {
          field: 'soldValue',
          sold: s.soldValue,
          requested: c.soldValue,
          delta: (c.soldValue?.amountMinor ?? 0) - (s.soldValue?.amountMinor ?? 0),
          activeBaselineVersion,
        },
      ),
    );
  }
  for (const field of ['customerId', 'siteId', 'sourceQuoteId', 'saleId', 'soldConstraintsApply'] as const) {
    if (c[field] !== undefined && c[field] !== s[field])
      return err(
        reject('PROJECT_FIELD_IMMUTABLE', `${field} never changes on a project`, {
          field,
          current: s[field],
          requested: c[field],
        }),
      );
  }
  const changes: { -readonly [K in keyof ProjectChanges]: ProjectChanges[K] } = {};
  if (c.name !== undefined && c.name.trim() !== s.name) changes.name = c.name.trim();
  if (c.startDate !== undefined && c.startDate !== s.startDate) changes.startDate = c.startDate;
  if (c.endDate !== undefined && c.endDate !== s.endDate) changes.endDate = c.endDate;
  if (Object.keys(changes).length === 0) return ok([]);
  const dates = datesProblem(changes.startDate ?? s.startDate, changes.endDate ?? s.endDate);
  if (dates !== undefined) return err(dates);
  return ok([{ type: 'project.updated', payload: { projectId: s.projectId, changes } }]);
}

const CLOSED: readonly ProjectStatus[] = ['completed', 'cancelled', 'archived'];

/**
 * The variances that block completion: the open ones (acknowledged or resolved ones do not), with
 * their numbers.
 *
 * @example `blockingVariances({ variances }).map((v) => v.delta)`
 */
export function blockingVariances(facts: ProjectFacts): OpenVarianceDetail[] {
  return (facts.variances ?? [])
    .filter((v) => v.status === 'open')
    .map((v) => ({
      varianceId: v.varianceId,
      varianceType: v.varianceType,
      milestoneId: v.milestoneId,
      sold: v.sold,
      observed: v.observed,
      delta: v.observed - v.sold,
      baselineVersion: v.baselineVersion,
    }));
}

/**
 * Decides a project command. Rules: a sold project inherits its customer and commercial context and its
 * sold constraints apply; a manual one declares whether they apply; sold values, customer, site and
 * source never change; transitions follow created → planned → active → completed | cancelled →
 * archived; completion needs every task completed or cancelled and no open variance; completed and
 * cancelled projects never change again (only archiving).
 *
 * @example
 * ```ts
 * const r = decideProject({ type: 'complete', at }, state, { tasks, variances });
 * if (!r.ok) console.log(r.error.code, r.error.details); // e.g. PROJECT_VARIANCE_OPEN, with the numbers
 * ```
 */
export function decideProject(
  command: ProjectCommand,
  state: ProjectState,
  facts: ProjectFacts | undefined,
): Decision {
  return checkedDecision(projectCommandSchema, command, 'project command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent')
        return err(reject('PROJECT_ALREADY_EXISTS', 'the project exists already', { status: state.status }));
      const problem = soldContextProblem(command) ?? datesProblem(command.startDate, command.endDate);
      if (problem !== undefined) return err(problem);
      const { type: _type, at, name, ...rest } = command;
      return ok([
        { type: 'delivery.project_created', payload: { ...rest, name: name.trim(), createdAt: at } },
      ]);
    }
    if (state.status === 'absent') return err(reject('PROJECT_NOT_FOUND', 'no such project'));
    const transition = (from: readonly ProjectStatus[], to: ProjectStatus): ProjectRejection | undefined => {
      if (from.includes(state.status)) return undefined;
      if (CLOSED.includes(state.status))
        return reject('PROJECT_CLOSED', `a ${state.status} project never changes`, {
          from: state.status,
          to,
        });
      return reject('PROJECT_ILLEGAL_TRANSITION', `${state.status} → ${to} is not allowed`, {
        from: state.status,
        to,
      });
    };
    const base = { projectId: state.projectId };
    switch (command.type) {
      case 'update': {
        if (CLOSED.includes(state.status))
          return err(
            reject('PROJECT_CLOSED', `a ${state.status} project never changes`, { from: state.status }),
          );
        return update(command, state, facts);
      }
      case 'plan': {
        const problem = transition(['created'], 'planned');
        if (problem !== undefined) return err(problem);
        if (facts?.tasks === undefined)
          return err(
            reject('PROJECT_FACTS_MISSING', 'the project’s tasks were not loaded', { fact: 'tasks' }),
          );
        const live = facts.tasks.filter((t) => t.status !== 'cancelled' && t.status !== 'archived');
        if (live.length === 0)
          return err(reject('PROJECT_NO_TASKS', 'plan at least one task first', { tasks: 0 }));
        return ok([{ type: 'project.planned', payload: { ...base, at: command.at } }]);
      }
      case 'activate': {
        const problem = transition(['planned'], 'active');
        if (problem !== undefined) return err(problem);
        if (facts?.tasks === undefined || facts.actualMinutes === undefined)
          return err(
            reject('PROJECT_FACTS_MISSING', 'the project’s tasks and booked time were not loaded', {
              fact: facts?.tasks === undefined ? 'tasks' : 'actualMinutes',
            }),
          );
        const started = facts.tasks.some((t) => t.status !== 'planned' && t.status !== 'cancelled');
        if (!started && facts.actualMinutes === 0)
          return err(
            reject('PROJECT_NO_WORK_STARTED', 'a project becomes active when work starts', {
              actualMinutes: 0,
              startedTasks: 0,
            }),
          );
        return ok([{ type: 'project.activated', payload: { ...base, at: command.at } }]);
      }
      case 'complete': {
        const problem = transition(['active'], 'completed');
        if (problem !== undefined) return err(problem);
        if (facts?.tasks === undefined || facts.variances === undefined)
          return err(
            reject('PROJECT_FACTS_MISSING', 'the project’s tasks and variances were not loaded', {
              fact: facts?.tasks === undefined ? 'tasks' : 'variances',
            }),
          );
        const openTasks = facts.tasks.filter((t) => t.status === 'planned' || t.status === 'in_progress');
        if (openTasks.length > 0)
          return err(
            reject('PROJECT_TASKS_OPEN', 'every task must be completed or cancelled', {
              openTaskIds: openTasks.map((t) => t.taskId),
            }),
          );
        const open = blockingVariances(facts);
        if (open.length > 0)
          return err(
            reject('PROJECT_VARIANCE_OPEN', 'an open variance blocks completion; acknowledge or resolve it', {
              variances: open,
              ...open[0],
            }),
          );
        return ok([{ type: 'project.completed', payload: { ...base, at: command.at } }]);
      }
      case 'cancel': {
        const problem = transition(['created', 'planned', 'active'], 'cancelled');
        if (problem !== undefined) return err(problem);
        return ok([
          { type: 'project.cancelled', payload: { ...base, reason: command.reason.trim(), at: command.at } },
        ]);
      }
      case 'archive': {
        if (state.status === 'archived')
          return err(
            reject('PROJECT_CLOSED', 'an archived project never changes', {
              from: state.status,
              to: 'archived',
            }),
          );
        if (state.status !== 'completed' && state.status !== 'cancelled')
          return err(
            reject('PROJECT_ILLEGAL_TRANSITION', 'only a completed or cancelled project is archived', {
              from: state.status,
              to: 'archived',
            }),
          );
        return ok([{ type: 'project.archived', payload: { ...base, at: command.at } }]);
      }
    }
  });
}
