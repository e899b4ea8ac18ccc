import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import { type OrgStructureVersionId, orgStructureVersionIdSchema } from '../ids.js';
import type { VersionPeriodInput } from './periods.js';
import { type OrgStructure, orgStructureSchema } from './structure.js';

/**
 * Publishes a new version (`versionId` is the stream id). Its number is the latest + 1; `publishedAt`
 * is the application's clock.
 */
export interface PublishOrgVersion {
  readonly type: 'publish';
  readonly versionId: OrgStructureVersionId;
  readonly effectiveFrom: Instant;
  readonly publishedAt: Instant;
  readonly structure: OrgStructure;
}

/** Every org-structure-version command. */
export type OrgStructureVersionCommand = PublishOrgVersion;

/** What publishing needs: the latest published version (`null` when there is none). */
export interface OrgStructureVersionFacts {
  readonly latest: VersionPeriodInput | null;
}

/**
 * Zod schema of an {@link OrgStructureVersionCommand}.
 *
 * @example
 * ```ts
 * const command = parseInput(orgStructureVersionCommandSchema, raw, 'org version command');
 * ```
 */
export const orgStructureVersionCommandSchema: z.ZodType<OrgStructureVersionCommand> = z.object({
  type: z.literal('publish'),
  versionId: orgStructureVersionIdSchema,
  effectiveFrom: instantSchema,
  publishedAt: instantSchema,
  structure: orgStructureSchema,
});
