import {
  type AggregateBinding,
  type DecidedEvent,
  type EventContext,
  type FactsLoader,
  Knowledge,
} from '@pet-ops/core';
import { aggregateOf } from '../state-table.js';
import { knowledgeArticlesTable, knowledgeCommentsTable } from '../tables/knowledge.js';

type WithContext<E> = E & DecidedEvent & { readonly context: EventContext };

/** The knowledge context's command bindings on the seam: one per aggregate, for `createCommandHandler`. */
export interface KnowledgeBindings {
  /** Articles (`knowledge_article`): no facts. */
  readonly article: AggregateBinding<
    Knowledge.ArticleState,
    Knowledge.ArticleCommand,
    WithContext<Knowledge.ArticleEvent>,
    undefined,
    Knowledge.ArticleRejection
  >;
  /** Comments (`knowledge_comment`): facts from {@link knowledgeCommentFacts}. */
  readonly comment: AggregateBinding<
    Knowledge.CommentState,
    Knowledge.CommentCommand,
    WithContext<Knowledge.CommentEvent>,
    Knowledge.CommentFacts | undefined,
    Knowledge.CommentRejection
  >;
}

/**
 * The knowledge bindings: each aggregate's definition (its declared state table), its decider (events
 * carry the article and linked target as envelope context, `withKnowledgeContext`) and command schema.
 *
 * @example
 * ```ts
 * const handleArticle = createCommandHandler(runtime, knowledgeBindings.article);
 * await handleArticle({ streamId: articleId, command: { type: 'publish', versionNumber: 1, publishedBy, at }, metadata: { actor } });
 * ```
 */
export const knowledgeBindings: KnowledgeBindings = {
  article: {
    definition: aggregateOf(knowledgeArticlesTable),
    decider: Knowledge.withKnowledgeContext(Knowledge.articleDecider),
    commandSchema: Knowledge.articleCommandSchema,
  },
  comment: {
    definition: aggregateOf(knowledgeCommentsTable),
    decider: Knowledge.withKnowledgeContext(Knowledge.commentDecider),
    commandSchema: Knowledge.commentCommandSchema,
  },
};

/**
 * The facts loader of a comment command on these tables: the article and (for an answer) the parent
 * comment, read in the command's transaction (`Knowledge.commentFactsLoader` bound to the bindings'
 * definitions).
 *
 * @example
 * ```ts
 * const handleComment = createCommandHandler(runtime, knowledgeBindings.comment);
 * await handleComment({ streamId: command.commentId, command, metadata: { actor }, loadFacts: knowledgeCommentFacts(command) });
 * ```
 */
export function knowledgeCommentFacts(
  command: Knowledge.CommentFactsInput,
): FactsLoader<Knowledge.CommentState, Knowledge.CommentFacts | undefined> {
  return Knowledge.commentFactsLoader(
    { article: knowledgeBindings.article.definition, comment: knowledgeBindings.comment.definition },
    command,
  );
}
