export {
  type ArchiveArticle,
  type ArticleCommand,
  articleCommandSchema,
  type CreateArticle,
  type LinkArticle,
  type PublishArticle,
  type ReviseArticle,
} from './commands.js';
export { decideArticle } from './decide.js';
export { articleDecider } from './decider.js';
export {
  ARTICLE_STREAM_TYPE,
  type ArticleArchivedPayload,
  type ArticleCreatedPayload,
  type ArticleEvent,
  type ArticleLinkedPayload,
  type ArticlePublishedPayload,
  type ArticleRevisedPayload,
  articleArchived,
  articleCreated,
  articleEvents,
  articleLinked,
  articlePublished,
  articleRevised,
  type VersionPayload,
} from './events.js';
export { ARTICLE_REJECTION_CODES, type ArticleRejection, type ArticleRejectionCode } from './rejections.js';
export {
  type ArticleDetails,
  type ArticleLink,
  type ArticlePublication,
  type ArticleState,
  type ArticleStatus,
  type ArticleVersion,
  currentVersion,
  type ExistingArticle,
  evolveArticle,
  initialArticleState,
  isLinked,
  publishedVersion,
  versionByNumber,
} from './state.js';
