import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/index.js';
import { resourceAllocationEvents } from './resource-allocation/events.js';
import { timeEntryEvents } from './time-entry/events.js';

/**
 * Every time-context event definition (each type at its current version), for a host's combined
 * registry.
 *
 * @example
 * ```ts
 * const registry = createEventRegistry({
 *   events: [...Identity.identityEventDefinitions, ...Time.timeEventDefinitions],
 * });
 * ```
 */
export const timeEventDefinitions: readonly EventDefinition[] = [
  ...timeEntryEvents,
  ...resourceAllocationEvents,
];

/**
 * The time context's event registry (all v1, no upcasters yet).
 *
 * @example
 * ```ts
 * timeEventRegistry.upcast(storedEvent);
 * ```
 */
export const timeEventRegistry: EventRegistry = createEventRegistry({ events: timeEventDefinitions });
