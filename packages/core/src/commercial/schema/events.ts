import { z } from 'zod';
import {
  type Brand,
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  idSchema,
  instantSchema,
} from '../../kernel/index.js';
import { type MalleableField, malleableFieldsSchema } from './fields.js';

/** Id of the malleable schema of one entity type (UUIDv7); also its stream id. */
export type MalleableSchemaId = Brand<string, 'MalleableSchemaId'>;
/** Zod schema of a {@link MalleableSchemaId}. @example `malleableSchemaIdSchema.parse(id)` */
export const malleableSchemaIdSchema: z.ZodType<MalleableSchemaId, string> = idSchema<'MalleableSchemaId'>();

/**
 * Entity types that carry malleable data: `[a-z][a-z0-9_]*`, e.g. `lead`, `qualification`.
 *
 * @example
 * ```ts
 * entityTypeSchema.parse('lead');
 * entityTypeSchema.safeParse('Lead').success; // false
 * ```
 */
export const entityTypeSchema: z.ZodType<string> = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z][a-z0-9_]*$/, 'must match [a-z][a-z0-9_]*');

/**
 * The stream type of malleable schema streams (key of the `malleable_schemas` state table).
 *
 * @example
 * ```ts
 * const def: AggregateDefinition<MalleableSchemaState> = {
 *   streamType: MALLEABLE_SCHEMA_STREAM_TYPE, // 'malleable_schema'
 *   initialState: initialMalleableSchemaState, encode, decode,
 * };
 * ```
 */
export const MALLEABLE_SCHEMA_STREAM_TYPE = 'malleable_schema';

/** Payload of `schema.draft_created` v1 (the first draft also creates the entity type's schema). */
export interface SchemaDraftCreatedPayload {
  readonly schemaId: MalleableSchemaId;
  readonly entityType: string;
  readonly version: number;
  readonly fields: readonly MalleableField[];
}
/** Payload of `schema.draft_updated` v1 (the whole new field list of the draft). */
export interface SchemaDraftUpdatedPayload {
  readonly schemaId: MalleableSchemaId;
  readonly version: number;
  readonly fields: readonly MalleableField[];
}
/** Payload of `schema.draft_discarded` v1 (only drafts can be deleted). */
export interface SchemaDraftDiscardedPayload {
  readonly schemaId: MalleableSchemaId;
  readonly version: number;
}
/** Payload of `schema.published` v1: the draft becomes active, the previous active (if any) historical. */
export interface SchemaPublishedPayload {
  readonly schemaId: MalleableSchemaId;
  readonly entityType: string;
  readonly version: number;
  readonly previousActive: number | null;
  readonly publishedAt: Instant;
}

const versionSchema = z.number().int().min(1);

/**
 * `schema.draft_created` v1.
 *
 * @example
 * ```ts
 * schemaDraftCreated.payload.parse({ schemaId, entityType: 'lead', version: 1, fields });
 * ```
 */
export const schemaDraftCreated: EventDefinition<
  'schema.draft_created',
  z.ZodType<SchemaDraftCreatedPayload>
> = defineEvent({
  type: 'schema.draft_created',
  version: 1,
  payload: z.object({
    schemaId: malleableSchemaIdSchema,
    entityType: entityTypeSchema,
    version: versionSchema,
    fields: malleableFieldsSchema,
  }),
});

/**
 * `schema.draft_updated` v1.
 *
 * @example
 * ```ts
 * schemaDraftUpdated.payload.parse({ schemaId, version: 2, fields });
 * ```
 */
export const schemaDraftUpdated: EventDefinition<
  'schema.draft_updated',
  z.ZodType<SchemaDraftUpdatedPayload>
> = defineEvent({
  type: 'schema.draft_updated',
  version: 1,
  payload: z.object({
    schemaId: malleableSchemaIdSchema,
    version: versionSchema,
    fields: malleableFieldsSchema,
  }),
});

/** `schema.draft_discarded` v1. @example `schemaDraftDiscarded.payload.parse({ schemaId, version: 2 })` */
export const schemaDraftDiscarded: EventDefinition<
  'schema.draft_discarded',
  z.ZodType<SchemaDraftDiscardedPayload>
> = defineEvent({
  type: 'schema.draft_discarded',
  version: 1,
  payload: z.object({ schemaId: malleableSchemaIdSchema, version: versionSchema }),
});

/**
 * `schema.published` v1.
 *
 * @example
 * ```ts
 * schemaPublished.payload.parse(raw).previousActive; // null on the first publish
 * ```
 */
export const schemaPublished: EventDefinition<
  'schema.published',
  z.ZodType<SchemaPublishedPayload>
> = defineEvent({
  type: 'schema.published',
  version: 1,
  payload: z.object({
    schemaId: malleableSchemaIdSchema,
    entityType: entityTypeSchema,
    version: versionSchema,
    previousActive: versionSchema.nullable(),
    publishedAt: instantSchema,
  }),
});

/** Every event a malleable schema stream holds. */
export type MalleableSchemaEvent =
  | EventOf<typeof schemaDraftCreated>
  | EventOf<typeof schemaDraftUpdated>
  | EventOf<typeof schemaDraftDiscarded>
  | EventOf<typeof schemaPublished>;

/**
 * The malleable schema event definitions (current versions).
 *
 * @example
 * ```ts
 * createEventRegistry({ events: malleableSchemaEvents });
 * ```
 */
export const malleableSchemaEvents: readonly EventDefinition[] = [
  schemaDraftCreated,
  schemaDraftUpdated,
  schemaDraftDiscarded,
  schemaPublished,
];
