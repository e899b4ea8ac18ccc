import type { Rejection } from '../../kernel/index.js';

/**
 * Why a comment command was refused (stable codes):
 * - `KNOWLEDGE_COMMENT_ALREADY_EXISTS` — a comment with this id was posted already (comments are
 *   additive: never edited or replaced).
 * - `KNOWLEDGE_FACTS_MISSING` — the application did not load the article (or the parent comment), or
 *   loaded another one.
 * - `KNOWLEDGE_ARTICLE_NOT_FOUND` — the article does not exist.
 * - `KNOWLEDGE_ARTICLE_ARCHIVED` — the article is archived (terminal: it takes no more feedback).
 * - `KNOWLEDGE_VERSION_NOT_FOUND` — the named version is not a version of the article.
 * - `KNOWLEDGE_PARENT_NOT_IN_ARTICLE` — the parent comment does not exist, belongs to another
 *   article, or is the comment itself (threads stay inside one article).
 */
export type CommentRejectionCode =
  | 'KNOWLEDGE_COMMENT_ALREADY_EXISTS'
  | 'KNOWLEDGE_FACTS_MISSING'
  | 'KNOWLEDGE_ARTICLE_NOT_FOUND'
  | 'KNOWLEDGE_ARTICLE_ARCHIVED'
  | 'KNOWLEDGE_VERSION_NOT_FOUND'
  | 'KNOWLEDGE_PARENT_NOT_IN_ARTICLE';

/** A refused comment command. */
export type CommentRejection = Rejection<CommentRejectionCode>;

/**
 * Every comment rejection code, for documentation and exhaustive tests.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...COMMENT_REJECTION_CODES].sort());
 * ```
 */
export const COMMENT_REJECTION_CODES: readonly CommentRejectionCode[] = [
  'KNOWLEDGE_COMMENT_ALREADY_EXISTS',
  'KNOWLEDGE_FACTS_MISSING',
  'KNOWLEDGE_ARTICLE_NOT_FOUND',
  'KNOWLEDGE_ARTICLE_ARCHIVED',
  'KNOWLEDGE_VERSION_NOT_FOUND',
  'KNOWLEDGE_PARENT_NOT_IN_ARTICLE',
];
