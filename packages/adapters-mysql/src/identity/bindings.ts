import { type AggregateBinding, Identity } from '@pet-ops/core';
import {
  employeeDefinition,
  orgStructureVersionDefinition,
  teamDefinition,
  teamMembershipDefinition,
} from './definitions.js';

/** The employee aggregate bound for the command handler. @example `createCommandHandler(runtime, employeeBinding)` */
export const employeeBinding: AggregateBinding<
  Identity.EmployeeState,
  Identity.EmployeeCommand,
  Identity.EmployeeEvent,
  Identity.EmployeeFacts | undefined,
  Identity.EmployeeRejection
> = {
  definition: employeeDefinition,
  decider: Identity.employeeDecider,
  commandSchema: Identity.employeeCommandSchema,
};

/** The team aggregate bound for the command handler. @example `createCommandHandler(runtime, teamBinding)` */
export const teamBinding: AggregateBinding<
  Identity.TeamState,
  Identity.TeamCommand,
  Identity.TeamEvent,
  Identity.TeamFacts | undefined,
  Identity.TeamRejection
> = { definition: teamDefinition, decider: Identity.teamDecider, commandSchema: Identity.teamCommandSchema };

/** The team-membership aggregate bound for the command handler. @example `createCommandHandler(runtime, teamMembershipBinding)` */
export const teamMembershipBinding: AggregateBinding<
  Identity.TeamMembershipState,
  Identity.TeamMembershipCommand,
  Identity.TeamMembershipEvent,
  Identity.TeamMembershipFacts | undefined,
  Identity.TeamMembershipRejection
> = {
  definition: teamMembershipDefinition,
  decider: Identity.teamMembershipDecider,
  commandSchema: Identity.teamMembershipCommandSchema,
};

/** The org-structure-version aggregate bound for the command handler. @example `createCommandHandler(runtime, orgStructureVersionBinding)` */
export const orgStructureVersionBinding: AggregateBinding<
  Identity.OrgStructureVersionState,
  Identity.OrgStructureVersionCommand,
  Identity.OrgStructureVersionEvent,
  Identity.OrgStructureVersionFacts | undefined,
  Identity.OrgStructureVersionRejection
> = {
  definition: orgStructureVersionDefinition,
  decider: Identity.orgStructureVersionDecider,
  commandSchema: Identity.orgStructureVersionCommandSchema,
};
