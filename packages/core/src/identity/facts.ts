/**
 * Facts loaders of the identity context: what an employee, team, membership or org-structure-version
 * decision needs from other aggregates, read through the unit of work's scope (in the command's
 * transaction, re-run on every retry). Pure: they use only the `UnitOfWorkScope` port and the adapter's
 * aggregate definitions (e.g. `@pet-ops/sql`'s `identityBindings`).
 *
 * The scope loads aggregates by id only. Chains (a manager's managers, a team's ancestors) are followed
 * one load at a time. Facts over many rows ("who reports to this employee", "the active teams under
 * this parent", "the open memberships of this pair", "the latest org version") need a read port the
 * scope does not have yet; until then the caller names the rows it knows (`known`) and the loader keeps
 * those that match the rule. Without `known`, a decision that needs such a fact is refused with its
 * `…_FACTS_MISSING` code (checks fail closed), except where a database key is the check: one open
 * membership per (team, employee) (`uq_open_membership`) and one version per number
 * (`uq_version_number`).
 *
 * @module
 */
import type { AggregateDefinition, FactsLoader, UnitOfWorkScope, Uuid } from '../kernel/index.js';
import type { EmployeeCommand, EmployeeDependants, EmployeeFacts, ManagerFact } from './employee/commands.js';
import type { EmployeeState } from './employee/state.js';
import type { EmployeeId, OrgStructureVersionId, TeamId, TeamMembershipId } from './ids.js';
import type { OrgStructureVersionFacts } from './org-structure-version/commands.js';
import type { OrgStructureVersionState } from './org-structure-version/state.js';
import type { EmployeeStatusFact, TeamCommand, TeamFacts, TeamParentFact } from './team/commands.js';
import type { TeamState } from './team/state.js';
import type { TeamMembershipCommand, TeamMembershipFacts } from './team-membership/commands.js';
import type { TeamMembershipState } from './team-membership/state.js';

/** How the identity aggregates are stored (the adapter's definitions, e.g. `@pet-ops/sql`'s `identityBindings`). */
export interface IdentityDefinitions {
  readonly employee: AggregateDefinition<EmployeeState>;
  readonly team: AggregateDefinition<TeamState>;
  readonly teamMembership: AggregateDefinition<TeamMembershipState>;
  readonly orgStructureVersion: AggregateDefinition<OrgStructureVersionState>;
}

/**
 * Longest manager or parent chain a loader follows (a guard: the deciders keep the chains acyclic, and
 * a repeated id also stops the walk).
 *
 * @example `(await loadManagerChain(scope, definitions, id)).length <= MAX_IDENTITY_CHAIN` → `true`
 */
export const MAX_IDENTITY_CHAIN = 1000;

type Present<S> = Exclude<S, { status: 'absent' }>;
type Employee = Present<EmployeeState>;
type Team = Present<TeamState>;
type Membership = Present<TeamMembershipState>;

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Follows `up` from `start` to the top, nearest first, without `start`. Stops at `null`, at an id seen
 * before (so it ends on any input) and after {@link MAX_IDENTITY_CHAIN} steps.
 *
 * @example
 * ```ts
 * const parents = new Map([[b, a], [c, b]]);
 * await followChain(c, async (id) => parents.get(id) ?? null); // [b, a]
 * ```
 */
export async function followChain<T extends string>(
  start: T,
  up: (id: T) => Promise<T | null>,
): Promise<T[]> {
  const chain: T[] = [];
  const seen = new Set<T>([start]);
  let next = await up(start);
  while (next !== null && !seen.has(next) && chain.length < MAX_IDENTITY_CHAIN) {
    chain.push(next);
    seen.add(next);
    next = await up(next);
  }
  return chain;
}

/**
 * The managers above `employeeId`, nearest first, each loaded through the scope (one load per level):
 * the `managerChain` of a {@link ManagerFact}. An unknown employee ends the chain.
 *
 * @example
 * ```ts
 * const chain = await loadManagerChain(scope, definitions, managerId); // [managerOfManager, …]
 * ```
 */
export function loadManagerChain(
  scope: UnitOfWorkScope,
  definitions: Pick<IdentityDefinitions, 'employee'>,
  employeeId: EmployeeId,
): Promise<EmployeeId[]> {
  return followChain(employeeId, async (id) => {
    const { state } = await scope.aggregate(definitions.employee).load(id as string as Uuid);
    return state.status === 'absent' ? null : state.managerId;
  });
}

/**
 * The teams above `teamId`, nearest first, up to a root, each loaded through the scope: the
 * `ancestorIds` of a {@link TeamParentFact}. An unknown team ends the chain.
 *
 * @example
 * ```ts
 * const ancestors = await loadAncestorTeamIds(scope, definitions, parentTeamId);
 * ```
 */
