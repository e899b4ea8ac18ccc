import type { Rejection } from '../../kernel/index.js';

/**
 * Why an article command was refused (stable codes):
 * - `KNOWLEDGE_ARTICLE_ALREADY_EXISTS` — `create` on an existing article.
 * - `KNOWLEDGE_ARTICLE_NOT_FOUND` — any other command before `create`.
 * - `KNOWLEDGE_ARTICLE_ARCHIVED` — any command on an archived article (terminal, immutable).
 * - `KNOWLEDGE_VERSION_MISMATCH` — `revise` based on, or `publish` of, a version that is not the
 *   current one (somebody revised in between; details give both numbers).
 * - `KNOWLEDGE_VERSION_ID_TAKEN` — the new version's id is already a version of this article.
 * - `KNOWLEDGE_CONTENT_UNCHANGED` — `revise` with the current version's title and content (a version
 *   is a content change; nothing to record).
 * - `KNOWLEDGE_ALREADY_PUBLISHED` — `publish` when the current version is already the published one.
 * - `KNOWLEDGE_NOT_PUBLISHED` — `archive` of a draft: only a published article can be retired (an
 *   abandoned draft simply stays a draft; nobody ever read it).
 */
export type ArticleRejectionCode =
  | 'KNOWLEDGE_ARTICLE_ALREADY_EXISTS'
  | 'KNOWLEDGE_ARTICLE_NOT_FOUND'
  | 'KNOWLEDGE_ARTICLE_ARCHIVED'
  | 'KNOWLEDGE_VERSION_MISMATCH'
  | 'KNOWLEDGE_VERSION_ID_TAKEN'
  | 'KNOWLEDGE_CONTENT_UNCHANGED'
  | 'KNOWLEDGE_ALREADY_PUBLISHED'
  | 'KNOWLEDGE_NOT_PUBLISHED';

/** A refused article command. */
export type ArticleRejection = Rejection<ArticleRejectionCode>;

/**
 * Every article rejection code, for documentation and exhaustive tests.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...ARTICLE_REJECTION_CODES].sort());
 * ```
 */
export const ARTICLE_REJECTION_CODES: readonly ArticleRejectionCode[] = [
  'KNOWLEDGE_ARTICLE_ALREADY_EXISTS',
  'KNOWLEDGE_ARTICLE_NOT_FOUND',
  'KNOWLEDGE_ARTICLE_ARCHIVED',
  'KNOWLEDGE_VERSION_MISMATCH',
  'KNOWLEDGE_VERSION_ID_TAKEN',
  'KNOWLEDGE_CONTENT_UNCHANGED',
  'KNOWLEDGE_ALREADY_PUBLISHED',
  'KNOWLEDGE_NOT_PUBLISHED',
];
