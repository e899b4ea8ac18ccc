import type { AggregateDefinition, Identity } from '@pet-ops/core';
import {
  employeesTable,
  type IdentityBindings,
  identityBindings,
  orgStructureVersionsTable,
  teamMembershipsTable,
  teamsTable,
} from '@pet-ops/sql';

/**
 * The identity aggregates' state tables by stream type, as `@pet-ops/sql` declares them.
 * `createMysqlUnitOfWork` maps them anyway; passing this as its deprecated `tables` only checks it.
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix: 'wp_pet_', tables: IDENTITY_STATE_TABLES });
 * ```
 */
export const IDENTITY_STATE_TABLES: Readonly<
  Record<'employee' | 'team' | 'team_membership' | 'org_structure_version', string>
> = Object.freeze({
  employee: employeesTable.table,
  team: teamsTable.table,
  team_membership: teamMembershipsTable.table,
  org_structure_version: orgStructureVersionsTable.table,
});

/** The `employee` aggregate on `employees`: `identityBindings.definitions.employee` of `@pet-ops/sql`. @example `await uow.run((scope) => scope.aggregate(employeeDefinition).load(employeeId))` */
export const employeeDefinition: AggregateDefinition<Identity.EmployeeState> =
  identityBindings.definitions.employee;
/** The `team` aggregate on `teams`: `identityBindings.definitions.team` of `@pet-ops/sql`. @example `await uow.run((scope) => scope.aggregate(teamDefinition).load(teamId))` */
export const teamDefinition: AggregateDefinition<Identity.TeamState> = identityBindings.definitions.team;
/** The `team_membership` aggregate on `team_memberships`: `identityBindings.definitions.teamMembership` of `@pet-ops/sql`. @example `await uow.run((scope) => scope.aggregate(teamMembershipDefinition).load(membershipId))` */
export const teamMembershipDefinition: AggregateDefinition<Identity.TeamMembershipState> =
  identityBindings.definitions.teamMembership;
/** The `org_structure_version` aggregate on `org_structure_versions`: `identityBindings.definitions.orgStructureVersion` of `@pet-ops/sql`. @example `await uow.run((scope) => scope.aggregate(orgStructureVersionDefinition).load(versionId))` */
export const orgStructureVersionDefinition: AggregateDefinition<Identity.OrgStructureVersionState> =
  identityBindings.definitions.orgStructureVersion;

/** The employee aggregate bound for the command handler: `identityBindings.employee` of `@pet-ops/sql`. @example `createCommandHandler(runtime, employeeBinding)` */
export const employeeBinding: IdentityBindings['employee'] = identityBindings.employee;
/** The team aggregate bound for the command handler: `identityBindings.team` of `@pet-ops/sql`. @example `createCommandHandler(runtime, teamBinding)` */
export const teamBinding: IdentityBindings['team'] = identityBindings.team;
/** The team-membership aggregate bound for the command handler: `identityBindings.teamMembership` of `@pet-ops/sql`. @example `createCommandHandler(runtime, teamMembershipBinding)` */
export const teamMembershipBinding: IdentityBindings['teamMembership'] = identityBindings.teamMembership;
/** The org-structure-version aggregate bound for the command handler: `identityBindings.orgStructureVersion` of `@pet-ops/sql`. @example `createCommandHandler(runtime, orgStructureVersionBinding)` */
export const orgStructureVersionBinding: IdentityBindings['orgStructureVersion'] =
  identityBindings.orgStructureVersion;
