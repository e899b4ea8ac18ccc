import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import { type SlaDefinitionId, slaDefinitionIdSchema } from '../ids.js';
import { type SlaTerms, slaTermsSchema } from './terms.js';

/**
 * The stream type of SLA definition versions (and the key of the `sla_definitions` table).
 *
 * @example `const definition: AggregateDefinition<SlaDefinitionState> = { streamType: SLA_DEFINITION_STREAM_TYPE, … }`
 */
export const SLA_DEFINITION_STREAM_TYPE = 'sla_definition';

/** Payload of `sla.created` v1. */
export interface SlaCreatedPayload {
  readonly slaDefinitionId: SlaDefinitionId;
  readonly versionNumber: number;
  readonly terms: SlaTerms;
  readonly at: Instant;
}
/** Payload of `sla.updated` v1: the draft's complete new terms. */
export interface SlaUpdatedPayload {
  readonly slaDefinitionId: SlaDefinitionId;
  readonly terms: SlaTerms;
}
/** Payload of `sla.published`, `sla.deprecated` and `sla.archived` v1. */
export interface SlaTransitionPayload {
  readonly slaDefinitionId: SlaDefinitionId;
  readonly versionNumber: number;
  readonly at: Instant;
}

/** `sla.created` v1: a draft version. @example `slaCreated.payload.parse(raw)` */
export const slaCreated: EventDefinition<'sla.created', z.ZodType<SlaCreatedPayload>> = defineEvent({
  type: 'sla.created',
  version: 1,
  payload: z.object({
    slaDefinitionId: slaDefinitionIdSchema,
    versionNumber: z.number().int().min(1),
    terms: slaTermsSchema,
    at: instantSchema,
  }),
});

/** `sla.updated` v1: a draft's terms replaced. @example `slaUpdated.payload.parse(raw)` */
export const slaUpdated: EventDefinition<'sla.updated', z.ZodType<SlaUpdatedPayload>> = defineEvent({
  type: 'sla.updated',
  version: 1,
  payload: z.object({ slaDefinitionId: slaDefinitionIdSchema, terms: slaTermsSchema }),
});

const transition = z.object({
  slaDefinitionId: slaDefinitionIdSchema,
  versionNumber: z.number().int().min(1),
  at: instantSchema,
});

/** `sla.published` v1: draft → published (immutable from now on). @example `slaPublished.type` */
export const slaPublished: EventDefinition<'sla.published', z.ZodType<SlaTransitionPayload>> = defineEvent({
  type: 'sla.published',
  version: 1,
  payload: transition,
});

/** `sla.deprecated` v1: no longer attaches to new quotes or tickets. @example `slaDeprecated.type` */
export const slaDeprecated: EventDefinition<'sla.deprecated', z.ZodType<SlaTransitionPayload>> = defineEvent({
  type: 'sla.deprecated',
  version: 1,
  payload: transition,
});

/** `sla.archived` v1: terminal; kept forever, bindings keep their snapshot. @example `slaArchived.type` */
export const slaArchived: EventDefinition<'sla.archived', z.ZodType<SlaTransitionPayload>> = defineEvent({
  type: 'sla.archived',
  version: 1,
  payload: transition,
});

/** Every event an SLA definition stream holds. */
export type SlaDefinitionEvent =
  | EventOf<typeof slaCreated>
  | EventOf<typeof slaUpdated>
  | EventOf<typeof slaPublished>
  | EventOf<typeof slaDeprecated>
  | EventOf<typeof slaArchived>;

/** The SLA definition event definitions. @example `createEventRegistry({ events: slaDefinitionEvents })` */
export const slaDefinitionEvents: readonly EventDefinition[] = [
  slaCreated,
  slaUpdated,
  slaPublished,
  slaDeprecated,
  slaArchived,
];
