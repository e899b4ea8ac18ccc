export {
  type AggregateBinding,
  type CommandHandler,
  type CommandMetadata,
  type CommandOutcome,
  type CommandRequest,
  type CommandRuntime,
  createCommandHandler,
  type DecidedEvent,
  type FactsInput,
  type FactsLoader,
  type JitteredBackoffOptions,
  jitteredBackoff,
  type RetryPolicy,
  runWorkflow,
  type WorkflowOutcome,
  type WorkflowScope,
  withRetry,
} from './command-handler.js';
export { type Decider, replay } from './decider.js';
export { type FieldIssue, isPetError, PetError, type PetErrorCode, ValidationError } from './errors.js';
export {
  type Actor,
  type AppendResult,
  EVENT_TYPE_PATTERN,
  type EventContext,
  type EventDraft,
  eventDraftSchema,
  type StoredEvent,
} from './event.js';
export {
  createEventRegistry,
  decodeFixtures,
  defineEvent,
  defineUpcaster,
  type EventDefinition,
  type EventFixture,
  type EventOf,
  type EventRegistry,
  eventFixtureSchema,
  type FixtureFailure,
  missingFixtures,
  type Upcaster,
  type VersionedEvent,
} from './event-registry.js';
export {
  type AbortSignalLike,
  abortableReplay,
  abortSignalOf,
  checkEventHandler,
  type EventHandler,
  type ForEachEventOptions,
  type ForEachEventResult,
  forEachEventOf,
  isPromiseLike,
} from './for-each-event.js';
export { type Brand, idSchema, isUuidV7, type Uuid, uuidSchema, uuidV7Schema } from './ids.js';
export {
  type Instant,
  instantFromEpochMs,
  instantSchema,
  isInstant,
  parseInstant,
  toEpochMs,
} from './instant.js';
export {
  addMoney,
  allocate,
  applyBasisPoints,
  type CurrencyCode,
  compareMoney,
  currencyCodeSchema,
  type Money,
  money,
  moneySchema,
  multiplyMoney,
  rateTimesMinutes,
  subtractMoney,
  sumMoney,
  zeroMoney,
} from './money.js';
export type {
  AggregateDefinition,
  AggregateStore,
  Clock,
  EventStore,
  ExpectedVersion,
  IdGenerator,
  Loaded,
  ReadAllOptions,
  SaveRequest,
  UnitOfWork,
  UnitOfWorkRunOptions,
  UnitOfWorkScope,
} from './ports.js';
export {
  type BasisPoints,
  basisPoints,
  basisPointsSchema,
  type Minutes,
  minutes,
  minutesSchema,
  probabilityBpSchema,
} from './quantities.js';
export { err, ok, type Rejection, type Result, reject } from './result.js';
export { DEFAULT_ROUNDING, divideRounded, type RoundingMode, roundingModeSchema } from './rounding.js';
export { parseInput, toFieldIssues } from './validation.js';
