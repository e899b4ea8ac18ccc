import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/index.js';
import { companyEvents } from './company/events.js';
import { companySlotEvents } from './company-slot/events.js';
import { personEvents } from './person/events.js';

/**
 * Every CRM event definition (each type at its current version), for a host's combined registry.
 *
 * @example
 * ```ts
 * const registry = createEventRegistry({
 *   events: [...Crm.crmEventDefinitions, ...Identity.identityEventDefinitions],
 * });
 * ```
 */
export const crmEventDefinitions: readonly EventDefinition[] = [
  ...companyEvents,
  ...companySlotEvents,
  ...personEvents,
];

/**
 * The CRM context's event registry (all v1, no upcasters yet).
 *
 * @example
 * ```ts
 * crmEventRegistry.validateDraft(draft);
 * ```
 */
export const crmEventRegistry: EventRegistry = createEventRegistry({ events: crmEventDefinitions });
