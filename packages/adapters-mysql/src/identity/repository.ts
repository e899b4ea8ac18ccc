import { type Identity, type Instant, parseInput, type UnitOfWorkScope } from '@pet-ops/core';
import {
  type AnyStateTable,
  decodeColumn,
  employeesTable,
  orgStructureVersionsTable,
  sqlScopeOf,
  teamMembershipsTable,
  teamsTable,
} from '@pet-ops/sql';
import type { RowDataPacket } from 'mysql2/promise';
import { instantToSql } from '../internal/datetime.js';
import { idIn, instantIn, type Row } from '../internal/row-values.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { tablePrefixSchema } from '../prefix.js';
import { mysqlScopeQuery } from '../unit-of-work/unit-of-work.js';

type Employee = Exclude<Identity.EmployeeState, { status: 'absent' }>;
type Team = Exclude<Identity.TeamState, { status: 'absent' }>;
type Membership = Exclude<Identity.TeamMembershipState, { status: 'absent' }>;

/** Longest manager or parent chain followed (a guard: the deciders keep the chains acyclic). */
const MAX_CHAIN = 1000;

/**
 * Reads of the identity tables and the facts the identity deciders need, inside a MySQL unit of work
 * (every method takes the `scope` of `createMysqlUnitOfWork(…).run`); rows are read back through the
 * tables `@pet-ops/sql` declares. The facts methods take the command
 * and the loaded state and return exactly what the decider reads, so a host wires them as
 * `loadFacts: (scope, loaded) => identity.employeeFacts(scope, command, loaded.state)`.
 */
export interface IdentityRepository {
  /** The employee with this id, or null. */
  employeeById(scope: UnitOfWorkScope, id: Identity.EmployeeId): Promise<Employee | null>;
  /** By e-mail (trimmed, lower-cased first). */
  employeeByEmail(scope: UnitOfWorkScope, email: string): Promise<Employee | null>;
  /** The employee linked to this host-application user id, or null. */
  employeeByHostUserId(scope: UnitOfWorkScope, hostUserId: string): Promise<Employee | null>;
  /** The team with this id, or null. */
  teamById(scope: UnitOfWorkScope, id: Identity.TeamId): Promise<Team | null>;
  /** Active teams directly under `parentId` (`null`: the active root teams), by name. */
  activeChildTeams(scope: UnitOfWorkScope, parentId: Identity.TeamId | null): Promise<Team[]>;
  /** A team's memberships (open first, then history), or only the open ones. */
  membershipsOfTeam(
    scope: UnitOfWorkScope,
    teamId: Identity.TeamId,
    openOnly?: boolean,
  ): Promise<Membership[]>;
  /** An employee's memberships (open first, then history), or only the open ones. */
  membershipsOfEmployee(
    scope: UnitOfWorkScope,
    employeeId: Identity.EmployeeId,
    openOnly?: boolean,
  ): Promise<Membership[]>;
  /** The org structure version in effect at `at` (the latest with `effective_from ≤ at`), or null. */
  orgStructureAsOf(scope: UnitOfWorkScope, at: Instant): Promise<Identity.PublishedOrgVersion | null>;
  /** Every published version, oldest first. */
  orgStructureVersions(scope: UnitOfWorkScope): Promise<Identity.PublishedOrgVersion[]>;
  /** What the employee decider needs for `command` from other rows (e.g. the manager's status). */
  employeeFacts(
    scope: UnitOfWorkScope,
    command: Identity.EmployeeCommand,
    state: Identity.EmployeeState,
  ): Promise<Identity.EmployeeFacts>;
  /** What the team decider needs for `command` (parent, sibling names, members' status, active children). */
  teamFacts(
    scope: UnitOfWorkScope,
    command: Identity.TeamCommand,
    state: Identity.TeamState,
  ): Promise<Identity.TeamFacts>;
  /** What an `add` needs (the team, the employee, their open memberships); undefined for other commands or when either is missing. */
  membershipFacts(
    scope: UnitOfWorkScope,
    command: Identity.TeamMembershipCommand,
  ): Promise<Identity.TeamMembershipFacts | undefined>;
  /** The latest published org structure version (number and effective date) a new version must follow. */
  orgStructureVersionFacts(scope: UnitOfWorkScope): Promise<Identity.OrgStructureVersionFacts>;
}

/**
 * The identity repository for tables under `prefix`.
 *
 * @example
 * ```ts
 * const identity = createIdentityRepository('wp_pet_');
 * const handle = createCommandHandler(runtime, employeeBinding);
 * await handle({
 *   streamId: id,
 *   command,
 *   loadFacts: (scope, loaded) => identity.employeeFacts(scope, command, loaded.state),
 *   metadata: { actor },
 * });
 * ```
 */
