import { commercialEventDefinitions } from './commercial/events.js';
import { crmEventDefinitions } from './crm/events.js';
import { deliveryEventDefinitions } from './delivery/events.js';
import { identityEventDefinitions } from './identity/events.js';
import {
  createEventRegistry,
  type EventDefinition,
  type EventRegistry,
  type Upcaster,
} from './kernel/index.js';
import { knowledgeEventDefinitions } from './knowledge/events.js';
import { supportEventDefinitions } from './support/events.js';
import { timeEventDefinitions } from './time/events.js';

/**
 * Every event definition of every bounded context (identity, CRM, commercial, delivery, support, time,
 * knowledge), each type at its current version: what a host registers to read and write PET's whole
 * event log. No (type, version) appears twice.
 *
 * @example
 * ```ts
 * const registry = createEventRegistry({ events: [...petEventDefinitions, ...myOwnEventDefinitions] });
 * ```
 */
export const petEventDefinitions: readonly EventDefinition[] = [
  ...identityEventDefinitions,
  ...crmEventDefinitions,
  ...commercialEventDefinitions,
  ...deliveryEventDefinitions,
  ...supportEventDefinitions,
  ...timeEventDefinitions,
  ...knowledgeEventDefinitions,
];

/** Options of {@link createPetRegistry}. */
export interface PetRegistryOptions {
  /** A host's own event definitions, registered beside PET's (their types must not clash with PET's). */
  readonly events?: readonly EventDefinition[];
  /** Upcasters for old versions of the registered types. */
  readonly upcasters?: readonly Upcaster[];
}

/**
 * The event registry of every bounded context in one call: {@link petEventDefinitions}, plus a host's own
 * definitions and upcasters if given. A type registered twice is refused with a `VALIDATION_FAILED`
 * {@link PetError} naming the definition (`events.<i>`) and the duplicate.
 *
 * @example
 * ```ts
 * const registry = createPetRegistry();
 * registry.currentVersion('employee.created'); // 1
 * const runtime = { unitOfWork, registry, clock, ids };
 * ```
 */
export function createPetRegistry(options: PetRegistryOptions = {}): EventRegistry {
  return createEventRegistry({
    events: [...petEventDefinitions, ...(options.events ?? [])],
    ...(options.upcasters === undefined ? {} : { upcasters: options.upcasters }),
  });
}
