import type { Decider } from '../../kernel/index.js';
import type { ArticleCommand } from './commands.js';
import { decideArticle } from './decide.js';
import type { ArticleEvent } from './events.js';
import type { ArticleRejection } from './rejections.js';
import { type ArticleState, evolveArticle, initialArticleState } from './state.js';

/**
 * The knowledge article aggregate as a decider (stream type `knowledge_article`). It needs no facts:
 * every rule reads the article's own history.
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: articleDecider, commandSchema: articleCommandSchema });
 * ```
 */
export const articleDecider: Decider<
  ArticleState,
  ArticleCommand,
  ArticleEvent,
  undefined,
  ArticleRejection
> = {
  initialState: initialArticleState,
  decide: decideArticle,
  evolve: evolveArticle,
};
