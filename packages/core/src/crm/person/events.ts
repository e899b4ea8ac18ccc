import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import { type PersonId, personIdSchema } from '../ids.js';
import { type PersonUid, personUidSchema } from '../uids.js';
import { crmNameSchema, linkedinUrlSchema, type NormalizedEmail, normalizedEmailSchema } from '../values.js';

/**
 * The stream type of person streams (key of the `people` state table).
 *
 * @example `if (event.streamType === PERSON_STREAM_TYPE) …`
 */
export const PERSON_STREAM_TYPE = 'person';

/** Whether a person's contact data has been checked. */
export type ValidationStatus = 'unverified' | 'verified' | 'invalid';
/** Zod schema of a {@link ValidationStatus}. @example `validationStatusSchema.parse('verified')` */
export const validationStatusSchema: z.ZodType<ValidationStatus> = z.enum([
  'unverified',
  'verified',
  'invalid',
]);

/**
 * Payload of `person.created` v1. It carries the person's own personal data (name, e-mail, LinkedIn
 * URL): the person's stream is the only place events hold it (see `crm/PERSONAL-DATA.md`).
 */
export interface PersonCreatedPayload {
  readonly personId: PersonId;
  readonly personUid: PersonUid;
  readonly createdAt: Instant;
  readonly name: string;
  readonly email: NormalizedEmail | null;
  readonly linkedinUrl: string | null;
  readonly validationStatus: ValidationStatus;
}

/** The changed personal fields of a `person.updated` event (only those that changed). */
export interface PersonChanges {
  readonly name?: string;
  readonly email?: NormalizedEmail | null;
  readonly linkedinUrl?: string | null;
}

/** Payload of `person.updated` v1. */
export interface PersonUpdatedPayload {
  readonly personId: PersonId;
  readonly changes: PersonChanges;
}

/** Payload of `person.validation_changed` v1 (no personal data). */
export interface PersonValidationChangedPayload {
  readonly personId: PersonId;
  readonly validationStatus: ValidationStatus;
}

/** Payload of `person.archived` v1. */
export interface PersonArchivedPayload {
  readonly personId: PersonId;
  readonly at: Instant;
}

/**
 * `person.created` v1.
 *
 * @example `personCreated.payload.parse(raw)` → throws unless `email` is normalised (`normalizeEmail`)
 */
export const personCreated: EventDefinition<'person.created', z.ZodType<PersonCreatedPayload>> = defineEvent({
  type: 'person.created',
  version: 1,
  payload: z.object({
    personId: personIdSchema,
    personUid: personUidSchema,
    createdAt: instantSchema,
    name: crmNameSchema,
    email: normalizedEmailSchema.nullable(),
    linkedinUrl: linkedinUrlSchema.nullable(),
    validationStatus: validationStatusSchema,
  }),
});

/**
 * `person.updated` v1: only the changed fields.
 *
 * @example `personUpdated.payload.parse({ personId, changes: { email: null } })`
 */
export const personUpdated: EventDefinition<'person.updated', z.ZodType<PersonUpdatedPayload>> = defineEvent({
  type: 'person.updated',
  version: 1,
  payload: z.object({
    personId: personIdSchema,
    changes: z
      .object({
        name: crmNameSchema.exactOptional(),
        email: normalizedEmailSchema.nullable().exactOptional(),
        linkedinUrl: linkedinUrlSchema.nullable().exactOptional(),
      })
      .refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
  }),
});

/**
 * `person.validation_changed` v1.
 *
 * @example `{ type: personValidationChanged.type, payload: { personId, validationStatus: 'verified' } }`
 */
export const personValidationChanged: EventDefinition<
  'person.validation_changed',
  z.ZodType<PersonValidationChangedPayload>
> = defineEvent({
  type: 'person.validation_changed',
  version: 1,
  payload: z.object({ personId: personIdSchema, validationStatus: validationStatusSchema }),
});

/**
 * `person.archived` v1: active → archived (terminal).
 *
 * @example `{ type: personArchived.type, payload: { personId, at: clock.now() } }`
 */
export const personArchived: EventDefinition<
  'person.archived',
  z.ZodType<PersonArchivedPayload>
> = defineEvent({
  type: 'person.archived',
  version: 1,
  payload: z.object({ personId: personIdSchema, at: instantSchema }),
});

/** Every event a person stream holds. */
export type PersonEvent =
  | EventOf<typeof personCreated>
  | EventOf<typeof personUpdated>
  | EventOf<typeof personValidationChanged>
  | EventOf<typeof personArchived>;

/**
 * The person event definitions (current versions).
 *
 * @example `createEventRegistry({ events: personEvents })`
 */
export const personEvents: readonly EventDefinition[] = [
  personCreated,
  personUpdated,
  personValidationChanged,
  personArchived,
];
