import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/index.js';
import { milestoneEvents } from './milestone/events.js';
import { projectEvents } from './project/events.js';
import { soldConstraintsEvents } from './sold-constraints/events.js';
import { taskEvents } from './task/events.js';
import { varianceEvents } from './variance/events.js';

/**
 * Every delivery event definition (each type at its current version), for a host's combined registry.
 *
 * @example `createEventRegistry({ events: [...Delivery.deliveryEventDefinitions, ...Commercial.commercialEventDefinitions] })`
 */
export const deliveryEventDefinitions: readonly EventDefinition[] = [
  ...projectEvents,
  ...soldConstraintsEvents,
  ...milestoneEvents,
  ...taskEvents,
  ...varianceEvents,
];

/**
 * The delivery context's event registry (all v1, no upcasters yet).
 *
 * @example `deliveryEventRegistry.upcast(storedEvent)`
 */
export const deliveryEventRegistry: EventRegistry = createEventRegistry({ events: deliveryEventDefinitions });
