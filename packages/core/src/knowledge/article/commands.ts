import { z } from 'zod';
import { type EmployeeId, employeeIdSchema } from '../../identity/ids.js';
import { type Instant, instantSchema } from '../../kernel/index.js';
import {
  archiveReasonSchema,
  articleCategorySchema,
  articleContentSchema,
  articleTitleSchema,
  changeSummarySchema,
  DEFAULT_ARTICLE_CATEGORY,
  type LinkTarget,
  linkTargetSchema,
} from '../fields.js';
import { type ArticleId, type ArticleVersionId, articleIdSchema, articleVersionIdSchema } from '../ids.js';

/**
 * Creates an article in `draft` with version 1 (ids come from the application's id generator), and
 * links it to `links` at once (e.g. the ticket it was written for).
 */
export interface CreateArticle {
  readonly type: 'create';
  readonly articleId: ArticleId;
  readonly versionId: ArticleVersionId;
  readonly category: string;
  readonly title: string;
  readonly content: string;
  readonly changeSummary: string;
  readonly authorEmployeeId: EmployeeId;
  readonly links: readonly LinkTarget[];
  readonly at: Instant;
}

/**
 * Changes the content: always a new immutable version (current + 1). `basedOnVersionNumber` is the
 * version the author edited; if somebody revised in between, the command is refused instead of
 * silently overwriting their version (a lost update).
 */
export interface ReviseArticle {
  readonly type: 'revise';
  readonly versionId: ArticleVersionId;
  readonly basedOnVersionNumber: number;
  readonly title: string;
  readonly content: string;
  readonly changeSummary: string;
  readonly authorEmployeeId: EmployeeId;
  readonly at: Instant;
}

/**
 * Publishes the current version. `versionNumber` is the version the publisher reviewed; publishing
 * content they did not see is refused.
 */
export interface PublishArticle {
  readonly type: 'publish';
  readonly versionNumber: number;
  readonly publishedBy: EmployeeId;
  readonly at: Instant;
}

/** Retires a published (or revised) article; terminal. */
export interface ArchiveArticle {
  readonly type: 'archive';
  readonly archivedBy: EmployeeId;
  readonly reason: string | null;
  readonly at: Instant;
}

/**
 * Links the article to tickets, projects, tasks or customers. Idempotent: targets already linked (or
 * named twice) are skipped, so linking twice is a no-op, not a rejection (a retried "link this
 * article to the resolved ticket" must not fail). `linkedBy` is `null` for system links.
 */
export interface LinkArticle {
  readonly type: 'link';
  readonly targets: readonly LinkTarget[];
  readonly linkedBy: EmployeeId | null;
  readonly at: Instant;
}

/** Every article command. */
export type ArticleCommand = CreateArticle | ReviseArticle | PublishArticle | ArchiveArticle | LinkArticle;

const versionNumberSchema = z.number().int('must be a whole number').min(1, 'must be at least 1');
const targetsSchema = z.array(linkTargetSchema).max(50, 'must name at most 50 targets');

/**
 * Zod schema of an {@link ArticleCommand} (titles and summaries trimmed, content kept verbatim;
 * `category` defaults to `general`, the first `changeSummary` to `Initial version`, `links` to none).
 * The command handler validates commands with it.
 *
 * @example
 * ```ts
 * const command = parseInput(articleCommandSchema, raw, 'article command');
 * ```
 */
export const articleCommandSchema: z.ZodType<ArticleCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    articleId: articleIdSchema,
    versionId: articleVersionIdSchema,
    category: articleCategorySchema.default(DEFAULT_ARTICLE_CATEGORY),
    title: articleTitleSchema,
    content: articleContentSchema,
    changeSummary: changeSummarySchema.default('Initial version'),
    authorEmployeeId: employeeIdSchema,
    links: targetsSchema.default([]),
    at: instantSchema,
  }),
  z.object({
    type: z.literal('revise'),
    versionId: articleVersionIdSchema,
    basedOnVersionNumber: versionNumberSchema,
    title: articleTitleSchema,
    content: articleContentSchema,
    changeSummary: changeSummarySchema,
    authorEmployeeId: employeeIdSchema,
    at: instantSchema,
  }),
  z.object({
    type: z.literal('publish'),
    versionNumber: versionNumberSchema,
    publishedBy: employeeIdSchema,
    at: instantSchema,
  }),
  z.object({
    type: z.literal('archive'),
    archivedBy: employeeIdSchema,
    reason: archiveReasonSchema.nullable().default(null),
    at: instantSchema,
  }),
  z.object({
    type: z.literal('link'),
    targets: targetsSchema.min(1, 'must name at least one target'),
    linkedBy: employeeIdSchema.nullable(),
    at: instantSchema,
  }),
]);
