export {
  type CompanySlotCommand,
  type CompanySlotFacts,
  companySlotCommandSchema,
  type LinkPerson,
  type OpenSlot,
  type ProposePerson,
  type VacateSlot,
} from './commands.js';
export { decideCompanySlot } from './decide.js';
export { companySlotDecider } from './decider.js';
export {
  COMPANY_SLOT_STREAM_TYPE,
  type CompanySlotEvent,
  companySlotEvents,
  type SlotOpenedPayload,
  type SlotPersonPayload,
  slotFilled,
  slotOpened,
  slotPersonProposed,
  slotVacated,
} from './events.js';
export {
  COMPANY_SLOT_REJECTION_CODES,
  type CompanySlotRejection,
  type CompanySlotRejectionCode,
} from './rejections.js';
export {
  type CompanySlotState,
  evolveCompanySlot,
  initialCompanySlotState,
  type SlotDetails,
} from './state.js';
