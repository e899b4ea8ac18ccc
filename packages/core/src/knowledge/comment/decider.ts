import type { Decider } from '../../kernel/index.js';
import type { CommentCommand, CommentFacts } from './commands.js';
import { decideComment } from './decide.js';
import type { CommentEvent } from './events.js';
import type { CommentRejection } from './rejections.js';
import { type CommentState, evolveComment, initialCommentState } from './state.js';

/**
 * The knowledge comment aggregate as a decider (stream type `knowledge_comment`); its facts are the
 * article and, for an answer, the parent comment.
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: commentDecider, commandSchema: commentCommandSchema });
 * ```
 */
export const commentDecider: Decider<
  CommentState,
  CommentCommand,
  CommentEvent,
  CommentFacts | undefined,
  CommentRejection
> = {
  initialState: initialCommentState,
  decide: decideComment,
  evolve: evolveComment,
};
