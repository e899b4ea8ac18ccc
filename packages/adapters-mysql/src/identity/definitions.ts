// Internal: the older identity row mapping, kept only while crm/fixtures.test.ts and crm/definitions.unit.test.ts
// still import it. The exported identity names are the seam's (bindings.ts); nothing else uses this file.
import type { AggregateDefinition, Identity } from '@pet-ops/core';
import {
  idIn,
  idInOrNull,
  idOut,
  instantIn,
  instantInOrNull,
  instantOut,
  jsonIn,
  type Row,
  textIn,
  textInOrNull,
} from '../internal/row-values.js';

/**
 * Logical state-table names of the identity aggregates, by stream type (prefixed at run time).
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix: 'wp_pet_', tables: IDENTITY_STATE_TABLES });
 * ```
 */
export const IDENTITY_STATE_TABLES: Readonly<
  Record<'employee' | 'team' | 'team_membership' | 'org_structure_version', string>
> = {
  employee: 'employees',
  team: 'teams',
  team_membership: 'team_memberships',
  org_structure_version: 'org_structure_versions',
};

/**
 * The `employee` aggregate on `<prefix>employees` (e-mail and host user id unique).
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix, tables: IDENTITY_STATE_TABLES });
 * await uow.run((scope) => scope.aggregate(employeeDefinition).load(employeeId));
 * ```
 */
export const employeeDefinition: AggregateDefinition<Identity.EmployeeState> = {
  streamType: 'employee',
  initialState: () => ({ status: 'absent' }),
  encode: (s) => {
    // An absent aggregate is never saved (saving needs events, and every event makes it present).
    if (s.status === 'absent') return {};
    return {
      id: s.employeeId,
      state: s.status,
      first_name: s.firstName,
      last_name: s.lastName,
      email: s.email,
      host_user_id: s.hostUserId,
      manager_id: idOut(s.managerId),
      hire_date: s.hireDate,
      deactivated_at: instantOut(s.status === 'active' ? null : s.deactivatedAt),
      archived_at: instantOut(s.status === 'archived' ? s.archivedAt : null),
    };
  },
  decode: (stored) => {
    const r = stored as Row;
    const details = {
      employeeId: idIn<Identity.EmployeeId>(r['id']),
      firstName: textIn(r['first_name']),
      lastName: textIn(r['last_name']),
      email: textIn(r['email']),
      hostUserId: textInOrNull(r['host_user_id']),
      managerId: idInOrNull<Identity.EmployeeId>(r['manager_id']),
      hireDate: textInOrNull<Identity.IsoDate>(r['hire_date']),
    };
    switch (r['state']) {
      case 'archived':
        return {
          ...details,
          status: 'archived',
          deactivatedAt: instantIn(r['deactivated_at']),
          archivedAt: instantIn(r['archived_at']),
        };
      case 'inactive':
        return { ...details, status: 'inactive', deactivatedAt: instantIn(r['deactivated_at']) };
      default:
        return { ...details, status: 'active' };
    }
  },
};

/**
 * The `team` aggregate on `<prefix>teams` (the visual as kind + ref columns).
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(teamDefinition).load(teamId);
 * ```
 */
export const teamDefinition: AggregateDefinition<Identity.TeamState> = {
  streamType: 'team',
  initialState: () => ({ status: 'absent' }),
  encode: (s) => {
    if (s.status === 'absent') return {};
    return {
      id: s.teamId,
      state: s.status,
      name: s.name,
      parent_team_id: idOut(s.parentTeamId),
      manager_id: idOut(s.managerId),
      escalation_manager_id: idOut(s.escalationManagerId),
      visual_kind: s.visual?.kind ?? null,
      visual_ref: s.visual?.ref ?? null,
      visual_version: s.visualVersion,
      archived_at: instantOut(s.status === 'archived' ? s.archivedAt : null),
    };
  },
  decode: (stored) => {
    const r = stored as Row;
    const kind = textInOrNull<'system' | 'upload'>(r['visual_kind']);
    const details = {
      teamId: idIn<Identity.TeamId>(r['id']),
      name: textIn(r['name']),
      parentTeamId: idInOrNull<Identity.TeamId>(r['parent_team_id']),
      managerId: idInOrNull<Identity.EmployeeId>(r['manager_id']),
      escalationManagerId: idInOrNull<Identity.EmployeeId>(r['escalation_manager_id']),
      visual: kind === null ? null : { kind, ref: textIn(r['visual_ref']) },
      visualVersion: Number(r['visual_version']),
    };
    return r['state'] === 'archived'
      ? { ...details, status: 'archived', archivedAt: instantIn(r['archived_at']) }
      : { ...details, status: 'active' };
  },
};

/**
 * The `team_membership` aggregate on `<prefix>team_memberships`. `open_marker` is `1` while open and
 * `NULL` once closed, so `uq_open_membership` allows one open membership per team and employee.
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(teamMembershipDefinition).load(membershipId);
 * ```
 */
export const teamMembershipDefinition: AggregateDefinition<Identity.TeamMembershipState> = {
  streamType: 'team_membership',
  initialState: () => ({ status: 'absent' }),
  encode: (s) => {
    if (s.status === 'absent') return {};
    return {
      id: s.membershipId,
      state: s.status,
      team_id: idOut(s.teamId),
      employee_id: idOut(s.employeeId),
      role: s.role,
      assigned_at: instantOut(s.assignedAt),
      removed_at: instantOut(s.status === 'closed' ? s.removedAt : null),
      open_marker: s.status === 'open' ? 1 : null,
    };
  },
  decode: (stored) => {
    const r = stored as Row;
    const details = {
      membershipId: idIn<Identity.TeamMembershipId>(r['id']),
      teamId: idIn<Identity.TeamId>(r['team_id']),
      employeeId: idIn<Identity.EmployeeId>(r['employee_id']),
      role: textIn<Identity.MembershipRole>(r['role']),
      assignedAt: instantIn(r['assigned_at']),
    };
    const removedAt = instantInOrNull(r['removed_at']);
    return r['state'] === 'closed' && removedAt !== null
      ? { ...details, status: 'closed', removedAt }
      : { ...details, status: 'open' };
  },
};

/**
 * The `org_structure_version` aggregate on the append-only `<prefix>org_structure_versions`: one row
 * per published version, written once (the table's guards refuse UPDATE and DELETE).
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(orgStructureVersionDefinition).load(versionId);
 * ```
 */
export const orgStructureVersionDefinition: AggregateDefinition<Identity.OrgStructureVersionState> = {
  streamType: 'org_structure_version',
  initialState: () => ({ status: 'absent' }),
  encode: (s) => {
    if (s.status === 'absent') return {};
    return {
      id: s.versionId,
      state: s.status,
      version_number: s.versionNumber,
      effective_from: instantOut(s.effectiveFrom),
      published_at: instantOut(s.publishedAt),
      structure: s.structure,
    };
  },
  decode: (stored) => {
    const r = stored as Row;
    return {
      status: 'published',
      versionId: idIn<Identity.OrgStructureVersionId>(r['id']),
      versionNumber: Number(r['version_number']),
      effectiveFrom: instantIn(r['effective_from']),
      publishedAt: instantIn(r['published_at']),
      structure: jsonIn<Identity.OrgStructure>(r['structure']),
    };
  },
};
