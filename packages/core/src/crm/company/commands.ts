import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import { type CompanyId, companyIdSchema } from '../ids.js';
import { type CompanyUid, companyUidSchema } from '../uids.js';
import { crmNameSchema, einRawSchema, externalIdSchema } from '../values.js';

/**
 * Creates a company. `companyId` is the stream id; `companyUid` was allocated by the database for the
 * UTC day of `createdAt` (the application's clock). `website` is given raw and stored normalised.
 */
export interface CreateCompany {
  readonly type: 'create';
  readonly companyId: CompanyId;
  readonly companyUid: CompanyUid;
  readonly createdAt: Instant;
  readonly name: string;
  readonly website: string | null;
  readonly externalId: string | null;
  readonly einRaw: string | null;
}

/** What an update may change (raw values; unchanged ones are ignored). */
export interface CompanyUpdate {
  readonly name?: string;
  readonly website?: string | null;
  readonly externalId?: string | null;
  readonly einRaw?: string | null;
}

/** Changes some fields; a no-op update emits nothing. */
export interface UpdateCompany {
  readonly type: 'update';
  readonly changes: CompanyUpdate;
}

/** active → archived at `at`. Slots and their history stay. */
export interface ArchiveCompany {
  readonly type: 'archive';
  readonly at: Instant;
}

/** Every company command. */
export type CompanyCommand = CreateCompany | UpdateCompany | ArchiveCompany;

/**
 * Zod schema of a {@link CompanyCommand} (shape only; the website is normalised by the decider).
 *
 * @example
 * ```ts
 * const command = parseInput(companyCommandSchema, raw, 'company command');
 * ```
 */
export const companyCommandSchema: z.ZodType<CompanyCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    companyId: companyIdSchema,
    companyUid: companyUidSchema,
    createdAt: instantSchema,
    name: crmNameSchema,
    website: z.string().max(2048).nullable().default(null),
    externalId: externalIdSchema.nullable().default(null),
    einRaw: einRawSchema.nullable().default(null),
  }),
  z.object({
    type: z.literal('update'),
    changes: z
      .object({
        name: crmNameSchema.exactOptional(),
        website: z.string().max(2048).nullable().exactOptional(),
        externalId: externalIdSchema.nullable().exactOptional(),
        einRaw: einRawSchema.nullable().exactOptional(),
      })
      .strict(),
  }),
  z.object({ type: z.literal('archive'), at: instantSchema }),
]);
