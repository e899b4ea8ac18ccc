import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { sameTeamName } from '../fields.js';
import type { EmployeeId, TeamId } from '../ids.js';
import { type TeamCommand, type TeamFacts, teamCommandSchema } from './commands.js';
import type { TeamChanges, TeamEvent, TeamVisual } from './events.js';
import type { TeamRejection } from './rejections.js';
import type { TeamState } from './state.js';

type Decision = Result<readonly TeamEvent[], TeamRejection>;

function missing(fact: string, details: Readonly<Record<string, unknown>> = {}): TeamRejection {
  return reject('TEAM_FACTS_MISSING', `the ${fact} fact was not loaded`, { fact, ...details });
}

function parentProblem(
  self: TeamId,
  parentTeamId: TeamId,
  facts: TeamFacts | undefined,
): TeamRejection | undefined {
  if (parentTeamId === self) {
    return reject('TEAM_PARENT_CYCLE', 'a team cannot be its own parent', { parentTeamId });
  }
  const parent = facts?.parent;
  if (parent === undefined || parent.teamId !== parentTeamId) return missing('parent', { parentTeamId });
  if (parent.status !== 'active') {
    return reject('TEAM_PARENT_NOT_ACTIVE', 'the parent team is archived', {
      parentTeamId,
      status: parent.status,
    });
  }
  if (parent.ancestorIds.includes(self)) {
    return reject('TEAM_PARENT_CYCLE', 'the new parent is a sub-team of this team', {
      parentTeamId,
      ancestorIds: parent.ancestorIds,
    });
  }
  return undefined;
}

function nameProblem(name: string, facts: TeamFacts | undefined): TeamRejection | undefined {
  const siblings = facts?.siblingNames;
  if (siblings === undefined) return missing('siblingNames');
  return siblings.some((s) => sameTeamName(s, name))
    ? reject('TEAM_NAME_TAKEN', 'another active team under the same parent has this name', {
        name: name.trim(),
      })
    : undefined;
}

function employeeProblem(
  role: 'manager' | 'escalation manager',
  employeeId: EmployeeId,
  facts: TeamFacts | undefined,
): TeamRejection | undefined {
  const employees = facts?.employees;
  const found = employees?.find((e) => e.employeeId === employeeId);
  if (found === undefined) return missing('employees', { employeeId });
  if (found.status === 'active') return undefined;
  return role === 'manager'
    ? reject('TEAM_MANAGER_NOT_ACTIVE', 'the manager must be an active employee', {
        employeeId,
        status: found.status,
      })
    : reject('TEAM_ESCALATION_MANAGER_NOT_ACTIVE', 'the escalation manager must be an active employee', {
        employeeId,
        status: found.status,
      });
}

interface Proposed {
  readonly name?: string;
  readonly parentTeamId?: TeamId | null;
  readonly managerId?: EmployeeId | null;
  readonly escalationManagerId?: EmployeeId | null;
}

/** Checks the rules for the fields a command sets (only those it sets or changes). */
function proposalProblem(
  self: TeamId,
  p: Proposed,
  nameToCheck: string | undefined,
  facts: TeamFacts | undefined,
) {
  if (p.parentTeamId !== undefined && p.parentTeamId !== null) {
    const problem = parentProblem(self, p.parentTeamId, facts);
    if (problem !== undefined) return problem;
  }
  if (nameToCheck !== undefined) {
    const problem = nameProblem(nameToCheck, facts);
    if (problem !== undefined) return problem;
  }
  if (p.managerId !== undefined && p.managerId !== null) {
    const problem = employeeProblem('manager', p.managerId, facts);
    if (problem !== undefined) return problem;
  }
  if (p.escalationManagerId !== undefined && p.escalationManagerId !== null) {
    const problem = employeeProblem('escalation manager', p.escalationManagerId, facts);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const sameVisual = (a: TeamVisual | null, b: TeamVisual | null): boolean =>
  a === b || (a !== null && b !== null && a.kind === b.kind && a.ref === b.ref);

/**
 * Decides a team command. Rules: teams nest without cycles (the parent's ancestor chain must not
 * contain the team) under an active parent; names are unique among a parent's active teams; manager
 * and escalation manager are active employees; a team with active sub-teams cannot be archived;
 * archived is immutable; every visual change increments `visualVersion`.
 *
 * @example
 * ```ts
 * decideTeam({ type: 'update', changes: { parentTeamId: p } }, state, { parent, siblingNames: [] });
 * ```
 */
export function decideTeam(command: TeamCommand, state: TeamState, facts: TeamFacts | undefined): Decision {
  return checkedDecision(teamCommandSchema, command, 'team command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') {
        return err(reject('TEAM_ALREADY_EXISTS', 'the team exists already', { status: state.status }));
      }
      const name = command.name.trim();
      const problem = proposalProblem(command.teamId, command, name, facts);
      if (problem !== undefined) return err(problem);
      return ok([
        {
          type: 'team.created',
          payload: {
            teamId: command.teamId,
            name,
            parentTeamId: command.parentTeamId,
            managerId: command.managerId,
            escalationManagerId: command.escalationManagerId,
            visual: command.visual,
            visualVersion: 1,
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('TEAM_NOT_FOUND', 'no such team'));
    if (state.status === 'archived') {
      return err(reject('TEAM_ARCHIVED', 'an archived team cannot change', { status: state.status }));
    }
    if (command.type === 'archive') {
      const children = facts?.activeChildTeamIds;
      if (children === undefined) return err(missing('activeChildTeamIds'));
      if (children.length > 0) {
        return err(
          reject('TEAM_HAS_ACTIVE_CHILDREN', 'archive or move the sub-teams first', {
            activeChildTeamIds: children,
          }),
        );
      }
      return ok([{ type: 'team.archived', payload: { teamId: state.teamId, at: command.at } }]);
    }
    const requested = command.changes;
    const changes: { -readonly [K in keyof TeamChanges]: TeamChanges[K] } = {};
    const name = requested.name?.trim();
    if (name !== undefined && name !== state.name) changes.name = name;
    if (requested.parentTeamId !== undefined && requested.parentTeamId !== state.parentTeamId)
      changes.parentTeamId = requested.parentTeamId;
    if (requested.managerId !== undefined && requested.managerId !== state.managerId)
      changes.managerId = requested.managerId;
    if (
      requested.escalationManagerId !== undefined &&
      requested.escalationManagerId !== state.escalationManagerId
    )
      changes.escalationManagerId = requested.escalationManagerId;
    if (requested.visual !== undefined && !sameVisual(requested.visual, state.visual)) {
      changes.visual = requested.visual;
      changes.visualVersion = state.visualVersion + 1;
    }
    if (Object.keys(changes).length === 0) return ok([]);
    // A rename or a move must keep the name unique under the (new) parent.
    const nameToCheck =
      changes.name !== undefined || changes.parentTeamId !== undefined
        ? (changes.name ?? state.name)
        : undefined;
    const problem = proposalProblem(state.teamId, changes, nameToCheck, facts);
    if (problem !== undefined) return err(problem);
    return ok([{ type: 'team.updated', payload: { teamId: state.teamId, changes } }]);
  });
}
