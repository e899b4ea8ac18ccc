import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/index.js';
import { leadEvents } from './lead/events.js';
import { opportunityEvents } from './opportunity/events.js';
import { qualificationEvents } from './qualification/events.js';
import { quotingEventDefinitions } from './quoting-events.js';
import { malleableSchemaEvents } from './schema/events.js';

/**
 * The lead-pipeline event definitions (malleable schemas, leads, qualifications, opportunities; each
 * type at its current version), for a host's combined registry.
 *
 * @example
 * ```ts
 * createEventRegistry({ events: [...leadPipelineEventDefinitions, ...Crm.crmEventDefinitions] });
 * ```
 */
export const leadPipelineEventDefinitions: readonly EventDefinition[] = [
  ...malleableSchemaEvents,
  ...leadEvents,
  ...qualificationEvents,
  ...opportunityEvents,
];

/**
 * The lead pipeline's event registry (all v1, no upcasters yet).
 *
 * @example
 * ```ts
 * leadPipelineEventRegistry.validateDraft(draft);
 * ```
 */
export const leadPipelineEventRegistry: EventRegistry = createEventRegistry({
  events: leadPipelineEventDefinitions,
});

/**
 * Every commercial event definition: the lead pipeline's and the quoting context's.
 *
 * @example
 * ```ts
 * createEventRegistry({ events: [...commercialEventDefinitions, ...Crm.crmEventDefinitions] });
 * ```
 */
export const commercialEventDefinitions: readonly EventDefinition[] = [
  ...leadPipelineEventDefinitions,
  ...quotingEventDefinitions,
];

/**
 * The whole commercial context's event registry (lead pipeline + quotes and sales), for a host that
 * validates every commercial event with one registry.
 *
 * @example
 * ```ts
 * commercialEventRegistry.validateDraft(draft);
 * ```
 */
export const commercialEventRegistry: EventRegistry = createEventRegistry({
  events: commercialEventDefinitions,
});
