import type { Decider } from '../../kernel/index.js';
import type { CompanySlotCommand, CompanySlotFacts } from './commands.js';
import { decideCompanySlot } from './decide.js';
import type { CompanySlotEvent } from './events.js';
import type { CompanySlotRejection } from './rejections.js';
import { type CompanySlotState, evolveCompanySlot, initialCompanySlotState } from './state.js';

/**
 * The company-slot aggregate as a decider (stream type `company_slot`).
 *
 * @example
 * ```ts
 * DeciderSpecification.for(companySlotDecider).given([opened]).when({ type: 'link', personId }, facts).then([filled]);
 * ```
 */
export const companySlotDecider: Decider<
  CompanySlotState,
  CompanySlotCommand,
  CompanySlotEvent,
  CompanySlotFacts | undefined,
  CompanySlotRejection
> = {
  initialState: initialCompanySlotState,
  decide: decideCompanySlot,
  evolve: evolveCompanySlot,
};
