import { type AggregateBinding, Crm } from '@pet-ops/core';
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
