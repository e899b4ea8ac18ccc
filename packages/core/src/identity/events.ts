import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/index.js';
import { employeeEvents } from './employee/events.js';
import { orgStructureVersionEvents } from './org-structure-version/events.js';
import { teamEvents } from './team/events.js';
import { teamMembershipEvents } from './team-membership/events.js';

/**
 * Every identity event definition (each type at its current version), for a host's combined registry.
 *
 * @example
 * ```ts
 * const registry = createEventRegistry({
 *   events: [...Identity.identityEventDefinitions, ...Commercial.commercialEventDefinitions],
 * });
 * ```
 */
export const identityEventDefinitions: readonly EventDefinition[] = [
  ...employeeEvents,
  ...teamEvents,
  ...teamMembershipEvents,
  ...orgStructureVersionEvents,
];

/**
 * The identity context's event registry (all v1, no upcasters yet).
 *
 * @example
 * ```ts
 * identityEventRegistry.upcast(storedEvent);
 * ```
 */
export const identityEventRegistry: EventRegistry = createEventRegistry({ events: identityEventDefinitions });
