export { markOpportunityWon } from './acceptance-opportunity.js';
export {
  changeLead,
  changeOpportunity,
  changeQualification,
  type LeadRequest,
  leadAggregate,
  leadBinding,
  type OpportunityRequest,
  type OpportunityWorkflowRejection,
  opportunityAggregate,
  opportunityBinding,
  type QualificationRequest,
  type QualificationWorkflowRejection,
  type QualificationWorkflowResult,
  qualificationAggregate,
  qualificationBinding,
} from './lead-pipeline.js';
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
