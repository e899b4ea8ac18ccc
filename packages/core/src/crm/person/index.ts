export {
  type ArchivePerson,
  type CreatePerson,
  type PersonCommand,
  type PersonFacts,
  type PersonUpdate,
  personCommandSchema,
  type SetValidationStatus,
  type UpdatePerson,
} from './commands.js';
export { decidePerson } from './decide.js';
export { personDecider } from './decider.js';
export {
  PERSON_STREAM_TYPE,
  type PersonArchivedPayload,
  type PersonChanges,
  type PersonCreatedPayload,
  type PersonEvent,
  type PersonUpdatedPayload,
  type PersonValidationChangedPayload,
  personArchived,
  personCreated,
  personEvents,
  personUpdated,
  personValidationChanged,
  type ValidationStatus,
  validationStatusSchema,
} from './events.js';
export { PERSON_REJECTION_CODES, type PersonRejection, type PersonRejectionCode } from './rejections.js';
export { evolvePerson, initialPersonState, type PersonDetails, type PersonState } from './state.js';
