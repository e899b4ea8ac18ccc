import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import { type OrgStructureVersionId, orgStructureVersionIdSchema } from '../ids.js';
import { type OrgStructure, orgStructureSchema } from './structure.js';

/**
 * The stream type of org-structure-version streams (key of the `org_structure_versions` table).
 *
 * @example `events.filter((e) => e.streamType === ORG_STRUCTURE_VERSION_STREAM_TYPE)`
 */
export const ORG_STRUCTURE_VERSION_STREAM_TYPE = 'org_structure_version';

/** Payload of `org_structure.version_published` v1: the whole immutable snapshot. */
export interface OrgVersionPublishedPayload {
  readonly versionId: OrgStructureVersionId;
  readonly versionNumber: number;
  readonly effectiveFrom: Instant;
  readonly publishedAt: Instant;
  readonly structure: OrgStructure;
}

/** `org_structure.version_published` v1. @example `orgVersionPublished.payload.parse(raw).structure.teams` */
export const orgVersionPublished: EventDefinition<
  'org_structure.version_published',
  z.ZodType<OrgVersionPublishedPayload>
> = defineEvent({
  type: 'org_structure.version_published',
  version: 1,
  payload: z.object({
    versionId: orgStructureVersionIdSchema,
    versionNumber: z.number().int().min(1),
    effectiveFrom: instantSchema,
    publishedAt: instantSchema,
    structure: orgStructureSchema,
  }),
});

/** Every event an org-structure-version stream holds (exactly one: versions are immutable). */
export type OrgStructureVersionEvent = EventOf<typeof orgVersionPublished>;

/**
 * The org-structure-version event definitions (current versions).
 *
 * @example `createEventRegistry({ events: orgStructureVersionEvents })`
 */
export const orgStructureVersionEvents: readonly EventDefinition[] = [orgVersionPublished];
