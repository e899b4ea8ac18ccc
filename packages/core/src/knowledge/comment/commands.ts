import { z } from 'zod';
import { type EmployeeId, employeeIdSchema } from '../../identity/ids.js';
import { type Instant, instantSchema } from '../../kernel/index.js';
import type { ArticleState, ArticleStatus } from '../article/state.js';
import { commentBodySchema, type Rating, ratingSchema } from '../fields.js';
import {
  type ArticleId,
  type ArticleVersionId,
  articleIdSchema,
  articleVersionIdSchema,
  type CommentId,
  commentIdSchema,
} from '../ids.js';
import type { CommentState } from './state.js';

/**
 * Posts a comment on one version of an article, optionally with a rating and as an answer to another
 * comment of the same article. There is no edit command: a correction is a new comment (answer the
 * comment it corrects).
 */
export interface PostComment {
  readonly type: 'post';
  readonly commentId: CommentId;
  readonly articleId: ArticleId;
  readonly articleVersionId: ArticleVersionId;
  readonly authorEmployeeId: EmployeeId;
  readonly body: string;
  readonly rating: Rating | null;
  readonly parentCommentId: CommentId | null;
  readonly at: Instant;
}

/** Every comment command. */
export type CommentCommand = PostComment;

/** The commented article as the application loaded it (build it with {@link articleFactOf}). */
export interface ArticleFact {
  readonly articleId: ArticleId;
  readonly status: ArticleStatus | 'absent';
  readonly versions: readonly { readonly versionId: ArticleVersionId; readonly versionNumber: number }[];
}

/** The parent comment as loaded (build it with {@link parentFactOf}); `articleId` is `null` when there is none. */
export interface ParentCommentFact {
  readonly commentId: CommentId;
  readonly articleId: ArticleId | null;
}

/** What a comment decision needs: always the article; the parent comment when the comment answers one. */
export interface CommentFacts {
  readonly article?: ArticleFact;
  readonly parent?: ParentCommentFact;
}

/**
 * The {@link ArticleFact} of an article's state, for the facts loader.
 *
 * @example `decideComment(command, state, { article: articleFactOf(command.articleId, articleState) })`
 */
export function articleFactOf(articleId: ArticleId, state: ArticleState): ArticleFact {
  if (state.status === 'absent') return { articleId, status: 'absent', versions: [] };
  return {
    articleId,
    status: state.status,
    versions: state.versions.map((v) => ({ versionId: v.versionId, versionNumber: v.versionNumber })),
  };
}

/**
 * The {@link ParentCommentFact} of a comment's state, for the facts loader.
 *
 * @example `{ parent: parentFactOf(command.parentCommentId, parentState) }`
 */
export function parentFactOf(commentId: CommentId, state: CommentState): ParentCommentFact {
  return { commentId, articleId: state.status === 'posted' ? state.articleId : null };
}

/**
 * Zod schema of a {@link CommentCommand} (the body kept verbatim; `rating` and `parentCommentId`
 * default to `null`).
 *
 * @example
 * ```ts
 * const command = parseInput(commentCommandSchema, raw, 'comment command');
 * ```
 */
export const commentCommandSchema: z.ZodType<CommentCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('post'),
    commentId: commentIdSchema,
    articleId: articleIdSchema,
    articleVersionId: articleVersionIdSchema,
    authorEmployeeId: employeeIdSchema,
    body: commentBodySchema,
    rating: ratingSchema.nullable().default(null),
    parentCommentId: commentIdSchema.nullable().default(null),
    at: instantSchema,
  }),
]);
