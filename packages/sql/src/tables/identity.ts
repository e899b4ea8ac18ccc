import type { Identity, Instant } from '@pet-ops/core';
import { defineStateTable, type StateTable } from '../state-table.js';

const employeeColumns = {
  state: { type: 'enum' },
  first_name: { type: 'text' },
  last_name: { type: 'text' },
  email: { type: 'text' },
  host_user_id: { type: 'text', nullable: true },
  manager_id: { type: 'id', nullable: true },
  hire_date: { type: 'text', nullable: true },
  deactivated_at: { type: 'instant', nullable: true },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `employee` aggregate's state table, `<prefix>employees`, declared once for every database (the
 * e-mail and the host's user id are unique keys in the database).
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: [employeesTable] });
 * await uow.run((scope) => scope.aggregate(aggregateOf(employeesTable)).load(employeeId));
 * ```
 */
export const employeesTable: StateTable<Identity.EmployeeState, typeof employeeColumns> = defineStateTable({
  streamType: 'employee',
  table: 'employees',
  columns: employeeColumns,
  initialState: (): Identity.EmployeeState => ({ status: 'absent' }),
  toRow: (s) => {
    // An absent aggregate is never saved: saving needs events, and every event makes it present.
    if (s.status === 'absent') throw new TypeError('employeesTable.toRow: an absent employee has no row');
    return {
      state: s.status,
      first_name: s.firstName,
      last_name: s.lastName,
      email: s.email,
      host_user_id: s.hostUserId,
      manager_id: s.managerId,
      hire_date: s.hireDate,
      deactivated_at: s.status === 'active' ? null : s.deactivatedAt,
      archived_at: s.status === 'archived' ? s.archivedAt : null,
    };
  },
  fromRow: (r, id) => {
    const details = {
      employeeId: id as Identity.EmployeeId,
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email,
      hostUserId: r.host_user_id,
      managerId: r.manager_id as Identity.EmployeeId | null,
      hireDate: r.hire_date as Identity.IsoDate | null,
    };
    switch (r.state) {
      case 'archived':
        return {
          ...details,
          status: 'archived',
          deactivatedAt: r.deactivated_at as Instant,
          archivedAt: r.archived_at as Instant,
        };
      case 'inactive':
        return { ...details, status: 'inactive', deactivatedAt: r.deactivated_at as Instant };
      default:
        return { ...details, status: 'active' };
    }
  },
});

const teamColumns = {
  state: { type: 'enum' },
  name: { type: 'text' },
  parent_team_id: { type: 'id', nullable: true },
  manager_id: { type: 'id', nullable: true },
  escalation_manager_id: { type: 'id', nullable: true },
  visual_kind: { type: 'enum', nullable: true },
  visual_ref: { type: 'text', nullable: true },
  visual_version: { type: 'int' },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `team` aggregate's state table, `<prefix>teams`: the visual as kind + ref columns (both null when
 * the team has none), `visual_version` counting its changes.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(teamsTable)).load(teamId));
 * ```
 */
export const teamsTable: StateTable<Identity.TeamState, typeof teamColumns> = defineStateTable({
  streamType: 'team',
  table: 'teams',
  columns: teamColumns,
  initialState: (): Identity.TeamState => ({ status: 'absent' }),
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('teamsTable.toRow: an absent team has no row');
    return {
      state: s.status,
      name: s.name,
      parent_team_id: s.parentTeamId,
      manager_id: s.managerId,
      escalation_manager_id: s.escalationManagerId,
      visual_kind: s.visual?.kind ?? null,
      visual_ref: s.visual?.ref ?? null,
      visual_version: s.visualVersion,
      archived_at: s.status === 'archived' ? s.archivedAt : null,
    };
  },
  fromRow: (r, id) => {
    const details: Identity.TeamDetails = {
      teamId: id as Identity.TeamId,
      name: r.name,
      parentTeamId: r.parent_team_id as Identity.TeamId | null,
      managerId: r.manager_id as Identity.EmployeeId | null,
      escalationManagerId: r.escalation_manager_id as Identity.EmployeeId | null,
      visual:
        r.visual_kind === null
          ? null
          : { kind: r.visual_kind as Identity.TeamVisual['kind'], ref: r.visual_ref ?? '' },
      visualVersion: r.visual_version,
    };
    return r.state === 'archived'
      ? { ...details, status: 'archived', archivedAt: r.archived_at as Instant }
      : { ...details, status: 'active' };
  },
});

