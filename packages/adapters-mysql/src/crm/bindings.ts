import { type AggregateBinding, Crm, Identity } from '@pet-ops/core';
import {
  employeeDefinition,
  orgStructureVersionDefinition,
  teamDefinition,
  teamMembershipDefinition,
} from '../identity/definitions.js';
import { companyDefinition, companySlotDefinition, personDefinition } from './definitions.js';

/**
 * The company aggregate bound for `createCommandHandler` / `runWorkflow` on MySQL (definition, decider,
 * command schema).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, companyBinding);
 * await handle({ streamId: companyId, command: { type: 'archive', at }, metadata: { actor } });
 * ```
 */
export const companyBinding: AggregateBinding<
  Crm.CompanyState,
  Crm.CompanyCommand,
  Crm.CompanyEvent,
  undefined,
  Crm.CompanyRejection
> = { definition: companyDefinition, decider: Crm.companyDecider, commandSchema: Crm.companyCommandSchema };

/** The company-slot aggregate bound for the command handler. @example `createCommandHandler(runtime, companySlotBinding)` */
export const companySlotBinding: AggregateBinding<
  Crm.CompanySlotState,
  Crm.CompanySlotCommand,
  Crm.CompanySlotEvent,
  Crm.CompanySlotFacts | undefined,
  Crm.CompanySlotRejection
> = {
  definition: companySlotDefinition,
  decider: Crm.companySlotDecider,
  commandSchema: Crm.companySlotCommandSchema,
};

/** The person aggregate bound for the command handler. @example `createCommandHandler(runtime, personBinding)` */
export const personBinding: AggregateBinding<
  Crm.PersonState,
  Crm.PersonCommand,
  Crm.PersonEvent,
  Crm.PersonFacts | undefined,
  Crm.PersonRejection
> = { definition: personDefinition, decider: Crm.personDecider, commandSchema: Crm.personCommandSchema };

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
