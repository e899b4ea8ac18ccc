export { companyBinding, companySlotBinding, personBinding } from './bindings.js';
export {
  CRM_STATE_TABLES,
  companyDefinition,
  companySlotDefinition,
  personDefinition,
} from './definitions.js';
export {
  type CompanyImportReport,
  type ImportCompaniesOptions,
  type ImportProgress,
  type ImportRejection,
  type ImportRowOutcome,
  importCompaniesCsv,
} from './import.js';
export { type CrmRepository, createCrmRepository, type UidKind, type Versioned } from './repository.js';
export {
  type CompanyInput,
  type CrmCommands,
  createCrmCommands,
  type InsertCompanyRejection,
  type InsertCompanyResult,
  type PersonInput,
} from './workflows.js';
