import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import { entityTypeSchema, type MalleableSchemaId, malleableSchemaIdSchema } from './events.js';
import type { MalleableField, malleableFieldsSchema } from './fields.js';

/** Opens a new draft version (the first one also creates the entity type's schema stream). */
export interface CreateSchemaDraft {
  readonly type: 'create_draft';
  readonly schemaId: MalleableSchemaId;
  readonly entityType: string;
  readonly fields: readonly MalleableField[];
}
/** Replaces the draft's field list. */
export interface UpdateSchemaDraft {
  readonly type: 'update_draft';
  readonly fields: readonly MalleableField[];
}
/** Deletes the draft (drafts only). */
export interface DiscardSchemaDraft {
  readonly type: 'discard_draft';
}
/** Publishes the draft at `at`: atomic and irreversible. */
export interface PublishSchema {
  readonly type: 'publish';
  readonly at: Instant;
}

/** Every malleable schema command. */
export type MalleableSchemaCommand =
  | CreateSchemaDraft
  | UpdateSchemaDraft
  | DiscardSchemaDraft
  | PublishSchema;

/**
 * Zod schema of a {@link MalleableSchemaCommand} (shape only; the field rules are the decider's).
 *
 * @example
 * ```ts
 * parseInput(malleableSchemaCommandSchema, { type: 'publish', at }, 'schema command');
 * ```
 */
export const malleableSchemaCommandSchema: z.ZodType<MalleableSchemaCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create_draft'),
    schemaId: malleableSchemaIdSchema,
    entityType: entityTypeSchema,
    fields: z.array(z.unknown()).max(1000) as unknown as typeof malleableFieldsSchema,
  }),
  z.object({
    type: z.literal('update_draft'),
    fields: z.array(z.unknown()).max(1000) as unknown as typeof malleableFieldsSchema,
  }),
  z.object({ type: z.literal('discard_draft') }),
  z.object({ type: z.literal('publish'), at: instantSchema }),
]) as z.ZodType<MalleableSchemaCommand>;
