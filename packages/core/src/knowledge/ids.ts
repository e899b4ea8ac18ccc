import type { z } from 'zod';
import { type Brand, idSchema } from '../kernel/index.js';

/** Surrogate id of a knowledge article (UUIDv7); also the article's stream id. */
export type ArticleId = Brand<string, 'ArticleId'>;
/** Surrogate id of one immutable article version (UUIDv7), a row of `knowledge_versions`. */
export type ArticleVersionId = Brand<string, 'ArticleVersionId'>;
/** Surrogate id of one knowledge comment (UUIDv7); also the comment's stream id. */
export type CommentId = Brand<string, 'CommentId'>;

/** Zod schema of an {@link ArticleId}. @example `articleIdSchema.parse(id)` */
export const articleIdSchema: z.ZodType<ArticleId, string> = idSchema<'ArticleId'>();
/** Zod schema of an {@link ArticleVersionId}. @example `articleVersionIdSchema.parse(id)` */
export const articleVersionIdSchema: z.ZodType<ArticleVersionId, string> = idSchema<'ArticleVersionId'>();
/** Zod schema of a {@link CommentId}. @example `commentIdSchema.parse(id)` */
export const commentIdSchema: z.ZodType<CommentId, string> = idSchema<'CommentId'>();
