import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import { type SlaDefinitionId, slaDefinitionIdSchema } from '../ids.js';
import { type SlaTerms, slaTermsSchema } from './terms.js';

/** Creates a draft SLA version. Version 1 starts a name; version n + 1 follows the latest version n. */
export interface CreateSlaDefinition {
  readonly type: 'create';
  readonly slaDefinitionId: SlaDefinitionId;
  readonly versionNumber: number;
  readonly terms: SlaTerms;
  readonly at: Instant;
}

/** Replaces a draft's terms (drafts only: a published version is immutable). */
export interface UpdateSlaDefinition {
  readonly type: 'update';
  readonly terms: SlaTerms;
}

/** draft → published, deprecated → archived, published → deprecated, draft|deprecated → archived. */
export interface TransitionSlaDefinition {
  readonly type: 'publish' | 'deprecate' | 'archive';
  readonly at: Instant;
}

/** Every SLA definition command. */
export type SlaDefinitionCommand = CreateSlaDefinition | UpdateSlaDefinition | TransitionSlaDefinition;

/** What `create` needs: the latest existing version number of the same name (`null` for a new name). */
export interface SlaDefinitionFacts {
  readonly latestVersionNumber?: number | null;
}

/**
 * Zod schema of an {@link SlaDefinitionCommand}.
 *
 * @example
 * ```ts
 * const command = parseInput(slaDefinitionCommandSchema, raw, 'SLA definition command');
 * ```
 */
export const slaDefinitionCommandSchema: z.ZodType<SlaDefinitionCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    slaDefinitionId: slaDefinitionIdSchema,
    versionNumber: z.number().int().min(1, 'must be at least 1 (never 0)'),
    terms: slaTermsSchema,
    at: instantSchema,
  }),
  z.object({ type: z.literal('update'), terms: slaTermsSchema }),
  z.object({ type: z.enum(['publish', 'deprecate', 'archive']), at: instantSchema }),
]);
