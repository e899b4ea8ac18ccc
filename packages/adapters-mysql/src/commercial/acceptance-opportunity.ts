import { type Commercial, ok, type Uuid } from '@pet-ops/core';
import { opportunityAggregate, opportunityBinding } from './opportunities.js';

/**
 * The acceptance step that closes the sale's opportunity as won, in the acceptance transaction: the
 * opportunity (named by the accepted quote) gets `opportunity.won` with the quote's id. An opportunity
 * that is already won (a delta quote accepted after its parent) is left as it is; a lost or missing one
 * rejects the acceptance (`OPPORTUNITY_CLOSED` / `OPPORTUNITY_NOT_FOUND`), so nothing is written.
 *
 * The unit of work of the quoting runtime must map both `QUOTING_TABLES` and `LEAD_PIPELINE_TABLES`,
 * and its registry must hold `Commercial.commercialEventDefinitions`.
 *
 * @example
 * ```ts
 * const quoting = createMysqlQuoting({ pool, prefix, runtime, acceptanceSteps: [markOpportunityWon] });
 * ```
 */
export const markOpportunityWon: Commercial.AcceptanceStep = {
  name: 'opportunity-won',
  run: async ({ workflow, quote, input }) => {
    const opportunityId = quote.opportunityId as Commercial.OpportunityId;
    const loaded = await workflow.scope
      .aggregate(opportunityAggregate(opportunityId))
      .load(opportunityId as string as Uuid);
    if (loaded.state.status !== 'absent' && loaded.state.stage === 'won') return ok(null);
    return workflow.execute(opportunityBinding(opportunityId), {
      streamId: opportunityId as string as Uuid,
      command: { type: 'win', quoteId: input.quoteId },
    });
  },
};
