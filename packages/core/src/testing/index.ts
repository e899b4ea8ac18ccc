/**
 * `@pet-ops/core/testing`: in-memory ports and given/when/then helpers for deciders. The law helpers
 * use fast-check (an optional peer dependency of `@pet-ops/core`, needed only by this entry point).
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
export { assertEvolveNeverThrows, assertReplayDeterministic } from './laws.js';