export function loadAncestorTeamIds(
  scope: UnitOfWorkScope,
  definitions: Pick<IdentityDefinitions, 'team'>,
  teamId: TeamId,
): Promise<TeamId[]> {
  return followChain(teamId, async (id) => {
    const { state } = await scope.aggregate(definitions.team).load(id as string as Uuid);
    return state.status === 'absent' ? null : state.parentTeamId;
  });
}

async function loadPresent<S extends { status: string }>(
  scope: UnitOfWorkScope,
  definition: AggregateDefinition<S>,
  ids: readonly string[],
): Promise<Present<S>[]> {
  const out: Present<S>[] = [];
  for (const id of new Set(ids)) {
    const { state } = await scope.aggregate(definition).load(id as Uuid);
    if (state.status !== 'absent') out.push(state as Present<S>);
  }
  return out;
}

/** The rows an employee's dependants are taken from (states as loaded; absent ones left out). */
export interface DependantCandidates {
  readonly employees: readonly EmployeeState[];
  readonly teams: readonly TeamState[];
  readonly memberships: readonly TeamMembershipState[];
}

/**
 * Who depends on `employeeId` among `candidates`: non-archived employees it manages, active teams it
 * manages or is the escalation manager of, and its open memberships (each list by id).
 *
 * @example
 * ```ts
 * dependantsOf(boss, { employees: [dev], teams: [], memberships: [] }); // { directReportIds: [dev.employeeId], … }
 * ```
 */
export function dependantsOf(employeeId: EmployeeId, candidates: DependantCandidates): EmployeeDependants {
  const ids = <T extends string>(list: readonly T[]): T[] => [...new Set(list)].sort(byId);
  return {
    directReportIds: ids(
      candidates.employees
        .filter((e): e is Employee => e.status !== 'absent')
        .filter((e) => e.status !== 'archived' && e.managerId === employeeId && e.employeeId !== employeeId)
        .map((e) => e.employeeId),
    ),
    managedTeamIds: ids(
      candidates.teams
        .filter((t): t is Team => t.status === 'active')
        .filter((t) => t.managerId === employeeId || t.escalationManagerId === employeeId)
        .map((t) => t.teamId),
    ),
    openMembershipIds: ids(
      candidates.memberships
        .filter((m): m is Membership => m.status === 'open' && m.employeeId === employeeId)
        .map((m) => m.membershipId),
    ),
  };
}

/**
 * Names of the active teams directly under `parentTeamId` (`null`: the active root teams) among
 * `candidates`, other than `selfId`, by name: the `siblingNames` fact.
 *
 * @example
 * ```ts
 * siblingTeamNames(rootTeamId, teamId, [platform, data]); // ['Data', 'Platform']
 * ```
 */
export function siblingTeamNames(
  parentTeamId: TeamId | null,
  selfId: TeamId | null,
  candidates: readonly TeamState[],
): string[] {
  return candidates
    .filter((t): t is Team => t.status === 'active' && t.parentTeamId === parentTeamId && t.teamId !== selfId)
    .map((t) => t.name)
    .sort();
}

/**
 * Ids of the active teams directly under `teamId` among `candidates`, by id: the `activeChildTeamIds`
 * fact of an archive.
 *
 * @example
 * ```ts
 * activeChildTeamIdsOf(root, [platform, archivedChild]); // [platform.teamId]
 * ```
 */
export function activeChildTeamIdsOf(teamId: TeamId, candidates: readonly TeamState[]): TeamId[] {
  const ids = candidates
    .filter((t): t is Team => t.status === 'active' && t.parentTeamId === teamId && t.teamId !== teamId)
    .map((t) => t.teamId);
  return [...new Set(ids)].sort(byId);
}

/**
 * Ids of the open memberships of `employeeId` in `teamId` among `candidates`, by id: the
 * `openMembershipIds` fact of an add.
 *
 * @example
 * ```ts
 * openMembershipIdsOf(teamId, employeeId, [open, closed]); // [open.membershipId]
 * ```
 */
export function openMembershipIdsOf(
  teamId: TeamId,
  employeeId: EmployeeId,
  candidates: readonly TeamMembershipState[],
): TeamMembershipId[] {
  const ids = candidates
    .filter((m): m is Membership => m.status === 'open' && m.teamId === teamId && m.employeeId === employeeId)
    .map((m) => m.membershipId);
  return [...new Set(ids)].sort(byId);
}

/**
 * The rows that may depend on an employee, as far as the caller knows them (the read port's job once
 * it exists: `employees` by `manager_id`, `teams` by `manager_id` / `escalation_manager_id`,
 * `team_memberships` by `employee_id`). Ids of rows that do not exist or do not depend are skipped.
 */
