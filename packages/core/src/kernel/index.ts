export { type Decider, replay } from './decider.js';
export { type FieldIssue, isPetError, PetError, type PetErrorCode, ValidationError } from './errors.js';
export {
  type Actor,
  type AppendResult,
  type EventContext,
  type EventDraft,
  eventDraftSchema,
  type StoredEvent,
} from './event.js';
export { type Brand, idSchema, isUuidV7, type Uuid, uuidSchema, uuidV7Schema } from './ids.js';
export { type Instant, instantFromEpochMs, instantSchema, parseInstant, toEpochMs } from './instant.js';
export type {
  AggregateDefinition,
  AggregateStore,
  Clock,
  EventStore,
  ExpectedVersion,
  IdGenerator,
  Loaded,
  ReadAllOptions,
  UnitOfWork,
  UnitOfWorkScope,
} from './ports.js';
export { err, ok, type Rejection, type Result, reject } from './result.js';
export { parseInput, toFieldIssues } from './validation.js';
