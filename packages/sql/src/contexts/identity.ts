import { type AggregateBinding, type FactsLoader, Identity } from '@pet-ops/core';
import { aggregateOf } from '../state-table.js';
import {
  employeesTable,
  orgStructureVersionsTable,
  teamMembershipsTable,
  teamsTable,
} from '../tables/identity.js';

/** The identity context's aggregates as the command handler drives them, on the seam's state tables. */
export interface IdentityBindings {
  /** `employee` on `<prefix>employees`; facts from {@link IdentityBindings.employeeFacts}. */
  readonly employee: AggregateBinding<
    Identity.EmployeeState,
    Identity.EmployeeCommand,
    Identity.EmployeeEvent,
    Identity.EmployeeFacts | undefined,
    Identity.EmployeeRejection
  >;
  /** `team` on `<prefix>teams`; facts from {@link IdentityBindings.teamFacts}. */
  readonly team: AggregateBinding<
    Identity.TeamState,
    Identity.TeamCommand,
    Identity.TeamEvent,
    Identity.TeamFacts | undefined,
    Identity.TeamRejection
  >;
  /** `team_membership` on `<prefix>team_memberships`; facts from {@link IdentityBindings.teamMembershipFacts}. */
  readonly teamMembership: AggregateBinding<
    Identity.TeamMembershipState,
    Identity.TeamMembershipCommand,
    Identity.TeamMembershipEvent,
    Identity.TeamMembershipFacts | undefined,
    Identity.TeamMembershipRejection
  >;
  /** `org_structure_version` on the append-only `<prefix>org_structure_versions`; facts from {@link IdentityBindings.orgStructureVersionFacts}. */
  readonly orgStructureVersion: AggregateBinding<
    Identity.OrgStructureVersionState,
    Identity.OrgStructureVersionCommand,
    Identity.OrgStructureVersionEvent,
    Identity.OrgStructureVersionFacts | undefined,
    Identity.OrgStructureVersionRejection
  >;
  /** The definitions of the four aggregates, for the core's loaders and reads (`Identity.IdentityDefinitions`). */
  readonly definitions: Identity.IdentityDefinitions;
  /** `Identity.employeeFactsLoader` on these tables: the manager and its chain; the dependants among `known`. */
  employeeFacts(
    command: Identity.EmployeeCommand,
    known?: Identity.KnownDependants,
  ): FactsLoader<Identity.EmployeeState, Identity.EmployeeFacts | undefined>;
  /** `Identity.teamFactsLoader` on these tables: parent and ancestors, managers' statuses; siblings and sub-teams among `known`. */
  teamFacts(
    command: Identity.TeamCommand,
    known?: Identity.KnownTeams,
  ): FactsLoader<Identity.TeamState, Identity.TeamFacts | undefined>;
  /** `Identity.teamMembershipFactsLoader` on these tables: team, employee, and the pair's open memberships among `known`. */
  teamMembershipFacts(
    command: Identity.TeamMembershipCommand,
    known?: Identity.KnownMemberships,
  ): FactsLoader<Identity.TeamMembershipState, Identity.TeamMembershipFacts | undefined>;
  /** `Identity.orgStructureVersionFactsLoader` on these tables: the latest version, named by the caller. */
  orgStructureVersionFacts(input: {
    readonly previousVersionId: Identity.OrgStructureVersionId | null;
  }): FactsLoader<Identity.OrgStructureVersionState, Identity.OrgStructureVersionFacts | undefined>;
}

const definitions: Identity.IdentityDefinitions = Object.freeze({
  employee: aggregateOf(employeesTable),
  team: aggregateOf(teamsTable),
  teamMembership: aggregateOf(teamMembershipsTable),
  orgStructureVersion: aggregateOf(orgStructureVersionsTable),
});

/**
 * The identity context on the seam: bindings for `createCommandHandler` (one call shape for every
 * context) with the core's deciders, and the core's facts loaders bound to the declared tables. Facts
 * over many rows (direct reports, sibling teams, open memberships) come from the rows the caller names
 * in `known` until the seam has a read port (see `Identity.employeeFactsLoader`).
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
 * const handleTeam = createCommandHandler({ unitOfWork: uow, registry, clock, ids }, identityBindings.team);
 * const command = { type: 'create', teamId, name: 'Delivery', parentTeamId: null, managerId, escalationManagerId: null, visual: null } as const;
 * await handleTeam({
 *   streamId: teamId,
 *   command,
 *   metadata: { actor },
 *   loadFacts: identityBindings.teamFacts(command, { teamIds: rootTeamIds }),
 * });
 * ```
 */
export const identityBindings: IdentityBindings = Object.freeze({
  employee: {
    definition: definitions.employee,
    decider: Identity.employeeDecider,
    commandSchema: Identity.employeeCommandSchema,
  },
  team: {
    definition: definitions.team,
    decider: Identity.teamDecider,
    commandSchema: Identity.teamCommandSchema,
  },
  teamMembership: {
    definition: definitions.teamMembership,
    decider: Identity.teamMembershipDecider,
    commandSchema: Identity.teamMembershipCommandSchema,
  },
  orgStructureVersion: {
    definition: definitions.orgStructureVersion,
    decider: Identity.orgStructureVersionDecider,
    commandSchema: Identity.orgStructureVersionCommandSchema,
  },
  definitions,
  employeeFacts: (command: Identity.EmployeeCommand, known?: Identity.KnownDependants) =>
    Identity.employeeFactsLoader(definitions, command, known),
  teamFacts: (command: Identity.TeamCommand, known?: Identity.KnownTeams) =>
    Identity.teamFactsLoader(definitions, command, known),
  teamMembershipFacts: (command: Identity.TeamMembershipCommand, known?: Identity.KnownMemberships) =>
    Identity.teamMembershipFactsLoader(definitions, command, known),
  orgStructureVersionFacts: (input: { readonly previousVersionId: Identity.OrgStructureVersionId | null }) =>
    Identity.orgStructureVersionFactsLoader(definitions, input),
});
