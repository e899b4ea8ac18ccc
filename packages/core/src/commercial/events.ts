import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/index.js';
import { leadEvents } from './lead/events.js';
import { opportunityEvents } from './opportunity/events.js';
import { qualificationEvents } from './qualification/events.js';
import { malleableSchemaEvents } from './schema/events.js';

/**
 * The lead-pipeline event definitions (malleable schemas, leads, qualifications, opportunities; each
 * type at its current version), for a host's combined registry.
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
