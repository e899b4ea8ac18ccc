import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import { type CompanyId, companyIdSchema } from '../ids.js';
import { type CompanyUid, companyUidSchema } from '../uids.js';
import {
  crmNameSchema,
  einRawSchema,
  externalIdSchema,
  type NormalizedWebsite,
  normalizedWebsiteSchema,
} from '../values.js';

/**
 * The stream type of company streams (key of the `companies` state table).
 *
 * @example `events.filter((e) => e.streamType === COMPANY_STREAM_TYPE)`
 */
export const COMPANY_STREAM_TYPE = 'company';

/** Payload of `company.created` v1. Companies are organisations: no personal data. */
export interface CompanyCreatedPayload {
  readonly companyId: CompanyId;
  readonly companyUid: CompanyUid;
  readonly createdAt: Instant;
  readonly name: string;
  readonly website: NormalizedWebsite | null;
  readonly externalId: string | null;
  readonly einRaw: string | null;
}

/** The changed fields of a `company.updated` event (only those that changed). */
export interface CompanyChanges {
  readonly name?: string;
  readonly website?: NormalizedWebsite | null;
  readonly externalId?: string | null;
  readonly einRaw?: string | null;
}

/** Payload of `company.updated` v1. */
export interface CompanyUpdatedPayload {
  readonly companyId: CompanyId;
  readonly changes: CompanyChanges;
}

/** Payload of `company.archived` v1. */
export interface CompanyArchivedPayload {
  readonly companyId: CompanyId;
  readonly at: Instant;
}

/** `company.created` v1. @example `companyCreated.payload.parse(raw)` */
export const companyCreated: EventDefinition<
  'company.created',
  z.ZodType<CompanyCreatedPayload>
> = defineEvent({
  type: 'company.created',
  version: 1,
  payload: z.object({
    companyId: companyIdSchema,
    companyUid: companyUidSchema,
    createdAt: instantSchema,
    name: crmNameSchema,
    website: normalizedWebsiteSchema.nullable(),
    externalId: externalIdSchema.nullable(),
    einRaw: einRawSchema.nullable(),
  }),
});

/**
 * `company.updated` v1: only the changed fields.
 *
 * @example `companyUpdated.payload.safeParse({ companyId, changes: {} }).success` → `false` (nothing changed)
 */
export const companyUpdated: EventDefinition<
  'company.updated',
  z.ZodType<CompanyUpdatedPayload>
> = defineEvent({
  type: 'company.updated',
  version: 1,
  payload: z.object({
    companyId: companyIdSchema,
    changes: z
      .object({
        name: crmNameSchema.exactOptional(),
        website: normalizedWebsiteSchema.nullable().exactOptional(),
        externalId: externalIdSchema.nullable().exactOptional(),
        einRaw: einRawSchema.nullable().exactOptional(),
      })
      .refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
  }),
});

/**
 * `company.archived` v1: active → archived (terminal).
 *
 * @example `{ type: companyArchived.type, payload: { companyId, at: clock.now() } }`
 */
export const companyArchived: EventDefinition<
  'company.archived',
  z.ZodType<CompanyArchivedPayload>
> = defineEvent({
  type: 'company.archived',
  version: 1,
  payload: z.object({ companyId: companyIdSchema, at: instantSchema }),
});

/** Every event a company stream holds. */
export type CompanyEvent =
  | EventOf<typeof companyCreated>
  | EventOf<typeof companyUpdated>
  | EventOf<typeof companyArchived>;

/**
 * The company event definitions (current versions).
 *
 * @example `createEventRegistry({ events: companyEvents })`
 */
export const companyEvents: readonly EventDefinition[] = [companyCreated, companyUpdated, companyArchived];
