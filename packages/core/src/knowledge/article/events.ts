import { z } from 'zod';
import { type EmployeeId, employeeIdSchema } from '../../identity/ids.js';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import {
  archiveReasonSchema,
  articleCategorySchema,
  articleContentSchema,
  articleTitleSchema,
  changeSummarySchema,
  type LinkTarget,
  linkTargetSchema,
} from '../fields.js';
import { type ArticleId, type ArticleVersionId, articleIdSchema, articleVersionIdSchema } from '../ids.js';

/**
 * The stream type of article streams (and the key of the `knowledge_articles` state table).
 *
 * @example `const definition: AggregateDefinition<ArticleState> = { streamType: ARTICLE_STREAM_TYPE, … }`
 */
export const ARTICLE_STREAM_TYPE = 'knowledge_article';

/** One immutable version as events carry it (a row of `knowledge_versions`; `createdAt` = `at`). */
export interface VersionPayload {
  readonly versionId: ArticleVersionId;
  /** 1 for the first version, then +1 per revision, never a gap. */
  readonly versionNumber: number;
  readonly title: string;
  /** Verbatim. */
  readonly content: string;
  readonly changeSummary: string;
  readonly authorEmployeeId: EmployeeId;
}

/** Payload of `knowledge.created` v1: the article and its first (draft) version. */
export interface ArticleCreatedPayload {
  readonly articleId: ArticleId;
  readonly category: string;
  readonly version: VersionPayload;
  readonly at: Instant;
}

/** Payload of `knowledge.revised` v1: a new version (number = previous + 1) that becomes the current one. */
export interface ArticleRevisedPayload {
  readonly articleId: ArticleId;
  readonly version: VersionPayload;
  readonly at: Instant;
}

/** Payload of `knowledge.published` v1: the current version became the published one. */
export interface ArticlePublishedPayload {
  readonly articleId: ArticleId;
  readonly versionId: ArticleVersionId;
  readonly versionNumber: number;
  /** The version published before, or `null` for a first publication. */
  readonly previousVersionNumber: number | null;
  readonly publishedBy: EmployeeId;
  readonly at: Instant;
}

/** Payload of `knowledge.archived` v1: published (or revised) → archived, terminal. */
export interface ArticleArchivedPayload {
  readonly articleId: ArticleId;
  /** The version readers last saw; it stays readable in the history. */
  readonly publishedVersionNumber: number;
  readonly archivedBy: EmployeeId;
  readonly reason: string | null;
  readonly at: Instant;
}

/** Payload of `knowledge.linked` v1: one new link to a ticket, project, task or customer. */
export interface ArticleLinkedPayload {
  readonly articleId: ArticleId;
  readonly target: LinkTarget;
  /** `null` when a system or integration linked it (the envelope's actor says which). */
  readonly linkedBy: EmployeeId | null;
  readonly at: Instant;
}

const versionNumberSchema = z.number().int().min(1, 'must be at least 1');

const versionSchema = z
  .object({
    versionId: articleVersionIdSchema,
    versionNumber: versionNumberSchema,
    title: articleTitleSchema,
    content: articleContentSchema,
    changeSummary: changeSummarySchema,
    authorEmployeeId: employeeIdSchema,
  })
  .strict();

/**
 * `knowledge.created` v1: a new article in `draft` with version 1.
 *
 * @example `if (event.type === articleCreated.type) rows.push(event.payload.version);`
 */
export const articleCreated: EventDefinition<
  'knowledge.created',
  z.ZodType<ArticleCreatedPayload>
> = defineEvent({
  type: 'knowledge.created',
  version: 1,
  payload: z
    .object({
      articleId: articleIdSchema,
      category: articleCategorySchema,
      version: versionSchema.refine((v) => v.versionNumber === 1, {
        message: 'the first version is number 1',
        path: ['versionNumber'],
      }),
      at: instantSchema,
    })
    .strict(),
});

/**
 * `knowledge.revised` v1: a content change, always a new immutable version.
 *
 * @example `articleRevised.payload.parse(raw).version.versionNumber`
 */
export const articleRevised: EventDefinition<
  'knowledge.revised',
  z.ZodType<ArticleRevisedPayload>
> = defineEvent({
  type: 'knowledge.revised',
  version: 1,
  payload: z
    .object({
      articleId: articleIdSchema,
      version: versionSchema.refine((v) => v.versionNumber >= 2, {
        message: 'a revision is version 2 or later',
        path: ['versionNumber'],
      }),
      at: instantSchema,
    })
    .strict(),
});

/**
 * `knowledge.published` v1: draft → published, or revised → published.
 *
 * @example `{ type: articlePublished.type, payload: { articleId, versionId, versionNumber: 2, previousVersionNumber: 1, publishedBy, at } }`
 */
export const articlePublished: EventDefinition<
  'knowledge.published',
  z.ZodType<ArticlePublishedPayload>
> = defineEvent({
  type: 'knowledge.published',
  version: 1,
  payload: z
    .object({
      articleId: articleIdSchema,
      versionId: articleVersionIdSchema,
      versionNumber: versionNumberSchema,
      previousVersionNumber: versionNumberSchema.nullable(),
      publishedBy: employeeIdSchema,
      at: instantSchema,
    })
    .strict()
    .refine((p) => p.previousVersionNumber === null || p.previousVersionNumber < p.versionNumber, {
      message: 'must be below versionNumber',
      path: ['previousVersionNumber'],
    }),
});

/**
 * `knowledge.archived` v1: the article is retired (terminal; nothing leaves archived).
 *
 * @example `if (event.type === articleArchived.type) archivedAt = event.payload.at;`
 */
export const articleArchived: EventDefinition<
  'knowledge.archived',
  z.ZodType<ArticleArchivedPayload>
> = defineEvent({
  type: 'knowledge.archived',
  version: 1,
  payload: z
    .object({
      articleId: articleIdSchema,
      publishedVersionNumber: versionNumberSchema,
      archivedBy: employeeIdSchema,
      reason: archiveReasonSchema.nullable(),
      at: instantSchema,
    })
    .strict(),
});

/**
 * `knowledge.linked` v1: one new link (linking an already linked target emits nothing).
 *
 * @example `if (event.type === articleLinked.type && event.payload.target.kind === 'ticket') reuse += 1;`
 */
export const articleLinked: EventDefinition<
  'knowledge.linked',
  z.ZodType<ArticleLinkedPayload>
> = defineEvent({
  type: 'knowledge.linked',
  version: 1,
  payload: z
    .object({
      articleId: articleIdSchema,
      target: linkTargetSchema,
      linkedBy: employeeIdSchema.nullable(),
      at: instantSchema,
    })
    .strict(),
});

/** Every event an article stream holds. */
export type ArticleEvent =
  | EventOf<typeof articleCreated>
  | EventOf<typeof articleRevised>
  | EventOf<typeof articlePublished>
  | EventOf<typeof articleArchived>
  | EventOf<typeof articleLinked>;

/**
 * The article event definitions (current versions), for the context's registry.
 *
 * @example `createEventRegistry({ events: articleEvents }).knownTypes()`
 */
export const articleEvents: readonly EventDefinition[] = [
  articleCreated,
  articleRevised,
  articlePublished,
  articleArchived,
  articleLinked,
];
