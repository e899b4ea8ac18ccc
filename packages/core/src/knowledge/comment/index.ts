export {
  type ArticleFact,
  articleFactOf,
  type CommentCommand,
  type CommentFacts,
  commentCommandSchema,
  type ParentCommentFact,
  type PostComment,
  parentFactOf,
} from './commands.js';
export { decideComment } from './decide.js';
export { commentDecider } from './decider.js';
export {
  articleCommented,
  COMMENT_STREAM_TYPE,
  type CommentEvent,
  type CommentedPayload,
  commentEvents,
} from './events.js';
export { type CommentFactsDefinitions, type CommentFactsInput, commentFactsLoader } from './facts.js';
export { COMMENT_REJECTION_CODES, type CommentRejection, type CommentRejectionCode } from './rejections.js';
export { type CommentState, evolveComment, initialCommentState, type PostedComment } from './state.js';
export { type CommentThread, commentThreads } from './threads.js';
