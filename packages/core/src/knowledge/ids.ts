import type { z } from 'zod';
import { type Brand, type IdGenerator, idSchema } from '../kernel/index.js';

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

/*
 * Typed id factories, one per aggregate: a new id from the host's {@link IdGenerator} (UUIDv7 in
 * production), already branded, so user code needs no cast.
 */

/**
 * A new {@link ArticleId} for an article, from the host's id generator (no cast needed).
 *
 * @example `const articleId = Knowledge.newArticleId(ids);`
 */
export function newArticleId(ids: IdGenerator): ArticleId {
  return ids.next() as ArticleId;
}

/**
 * A new {@link ArticleVersionId} for an article version, from the host's id generator (no cast needed).
 *
 * @example `const articleVersionId = Knowledge.newArticleVersionId(ids);`
 */
export function newArticleVersionId(ids: IdGenerator): ArticleVersionId {
  return ids.next() as ArticleVersionId;
}

/**
 * A new {@link CommentId} for a comment, from the host's id generator (no cast needed).
 *
 * @example `const commentId = Knowledge.newCommentId(ids);`
 */
export function newCommentId(ids: IdGenerator): CommentId {
  return ids.next() as CommentId;
}
