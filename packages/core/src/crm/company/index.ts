export {
  type ArchiveCompany,
  type CompanyCommand,
  type CompanyUpdate,
  type CreateCompany,
  companyCommandSchema,
  type UpdateCompany,
} from './commands.js';
export { decideCompany } from './decide.js';
export { companyDecider } from './decider.js';
export {
  COMPANY_STREAM_TYPE,
  type CompanyArchivedPayload,
  type CompanyChanges,
  type CompanyCreatedPayload,
  type CompanyEvent,
  type CompanyUpdatedPayload,
  companyArchived,
  companyCreated,
  companyEvents,
  companyUpdated,
} from './events.js';
export { COMPANY_REJECTION_CODES, type CompanyRejection, type CompanyRejectionCode } from './rejections.js';
export { type CompanyDetails, type CompanyState, evolveCompany, initialCompanyState } from './state.js';
