import type {
  AggregateDefinition,
  CommandMetadata,
  CommandOutcome,
  CommandRuntime,
  Commercial,
  Result,
  WorkflowOutcome,
} from '@pet-ops/core';
import {
  type CommercialBindings,
  commercialBindings,
  type OpportunityRequest,
  type OpportunityWorkflowRejection,
  changeOpportunity as seamChangeOpportunity,
} from '@pet-ops/sql';

export {
  changeLead,
  changeQualification,
  type LeadRequest,
  type OpportunityRequest,
  type OpportunityWorkflowRejection,
  type QualificationRequest,
  type QualificationWorkflowRejection,
  type QualificationWorkflowResult,
} from '@pet-ops/sql';

/**
 * The `lead` aggregate on `leads`: `commercialBindings.lead.definition` of `@pet-ops/sql` (the table declared
 * once; the stream id always reaches its `fromRow`, so the id argument is no longer needed).
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(leadAggregate(leadId)).load(leadId);
 * ```
 */
export function leadAggregate(_leadId?: Commercial.LeadId): AggregateDefinition<Commercial.LeadState> {
  return commercialBindings.lead.definition;
}

/**
 * The lead command binding: `commercialBindings.lead` of `@pet-ops/sql` (every event carries
 * `context.customerId` once the lead has a customer).
 *
 * @example
 * ```ts
 * await workflow.execute(leadBinding(leadId), { streamId: leadId, command: { type: 'archive' } });
 * ```
 */
export function leadBinding(_leadId?: Commercial.LeadId): CommercialBindings['lead'] {
  return commercialBindings.lead;
}

/**
 * The `qualification` aggregate on `qualifications`: `commercialBindings.qualification.definition` of
 * `@pet-ops/sql`.
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(qualificationAggregate(id)).load(id);
 * ```
 */
export function qualificationAggregate(
  _qualificationId?: Commercial.QualificationId,
): AggregateDefinition<Commercial.QualificationState> {
  return commercialBindings.qualification.definition;
}

/**
 * The qualification command binding: `commercialBindings.qualification` of `@pet-ops/sql`.
 *
 * @example
 * ```ts
 * await workflow.execute(qualificationBinding(id), { streamId: id, command: { type: 'archive' } });
 * ```
 */
export function qualificationBinding(
  _qualificationId?: Commercial.QualificationId,
): CommercialBindings['qualification'] {
  return commercialBindings.qualification;
}

/**
 * The `opportunity` aggregate on `opportunities`: `commercialBindings.opportunity.definition` of
 * `@pet-ops/sql`.
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(opportunityAggregate(id)).load(id);
 * ```
 */
export function opportunityAggregate(
  _opportunityId?: Commercial.OpportunityId,
): AggregateDefinition<Commercial.OpportunityState> {
  return commercialBindings.opportunity.definition;
}

/**
 * The opportunity command binding: `commercialBindings.opportunity` of `@pet-ops/sql` (every event carries
 * `context.customerId`). `create` needs facts: run it through {@link changeOpportunity}.
 *
 * @example
 * ```ts
 * await workflow.execute(opportunityBinding(id), { streamId: id, command: { type: 'win', quoteId } });
 * ```
 */
export function opportunityBinding(
  _opportunityId?: Commercial.OpportunityId,
): CommercialBindings['opportunity'] {
  return commercialBindings.opportunity;
}

type OpportunityOutcome = Promise<
  Result<WorkflowOutcome<CommandOutcome<Commercial.OpportunityState>>, OpportunityWorkflowRejection>
>;

/**
 * Runs one opportunity command in its own unit of work: `changeOpportunity` of `@pet-ops/sql`. `create`
 * loads the lead (it must be qualified; the class is inherited from it) and the customer (an active CRM
 * company) in the same transaction, and converts the lead with its first opportunity.
 *
 * @example
 * ```ts
 * await changeOpportunity(runtime, metadata, { opportunityId, command: { type: 'advance', to: 'proposal' } });
 * ```
 */
export function changeOpportunity(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  request: OpportunityRequest,
): OpportunityOutcome;
/**
 * The positional form of {@link changeOpportunity}.
 *
 * @deprecated Pass one request instead, the shape of every workflow:
 * `changeOpportunity(runtime, metadata, { opportunityId, command })`. This form keeps working until the next major version.
 */
export function changeOpportunity(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  opportunityId: Commercial.OpportunityId,
  command: Commercial.OpportunityCommand,
): OpportunityOutcome;
export function changeOpportunity(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  ...args: [OpportunityRequest] | [Commercial.OpportunityId, Commercial.OpportunityCommand]
): OpportunityOutcome {
  if (args.length === 2) {
    return seamChangeOpportunity(runtime, metadata, { opportunityId: args[0], command: args[1] });
  }
  return seamChangeOpportunity(runtime, metadata, args[0]);
}
