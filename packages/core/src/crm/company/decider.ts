import type { Decider } from '../../kernel/index.js';
import type { CompanyCommand } from './commands.js';
import { decideCompany } from './decide.js';
import type { CompanyEvent } from './events.js';
import type { CompanyRejection } from './rejections.js';
import { type CompanyState, evolveCompany, initialCompanyState } from './state.js';

/**
 * The company aggregate as a decider (stream type `company`); it needs no facts.
 *
 * @example
 * ```ts
 * DeciderSpecification.for(companyDecider).given([]).when(createCompany).then([companyCreatedEvent]);
 * ```
 */
export const companyDecider: Decider<
  CompanyState,
  CompanyCommand,
  CompanyEvent,
  undefined,
  CompanyRejection
> = {
  initialState: initialCompanyState,
  decide: decideCompany,
  evolve: evolveCompany,
};