const membershipColumns = {
  state: { type: 'enum' },
  team_id: { type: 'id' },
  employee_id: { type: 'id' },
  role: { type: 'enum' },
  assigned_at: { type: 'instant' },
  removed_at: { type: 'instant', nullable: true },
  open_marker: { type: 'bool', nullable: true },
} as const;

/**
 * The `team_membership` aggregate's state table, `<prefix>team_memberships`; closed rows are the
 * history. `open_marker` is `true` while the membership is open and `NULL` once it is closed, so the
 * database's `uq_open_membership (team_id, employee_id, open_marker)` allows one open membership per
 * team and employee on every database (a UNIQUE key ignores rows with a NULL part).
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(teamMembershipsTable)).load(membershipId));
 * ```
 */
export const teamMembershipsTable: StateTable<Identity.TeamMembershipState, typeof membershipColumns> =
  defineStateTable({
    streamType: 'team_membership',
    table: 'team_memberships',
    columns: membershipColumns,
    initialState: (): Identity.TeamMembershipState => ({ status: 'absent' }),
    toRow: (s) => {
      if (s.status === 'absent')
        throw new TypeError('teamMembershipsTable.toRow: an absent membership has no row');
      return {
        state: s.status,
        team_id: s.teamId,
        employee_id: s.employeeId,
        role: s.role,
        assigned_at: s.assignedAt,
        removed_at: s.status === 'closed' ? s.removedAt : null,
        open_marker: s.status === 'open' ? true : null,
      };
    },
    fromRow: (r, id) => {
      const details: Identity.MembershipDetails = {
        membershipId: id as Identity.TeamMembershipId,
        teamId: r.team_id as Identity.TeamId,
        employeeId: r.employee_id as Identity.EmployeeId,
        role: r.role as Identity.MembershipRole,
        assignedAt: r.assigned_at as Instant,
      };
      return r.state === 'closed'
        ? { ...details, status: 'closed', removedAt: r.removed_at as Instant }
        : { ...details, status: 'open' };
    },
  });

const orgVersionColumns = {
  state: { type: 'enum' },
  version_number: { type: 'int' },
  effective_from: { type: 'instant' },
  published_at: { type: 'instant' },
  structure: { type: 'json' },
} as const;

/**
 * The `org_structure_version` aggregate's state table, `<prefix>org_structure_versions`: one row per
 * published version, inserted once (a version's stream holds one event) and never updated; the
 * database refuses UPDATE and DELETE of it. `uq_version_number` and `uq_effective_from` keep numbers and
 * starts distinct.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(orgStructureVersionsTable)).load(versionId));
 * ```
 */
export const orgStructureVersionsTable: StateTable<
  Identity.OrgStructureVersionState,
  typeof orgVersionColumns
> = defineStateTable({
  streamType: 'org_structure_version',
  table: 'org_structure_versions',
  columns: orgVersionColumns,
  initialState: (): Identity.OrgStructureVersionState => ({ status: 'absent' }),
  toRow: (s) => {
    if (s.status === 'absent')
      throw new TypeError('orgStructureVersionsTable.toRow: an absent version has no row');
    return {
      state: s.status,
      version_number: s.versionNumber,
      effective_from: s.effectiveFrom,
      published_at: s.publishedAt,
      structure: s.structure,
    };
  },
  fromRow: (r, id) => ({
    status: 'published',
    versionId: id as Identity.OrgStructureVersionId,
    versionNumber: r.version_number,
    effectiveFrom: r.effective_from as Instant,
    publishedAt: r.published_at as Instant,
    structure: r.structure as Identity.OrgStructure,
  }),
});
