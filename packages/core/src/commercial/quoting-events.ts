import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/index.js';
import { quoteEvents } from './quote/events.js';
import { saleEvents } from './sale/sale.js';

/**
 * Every quote and sale event definition (each type at its current version), for a host's registry.
 *
 * @example
 * ```ts
 * createEventRegistry({ events: [...quotingEventDefinitions, ...crmEventDefinitions] });
 * ```
 */
export const quotingEventDefinitions: readonly EventDefinition[] = [...quoteEvents, ...saleEvents];

/**
 * The quoting event registry (all v1, no upcasters yet).
 *
 * @example
 * ```ts
 * quotingEventRegistry.validateDraft(draft);
 * ```
 */
export const quotingEventRegistry: EventRegistry = createEventRegistry({ events: quotingEventDefinitions });