export function createIdentityRepository(prefix: string): IdentityRepository {
  const p = parseInput(tablePrefixSchema, prefix, 'table prefix');
  const t = (name: string): string => `\`${p}${name}\``;
  const rows = (scope: UnitOfWorkScope, sql: string, values: readonly unknown[]): Promise<Row[]> =>
    mysqlScopeQuery(scope)<RowDataPacket[]>(sql, values);
  /** A stored row → the state, by the table the seam declares (its columns decoded by the dialect's codecs). */
  const decodeWith =
    <S>(table: AnyStateTable) =>
    (scope: UnitOfWorkScope, r: Row): S => {
      const codecs = sqlScopeOf(scope).dialect.codecs;
      const logical: Record<string, unknown> = {};
      for (const [column, spec] of Object.entries(table.columns)) {
        logical[column] = decodeColumn(codecs, spec, r[column]);
      }
      return table.fromRow(logical, String(codecs.decodeId(r['id']))) as S;
    };
  const employee = decodeWith<Employee>(employeesTable as AnyStateTable);
  const team = decodeWith<Team>(teamsTable as AnyStateTable);
  const membership = decodeWith<Membership>(teamMembershipsTable as AnyStateTable);
  const org = decodeWith<Identity.PublishedOrgVersion>(orgStructureVersionsTable as AnyStateTable);

  async function one<S>(
    scope: UnitOfWorkScope,
    table: string,
    column: string,
    value: unknown,
    decode: (scope: UnitOfWorkScope, r: Row) => S,
  ): Promise<S | null> {
    const found = await rows(scope, `SELECT * FROM ${t(table)} WHERE \`${column}\` = ? LIMIT 1`, [value]);
    return found[0] === undefined ? null : decode(scope, found[0]);
  }

  /** Follows `column` (manager_id / parent_team_id) upwards from `start`, nearest first. */
  async function chain<T extends string>(
    scope: UnitOfWorkScope,
    table: string,
    column: string,
    start: string,
  ): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>([start]);
    let current: string | null = start;
    while (current !== null && out.length < MAX_CHAIN) {
      const found = await rows(scope, `SELECT \`${column}\` AS up FROM ${t(table)} WHERE id = ?`, [
        uuidToBytes(current),
      ]);
      const up = found[0]?.['up'];
      if (up === null || up === undefined) break;
      const next = idIn<T>(up);
      if (seen.has(next)) break;
      seen.add(next);
      out.push(next);
      current = next;
    }
    return out;
  }

  const ids = async <T extends string>(
    scope: UnitOfWorkScope,
    sql: string,
    values: unknown[],
  ): Promise<T[]> => (await rows(scope, sql, values)).map((r) => idIn<T>(r['id']));

  const repository: IdentityRepository = {
    employeeById: (scope, id) => one(scope, 'employees', 'id', uuidToBytes(id), employee),
    employeeByEmail: (scope, email) => one(scope, 'employees', 'email', email.trim().toLowerCase(), employee),
    employeeByHostUserId: (scope, hostUserId) =>
      one(scope, 'employees', 'host_user_id', hostUserId, employee),
    teamById: (scope, id) => one(scope, 'teams', 'id', uuidToBytes(id), team),
    activeChildTeams: async (scope, parentId) =>
      (
        await rows(
          scope,
          parentId === null
            ? `SELECT * FROM ${t('teams')} WHERE parent_team_id IS NULL AND state = 'active' ORDER BY name`
            : `SELECT * FROM ${t('teams')} WHERE parent_team_id = ? AND state = 'active' ORDER BY name`,
          parentId === null ? [] : [uuidToBytes(parentId)],
        )
      ).map((r) => team(scope, r)),
    membershipsOfTeam: async (scope, teamId, openOnly = false) =>
      (
        await rows(
          scope,
          `SELECT * FROM ${t('team_memberships')} WHERE team_id = ?${openOnly ? " AND state = 'open'" : ''} ORDER BY state = 'open' DESC, assigned_at, id`,
          [uuidToBytes(teamId)],
        )
      ).map((r) => membership(scope, r)),
    membershipsOfEmployee: async (scope, employeeId, openOnly = false) =>
      (
        await rows(
          scope,
          `SELECT * FROM ${t('team_memberships')} WHERE employee_id = ?${openOnly ? " AND state = 'open'" : ''} ORDER BY state = 'open' DESC, assigned_at, id`,
          [uuidToBytes(employeeId)],
        )
      ).map((r) => membership(scope, r)),
    orgStructureAsOf: async (scope, at) => {
      const found = await rows(
        scope,
        `SELECT * FROM ${t('org_structure_versions')} WHERE effective_from <= ? ORDER BY effective_from DESC LIMIT 1`,
        [instantToSql(at)],
      );
      return found[0] === undefined ? null : org(scope, found[0]);
    },
    orgStructureVersions: async (scope) =>
      (await rows(scope, `SELECT * FROM ${t('org_structure_versions')} ORDER BY version_number`, [])).map(
        (r) => org(scope, r),
      ),

    async employeeFacts(scope, command, state) {
      const managerId =
        command.type === 'create'
          ? command.managerId
          : command.type === 'update'
            ? (command.changes.managerId ?? null)
            : null;
      const facts: { manager?: Identity.ManagerFact; dependants?: Identity.EmployeeDependants } = {};
      if (managerId !== null) {
        const manager = await repository.employeeById(scope, managerId);
        if (manager !== null) {
          facts.manager = {
            employeeId: managerId,
            status: manager.status,
            managerChain: await chain<Identity.EmployeeId>(scope, 'employees', 'manager_id', managerId),
          };
        }
      }
      if ((command.type === 'deactivate' || command.type === 'archive') && state.status !== 'absent') {
        const key = uuidToBytes(state.employeeId);
        facts.dependants = {
          directReportIds: await ids(
            scope,
            `SELECT id FROM ${t('employees')} WHERE manager_id = ? AND state <> 'archived' ORDER BY id`,
            [key],
          ),
          managedTeamIds: await ids(
            scope,
            `SELECT id FROM ${t('teams')} WHERE state = 'active' AND (manager_id = ? OR escalation_manager_id = ?) ORDER BY id`,
            [key, key],
          ),
          openMembershipIds: await ids(
            scope,
            `SELECT id FROM ${t('team_memberships')} WHERE employee_id = ? AND state = 'open' ORDER BY id`,
            [key],
          ),
        };
      }
      return facts;
    },

    async teamFacts(scope, command, state) {
      const facts: {
        parent?: Identity.TeamParentFact;
        siblingNames?: readonly string[];
        employees?: readonly Identity.EmployeeStatusFact[];
        activeChildTeamIds?: readonly Identity.TeamId[];
      } = {};
      const self =
        command.type === 'create' ? command.teamId : state.status === 'absent' ? null : state.teamId;
      if (command.type === 'archive') {
        if (self !== null) {
          facts.activeChildTeamIds = await ids(
            scope,
            `SELECT id FROM ${t('teams')} WHERE parent_team_id = ? AND state = 'active' ORDER BY id`,
            [uuidToBytes(self)],
          );
        }
        return facts;
      }
      const proposal = command.type === 'create' ? command : command.changes;
      const current = state.status === 'absent' ? null : state;
      const parentId =
        proposal.parentTeamId !== undefined ? proposal.parentTeamId : (current?.parentTeamId ?? null);
      if (proposal.parentTeamId !== undefined && proposal.parentTeamId !== null) {
        const parent = await repository.teamById(scope, proposal.parentTeamId);
        if (parent !== null) {
          facts.parent = {
            teamId: parent.teamId,
            status: parent.status,
            ancestorIds: await chain<Identity.TeamId>(scope, 'teams', 'parent_team_id', parent.teamId),
          };
        }
      }
      if (command.type === 'create' || proposal.name !== undefined || proposal.parentTeamId !== undefined) {
        facts.siblingNames = (await repository.activeChildTeams(scope, parentId))
          .filter((s) => s.teamId !== self)
          .map((s) => s.name);
      }
      const people = [proposal.managerId, proposal.escalationManagerId].filter(
        (id): id is Identity.EmployeeId => id !== undefined && id !== null,
      );
      if (people.length > 0) {
        const found: Identity.EmployeeStatusFact[] = [];
        for (const id of new Set(people)) {
          const e = await repository.employeeById(scope, id);
          if (e !== null) found.push({ employeeId: id, status: e.status });
        }
        facts.employees = found;
      }
      return facts;
    },

    async membershipFacts(scope, command) {
      if (command.type !== 'add') return undefined;
      const [team, employee] = [
        await repository.teamById(scope, command.teamId),
        await repository.employeeById(scope, command.employeeId),
      ];
      if (team === null || employee === null) return undefined;
      return {
        team: { teamId: command.teamId, status: team.status },
        employee: { employeeId: command.employeeId, status: employee.status },
        openMembershipIds: await ids(
          scope,
          `SELECT id FROM ${t('team_memberships')} WHERE team_id = ? AND employee_id = ? AND state = 'open' ORDER BY id`,
          [uuidToBytes(command.teamId), uuidToBytes(command.employeeId)],
        ),
      };
    },

    async orgStructureVersionFacts(scope) {
      const found = await rows(
        scope,
        `SELECT version_number, effective_from FROM ${t('org_structure_versions')} ORDER BY version_number DESC LIMIT 1`,
        [],
      );
      const r = found[0];
      return {
        latest:
          r === undefined
            ? null
            : {
                versionNumber: Number(r['version_number']),
                effectiveFrom: instantIn(r['effective_from']),
              },
      };
    },
  };
  return repository;
}
