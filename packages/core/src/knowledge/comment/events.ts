import { z } from 'zod';
import { type EmployeeId, employeeIdSchema } from '../../identity/ids.js';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import { commentBodySchema, type Rating, ratingSchema } from '../fields.js';
import {
  type ArticleId,
  type ArticleVersionId,
  articleIdSchema,
  articleVersionIdSchema,
  type CommentId,
  commentIdSchema,
} from '../ids.js';

/**
 * The stream type of comment streams (and the key of the `knowledge_comments` table). A comment is its
 * own one-event stream, so comments never contend with revisions of their article.
 *
 * @example `const definition: AggregateDefinition<CommentState> = { streamType: COMMENT_STREAM_TYPE, … }`
 */
export const COMMENT_STREAM_TYPE = 'knowledge_comment';

/** Payload of `knowledge.commented` v1: the whole comment (a row of `knowledge_comments`; `createdAt` = `at`). */
export interface CommentedPayload {
  readonly commentId: CommentId;
  readonly articleId: ArticleId;
  /** The version the comment is about. */
  readonly articleVersionId: ArticleVersionId;
  readonly versionNumber: number;
  readonly authorEmployeeId: EmployeeId;
  /** Verbatim. */
  readonly body: string;
  /** 1–5, or `null` for a comment without a rating. */
  readonly rating: Rating | null;
  /** The comment this one answers (same article), or `null` to start a thread. */
  readonly parentCommentId: CommentId | null;
  readonly at: Instant;
}

/**
 * `knowledge.commented` v1: additive feedback (no edit, no delete; a correction is a new comment).
 *
 * @example `if (event.type === articleCommented.type && event.payload.rating !== null) ratings.push(event.payload.rating);`
 */
export const articleCommented: EventDefinition<
  'knowledge.commented',
  z.ZodType<CommentedPayload>
> = defineEvent({
  type: 'knowledge.commented',
  version: 1,
  payload: z
    .object({
      commentId: commentIdSchema,
      articleId: articleIdSchema,
      articleVersionId: articleVersionIdSchema,
      versionNumber: z.number().int().min(1, 'must be at least 1'),
      authorEmployeeId: employeeIdSchema,
      body: commentBodySchema,
      rating: ratingSchema.nullable(),
      parentCommentId: commentIdSchema.nullable(),
      at: instantSchema,
    })
    .strict()
    .refine((p) => p.parentCommentId !== p.commentId, {
      message: 'a comment cannot answer itself',
      path: ['parentCommentId'],
    }),
});

/** Every event a comment stream holds (exactly one: comments never change). */
export type CommentEvent = EventOf<typeof articleCommented>;

/**
 * The comment event definitions (current versions), for the context's registry.
 *
 * @example `createEventRegistry({ events: commentEvents }).knownTypes()`
 */
export const commentEvents: readonly EventDefinition[] = [articleCommented];
