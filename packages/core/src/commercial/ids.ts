import type { IdGenerator } from '../kernel/index.js';
import type { LeadId, QualificationId } from './lead/events.js';
import type { OpportunityId } from './opportunity/events.js';
import type { QuoteId, SaleId } from './quote/model.js';
import type { MalleableSchemaId } from './schema/events.js';

/*
 * Typed id factories, one per aggregate: a new id from the host's {@link IdGenerator} (UUIDv7 in
 * production), already branded, so user code needs no cast.
 */

/**
 * A new {@link LeadId} for a lead, from the host's id generator (no cast needed).
 *
 * @example `const leadId = Commercial.newLeadId(ids);`
 */
export function newLeadId(ids: IdGenerator): LeadId {
  return ids.next() as LeadId;
}

/**
 * A new {@link QualificationId} for a qualification, from the host's id generator (no cast needed).
 *
 * @example `const qualificationId = Commercial.newQualificationId(ids);`
 */
export function newQualificationId(ids: IdGenerator): QualificationId {
  return ids.next() as QualificationId;
}

/**
 * A new {@link OpportunityId} for an opportunity, from the host's id generator (no cast needed).
 *
 * @example `const opportunityId = Commercial.newOpportunityId(ids);`
 */
export function newOpportunityId(ids: IdGenerator): OpportunityId {
  return ids.next() as OpportunityId;
}

/**
 * A new {@link QuoteId} for a quote, from the host's id generator (no cast needed).
 *
 * @example `const quoteId = Commercial.newQuoteId(ids);`
 */
export function newQuoteId(ids: IdGenerator): QuoteId {
  return ids.next() as QuoteId;
}

/**
 * A new {@link SaleId} for a sale, from the host's id generator (no cast needed).
 *
 * @example `const saleId = Commercial.newSaleId(ids);`
 */
export function newSaleId(ids: IdGenerator): SaleId {
  return ids.next() as SaleId;
}

/**
 * A new {@link MalleableSchemaId} for a malleable schema, from the host's id generator (no cast needed).
 *
 * @example `const malleableSchemaId = Commercial.newMalleableSchemaId(ids);`
 */
export function newMalleableSchemaId(ids: IdGenerator): MalleableSchemaId {
  return ids.next() as MalleableSchemaId;
}