export interface KnownDependants {
  readonly employeeIds: readonly EmployeeId[];
  readonly teamIds: readonly TeamId[];
  readonly membershipIds: readonly TeamMembershipId[];
}

/**
 * The facts loader of an employee command. A `create` or `update` that sets a manager loads the
 * manager and its manager chain (the decider refuses an inactive manager and a cycle); an unknown
 * manager leaves the fact out (`EMPLOYEE_FACTS_MISSING`). A `deactivate` or `archive` takes the
 * dependants from `known` ({@link dependantsOf}); without `known` they are left out
 * (`EMPLOYEE_FACTS_MISSING`).
 *
 * @example
 * ```ts
 * await handleEmployee({
 *   streamId: employeeId,
 *   command: { type: 'deactivate', at },
 *   metadata: { actor },
 *   loadFacts: employeeFactsLoader(definitions, { type: 'deactivate', at }, { employeeIds, teamIds, membershipIds }),
 * });
 * ```
 */
export function employeeFactsLoader(
  definitions: Pick<IdentityDefinitions, 'employee' | 'team' | 'teamMembership'>,
  command: EmployeeCommand,
  known?: KnownDependants,
): FactsLoader<EmployeeState, EmployeeFacts | undefined> {
  return async (scope, loaded) => {
    const facts: { manager?: ManagerFact; dependants?: EmployeeDependants } = {};
    const managerId =
      command.type === 'create'
        ? (command.managerId ?? null)
        : command.type === 'update'
          ? (command.changes.managerId ?? null)
          : null;
    if (managerId !== null) {
      const manager = await scope.aggregate(definitions.employee).load(managerId as string as Uuid);
      if (manager.state.status !== 'absent') {
        facts.manager = {
          employeeId: managerId,
          status: manager.state.status,
          managerChain: await loadManagerChain(scope, definitions, managerId),
        };
      }
    }
    const state = loaded.state;
    if ((command.type === 'deactivate' || command.type === 'archive') && state.status !== 'absent') {
      if (known !== undefined) {
        facts.dependants = dependantsOf(state.employeeId, {
          employees: await loadPresent(scope, definitions.employee, known.employeeIds),
          teams: await loadPresent(scope, definitions.team, known.teamIds),
          memberships: await loadPresent(scope, definitions.teamMembership, known.membershipIds),
        });
      }
    }
    return facts;
  };
}

/**
 * The teams a team command is checked against, as far as the caller knows them: candidates for the
 * siblings under the (new) parent and, for an archive, for the active sub-teams (the read port's job
 * once it exists: `teams` by `(parent_team_id, state)`). Ids that do not match are skipped.
 */
export interface KnownTeams {
  readonly teamIds: readonly TeamId[];
}

/**
 * The facts loader of a team command. A command that sets a parent loads it and its ancestors (an
 * unknown parent leaves the fact out: `TEAM_FACTS_MISSING`); a command that sets a manager or
 * escalation manager loads their statuses; a create, rename or move takes the sibling names from
 * `known` ({@link siblingTeamNames}) and an archive the active sub-teams ({@link activeChildTeamIdsOf});
 * without `known` those are left out (`TEAM_FACTS_MISSING`).
 *
 * @example
 * ```ts
 * const command = { type: 'create', teamId, name: 'Platform', parentTeamId: rootId, managerId, escalationManagerId: null, visual: null } as const;
 * await handleTeam({ streamId: teamId, command, metadata: { actor }, loadFacts: teamFactsLoader(definitions, command, { teamIds: siblingIds }) });
 * ```
 */
