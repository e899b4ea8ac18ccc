import type { AggregateDefinition, FactsLoader, Uuid } from '../../kernel/index.js';
import type { ArticleState } from '../article/state.js';
import type { ArticleId, CommentId } from '../ids.js';
import {
  type ArticleFact,
  articleFactOf,
  type CommentFacts,
  type ParentCommentFact,
  parentFactOf,
} from './commands.js';
import type { CommentState } from './state.js';

/** How the two knowledge aggregates are stored (the adapter's definitions, e.g. `@pet-ops/sql`'s bindings). */
export interface CommentFactsDefinitions {
  readonly article: AggregateDefinition<ArticleState>;
  readonly comment: AggregateDefinition<CommentState>;
}

/** What the loader needs of the comment command: the article, and the comment it answers (if any). */
export interface CommentFactsInput {
  readonly articleId: ArticleId;
  readonly parentCommentId?: CommentId | null;
}

/**
 * The facts loader of a comment command: reads the commented article and, for an answer, the parent
 * comment through the unit of work's scope (in the command's transaction, re-run on every retry), and
 * turns them into {@link CommentFacts} with {@link articleFactOf} / {@link parentFactOf}. Pure: it uses
 * only the `UnitOfWorkScope` port.
 *
 * @example
 * ```ts
 * const r = await handleComment({
 *   streamId: command.commentId,
 *   command,
 *   metadata: { actor },
 *   loadFacts: commentFactsLoader({ article: articleDefinition, comment: commentDefinition }, command),
 * });
 * ```
 */
export function commentFactsLoader(
  definitions: CommentFactsDefinitions,
  input: CommentFactsInput,
): FactsLoader<CommentState, CommentFacts> {
  return async (scope) => {
    const article = await scope.aggregate(definitions.article).load(input.articleId as string as Uuid);
    const facts: { article: ArticleFact; parent?: ParentCommentFact } = {
      article: articleFactOf(input.articleId, article.state),
    };
    const parentId = input.parentCommentId ?? null;
    if (parentId !== null) {
      const parent = await scope.aggregate(definitions.comment).load(parentId as string as Uuid);
      facts.parent = parentFactOf(parentId, parent.state);
    }
    return facts;
  };
}
