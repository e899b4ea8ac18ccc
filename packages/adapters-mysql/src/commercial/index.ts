export { markOpportunityWon } from './acceptance-opportunity.js';
export {
  changeLead,
  type LeadRequest,
  leadAggregate,
  leadBinding,
} from './leads.js';
export {
  changeOpportunity,
  type OpportunityRequest,
  opportunityAggregate,
  opportunityBinding,
} from './opportunities.js';
export {
  changeQualification,
  type QualificationRequest,
  type QualificationWorkflowRejection,
  type QualificationWorkflowResult,
  qualificationAggregate,
  qualificationBinding,
} from './qualifications.js';
export { QUOTING_TABLES, quoteDefinition, saleDefinition } from './quotes-definition.js';
export {
  allocateQuoteNumber,
  createMysqlQuoting,
  type MysqlQuoting,
  type MysqlQuotingOptions,
  type OpenQuoteInput,
  type OpenQuoteRejection,
  type QuoteRequest,
} from './quotes-service.js';
export {
  changeMalleableSchema,
  loadSchemaFacts,
  loadSchemaVersion,
  type MalleableSchemaRequest,
  malleableSchemaAggregate,
  malleableSchemaBinding,
} from './schemas.js';
export { LEAD_PIPELINE_TABLES } from './schemas-tables.js';
