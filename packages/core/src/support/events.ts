import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/index.js';
import { slaAssignmentEvents } from './sla-assignment/events.js';
import { slaDefinitionEvents } from './sla-definition/events.js';
import { ticketEvents } from './ticket/events.js';

/**
 * Every support event definition (each type at its current version), for a host's combined registry.
 *
 * @example
 * ```ts
 * const registry = createEventRegistry({ events: [...Support.supportEventDefinitions, ...Identity.identityEventDefinitions] });
 * ```
 */
export const supportEventDefinitions: readonly EventDefinition[] = [
  ...ticketEvents,
  ...slaDefinitionEvents,
  ...slaAssignmentEvents,
];

/**
 * The support context's event registry (all v1, no upcasters yet).
 *
 * @example
 * ```ts
 * supportEventRegistry.upcast(storedEvent);
 * ```
 */
export const supportEventRegistry: EventRegistry = createEventRegistry({ events: supportEventDefinitions });