export function teamFactsLoader(
  definitions: Pick<IdentityDefinitions, 'employee' | 'team'>,
  command: TeamCommand,
  known?: KnownTeams,
): FactsLoader<TeamState, TeamFacts | undefined> {
  return async (scope, loaded) => {
    const facts: {
      parent?: TeamParentFact;
      siblingNames?: readonly string[];
      employees?: readonly EmployeeStatusFact[];
      activeChildTeamIds?: readonly TeamId[];
    } = {};
    const state = loaded.state;
    const self = command.type === 'create' ? command.teamId : state.status === 'absent' ? null : state.teamId;
    const candidates = async () => loadPresent(scope, definitions.team, known?.teamIds ?? []);
    if (command.type === 'archive') {
      if (self !== null && known !== undefined)
        facts.activeChildTeamIds = activeChildTeamIdsOf(self, await candidates());
      return facts;
    }
    const proposal = command.type === 'create' ? command : command.changes;
    const current = state.status === 'absent' ? null : state;
    const newParent = proposal.parentTeamId ?? null;
    if (newParent !== null) {
      const parent = await scope.aggregate(definitions.team).load(newParent as string as Uuid);
      if (parent.state.status !== 'absent') {
        facts.parent = {
          teamId: newParent,
          status: parent.state.status,
          ancestorIds: await loadAncestorTeamIds(scope, definitions, newParent),
        };
      }
    }
    const checksName =
      command.type === 'create' || proposal.name !== undefined || proposal.parentTeamId !== undefined;
    if (checksName && known !== undefined) {
      const parentId =
        proposal.parentTeamId !== undefined ? proposal.parentTeamId : (current?.parentTeamId ?? null);
      facts.siblingNames = siblingTeamNames(parentId, self, await candidates());
    }
    const people = [proposal.managerId, proposal.escalationManagerId].filter(
      (id): id is EmployeeId => id !== undefined && id !== null,
    );
    if (people.length > 0) {
      const found: EmployeeStatusFact[] = [];
      for (const id of new Set(people)) {
        const e = await scope.aggregate(definitions.employee).load(id as string as Uuid);
        if (e.state.status !== 'absent') found.push({ employeeId: id, status: e.state.status });
      }
      facts.employees = found;
    }
    return facts;
  };
}

/**
 * The memberships an `add` is checked against, as far as the caller knows them (the read port's job
 * once it exists: `team_memberships` by `(team_id, employee_id)` where open). Ids that are not open
 * memberships of the same pair are skipped.
 */
export interface KnownMemberships {
  readonly membershipIds: readonly TeamMembershipId[];
}

/**
 * The facts loader of a membership command: for an `add`, the team and the employee (either unknown:
 * no facts, `MEMBERSHIP_FACTS_MISSING`) and the pair's open memberships among `known`
 * ({@link openMembershipIdsOf}); a `remove` needs none. Without `known` the open list is empty and the
 * database's `uq_open_membership` key refuses a second open membership (`DUPLICATE_KEY`, nothing
 * written).
 *
 * @example
 * ```ts
 * const add = { type: 'add', membershipId, teamId, employeeId, role: 'member', at } as const;
 * await handleMembership({ streamId: membershipId, command: add, metadata: { actor }, loadFacts: teamMembershipFactsLoader(definitions, add) });
 * ```
 */
export function teamMembershipFactsLoader(
  definitions: Pick<IdentityDefinitions, 'employee' | 'team' | 'teamMembership'>,
  command: TeamMembershipCommand,
  known?: KnownMemberships,
): FactsLoader<TeamMembershipState, TeamMembershipFacts | undefined> {
  return async (scope) => {
    if (command.type !== 'add') return undefined;
    const team = (await scope.aggregate(definitions.team).load(command.teamId as string as Uuid)).state;
    const employee = (await scope.aggregate(definitions.employee).load(command.employeeId as string as Uuid))
      .state;
    if (team.status === 'absent' || employee.status === 'absent') return undefined;
    return {
      team: { teamId: command.teamId, status: team.status },
      employee: { employeeId: command.employeeId, status: employee.status },
      openMembershipIds: openMembershipIdsOf(
        command.teamId,
        command.employeeId,
        await loadPresent(scope, definitions.teamMembership, known?.membershipIds ?? []),
      ),
    };
  };
}

/**
 * The facts loader of a `publish`: the latest published version, named by the caller
 * (`previousVersionId: null` for the first version) and loaded through the scope; an unknown version
 * leaves the facts out (`ORG_VERSION_FACTS_MISSING`). A caller that names an older version than the
 * latest decides a number that exists already, and the database's `uq_version_number` key refuses it
 * (`DUPLICATE_KEY`, nothing written); the read port that would find the latest itself is
 * `org_structure_versions` by `version_number` descending.
 *
 * @example
 * ```ts
 * await handleOrgVersion({ streamId: versionId, command: publish, metadata: { actor }, loadFacts: orgStructureVersionFactsLoader(definitions, { previousVersionId: v1 }) });
 * ```
 */
export function orgStructureVersionFactsLoader(
  definitions: Pick<IdentityDefinitions, 'orgStructureVersion'>,
  input: { readonly previousVersionId: OrgStructureVersionId | null },
): FactsLoader<OrgStructureVersionState, OrgStructureVersionFacts | undefined> {
  return async (scope) => {
    if (input.previousVersionId === null) return { latest: null };
    const previous = (
      await scope.aggregate(definitions.orgStructureVersion).load(input.previousVersionId as string as Uuid)
    ).state;
    if (previous.status === 'absent') return undefined;
    return { latest: { versionNumber: previous.versionNumber, effectiveFrom: previous.effectiveFrom } };
  };
}
