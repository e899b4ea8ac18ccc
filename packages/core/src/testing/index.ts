/**
 * `@pet-ops/core/testing`: in-memory ports and given/when/then helpers for deciders. The law helpers
 * (`assertEvolveNeverThrows`, `assertReplayDeterministic`) run fast-check, an optional peer dependency
 * of `@pet-ops/core` needed only when they are called: this entry point loads without it.
 *
 * @packageDocumentation
 * @module @pet-ops/core/testing
 */
export { type FixedClock, fixedClock } from './clock.js';
export {
  type DeciderGiven,
  DeciderSpecification,
  type DeciderThen,
  type DeciderWhen,
} from './decider-specification.js';
export { sequentialIds } from './ids.js';
export {
  createInMemoryEventStore,
  createInMemoryUnitOfWork,
  type InMemoryEventStoreOptions,
} from './in-memory-event-store.js';
export {
  assertEvolveNeverThrows,
  assertReplayDeterministic,
  type LawArbitrary,
  type LawParameters,
} from './laws.js';
